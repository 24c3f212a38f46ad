"""Reasons are data: consumers read cue kinds, rules and flags, never a cue's wording.

Three promises. ``check`` and the renderers give the same findings and the
same diagram when every cue's words and description are replaced by nonsense.
A map saved with the old prose cues still loads, upgraded, and checks. A
thesis that calls for action says so in the map and in every export.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from argmap.check import check
from argmap.interchange import export, import_map
from argmap.model import ArgumentMap, Cue, CueKind, Relation, Role, Unit
from argmap.pipeline import analyze
from argmap.render.dot import to_dot
from argmap.render.html import to_html
from argmap.render.outline import to_outline

ROOT = Path(__file__).resolve().parent.parent
PIECES = sorted(
    p
    for folder in (ROOT / "tests" / "fixtures" / "check", ROOT / "examples")
    for p in folder.iterdir()
    if p.suffix in {".md", ".txt"}
)
TOOLTIP = re.compile(r' tooltip="(?:[^"\\]|\\.)*"')


def scrambled(cue: Cue, n: int) -> Cue:
    return cue.model_copy(update={"words": f"qux{n}", "description": f"zz {n} blorp", "rule": "x"})


def scramble(m: ArgumentMap) -> ArgumentMap:
    """The map with every cue's wording (and every rule name) replaced by nonsense."""
    units = [
        u.model_copy(
            update={"cues": [scrambled(c, i) for i, c in enumerate(u.cues)], "rule": "nonsense"}
        )
        for u in m.units
    ]
    relations = [
        r.model_copy(update={"cue": scrambled(r.cue, 0) if r.cue else None, "rule": "nonsense"})
        for r in m.relations
    ]
    return m.model_copy(update={"units": units, "relations": relations})


@pytest.fixture(scope="module")
def maps() -> list[tuple[Path, str, ArgumentMap]]:
    out = []
    for path in PIECES:
        text = path.read_text(encoding="utf-8")
        out.append((path, text, analyze(text, markdown=path.suffix == ".md")))
    return out


def findings(m: ArgumentMap, text: str, markdown: bool) -> list[tuple[object, ...]]:
    found = check(m, text, markdown=markdown)
    return [(f.code, f.unit, f.related, f.line, f.column, f.message) for f in found]


def test_there_are_pieces_with_many_kinds_of_cue(maps: list[tuple[Path, str, ArgumentMap]]) -> None:
    assert len(maps) >= 10
    kinds = {c.kind for _, _, m in maps for u in m.units for c in u.cues}
    kinds |= {r.cue.kind for _, _, m in maps for r in m.relations if r.cue}
    expected = {CueKind.HEDGE, CueKind.ATTRIBUTION, CueKind.CONCLUSION_MARKER, CueKind.RIVAL}
    assert expected <= kinds
    assert CueKind.LEGACY not in kinds
    assert any(r.fallback for _, _, m in maps for r in m.relations)


def test_check_does_not_read_cue_wording(maps: list[tuple[Path, str, ArgumentMap]]) -> None:
    every = set()
    for path, text, m in maps:
        markdown = path.suffix == ".md"
        before = findings(m, text, markdown)
        assert findings(scramble(m), text, markdown) == before, path.name
        every |= {f[0] for f in before}
    assert {"AM102", "AM201", "AM301", "AM401", "AM501"} <= every  # the rules that read cues


def test_the_diagram_does_not_depend_on_cue_wording(
    maps: list[tuple[Path, str, ArgumentMap]],
) -> None:
    for path, _, m in maps:
        before, after = to_dot(m), to_dot(scramble(m))
        assert TOOLTIP.sub("", after) == TOOLTIP.sub("", before), path.name
        assert before != after  # the tooltips do show the descriptions
    for path, _, m in maps[:3]:
        outline = to_outline(m)
        assert to_outline(scramble(m)) == outline, path.name


