"""Corrections files: format, quote matching, each fix, the op-ed, the starter file, the CLI.

Invented maps exercise each kind of fix; the op-ed test shows a file written
for one draft still applying after the draft is edited (unit ids shift, quotes
do not). Quotes of the op-ed stay under six words.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from argmap.cli import app
from argmap.corrections import (
    CorrectionsFile,
    apply_corrections,
    find_unit,
    parse_corrections,
    schema,
    starter_file,
)
from argmap.errors import InputError
from argmap.model import ArgumentMap, EvidenceType, Relation, RelationKind, Role, Unit
from argmap.pipeline import analyze
from argmap.reader import read_path

ROOT = Path(__file__).resolve().parent.parent
OPED = ROOT / "examples" / "kellogg-oped.txt"
S, A = RelationKind.SUPPORT, RelationKind.ATTACK


def unit(n: int, role: Role, text: str, **kw: object) -> Unit:
    fields: dict[str, object] = {"line": n, "confidence": 0.6, "cues": ["a cue"], **kw}
    return Unit(id=f"u{n}", role=role, text=text, start=10 * n, end=10 * n + len(text), **fields)


def rel(src: int, dst: int, kind: RelationKind = S) -> Relation:
    return Relation(source=f"u{src}", target=f"u{dst}", kind=kind, confidence=0.5, cue="rule")


def school_map() -> ArgumentMap:
    units = [
        unit(1, Role.THESIS, "Schools should start at nine o’clock."),
        unit(2, Role.CLAIM, "Teenagers need more sleep than adults."),
        unit(
            3,
            Role.EVIDENCE,
            "A 2019 study found 70% of pupils sleep too little.",
            evidence_type=EvidenceType.STATISTIC,
        ),
        unit(4, Role.OBJECTION, "Parents say late starts clash with work."),
        unit(5, Role.PREMISE, "But most parents leave before eight anyway."),
        unit(6, Role.RECOMMENDATION, "The board should vote on it in May."),
        unit(7, Role.PREMISE, "Sleep helps memory."),
    ]
    relations = [rel(2, 1), rel(3, 2), rel(4, 1, A), rel(5, 4, A), rel(6, 1), rel(7, 1)]
    return ArgumentMap(thesis="u1", units=units, relations=relations)


def fixes(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "fixes.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def corrected(
    tmp_path: Path, body: str, m: ArgumentMap | None = None
) -> tuple[ArgumentMap, list[str]]:
    return apply_corrections(m or school_map(), None, fixes(tmp_path, body))


def edges(m: ArgumentMap) -> set[tuple[str, str, RelationKind]]:
    return {(m.unit(r.source).text[:12], m.unit(r.target).text[:12], r.kind) for r in m.relations}


# --- the file format ---------------------------------------------------------------------


def test_schema_file_is_the_generated_schema() -> None:
    shipped = ROOT / "argmap" / "corrections" / "schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema(), (
        "regenerate: python -c 'import json, argmap.corrections as c; "
        "print(json.dumps(c.schema(), indent=2))' > argmap/corrections/schema.json"
    )


def test_schema_names_every_key() -> None:
    entry = schema()["$defs"]["Correction"]["properties"]  # type: ignore[index]
    keys = {"unit", "role", "evidence-type", "attach-to", "kind", "drop", "merge-with", "thesis"}
    assert set(entry) == keys  # type: ignore[arg-type]


def test_parse_mapping_list_and_empty() -> None:
    parsed = parse_corrections("version: 1\ncorrections:\n  - unit: abc\n    drop: true\n")
    assert parsed.corrections[0].drop
    assert parse_corrections("- unit: abc\n  role: claim\n").corrections[0].role is Role.CLAIM
    assert parse_corrections("") == CorrectionsFile()
    assert parse_corrections("corrections:\n#  - unit: x\n").corrections == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("corrections: [unit: x", "not valid YAML (line"),
        ("corrections:\n  - unit: x\n    roll: claim\n", "entry 1.roll: Extra inputs"),
        ("corrections:\n  - unit: x\n", "entry 1: says nothing to change"),
        ("corrections:\n  - unit: x\n    role: villain\n", "entry 1.role"),
        ("corrections:\n  - unit: x\n    kind: rebut\n", "entry 1.kind"),
        ("corrections:\n  - unit: x\n    drop: true\n    role: claim\n", "cannot be combined"),
        ("corrections:\n  - unit: x\n    thesis: true\n    attach-to: y\n", "cannot be combined"),
        ("corrections:\n  - unit: x\n    role: claim\n    evidence-type: example\n", "needs role"),
        ("version: 2\n", "version"),
        ("corrections:\n  - unit: ''\n    drop: true\n", "entry 1.unit"),
    ],
)
def test_bad_files_are_one_clear_input_error(body: str, message: str) -> None:
    with pytest.raises(InputError, match=r"^fixes\.yaml: ") as caught:
        parse_corrections(body, name="fixes.yaml")
    assert message in str(caught.value)


# --- naming units by quote ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("teenagers NEED more", "u2"),
        ("start at nine o'clock", "u1"),  # straight apostrophe for a curly one
        ("A 2019  study", "u3"),  # runs of spaces
        ("parents say ... work", "u4"),  # ... stands for any text
        ("Sleep helps memory.", "u7"),
    ],
)
def test_find_unit(quote: str, expected: str) -> None:
    assert find_unit(school_map(), quote) == (expected, "")


def test_find_unit_explains_failures() -> None:
    m = school_map()
    uid, why = find_unit(m, "parents")
    assert uid is None and why.startswith("matches 2 units (1.2, 1.2.1)")
    uid, why = find_unit(m, "Teenagers need more slep")
    assert uid is None and "did you mean 'teenagers need more sleep'" in why
    assert find_unit(m, "nothing like this at all")[1] == "matches no unit"


def test_whole_text_wins_over_containing_units() -> None:
    units = [unit(1, Role.THESIS, "Act now."), unit(2, Role.CLAIM, "Act now. Really, act now.")]
    m = ArgumentMap(thesis="u1", units=units, relations=[rel(2, 1)])
    assert find_unit(m, "act now.") == ("u1", "")


# --- each kind of fix --------------------------------------------------------------------


def test_new_thesis_and_the_old_one_supports_it(tmp_path: Path) -> None:
    m, warnings = corrected(tmp_path, "- unit: teenagers need\n  thesis: true\n")
    assert warnings == []
    assert m.unit(m.thesis or "").text.startswith("Teenagers")
    old = next(u for u in m.units if u.text.startswith("Schools"))
    assert old.role is Role.CLAIM  # others still support it
    assert ("Schools shou", "Teenagers ne", S) in edges(m)
    assert not any(r.source == m.thesis for r in m.relations)
    new = m.unit(m.thesis or "")
    assert new.confidence == 1.0 and new.cues[-1].description == "correction: made the thesis"
    assert (new.rule, new.cues[-1].kind) == ("correction", "correction")


def test_attach_and_kind(tmp_path: Path) -> None:
    body = """
