"""``analyze``: the wired pipeline and the contract of the map it returns."""

from __future__ import annotations

import pytest

from argmap.errors import InputError
from argmap.model import ArgumentMap, Cue, Role
from argmap.pipeline import analyze

TEXT = (
    "The town should keep the public pool open all year, because the schools have no pool.\n\n"
    "According to the county, 40 percent of ten-year-olds cannot swim. "
    "“Every child deserves to learn,” said a swimming coach.\n\n"
    "Critics argue that the heating costs too much. But the pool earns back most of its costs.\n\n"
    "Although a new pool would be nicer, repairing this one is cheaper."
)

MARKDOWN = (
    "# Keep the Pool Open\n\n"
    "By Rosa Lind\n\n"
    "The town should keep the public pool open all year. Children need a place to swim.\n\n"
    "- The schools have no pool of their own.\n"
    "- Older residents swim there every morning.\n\n"
    "> “Swimming is a skill that saves lives,” said a lifeguard.\n\n"
    "The council must vote to keep it open.\n"
)


@pytest.fixture(scope="module")
def text_map() -> ArgumentMap:
    return analyze(TEXT)


@pytest.fixture(scope="module")
def markdown_map() -> ArgumentMap:
    return analyze(MARKDOWN, markdown=True)


# --- fixed segments ------------------------------------------------------------------------


