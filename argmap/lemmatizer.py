"""An exact, bounded cache in front of spaCy's rule lemmatizer, a fifth of the parse.

spaCy's ``Lemmatizer`` caches only the lemmas it derives by its suffix rules;
the commonest answers (a singular noun, a present-tense verb, an adjective:
"already a base form") are worked out again at every token, reading the
token's part of speech and morphology into Python strings and dicts each
time. Its answer depends on nothing but the token's text, part of speech and
morphology (and on its fixed tables), so the stand-in caches the lemma per
``(orth, pos, morph)`` for every path and asks spaCy's own ``lemmatize`` on a
miss. That call is slow too: it checks each candidate lemma against a list of
up to 57,000 known words, one by one; the stand-in's copy of those lists
becomes sets, which answer ``in`` the same way at once.

- *Same lemmas.* Each lemma is spaCy's answer for the first token with that
  key; only tokens without a lemma yet are lemmatized (or all, with
  ``overwrite``), as spaCy does.
- *Same warnings.* A token without a part of speech (spaCy warns about it) is
  never cached, so spaCy sees every one.
- *Bounded.* The cache, and spaCy's own cache behind it, are cleared when the
  stand-in's reaches ``MAX_CACHED`` entries.

Only spaCy's own lemmatizer classes in ``"rule"`` or ``"lookup"`` mode are
replaced (their answers are known to depend on those three attributes); any
other lemmatizer stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = ["FACTORY", "MAX_CACHED", "CachedLemmatizer", "replace_lemmatizer", "uses_cached"]

FACTORY = "argmap_cached_lemmatizer"
MAX_CACHED = 100_000
"""Cached lemmas (a few MB at most); a full cache is cleared, never grown."""
_LEMMATIZER = "lemmatizer"
_EXACT_CLASSES = (Lemmatizer, EnglishLemmatizer)
_EXACT_MODES = ("rule", "lookup")
_KEY_ATTRS: list[int | str] = ["ORTH", "POS", "MORPH", "LEMMA"]


class CachedLemmatizer:
    """A pipeline component that sets what spaCy's lemmatizer would, from a cache.

    Built empty by its factory; ``wrap`` hands it the lemmatizer it stands in for.
    """

    def __init__(self, vocab: Vocab, name: str = _LEMMATIZER) -> None:
        self.name = name
        self.vocab = vocab
        self._original: Lemmatizer | None = None
        self._cache: dict[tuple[int, int, int], int] = {}

    @property
    def original(self) -> Lemmatizer | None:
        """The spaCy lemmatizer asked on a cache miss."""
        return self._original

    def wrap(self, original: Lemmatizer) -> None:
        """Stand in for ``original`` (its tables must be loaded)."""
        self._original = original
        self._cache.clear()

    def __call__(self, doc: Doc) -> Doc:
        """Give each token that has no lemma yet spaCy's lemma for it."""
        original = self._original
        if original is None:
            raise ValueError(f"{self.name}: no lemmatizer to stand in for")
        overwrite = bool(original.overwrite)
        cache = self._cache
        rows = doc.to_array(_KEY_ATTRS).tolist()
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            token = doc[i]
            if found is None:
                found = self.vocab.strings.add(original.lemmatize(token)[0])
                if pos:
                    if len(cache) >= MAX_CACHED:
                        cache.clear()
                        original.cache.clear()
                    cache[key] = found
            token.lemma = found
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Docs one by one (no batch work to share)."""
        for doc in stream:
            yield self(doc)


@Language.factory(FACTORY)
def _make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.vocab, name)


def replace_lemmatizer(nlp: Language) -> Language:
    """Put the cache in front of the pipeline's ``lemmatizer``, in place, where it is exact.

    Returns the same pipeline; unchanged if it has no such component, if the
    component is not one of spaCy's own lemmatizers in ``"rule"`` or
    ``"lookup"`` mode, or if its tables fail spaCy's own check.
    """
    if _LEMMATIZER not in nlp.pipe_names:
        return nlp
    original = nlp.get_pipe(_LEMMATIZER)
    if not isinstance(original, Lemmatizer) or type(original) not in _EXACT_CLASSES:
        return nlp
    if original.mode not in _EXACT_MODES:
        return nlp
    try:
        original(nlp.make_doc(""))  # spaCy checks its tables on its first Doc
    except Exception:  # tables missing: leave spaCy's component to say so
        return nlp
    _index_as_sets(original)
    installed = nlp.replace_pipe(_LEMMATIZER, FACTORY)
    if not isinstance(installed, CachedLemmatizer):  # pragma: no cover
        raise TypeError(f"{FACTORY} built {type(installed).__name__}")
    installed.wrap(original)
    return nlp


def _index_as_sets(original: Lemmatizer) -> None:
    """Known-word lists become sets, in this pipeline's own tables only.

    spaCy reads them only as ``form in index`` (and for being empty), which a
    set answers exactly as the list does; anything else is left as it is.
    """
    if not original.lookups.has_table("lemma_index"):
        return
    table = original.lookups.get_table("lemma_index")
    for pos, words in list(table.items()):
        if isinstance(words, list) and all(isinstance(w, str) for w in words):
            table[pos] = frozenset(words)


def uses_cached(nlp: Language) -> bool:
    """Whether the pipeline runs the cached lemmatizer (else spaCy's, or none)."""
    return _LEMMATIZER in nlp.pipe_names and isinstance(nlp.get_pipe(_LEMMATIZER), CachedLemmatizer)