- unit: sleep helps memory
  attach-to: teenagers need
- unit: but most parents
  kind: support
- unit: the board should
  attach-to: parents say
  kind: attack
"""
    m, warnings = corrected(tmp_path, body)
    assert warnings == []
    got = edges(m)
    assert ("Sleep helps ", "Teenagers ne", S) in got and (
        "Sleep helps ",
        "Schools shou",
        S,
    ) not in got
    assert ("But most par", "Parents say ", S) in got
    assert ("The board sh", "Parents say ", A) in got
    moved = next(r for r in m.relations if m.unit(r.source).text.startswith("Sleep"))
    assert moved.cue is not None
    assert (moved.confidence, moved.cue.description) == (1.0, "correction: attached by hand")
    assert (moved.rule, moved.fallback) == ("correction", False)
    assert m.unattached == []


def test_refused_fixes_are_reported(tmp_path: Path) -> None:
    body = """
- unit: schools should start
  attach-to: teenagers need
- unit: teenagers need
  attach-to: a 2019 study
- unit: sleep helps
  attach-to: sleep helps
- unit: schools should start
  role: claim
"""
    m, warnings = corrected(tmp_path, body)
    assert m == apply_corrections(school_map(), None, CorrectionsFile())[0]
    assert len(warnings) == 4
    assert "entry 1 (unit 'schools should start'): the thesis bears on nothing" in warnings[0]
    assert "entry 2 (unit 'teenagers need'): attach-to would make a cycle" in warnings[1]
    assert "entry 3" in warnings[2] and "cycle" in warnings[2]
    assert "entry 4" in warnings[3] and "it is the thesis" in warnings[3]


def test_unmatched_entries_are_reported_not_ignored(tmp_path: Path) -> None:
    body = "- unit: no such words\n  role: claim\n- unit: sleep helps\n  attach-to: parents\n"
    m, warnings = corrected(tmp_path, body)
    assert warnings == [
        f"{tmp_path / 'fixes.yaml'}: entry 1 (unit 'no such words') matches no unit",
        f"{tmp_path / 'fixes.yaml'}: entry 2 (unit 'sleep helps'): attach-to 'parents' "
        "matches 2 units (1.2, 1.2.1); quote more words",
    ]
    assert edges(m) == edges(school_map())


def test_roles_and_evidence_types(tmp_path: Path) -> None:
    body = """