def test_cue_offsets_point_at_their_words(maps: list[tuple[Path, str, ArgumentMap]]) -> None:
    placed = 0
    for _, text, m in maps:
        for cue in [c for u in m.units for c in u.cues] + [r.cue for r in m.relations if r.cue]:
            if cue.start is None or cue.end is None:
                continue
            placed += 1
            span = text[cue.start : cue.end].lower().replace("\u2019", "'")
            first, *_, last = (cue.words.lower().replace("\u2019", "'").split() or [""]) * 2
            assert span.startswith(first) or span.endswith(first), (span, cue)
            assert last.removesuffix("(quoted)") in span or last == "(quoted)", (span, cue)
    assert placed > 50


def test_the_thesis_carries_its_score_and_rivals_as_data(
    maps: list[tuple[Path, str, ArgumentMap]],
) -> None:
    for _, _, m in maps:
        thesis = m.unit(m.thesis or "")
        assert thesis.rule and thesis.score is not None
        for rival in thesis.rivals:
            assert m.unit(rival.unit).id != thesis.id
            assert rival.score <= thesis.score
        assert all(u.rivals == [] for u in m.units if u.id != thesis.id)
        rival_cues = [c for c in thesis.cues if c.kind is CueKind.RIVAL]
        assert [c.weight for c in rival_cues] == [r.score for r in thesis.rivals]


# --- maps saved before reasons were data ------------------------------------------------

OLD_MAP = {
    "argmap_version": "0.1.0",
    "thesis": "u1",
    "units": [
        {
            "id": "u1", "role": "thesis", "text": "The town must plant more trees.",
            "start": 0, "end": 31, "line": 1, "evidence_type": None, "confidence": 0.7,
            "cues": [
                "thesis: a call to action (+2.0)", "thesis: opens the piece (+1.0)",
                "thesis: close rival u3 (2.9 vs 3.0)", "deontic modal 'must'",
            ],
        },
        {
            "id": "u2", "role": "premise", "text": "Perhaps shade cools the streets.",
            "start": 32, "end": 64, "line": 1, "evidence_type": None, "confidence": 0.5,
            "cues": ["assertion (no stronger cue)", "hedge 'perhaps'"],
        },
        {
            "id": "u3", "role": "recommendation", "text": "The council should fund a nursery.",
            "start": 66, "end": 100, "line": 3, "evidence_type": None, "confidence": 0.8,
            "cues": ["deontic modal 'should'"],
        },
        {
            "id": "u4", "role": "evidence", "text": "Some 40 percent of streets have no trees.",
            "start": 102, "end": 143, "line": 5, "evidence_type": "statistic",
            "confidence": 0.7, "cues": ["number '40'"],
        },
    ],
    "relations": [
        {"source": "u2", "target": "u1", "kind": "support", "confidence": 0.85,
         "cue": "'because' joins it to the clause before"},
        {"source": "u3", "target": "u1", "kind": "support", "confidence": 0.3,
         "cue": "no cue found: attached to the thesis"},
        {"source": "u4", "target": "u1", "kind": "support", "confidence": 0.4,
         "cue": "evidence with no claim near it"},
    ],
    "unattached": [],
    "skipped": [],
}  # fmt: skip
OLD_TEXT = (
    "The town must plant more trees. Perhaps shade cools the streets.\n\n"
    "The council should fund a nursery.\n\n"
    "Some 40 percent of streets have no trees."
)


def test_an_old_map_loads_with_its_reasons_upgraded() -> None:
    m = import_map("old.json", json.dumps(OLD_MAP))
    thesis, premise, call, figure = m.units
    assert [r.unit for r in thesis.rivals] == ["u3"] and thesis.rivals[0].score == 2.9
    assert thesis.score == 3.0 and thesis.calls_for_action and call.calls_for_action
    assert [c.kind for c in thesis.cues] == [
        CueKind.CALL_TO_ACTION, CueKind.POSITION, CueKind.RIVAL, CueKind.DEONTIC_MODAL,
    ]  # fmt: skip
    assert [c.weight for c in thesis.cues[:2]] == [2.0, 1.0]
    assert premise.cues[1].kind is CueKind.HEDGE and premise.cues[1].words == "perhaps"
    assert premise.cues[1].description == "hedge 'perhaps'"
    assert figure.cues[0].kind is CueKind.STATISTIC
    assert {u.rule for u in m.units} == {"legacy"}
    assert [r.fallback for r in m.relations] == [False, True, True]
    assert m.relations[1].cue is not None and m.relations[1].cue.kind is CueKind.FALLBACK
    assert ArgumentMap.model_validate_json(m.model_dump_json()) == m  # the new form is stable


