"""An exact, bounded stand-in for spaCy's ``attribute_ruler``, a quarter of the parse.

spaCy's ruler runs every one of its patterns (179 in the small English
model) through a ``Matcher`` over every token of every Doc, although almost
all of them test one token's tag, word and dependency label. The stand-in
caches the effect of those one-token patterns per combination of the token
attributes they test, and runs the rest (a handful of multi-token patterns)
through a ``Matcher`` only where one of them can start. None of the ruler's
results is lost:

- *Same matches.* On a cache miss the one-token patterns are run through a
  spaCy ``Matcher`` on that token alone, so spaCy itself decides what matches;
  the cache key holds every attribute those patterns test, so a hit is what the
  ``Matcher`` would say. A word that no pattern's word test accepts is keyed as
  "any other word", which keeps the cache small.
- *Same multi-token matches.* A pattern of fixed length can only match where
  its first token matches, and that first token is cached like a one-token
  pattern (an *anchor*); the ``Matcher`` runs on the few tokens after each
  anchor, before any of them is changed. A pattern of varying length, or one
  whose first token cannot be keyed, makes the ``Matcher`` run on the whole Doc.
- *Same precedence.* The ruler sorts its matches by rule and sets each rule's
  attributes in turn, so a later rule wins; the stand-in merges the rules a
  token matched in that same order and sets the result once, through the same
  spaCy function.
- *Bounded.* Each cache holds at most ``MAX_CACHED`` entries and starts over
  when full.

A ruler whose rules the stand-in cannot reproduce (extension attributes) or
would not speed up (most patterns left to the ``Matcher``) stays as spaCy
built it: ``replace_attribute_ruler`` then leaves the pipeline unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = [
    "FACTORY",
    "MAX_CACHED",
    "CachedAttributeRuler",
    "replace_attribute_ruler",
    "uses_stand_in",
]

FACTORY = "argmap_cached_attribute_ruler"
MAX_CACHED = 50_000
"""Entries per cache (a few MB at most); a full cache is cleared, never grown."""
_RULER = "attribute_ruler"
_KEY_PREFIX = "argmap_ruler_"
_ANCHOR = "argmap_ruler_anchor"
_WORD_ATTRS = frozenset({"ORTH", "LOWER", "NORM"})
"""Attributes with one value per word: keyed only for words some pattern accepts."""
_CLASS_ATTRS = frozenset({"TAG", "POS", "DEP", "IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT"})
"""Attributes with few values: always part of the key."""
_Attrs = dict[Any, Any]
_Effect = tuple[tuple[int, ...], _Attrs, bool]
"""The one-token rules a token matched (in order), what they set, whether it is an anchor."""


class CachedAttributeRuler:
    """A pipeline component that sets what ``attribute_ruler`` would, token by token.

    Built empty (spaCy's factories take no patterns); ``add_patterns`` takes
    the original ruler's ``patterns`` list.
    """

    def __init__(self, vocab: Vocab, name: str = _RULER) -> None:
        self.name = name
        self.vocab = vocab
        self._patterns: list[dict[str, Any]] = []
        self._attrs: list[_Attrs] = []
        self._single = Matcher(vocab)
        self._words = Matcher(vocab)
        self._multi = Matcher(vocab)
        self._multi_rules: dict[int, tuple[int, int]] = {}
        self._window = 0
        self._whole_doc = False
        self._word_attrs: set[str] = set()
        self._class_attrs: set[str] = set()
        self._key_attrs: list[int | str] = []
        self._word_size = 0
        self._effects: dict[tuple[Any, ...], _Effect] = {}
        self._accepted: dict[tuple[int, ...], bool] = {}
        self._merged: dict[tuple[int, ...], _Attrs] = {}

    @property
    def patterns(self) -> list[dict[str, Any]]:
        """The rules as given, in ``AttributeRuler.patterns`` form."""
        return list(self._patterns)

    @property
    def matcher_patterns(self) -> int:
        """How many patterns the ``Matcher`` runs (the others are cached)."""
        return sum(len(self._multi.get(key)[1]) for key in self._multi_rules)

    @property
    def key_attrs(self) -> tuple[str, ...]:
        """The token attributes the cache is keyed on (those the cached tests read)."""
        return tuple(str(a) for a in self._key_attrs)

    @property
    def whole_doc(self) -> bool:
        """Whether the ``Matcher`` must run on whole Docs (a pattern it cannot anchor)."""
        return self._whole_doc

    def add_patterns(self, patterns: Iterable[Mapping[str, Any]]) -> None:
        """Add rules in ``AttributeRuler.add_patterns`` form, after those already added.

        Raises:
            ValueError: a rule sets extension attributes (``"_"``), whose merge
                the stand-in does not reproduce.
        """
        for rule in patterns:
            if "_" in rule["attrs"]:
                raise ValueError("extension attributes are not supported")
            r = len(self._attrs)
            index = int(rule.get("index", 0))
            self._patterns.append(
                {"patterns": rule["patterns"], "attrs": rule["attrs"], "index": index}
            )
            self._attrs.append(normalize_token_attrs(self.vocab, dict(rule["attrs"])))
            key = f"{_KEY_PREFIX}{r}"
            for pattern in rule["patterns"]:
                if len(pattern) == 1 and index in (0, -1) and _keyable(pattern[0]):
                    self._add_cached(key, pattern[0])
                    continue
                self._multi.add(key, [pattern])
                self._multi_rules[self.vocab.strings[key]] = (r, index)
                if _keyable(pattern[0]) and not any("OP" in spec for spec in pattern):
                    self._add_cached(_ANCHOR, pattern[0])
                    self._window = max(self._window, len(pattern))
                else:
                    self._whole_doc = True
        self._key_attrs = [*sorted(self._word_attrs), *sorted(self._class_attrs)]
        self._word_size = len(self._word_attrs)
        self._effects.clear()
        self._accepted.clear()
        self._merged.clear()

    def __call__(self, doc: Doc) -> Doc:
        """Set each token's attributes as spaCy's ruler would on this Doc.

        Multi-token matches are read before any token they cover is changed:
        on the whole Doc first, or on the window after an anchor before the
        anchor itself is set (a match never changes a token before its start).
        """
        extra = self._matches(doc, 0, len(doc)) if self._whole_doc else {}
        rows = self._rows(doc)
        effects, accepted, words = self._effects, self._accepted, self._word_size
        for i, token in enumerate(doc):
            row = rows[i]
            word = row[:words]
            known = accepted.get(word)
            if known is None:
                known = self._accept(doc, i, word)
            key = (word if known else None, *row[words:])
            effect = effects.get(key)
            if effect is None:
                effect = self._effect(doc, i, key)
            rules, attrs, anchor = effect
            if anchor and not self._whole_doc:
                for target, found in self._matches(doc, i, i + self._window).items():
                    extra.setdefault(target, set()).update(found)
            if i in extra:
                attrs = self._merge(tuple(sorted(set(rules) | extra.pop(i))))
            if attrs:
                set_token_attrs(token, attrs)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Docs one by one (the ruler has no batch work to share)."""
        for doc in stream:
            yield self(doc)

    def _add_cached(self, key: str, spec: Mapping[str, Any]) -> None:
        self._single.add(key, [[dict(spec)]])
        word_test = {a: v for a, v in spec.items() if a in _WORD_ATTRS}
        self._class_attrs.update(a for a in spec if a in _CLASS_ATTRS)
        self._word_attrs.update(word_test)
        if word_test:
            self._words.add("word", [[word_test]])

    def _rows(self, doc: Doc) -> list[tuple[int, ...]]:
        """Each token's key attributes, read once per Doc through spaCy's own getters."""
        if not self._key_attrs:
            return [()] * len(doc)
        values = doc.to_array(self._key_attrs).tolist()
        if len(self._key_attrs) == 1:
            return [(value,) for value in values]
        return [tuple(row) for row in values]

    def _matches(self, doc: Doc, start: int, end: int) -> dict[int, set[int]]:
        """Token -> multi-token rules that set it, from the Matcher on ``doc[start:end]``."""
        found: dict[int, set[int]] = {}
        for match_id, first, last in self._multi(doc[start:end], allow_missing=True):
            rule, index = self._multi_rules[match_id]
            target = (first if index >= 0 else last) + index
            if not first <= target < last:
                raise ValueError(
                    f"attribute_ruler rule {rule}: index {index} is outside its match "
                    f"of {last - first} tokens"
                )
            found.setdefault(start + target, set()).add(rule)
        return found

    def _accept(self, doc: Doc, i: int, word: tuple[int, ...]) -> bool:
        """Whether any cached word test accepts this word (else it is "any other word")."""
        known = bool(word) and bool(self._words(doc[i : i + 1], allow_missing=True))
        if len(self._accepted) >= MAX_CACHED:
            self._accepted.clear()
        self._accepted[word] = known
        return known

    def _effect(self, doc: Doc, i: int, key: tuple[Any, ...]) -> _Effect:
        names = {self.vocab.strings[m] for m, _, _ in self._single(doc[i : i + 1])}
        anchor = _ANCHOR in names
        rules = tuple(sorted(int(n[len(_KEY_PREFIX) :]) for n in names - {_ANCHOR}))
        effect = (rules, self._merge(rules), anchor)
        if len(self._effects) >= MAX_CACHED:
            self._effects.clear()
        self._effects[key] = effect
        return effect

    def _merge(self, rules: tuple[int, ...]) -> _Attrs:
        """What the rules set, applied in order (a later rule wins), as one dict."""
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule in rules:
                merged.update(self._attrs[rule])
            if len(self._merged) >= MAX_CACHED:
                self._merged.clear()
            self._merged[rules] = merged
        return merged


def _keyable(spec: Mapping[str, Any]) -> bool:
    return bool(spec) and all(a in _WORD_ATTRS or a in _CLASS_ATTRS for a in spec)


@Language.factory(FACTORY)
def _make_cached_ruler(nlp: Language, name: str) -> CachedAttributeRuler:
    return CachedAttributeRuler(nlp.vocab, name)


def replace_attribute_ruler(nlp: Language) -> Language:
    """Swap the pipeline's ``attribute_ruler`` for the stand-in, in place, where it is exact.

    Returns the same pipeline; unchanged if it has no such component, if the
    component is not spaCy's ``AttributeRuler``, if a rule sets what the
    stand-in does not reproduce (see ``CachedAttributeRuler.add_patterns``), or
    if most patterns would still run through a ``Matcher``.
    """
    if _RULER not in nlp.pipe_names:
        return nlp
    original = nlp.get_pipe(_RULER)
    if not isinstance(original, AttributeRuler):
        return nlp
    patterns: list[Mapping[str, Any]] = list(original.patterns)
    trial = CachedAttributeRuler(nlp.vocab)
    try:
        trial.add_patterns(patterns)
    except (ValueError, KeyError, TypeError):
        return nlp
    if trial.matcher_patterns * 2 > sum(len(rule["patterns"]) for rule in trial.patterns):
        return nlp
    installed = nlp.replace_pipe(_RULER, FACTORY)
    if not isinstance(installed, CachedAttributeRuler):  # pragma: no cover
        raise TypeError(f"{FACTORY} built {type(installed).__name__}")
    installed.add_patterns(patterns)
    return nlp


def uses_stand_in(nlp: Language) -> bool:
    """Whether the pipeline runs the stand-in (else spaCy's ruler, or none)."""
    return _RULER in nlp.pipe_names and isinstance(nlp.get_pipe(_RULER), CachedAttributeRuler)
