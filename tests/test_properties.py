"""Properties of analyze() on any input: a valid map or an InputError, never a crash.

These call the real spaCy model (loaded once per process), so each test keeps
to a modest number of examples.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from argmap.errors import InputError
from argmap.model import ArgumentMap
from argmap.pipeline import analyze
from argmap.reader import parse_markdown, parse_plain

MODEL_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
READER_SETTINGS = settings(max_examples=150, deadline=None)

WORDS = [
    "we", "should", "plant", "trees", "because", "they", "cool", "streets", "but", "some",
    "say", "cost", "too", "much", "although", "however", "therefore", "the", "council",
    "Lamps", "Riders", "42%", "of", "people", "agree", "said", "\u201cquote\u201d", "café",
    "Mr.", "Dr", "U.S.", "e.g.", "—", "(", ")", "'", '"', "…", "😀", "\u200b", "\t",
]  # fmt: skip
PUNCT = [".", ",", ";", ":", "!", "?", " ", " ", " ", "\n", "\n\n", "\r\n", "\r"]
MARKDOWN = [
    "# ", "## ", "> ", "- ", "* ", "1. ", "```\n", "    ", "**", "_", "`", "[", "](x)",
    "![i](p.png)", "<b>", "</b>", "<div>\n", "| a | b |\n|---|---|\n", "---\n", "***",
    "===\n", "\\", "&amp;", "By Mara Quill\n", "Subscribe now.\n",
]  # fmt: skip

prose = st.lists(st.sampled_from(WORDS) | st.sampled_from(PUNCT), max_size=80).map(
    lambda parts: " ".join(parts)
)
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
plain_input = prose | any_text
markdown_input = st.lists(
    st.sampled_from(WORDS) | st.sampled_from(PUNCT) | st.sampled_from(MARKDOWN), max_size=80
).map(lambda parts: "".join(p if p in PUNCT or p in MARKDOWN else p + " " for p in parts))


def _line(text: str, offset: int) -> int:
    """1 + the line breaks (CRLF counted once) that end at or before ``offset``."""
    return 1 + sum(1 for br in re.finditer(r"\r\n|\r|\n", text) if br.end() <= offset)


def check_map(m: ArgumentMap, text: str) -> None:
    ids = [u.id for u in m.units]
    assert ids == [f"u{i}" for i in range(1, len(ids) + 1)]
    previous_end = 0
    for unit in m.units:
        assert previous_end <= unit.start < unit.end <= len(text)
        assert unit.text == text[unit.start : unit.end]
        assert unit.text.strip()
        assert unit.line == _line(text, unit.start)
        assert 0.0 <= unit.confidence <= 1.0
        previous_end = unit.end
    known = set(ids)
    for rel in m.relations:
        assert rel.source in known and rel.target in known
        assert rel.source != rel.target
        assert rel.source != m.thesis
    assert m.relations == sorted(m.relations, key=lambda r: (int(r.source[1:]), int(r.target[1:])))
    assert set(m.unattached) <= known
    assert m.thesis is None or (m.thesis in known and m.thesis not in m.unattached)
    assert m.units or m.thesis is None
    for s in m.skipped:
        assert 0 <= s.start <= s.end <= len(text)
        assert s.reason
    assert ArgumentMap.model_validate_json(m.model_dump_json()) == m
    assert ArgumentMap.model_validate(m.model_dump(mode="json")) == m


def analyze_or_input_error(text: str, **kwargs: object) -> ArgumentMap | None:
    try:
        return analyze(text, **kwargs)  # type: ignore[arg-type]
    except InputError:
        return None


@MODEL_SETTINGS
@given(plain_input)
def test_any_plain_text_gives_a_valid_map_or_input_error(text: str) -> None:
    m = analyze_or_input_error(text)
    if m is None:
        assert not text.strip()
        return
    check_map(m, text)


@MODEL_SETTINGS
@given(markdown_input)
def test_any_markdown_gives_a_valid_map_or_input_error(text: str) -> None:
    m = analyze_or_input_error(text, markdown=True)
    if m is None:
        assert not text.strip()
        return
    check_map(m, text)


@MODEL_SETTINGS
@given(prose.map(lambda t: t.replace("\n", "\r\n")))
def test_crlf_offsets_point_into_the_original(text: str) -> None:
    m = analyze_or_input_error(text)
    assume(m is not None)
    assert m is not None
    check_map(m, text)


@st.composite
def text_and_segments(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(prose | any_text)
    assume(len(text) >= 1)
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), min_size=2, max_size=12)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    assume(spans)
    return text, spans


@MODEL_SETTINGS
@given(text_and_segments(), st.booleans())
def test_given_segments_give_exactly_those_units(
    case: tuple[str, list[tuple[int, int]]], markdown: bool
) -> None:
    text, segments = case
    m = analyze(text, segments=segments, markdown=markdown)
    assert [(u.start, u.end) for u in m.units] == segments
    assert [u.id for u in m.units] == [f"u{i}" for i in range(1, len(segments) + 1)]
    for unit in m.units:
        assert unit.text == text[unit.start : unit.end]
        assert unit.line == _line(text, unit.start)
    assert ArgumentMap.model_validate_json(m.model_dump_json()) == m


@MODEL_SETTINGS
@given(
    text_and_segments(),
    st.sampled_from(["reversed", "overlap", "empty", "past_end", "negative"]),
)
def test_invalid_segments_are_an_input_error(
    case: tuple[str, list[tuple[int, int]]], how: str
) -> None:
    text, segments = case
    a, b = segments[0]
    bad = {
        "reversed": [(b, a)],
        "overlap": [(a, b), (a, b)],
        "empty": [(a, a)],
        "past_end": [(a, len(text) + 1)],
        "negative": [(-1, b)],
    }[how]
    with pytest.raises(InputError, match="segment"):
        analyze(text, segments=bad)


# --- the reader alone (fast, so more examples) ----------------------------------------


def check_document(text: str, markdown: bool) -> None:
    doc = parse_markdown(text) if markdown else parse_plain(text)
    assert doc.text == text
    assert len(doc.clean) == len(text)
    previous_end = 0
    for block in doc.blocks:
        assert previous_end <= block.start < block.end <= len(text)
        assert text[block.start : block.end].strip()
        assert not text[block.start].isspace() and not text[block.end - 1].isspace()
        previous_end = block.end
    for s in doc.skipped:
        assert 0 <= s.start <= s.end <= len(text)
        for block in doc.blocks:
            assert s.end <= block.start or block.end <= s.start or s.reason == "front matter"
    assert [s.start for s in doc.skipped] == sorted(s.start for s in doc.skipped)
    for i, ch in enumerate(doc.clean):
        assert ch == text[i] or (ch == " " and text[i] not in "\r\n")
    if doc.title is not None:
        assert any((s.start, s.end, s.reason) == (*doc.title, "title") for s in doc.skipped)


@READER_SETTINGS
@given(plain_input)
def test_reader_plain_blocks_are_ordered_trimmed_spans(text: str) -> None:
    check_document(text, markdown=False)


@READER_SETTINGS
@given(markdown_input | markdown_input.map(lambda t: t.replace("\n", "\r\n")))
def test_reader_markdown_blocks_are_ordered_trimmed_spans(text: str) -> None:
    check_document(text, markdown=True)