def test_an_old_map_checks_as_it_did() -> None:
    m = import_map("old.json", json.dumps(OLD_MAP))
    codes = {(f.code, f.unit) for f in check(m, OLD_TEXT)}
    assert ("AM102", "u1") in codes  # the rival string still counts
    assert ("AM501", "u4") in codes  # the low-confidence "no claim near it" link is a fallback
    assert ("AM401", "u4") in codes  # no attribution cue: unsourced
    assert not any(code == "AM201" and unit == "u2" for code, unit in codes)  # hedged


def test_unknown_prose_cues_load_as_legacy_cues() -> None:
    unit = Unit(
        id="u1", role=Role.PREMISE, text="A.", start=0, end=2, line=1, confidence=0.5,
        cues=["something argmap never wrote"],
    )  # fmt: skip
    assert unit.cues == [
        Cue(kind=CueKind.LEGACY, rule="legacy", description="something argmap never wrote")
    ]
    rel = Relation(source="u2", target="u1", kind="support", confidence=0.3, cue="a weak link")
    assert rel.fallback is False and rel.cue is not None and rel.cue.kind is CueKind.LEGACY


def test_the_schema_names_the_cue_kinds() -> None:
    schema = ArgumentMap.model_json_schema()
    assert set(schema["$defs"]["CueKind"]["enum"]) == {k.value for k in CueKind}
    cue = schema["$defs"]["Cue"]["properties"]
    assert set(cue) == {"kind", "words", "start", "end", "weight", "rule", "description"}
    relation = schema["$defs"]["Relation"]["properties"]
    assert {"rule", "fallback"} <= set(relation)


# --- calls to action --------------------------------------------------------------------

CALL = (
    "The council must act now.\n\n"
    "The old bridge is closed to buses, because its beams are cracked. "
    "According to the county engineer, 30 percent of the beams need repair."
)


@pytest.fixture(scope="module")
def call_map() -> ArgumentMap:
    return analyze(CALL)


def test_a_thesis_that_recommends_calls_for_action(call_map: ArgumentMap) -> None:
    thesis = call_map.unit(call_map.thesis or "")
    assert thesis.text == "The council must act now."
    assert thesis.role is Role.THESIS and thesis.calls_for_action
    assert any(c.kind is CueKind.DEONTIC_MODAL and c.words == "must" for c in thesis.cues)


def test_every_export_shows_the_call_to_action(call_map: ArgumentMap) -> None:
    data = json.loads(call_map.model_dump_json())
    assert data["units"][0]["calls_for_action"] is True
    assert "- 1 **THESIS · call to action** The council must act now." in to_outline(call_map)
    argdown = export(call_map, "argdown")
    assert "The council must act now. #thesis #call-to-action" in argdown
    aif = json.loads(export(call_map, "aif"))
    node = next(n for n in aif["nodes"] if n["text"] == "The council must act now.")
    assert node["callsForAction"] is True
    calling = {u.text for u in call_map.units if u.calls_for_action}
    assert {n["text"] for n in aif["nodes"] if n.get("callsForAction")} == calling
    assert "THESIS · call to action" in export(call_map, "mermaid")
    assert "THESIS · call to action" in to_dot(call_map)
    page = to_html(call_map, CALL, title="call")
    assert 'data-role="THESIS · call to action"' in page
    assert "thesis · call to action</span>" in page


def test_the_call_to_action_survives_a_round_trip(call_map: ArgumentMap) -> None:
    for fmt, name in (("argdown", "map.argdown"), ("aif", "map.aif.json")):
        back = import_map(name, export(call_map, fmt))
        calls = {u.text for u in back.units if u.calls_for_action}
        assert calls == {u.text for u in call_map.units if u.calls_for_action}, fmt
        assert "The council must act now." in calls
