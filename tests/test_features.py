"""Named unit features: what the learned scorers weigh, on short invented sentences.

The features are read through the real English model, exactly as the
pipeline computes them (segment, cues, role rules, ``unit_features``). A
feature's name may hold a closed-class word (a modal, a connective, a first
word that is a stop word) but never the topic of the text: that is what lets
weights fitted on one set of topics map another.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from argmap.classify import classify_units
from argmap.cues import extract_features
from argmap.features import FEATURE_VERSION, UnitFeatures, unit_features
from argmap.nlp import load_model
from argmap.reader import parse_text
from argmap.segment import segment_units

if TYPE_CHECKING:
    from spacy.language import Language

SENTENCES = {
    "means_by": "The city can best cut traffic by raising parking fees.",
    "means_that": "That means building more bus lanes.",
    "directive": "Just consider the numbers.",
    "imperative": "Close the road on Saturdays.",
    "large": "The plan costs 25,000 dollars.",
    "percent": "Fares rose 12 percent last year.",
    "should": "The council should act.",
    "because": "Because the buses are late, people drive.",
}
TEXT = " ".join(SENTENCES.values())
GENERAL_ENGLISH = {"means", "percent"}
"""Open-class words a feature names on purpose: "that means" is a connective (a
restatement), "percent" a unit of measure; neither is what a text is about."""


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


@pytest.fixture(scope="module")
def read(nlp: Language) -> list[tuple[str, UnitFeatures]]:
    """Each unit's text and features, for the invented text above."""
    source = parse_text(TEXT)
    segments = segment_units(source, [nlp(source.clean[b.start : b.end]) for b in source.blocks])
    units = classify_units(segments, [extract_features(s.tokens) for s in segments])
    rows = unit_features(units, [0.0] * len(units))
    return [(source.text[s.start : s.end], row) for s, row in zip(segments, rows, strict=True)]


def features_of(read: list[tuple[str, UnitFeatures]], sentence: str) -> UnitFeatures:
    """The features of the unit(s) that make up ``sentence`` (merged, if it was split)."""
    merged: UnitFeatures = {}
    for text, row in read:
        if text in sentence:
            merged.update(row)
    assert merged, f"no unit of {sentence!r}"
    return merged


@pytest.mark.parametrize(
    ("key", "feature"),
    [
        ("means_by", "construction:means_end"),
        ("means_that", "construction:means_end"),
        ("directive", "construction:reader_directive"),
        ("directive", "construction:imperative"),
        ("imperative", "construction:imperative"),
        ("large", "number:large"),
        ("percent", "number:percent"),
        ("should", "modal:should"),
        ("because", "first_word:because"),
    ],
)
def test_named_feature_appears(
    read: list[tuple[str, UnitFeatures]], key: str, feature: str
) -> None:
    assert feature in features_of(read, SENTENCES[key])


@pytest.mark.parametrize(
    ("key", "feature"),
    [
        ("imperative", "construction:reader_directive"),  # a call to act, not to look
        ("should", "construction:imperative"),  # it has a subject
        ("large", "number:percent"),
        ("percent", "number:large"),  # two digits are not a large number
        ("should", "construction:means_end"),
    ],
)
def test_named_feature_is_absent(
    read: list[tuple[str, UnitFeatures]], key: str, feature: str
) -> None:
    assert feature not in features_of(read, SENTENCES[key])


def test_a_year_is_not_a_large_number(nlp: Language) -> None:
    source = parse_text("The bridge opened in 1998.")
    segments = segment_units(source, [nlp(source.clean)])
    units = classify_units(segments, [extract_features(s.tokens) for s in segments])
    (row,) = unit_features(units, [0.0])
    assert "number:year" in row and "number:large" not in row


def test_no_feature_names_a_topic_word(nlp: Language, read: list[tuple[str, UnitFeatures]]) -> None:
    """Open-class words of the input never become part of a feature's name."""
    names = {name for _, row in read for name in row}
    parts = {part for name in names for part in re.split(r"[:_ ]", name.lower())}
    topic = {
        t.lower_
        for t in nlp(TEXT)
        if t.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"}
        and not t.is_stop
        and t.lower_ not in GENERAL_ENGLISH
    }
    assert {"traffic", "parking", "fees", "lanes", "road", "council"} <= topic
    assert not topic & parts, sorted(topic & parts)
    for word in ("traffic", "parking", "bus", "saturday", "dollar", "fare"):
        assert not any(word in name.lower() for name in names), word


def test_values_are_plain_numbers_and_absent_when_zero(
    read: list[tuple[str, UnitFeatures]],
) -> None:
    for _, row in read:
        assert all(isinstance(v, float) and v != 0.0 for v in row.values())


def test_feature_version_is_a_positive_int() -> None:
    assert isinstance(FEATURE_VERSION, int) and FEATURE_VERSION >= 1
