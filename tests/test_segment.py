"""Segmentation: sentences, split at discourse connectives, offsets into the source.

Behaviour tests on short invented sentences with the real English model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from argmap.nlp import load_model
from argmap.reader import SourceDocument, parse_text
from argmap.segment import Segment, segment_units, segments_from_offsets

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


def segment(
    nlp: Language, text: str, *, markdown: bool = False
) -> tuple[SourceDocument, list[Segment]]:
    source = parse_text(text, markdown=markdown)
    docs = [nlp(source.clean[b.start : b.end]) for b in source.blocks]
    return source, segment_units(source, docs)


def texts(source: SourceDocument, segments: list[Segment]) -> list[str]:
    return [source.text[s.start : s.end] for s in segments]


def test_because_clause_after_the_main_clause_is_its_own_unit(nlp: Language) -> None:
    source, segs = segment(nlp, "Cities should plant more trees, because shade cools the streets.")
    assert texts(source, segs) == [
        "Cities should plant more trees,",
        "because shade cools the streets.",
    ]
    assert segs[0].split_cue is None
    assert segs[1].split_cue == "because"
    assert segs[0].sentence == segs[1].sentence


def test_although_clause_before_the_main_clause_is_its_own_unit(nlp: Language) -> None:
    source, segs = segment(
        nlp, "Although the pool costs money, the town gains far more than it spends."
    )
    assert texts(source, segs) == [
        "Although the pool costs money,",
        "the town gains far more than it spends.",
    ]
    assert segs[0].sentence == segs[1].sentence


def test_but_joining_two_clauses_with_their_own_subjects_splits(nlp: Language) -> None:
    source, segs = segment(nlp, "The buses are often late, but the trains run on time every day.")
    assert texts(source, segs) == [
        "The buses are often late,",
        "but the trains run on time every day.",
    ]
    assert segs[1].split_cue == "but"


def test_but_joining_two_verb_phrases_of_one_subject_does_not_split(nlp: Language) -> None:
    source, segs = segment(nlp, "The buses are cheap but often run late.")
    assert texts(source, segs) == ["The buses are cheap but often run late."]


def test_a_simple_sentence_is_one_unit(nlp: Language) -> None:
    source, segs = segment(nlp, "The new library opens on the corner of Elm Street.")
    assert texts(source, segs) == ["The new library opens on the corner of Elm Street."]
    assert segs[0].split_cue is None


def test_a_clause_shorter_than_three_words_is_not_split_off(nlp: Language) -> None:
    _source, segs = segment(nlp, "Taxes rose, because the council needed money for the new bridge.")
    assert len(segs) == 1
    assert segs[0].split_cue is None


def test_semicolon_between_two_clauses_splits(nlp: Language) -> None:
    source, segs = segment(nlp, "Rents have doubled in a decade; wages have barely moved at all.")
    assert texts(source, segs) == [
        "Rents have doubled in a decade;",
        "wages have barely moved at all.",
    ]
    assert segs[1].split_cue == ";"


def test_semicolon_in_a_list_without_verbs_does_not_split(nlp: Language) -> None:
    _source, segs = segment(nlp, "We visited three towns: Leeds; York; and Hull.")
    assert len(segs) == 1


def test_sentences_and_paragraphs_are_numbered_in_order(nlp: Language) -> None:
    text = "The pool is old. It leaks every winter.\n\nThe council should repair it."
    source, segs = segment(nlp, text)
    assert texts(source, segs) == [
        "The pool is old.",
        "It leaks every winter.",
        "The council should repair it.",
    ]
    assert [s.sentence for s in segs] == [0, 1, 2]
    assert [s.block for s in segs] == [0, 0, 1]


def test_segments_are_ordered_non_overlapping_spans_of_the_source(nlp: Language) -> None:
    text = (
        "Parking is scarce downtown, because offices took the old lots.\n\n"
        "Although buses are slow, they are cheap; the fare is one dollar.\n\n"
        "The council should add a bus lane, but drivers will object."
    )
    source, segs = segment(nlp, text)
    assert texts(source, segs) == [
        "Parking is scarce downtown,",
        "because offices took the old lots.",
        "Although buses are slow,",
        "they are cheap;",
        "the fare is one dollar.",
        "The council should add a bus lane,",
        "but drivers will object.",
    ]
    previous_end = 0
    for seg in segs:
        assert previous_end <= seg.start < seg.end <= len(text)
        assert text[seg.start : seg.end] == text[seg.start : seg.end].strip()
        previous_end = seg.end
    assert [s.sentence for s in segs] == sorted(s.sentence for s in segs)


def test_markdown_offsets_point_into_the_original_file(nlp: Language) -> None:
    text = (
        "# Fix the Pool\n\nThe pool is **badly** damaged.\n\n- It leaks every winter.\n\nWe swim.\n"
    )
    source, segs = segment(nlp, text, markdown=True)
    assert texts(source, segs) == [
        "The pool is **badly** damaged.",
        "It leaks every winter.",
        "We swim.",
    ]
    assert all("Fix the Pool" not in t for t in texts(source, segs))


def test_segments_from_offsets_keeps_the_given_offsets_exactly(nlp: Language) -> None:
    text = "The town should fix the pool, because it leaks. Families swim there daily."
    offsets = [(0, 29), (30, 47), (48, len(text))]
    source = parse_text(text)
    docs = [nlp(source.clean[a:b]) for a, b in offsets]
    segs = segments_from_offsets(source, offsets, docs)
    assert [(s.start, s.end) for s in segs] == offsets
    assert texts(source, segs) == [
        "The town should fix the pool,",
        "because it leaks.",
        "Families swim there daily.",
    ]
    assert [t.text for t in segs[1].tokens] == ["because", "it", "leaks", "."]


def test_segments_from_offsets_marks_a_continued_sentence_as_split(nlp: Language) -> None:
    text = "The town should fix the pool, because it leaks. Families swim there daily."
    offsets = [(0, 29), (30, 47), (48, len(text))]
    source = parse_text(text)
    segs = segments_from_offsets(source, offsets, [nlp(text[a:b]) for a, b in offsets])
    assert [s.sentence for s in segs] == [0, 0, 1]
    assert [s.split_cue for s in segs] == [None, "because", None]
