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

__all__ = ["load_lexicon", "phrases"]


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


@cache
def phrases(name: str, category: str) -> tuple[tuple[str, ...], ...]:
    """Return a category's entries as lower-cased word tuples, longest first.

    Longest-first order lets matchers prefer "even though" over "though".
    """
    entries = load_lexicon(name)[category]
    words = {tuple(_tokenize(entry)) for entry in entries}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))
