"""The shipped weights name general English only: no word of a training text becomes a feature."""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from argmap.features.units import _MODALS
from argmap.lexicon import load_lexicon, phrases
from argmap.scoring import default_weights


def _feature_names() -> set[str]:
    names: set[str] = set()
    for scorer in default_weights().scorers.values():
        for table in scorer.weights.values():
            names |= set(table)
    return names


def test_word_features_come_from_closed_lists_only() -> None:
    lexicon = load_lexicon("connectives")
    connectives = {
        " ".join(entry) for category in lexicon for entry in phrases("connectives", category)
    }
    for name in _feature_names():
        kind, _, value = name.partition(":")
        if kind == "first_word":
            assert value in STOP_WORDS, name
        elif kind == "modal":
            assert value in _MODALS, name
        elif kind == "opener_word":
            assert value in connectives, name


def test_structural_feature_values_are_tags_or_known_names() -> None:
    for name in _feature_names():
        kind, _, value = name.partition(":")
        if kind in {"first_pos", "root_tag"}:
            assert value.replace("$", "").isupper() or value in {"''", "``", ",", ":", "."}, name