- unit: sleep helps memory
  evidence-type: example
- unit: a 2019 study
  role: premise
- unit: the board should
  role: recommendation
"""
    m, warnings = corrected(tmp_path, body)
    assert warnings == []
    roles = {u.text[:10]: (u.role, u.evidence_type) for u in m.units}
    assert roles["Sleep help"] == (Role.EVIDENCE, EvidenceType.EXAMPLE)
    assert roles["A 2019 stu"] == (Role.PREMISE, None)
    board = next(u for u in m.units if u.text.startswith("The board"))
    assert board.confidence == 0.6 and [c.description for c in board.cues] == [
        "a cue"
    ]  # unchanged: not marked


def test_merge_neighbours_into_one_span(tmp_path: Path) -> None:
    text = "Parents say late starts clash with work. But most parents leave before eight anyway."
    units = [
        unit(1, Role.THESIS, "Start later."),
        Unit(id="u2", role=Role.OBJECTION, text=text[:40], start=0, end=40, line=1, confidence=0.5),
        Unit(
            id="u3",
            role=Role.CLAIM,
            text=text[41:],
            start=41,
            end=len(text),
            line=1,
            confidence=0.5,
        ),
        unit(4, Role.EVIDENCE, "Surveys say so.", evidence_type=EvidenceType.TESTIMONY),
    ]
    m = ArgumentMap(thesis="u1", units=units, relations=[rel(2, 1, A), rel(3, 2, A), rel(4, 3)])
    body = "- unit: but most parents\n  merge-with: parents say late\n"
    out, warnings = apply_corrections(m, text, fixes(tmp_path, body))
    assert warnings == []
    assert [u.id for u in out.units] == ["u1", "u2", "u3"]  # renumbered in text order
    merged = out.unit("u2")
    assert (merged.text, merged.start, merged.end) == (text, 0, len(text))
    assert merged.role is Role.OBJECTION
    assert {(r.source, r.target, r.kind) for r in out.relations} == {
        ("u2", "u1", A),
        ("u3", "u2", S),
    }


def test_merge_distant_duplicates_keeps_the_survivor_text(tmp_path: Path) -> None:
    m, warnings = corrected(tmp_path, "- unit: sleep helps\n  merge-with: teenagers need\n")
    assert warnings == []
    assert len(m.units) == 6 and not any(u.text.startswith("Sleep") for u in m.units)
    assert next(u for u in m.units if u.text.startswith("Teenagers")).text == (
        "Teenagers need more sleep than adults."
    )


def test_drop_moves_children_up_with_signs_multiplied(tmp_path: Path) -> None:
    m, warnings = corrected(tmp_path, "- unit: parents say late\n  drop: true\n")
    assert warnings == []
    assert ("But most par", "Schools shou", S) in edges(m)  # attack on an attack: support
    m2, _ = corrected(tmp_path, "- unit: teenagers need\n  drop: true\n")
    assert ("A 2019 study", "Schools shou", S) in edges(m2)


def test_later_entries_see_earlier_merges_and_drops(tmp_path: Path) -> None:
    body = "- unit: sleep helps\n  drop: true\n- unit: sleep helps\n  merge-with: teenagers\n"
    _, warnings = corrected(tmp_path, body)
    assert warnings == [
        f"{tmp_path / 'fixes.yaml'}: entry 1 (unit 'sleep helps'): "
        "the unit was merged or dropped by an earlier entry"
    ]


# --- the op-ed: a wrong thesis and a wrong attachment, before and after an edit ---------------

OPED_FIXES = """\
version: 1
source: kellogg-oped.txt
corrections:
  # The piece argues for what Trump should do; this is its main claim.
  - unit: "strengthen Kellogg's negotiating hand"
    thesis: true
  # "It also means" continues "That means": both spell out the thesis.
  - unit: "It also means destroying"
    attach-to: "strengthen Kellogg’s negotiating hand"
    kind: support