def spans_of(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for piece in pieces:
        start = text.index(piece, cursor)
        spans.append((start, start + len(piece)))
        cursor = start + len(piece)
    return spans


SEGMENTED = (
    "The town should build a pool. Families have nowhere to swim, and children never learn. "
    "According to the census, 40 percent of children cannot swim."
)
SEGMENTS = spans_of(
    SEGMENTED,
    [
        "The town should build a pool.",
        "Families have nowhere to swim,",
        "and children never learn.",
        "According to the census, 40 percent of children cannot swim.",
    ],
)


def test_fixed_segments_give_exactly_one_unit_each_at_the_same_offsets() -> None:
    m = analyze(SEGMENTED, segments=SEGMENTS)
    assert [(u.start, u.end) for u in m.units] == SEGMENTS
    assert [u.id for u in m.units] == ["u1", "u2", "u3", "u4"]
    for unit in m.units:
        assert unit.text == SEGMENTED[unit.start : unit.end]


def test_fixed_segments_may_leave_gaps_and_odd_boundaries() -> None:
    segments = [(0, 12), (30, 59), (60, 90)]
    m = analyze(SEGMENTED, segments=segments)
    assert [(u.start, u.end) for u in m.units] == segments
    assert [u.text for u in m.units] == [SEGMENTED[a:b] for a, b in segments]


def test_fixed_segments_still_get_roles_and_relations() -> None:
    m = analyze(SEGMENTED, segments=SEGMENTS)
    assert m.thesis == "u1"
    assert m.unit("u1").role is Role.THESIS
    assert m.unit("u4").role is Role.EVIDENCE
    assert {r.source for r in m.relations} | set(m.unattached) == {"u2", "u3", "u4"}


@pytest.mark.parametrize(
    "segments",
    [
        [(5, 3)],
        [(3, 3)],
        [(-1, 4)],
        [(0, 10_000)],
        [(0, 20), (10, 30)],
        [(30, 40), (0, 10)],
    ],
    ids=["reversed", "empty", "negative", "past-the-end", "overlapping", "out-of-order"],
)
def test_invalid_segments_are_an_input_error(segments: list[tuple[int, int]]) -> None:
    with pytest.raises(InputError, match="segment"):
        analyze(SEGMENTED, segments=segments)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_empty_text_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        analyze(text)


def test_non_text_input_is_an_input_error() -> None:
    with pytest.raises(InputError):
        analyze(b"bytes are not text")  # type: ignore[arg-type]


# --- the map's contract ----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["text_map", "markdown_map"])
def test_ids_are_u1_to_un_in_document_order(which: str, request: pytest.FixtureRequest) -> None:
    m: ArgumentMap = request.getfixturevalue(which)
    assert [u.id for u in m.units] == [f"u{i}" for i in range(1, len(m.units) + 1)]
    starts = [u.start for u in m.units]
    assert starts == sorted(starts)
    for before, after in zip(m.units, m.units[1:], strict=False):
        assert before.end <= after.start


@pytest.mark.parametrize(("which", "source"), [("text_map", TEXT), ("markdown_map", MARKDOWN)])
def test_unit_text_is_the_source_span(
    which: str, source: str, request: pytest.FixtureRequest
) -> None:
    m: ArgumentMap = request.getfixturevalue(which)
    for unit in m.units:
        assert unit.text == source[unit.start : unit.end]
        assert unit.line == source.count("\n", 0, unit.start) + 1


@pytest.mark.parametrize("which", ["text_map", "markdown_map"])
def test_every_unit_says_why(which: str, request: pytest.FixtureRequest) -> None:
    m: ArgumentMap = request.getfixturevalue(which)
    assert m.units
    for unit in m.units:
        assert unit.cues, unit.id
        assert all(isinstance(c, Cue) and c.description and c.rule for c in unit.cues)
        assert unit.rule, unit.id
        assert 0.0 <= unit.confidence <= 1.0


@pytest.mark.parametrize("which", ["text_map", "markdown_map"])
def test_every_relation_has_a_cue(which: str, request: pytest.FixtureRequest) -> None:
    m: ArgumentMap = request.getfixturevalue(which)
    assert m.relations
    for rel in m.relations:
        assert rel.cue
        assert 0.0 <= rel.confidence <= 1.0


@pytest.mark.parametrize("which", ["text_map", "markdown_map"])
def test_every_non_thesis_unit_is_linked_or_unattached(
    which: str, request: pytest.FixtureRequest
) -> None:
    m: ArgumentMap = request.getfixturevalue(which)
    assert m.thesis is not None
    sources = [r.source for r in m.relations]
    assert m.thesis not in sources
    assert m.thesis not in m.unattached
    assert not set(sources) & set(m.unattached)
    others = {u.id for u in m.units} - {m.thesis}
    assert set(sources) | set(m.unattached) == others


@pytest.mark.parametrize("which", ["text_map", "markdown_map"])
def test_exactly_one_thesis_and_it_is_the_map_thesis(
    which: str, request: pytest.FixtureRequest
) -> None:
    m: ArgumentMap = request.getfixturevalue(which)
    theses = [u.id for u in m.units if u.role is Role.THESIS]
    assert theses == [m.thesis]


def test_relations_are_sorted(text_map: ArgumentMap) -> None:
    def key(uid: str) -> int:
        return int(uid[1:])

    pairs = [(key(r.source), key(r.target)) for r in text_map.relations]
    assert pairs == sorted(pairs)


def test_a_claim_is_a_unit_that_others_support(text_map: ArgumentMap) -> None:
    supported = {r.target for r in text_map.relations if r.kind.value == "support"}
    for unit in text_map.units:
        if unit.role is Role.CLAIM:
            assert unit.id in supported


# --- markdown ----------------------------------------------------------------------------------


def test_markdown_title_is_not_a_unit(markdown_map: ArgumentMap) -> None:
    assert all("Keep the Pool Open" not in u.text for u in markdown_map.units)
    title = [s for s in markdown_map.skipped if s.reason == "title"]
    assert [(s.start, s.end) for s in title] == [(0, len("# Keep the Pool Open"))]


def test_byline_is_skipped(markdown_map: ArgumentMap) -> None:
    assert all("Rosa Lind" not in u.text for u in markdown_map.units)
    assert [s.reason for s in markdown_map.skipped] == ["title", "byline"]
    byline = next(s for s in markdown_map.skipped if s.reason == "byline")
    assert MARKDOWN[byline.start : byline.end] == "By Rosa Lind"


def test_markdown_list_items_and_quotes_are_units(markdown_map: ArgumentMap) -> None:
    texts = [u.text for u in markdown_map.units]
    assert "The schools have no pool of their own." in texts
    assert "Older residents swim there every morning." in texts
    quote = next(u for u in markdown_map.units if "saves lives" in u.text)
    assert quote.role is Role.EVIDENCE


def test_markdown_thesis_is_a_call_that_frames_the_piece(markdown_map: ArgumentMap) -> None:
    """The opening call or the closing one that restates it: never a reason or the quote."""
    assert markdown_map.thesis is not None
    thesis = markdown_map.unit(markdown_map.thesis)
    assert thesis.text in {
        "The town should keep the public pool open all year.",
        "The council must vote to keep it open.",
    }
    assert thesis.calls_for_action


def test_a_piece_ending_with_a_list_keeps_its_last_item() -> None:
    text = (
        "# Keep the Pool Open\n\n"
        "The town should keep the public pool open all year.\n\n"
        "- The schools have no pool of their own.\n"
        "- Older residents swim there every morning.\n"
    )
    m = analyze(text, markdown=True)
    assert [u.text for u in m.units][-1] == "Older residents swim there every morning."
    assert all(s.reason != "author bio" for s in m.skipped)


# --- rules can be switched off ----------------------------------------------------------------


def test_disabled_rules_reach_the_stages() -> None:
    text = "The city should build more bike lanes. Critics argue that bike lanes slow buses."
    full = analyze(text)
    assert full.unit("u2").role is Role.OBJECTION
    ablated = analyze(text, disabled_rules=frozenset({"objection_by_marker"}))
    assert ablated.unit("u2").role is not Role.OBJECTION


def test_same_input_same_map() -> None:
    assert analyze(TEXT).model_dump_json() == analyze(TEXT).model_dump_json()
