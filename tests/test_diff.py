"""``argmap diff``: units matched across drafts, and findings that appeared or were resolved."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from argmap.check import Finding, Severity
from argmap.check.diff import MapDiff, diff_maps, format_diff_text, match_units
from argmap.cli import app
from argmap.model import ArgumentMap, Relation, RelationKind, Role, Unit

FIXTURES = Path(__file__).parent / "fixtures" / "check"
runner = CliRunner()


def make(texts: list[tuple[Role, str]], relations: list[tuple[str, str, str]]) -> ArgumentMap:
    units, offset = [], 0
    for i, (role, text) in enumerate(texts):
        units.append(
            Unit(
                id=f"u{i + 1}",
                role=role,
                text=text,
                start=offset,
                end=offset + len(text),
                line=i + 1,
                confidence=0.5,
            )
        )
        offset += len(text) + 1
    rels = [
        Relation(source=s, target=t, kind=RelationKind(k), confidence=0.5) for s, t, k in relations
    ]
    return ArgumentMap(thesis="u1", units=units, relations=rels)


OLD = make(
    [
        (Role.THESIS, "The town should plant more trees."),
        (Role.PREMISE, "Trees cool the streets in summer."),
        (Role.PREMISE, "Birds nest in them."),
        (Role.PREMISE, "Shade saves energy."),
    ],
    [("u2", "u1", "support"), ("u3", "u1", "support"), ("u4", "u1", "support")],
)
NEW = make(
    [
        (Role.THESIS, "The town should plant more trees."),
        (Role.CLAIM, "Trees cool the streets on hot summer days."),
        (Role.EVIDENCE, "A survey found shaded streets 5 degrees cooler."),
        (Role.PREMISE, "Shade saves energy."),
    ],
    [("u2", "u1", "support"), ("u3", "u2", "support"), ("u4", "u2", "support")],
)


def test_units_match_by_identical_text_then_by_similarity() -> None:
    matched = match_units(OLD.units, NEW.units)
    assert matched["u1"] == ("u1", 1.0)
    assert matched["u4"] == ("u4", 1.0)
    assert matched["u2"][0] == "u2" and 0.6 <= matched["u2"][1] < 1.0
    assert "u3" not in matched  # "Birds nest in them." is gone, not re-worded


def test_diff_reports_added_removed_reworded_recast_and_reattached_units() -> None:
    d = diff_maps(OLD, NEW)
    by_kind = {(c.kind, (c.old or c.new).id) for c in d.units}  # type: ignore[union-attr]
    assert by_kind == {("removed", "u3"), ("added", "u3"), ("changed", "u2"), ("changed", "u4")}
    reworded = next(c for c in d.units if c.kind == "changed" and c.old and c.old.id == "u2")
    assert reworded.reworded and reworded.role == (Role.PREMISE, Role.CLAIM)
    assert reworded.attachment is None  # still supports the thesis
    moved = next(c for c in d.units if c.kind == "changed" and c.old and c.old.id == "u4")
    assert not moved.reworded and moved.role is None
    assert moved.attachment is not None
    before, after = moved.attachment
    assert before is not None and after is not None
    assert (before.kind, before.target.id, after.kind, after.target.id) == (
        RelationKind.SUPPORT, "u1", RelationKind.SUPPORT, "u2"
    )  # fmt: skip
    assert 'attachment: supports "The town should plant more trees."' in format_diff_text(d)


def test_an_identical_map_has_no_changes() -> None:
    d = diff_maps(OLD, OLD)
    assert d.units == [] and d.findings == []
    assert "units: 0 added, 0 removed, 0 changed" in format_diff_text(d)


def finding(code: str, unit: str) -> Finding:
    return Finding(code=code, name="x", severity=Severity.WARNING, message="m", fix="f", unit=unit)


def test_findings_are_compared_through_the_unit_matching() -> None:
    old = [finding("AM201", "u2"), finding("AM201", "u3"), finding("AM402", "u1")]
    new = [finding("AM201", "u2"), finding("AM501", "u4")]
    d = diff_maps(OLD, NEW, old_findings=old, new_findings=new)
    assert {(c.kind, c.finding.code, c.finding.unit) for c in d.findings} == {
        ("appeared", "AM501", "u4"),
        ("resolved", "AM201", "u3"),  # its unit was removed
        ("resolved", "AM402", "u1"),
    }


def test_cli_diff_text_on_two_drafts() -> None:
    old, new = FIXTURES / "draft-v1.md", FIXTURES / "draft-v2.md"
    result = runner.invoke(app, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"--- {old}", f"+++ {new}"]
    assert any(" reworded (" in line for line in lines)
    assert lines[2].startswith("units: ")
    summary = next(line for line in lines if line.startswith("findings: "))
    assert summary == "findings: 0 appeared, 3 resolved"
    assert sum(line.startswith("  - ") and " AM" in line for line in lines) == 3


def test_cli_diff_json_round_trips() -> None:
    old, new = FIXTURES / "draft-v1.md", FIXTURES / "draft-v2.md"
    result = runner.invoke(app, ["diff", str(old), str(new), "-f", "json"])
    assert result.exit_code == 0, result.output
    d = MapDiff.model_validate(json.loads(result.stdout))
    assert {c.finding.code for c in d.findings if c.kind == "resolved"} == {
        "AM201",
        "AM301",
        "AM401",
    }
    assert any(c.kind == "added" for c in d.units)


def test_cli_diff_input_error_is_one_line() -> None:
    result = runner.invoke(app, ["diff", "gone-a.md", str(FIXTURES / "draft-v2.md")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
