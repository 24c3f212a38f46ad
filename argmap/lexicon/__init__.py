"""Cue lexicons, kept as JSON data files so a linguist can edit them without code.

Each file maps a cue category to a list of general English expressions
(discourse connectives, modal verbs, attribution verbs, ...). Keys starting
with ``_`` are documentation. Topic words never belong here.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

__all__ = ["Phrases", "load_lexicon", "phrases"]


@cache
def load_lexicon(name: str) -> dict[str, list[str]]:
    """Load ``argmap/lexicon/<name>.json`` once, dropping documentation keys."""
    raw = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return {key: list(value) for key, value in data.items() if not key.startswith("_")}


_IRREGULAR = {"can't": "ca n't", "won't": "wo n't", "cannot": "can not", "let's": "let 's"}
_CLITIC = re.compile(r"(n't|'s|'re|'ve|'ll|'d|'m)$")


def _tokenize(entry: str) -> list[str]:
    """Split an entry the way spaCy's English tokenizer splits text ("that's" -> that 's)."""
    words: list[str] = []
    for word in entry.lower().replace("’", "'").split():
        word = _IRREGULAR.get(word, word)
        if " " in word:
            words.extend(word.split())
            continue
        clitic = _CLITIC.search(word)
        if clitic and clitic.start() > 0:
            words.extend([word[: clitic.start()], clitic.group()])
        else:
            words.append(word)
    return words


class Phrases(tuple[tuple[str, ...], ...]):
    """Lexicon entries as word tuples, longest first, indexed by their first word.

    The index matters: cues are looked up at every word of every unit, and
    comparing each entry at each position made cue finding the slowest stage.
    """

    by_first: dict[str, tuple[tuple[str, ...], ...]]

    def __new__(cls, entries: list[tuple[str, ...]]) -> Phrases:
        ordered = sorted(set(entries), key=lambda w: (-len(w), w))
        self = super().__new__(cls, ordered)
        index: dict[str, list[tuple[str, ...]]] = {}
        for entry in ordered:
            if entry:
                index.setdefault(entry[0], []).append(entry)
        self.by_first = {word: tuple(found) for word, found in index.items()}
        return self

    def starting_with(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Entries whose first word is ``word``, longest first."""
        return self.by_first.get(word, ())


@cache
def phrases(name: str, category: str) -> Phrases:
    """Return a category's entries as lower-cased word tuples, longest first.

    Longest-first order lets matchers prefer "even though" over "though".
    """
    return Phrases([tuple(_tokenize(entry)) for entry in load_lexicon(name)[category]])