"""


def check_oped(m: ArgumentMap, warnings: list[str]) -> None:
    assert warnings == []
    thesis = m.unit(m.thesis or "")
    assert thesis.text.startswith("Trump can best strengthen") and thesis.role is Role.THESIS
    by_start = {u.text[:22]: u.id for u in m.units}
    also = by_start["It also means destroyi"]
    assert [(r.target, r.kind) for r in m.relations if r.source == also] == [(thesis.id, S)]
    former = by_start["Washington must stop p"]
    assert (former, thesis.id, S) in {(r.source, r.target, r.kind) for r in m.relations}
    assert m.unit(former).role is Role.CLAIM


@pytest.fixture(scope="module")
def oped_text() -> str:
    return read_path(OPED)


def test_oped_corrections_fix_thesis_and_attachment(tmp_path: Path, oped_text: str) -> None:
    m = analyze(oped_text)
    assert m.unit(m.thesis or "").text.startswith("Washington must stop")  # what argmap thinks
    check_oped(*apply_corrections(m, oped_text, fixes(tmp_path, OPED_FIXES)))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a sentence inserted further up: every later unit id shifts
        (
            "Putin’s war against Ukrainian",
            "Nobody doubts this any longer. Putin’s war against Ukrainian",
        ),
        # a sentence elsewhere reworded
        ("every right to fight back.", "every right to hit back."),
    ],
)
def test_oped_corrections_survive_an_edit(
    tmp_path: Path, oped_text: str, old: str, new: str
) -> None:
    edited = oped_text.replace(old, new, 1)
    assert edited != oped_text
    before, after = analyze(oped_text), analyze(edited)
    find = "strengthen Kellogg’s negotiating hand"
    if "Nobody" in new:
        assert find_unit(before, find)[0] != find_unit(after, find)[0]  # the id moved
    check_oped(*apply_corrections(after, edited, fixes(tmp_path, OPED_FIXES)))


def test_oped_entry_whose_sentence_was_rewritten_is_reported(
    tmp_path: Path, oped_text: str
) -> None:
    edited = oped_text.replace("It also means destroying", "It also requires destroying", 1)
    m, warnings = apply_corrections(analyze(edited), edited, fixes(tmp_path, OPED_FIXES))
    assert len(warnings) == 1
    assert "entry 2 (unit 'It also means destroying') matches no unit; did you mean" in warnings[0]
    assert m.unit(m.thesis or "").text.startswith("Trump can best")  # the rest still applies


def test_quote_across_two_units_is_explained(tmp_path: Path, oped_text: str) -> None:
    body = "- unit: are not new, but now\n  role: claim\n"
    _, warnings = apply_corrections(analyze(oped_text), oped_text, fixes(tmp_path, body))
    assert len(warnings) == 1 and "in the text it spans units" in warnings[0]


# --- the starter file --------------------------------------------------------------------------


def uncomment(text: str) -> str:
    """Uncomment every entry, as a user would: the lines after ``corrections:``."""
    head, entries = text.split("\ncorrections:\n")
    lines = [line[1:] if line.startswith("#  ") else line for line in entries.splitlines()]
    return head + "\ncorrections:\n" + "\n".join(lines)


def test_starter_file_parses_to_no_corrections_and_names_every_unit() -> None:
    m = school_map()
    text = starter_file(m, source="school.md")
    assert parse_corrections(text).corrections == []
    assert parse_corrections(text).source == "school.md"
    entries = parse_corrections(uncomment(text)).corrections
    assert len(entries) == len(m.units)
    assert [find_unit(m, e.unit)[0] for e in entries] == ["u1", "u2", "u3", "u4", "u5", "u6", "u7"]
    assert all(len(e.unit.split()) <= 5 for e in entries)


def test_starter_entries_left_as_they_are_change_nothing(oped_text: str) -> None:
    m = analyze(oped_text)
    parsed = parse_corrections(uncomment(starter_file(m)))
    assert len(parsed.corrections) == len(m.units)
    out, warnings = apply_corrections(m, oped_text, parsed)
    assert warnings == []
    assert out == m


# --- the command line ----------------------------------------------------------------------------

runner = CliRunner()


def test_cli_corrections_init_and_check(tmp_path: Path) -> None:
    piece = tmp_path / "piece.txt"
    piece.write_text(
        "Our town should light its bike paths, because riders feel unsafe in the dark.\n",
        encoding="utf-8",
    )
    out = tmp_path / "piece.fixes.yaml"
    result = runner.invoke(app, ["corrections", "init", str(piece), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["source"] == "piece.txt"
    result = runner.invoke(app, ["corrections", "check", str(piece), str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    out.write_text("- unit: no such words\n  drop: true\n", encoding="utf-8")
    result = runner.invoke(app, ["corrections", "check", str(piece), str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith("warning: ") and "matches no unit" in result.stderr


def test_cli_corrections_bad_file_is_one_error_line(tmp_path: Path) -> None:
    piece = tmp_path / "piece.txt"
    piece.write_text("We should act now, because time is short.\n", encoding="utf-8")
    bad = fixes(tmp_path, "- unit: x\n  colour: red\n")
    result = runner.invoke(app, ["corrections", "check", str(piece), str(bad)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {bad}: entry 1.colour: Extra inputs are not permitted"
    ]


def test_example_fixes_file_applies_cleanly(oped_text: str) -> None:
    m, warnings = apply_corrections(
        analyze(oped_text), oped_text, ROOT / "examples" / "kellogg-oped.fixes.yaml"
    )
    check_oped(m, warnings)


def test_readme_documents_corrections_presets_and_formats() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Classroom maps, corrections and interchange", 1)[1].split("\n## ")[0]
    for needle in (
        "argmap corrections init",
        "argmap corrections check",
        "--corrections",
        "--style classroom",
        "--style print",
        "--blank",
        "--max-depth",
        "-f argdown",
        "-f aif",
        "-f mermaid",
        "attach-to:",
        "merge-with:",
        "drop: true",
        "evidence-type:",
        "2000-01-01 00:00:00",
    ):
        assert needle in section, needle
    for path in (
        "diagrams/kellogg-oped-classroom.svg",
        "diagrams/kellogg-oped-print.svg",
        "diagrams/kellogg-oped-blank.svg",
        "diagrams/kellogg-oped.argdown",
        "diagrams/kellogg-oped.aif.json",
        "diagrams/kellogg-oped.mmd",
        "examples/kellogg-oped.fixes.yaml",
    ):
        assert path in section and (ROOT / path).exists(), path
