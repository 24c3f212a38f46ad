"""The numbering tree and the Markdown outline built on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import argmap.render
from argmap.model import (
    ArgumentMap,
    Cue,
    CueKind,
    EvidenceType,
    Relation,
    RelationKind,
    Role,
    Unit,
)
from argmap.render import number_units, to_json, to_outline
from argmap.render.outline import reasons_line

GOLDEN = Path(__file__).parent / "golden"
S, A = RelationKind.SUPPORT, RelationKind.ATTACK


def unit(n: int, role: Role = Role.CLAIM, text: str | None = None, **kw: object) -> Unit:
    return Unit(
        id=f"u{n}",
        role=role,
        text=text if text is not None else f"Unit {n}.",
        start=10 * n,
        end=10 * n + 9,
        line=n,
        confidence=0.8,
        **kw,
    )


def rel(src: int, dst: int, kind: RelationKind = S, conf: float = 0.8) -> Relation:
    return Relation(source=f"u{src}", target=f"u{dst}", kind=kind, confidence=conf)


def amap(n: int, relations: list[Relation], thesis: int | None = 1) -> ArgumentMap:
    units = [unit(i, Role.THESIS if i == thesis else Role.CLAIM) for i in range(1, n + 1)]
    return ArgumentMap(
        thesis=None if thesis is None else f"u{thesis}", units=units, relations=relations
    )


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ARGMAP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing {path}; run with ARGMAP_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


# --- numbering ---------------------------------------------------------------------


def test_numbers_follow_the_tree_in_document_order() -> None:
    # u3 is listed before u2 in relations, but u2 comes first in the text.
    m = amap(6, [rel(3, 1), rel(2, 1), rel(5, 2), rel(4, 2), rel(6, 3, A)])
    assert number_units(m) == {
        "u1": "1", "u2": "1.1", "u4": "1.1.1", "u5": "1.1.2", "u3": "1.2", "u6": "1.2.1",
    }  # fmt: skip
    assert list(number_units(m)) == ["u1", "u2", "u4", "u5", "u3", "u6"]  # pre-order


def test_thesis_need_not_come_first() -> None:
    m = amap(3, [rel(1, 3), rel(2, 3)], thesis=3)
    assert number_units(m) == {"u3": "1", "u1": "1.1", "u2": "1.2"}


def test_unattached_units_and_other_roots_continue_at_top_level() -> None:
    m = amap(6, [rel(2, 1), rel(5, 3)])
    assert number_units(m) == {
        "u1": "1", "u2": "1.1", "u3": "2", "u5": "2.1", "u4": "3", "u6": "4",
    }  # fmt: skip


def test_without_thesis_every_root_is_top_level() -> None:
    m = amap(4, [rel(2, 1), rel(4, 3)], thesis=None)
    assert number_units(m) == {"u1": "1", "u2": "1.1", "u3": "2", "u4": "2.1"}


def test_cycles_terminate_and_number_every_unit_once() -> None:
    # u2 <-> u3 hang under the thesis; u4 -> u5 -> u6 -> u4 is reached from nowhere.
    m = amap(6, [rel(2, 1), rel(3, 2), rel(2, 3, conf=0.1), rel(4, 5), rel(5, 6), rel(6, 4)])
    assert number_units(m) == {
        "u1": "1", "u2": "1.1", "u3": "1.1.1", "u4": "2", "u6": "2.1", "u5": "2.1.1",
    }  # fmt: skip


def test_a_thesis_with_an_outgoing_relation_stays_the_root() -> None:
    m = amap(3, [rel(1, 2), rel(2, 1), rel(3, 1)])
    assert number_units(m) == {"u1": "1", "u2": "1.1", "u3": "1.2"}


def test_unit_with_several_targets_goes_under_the_most_confident_then_earliest() -> None:
    m = amap(4, [rel(4, 3, conf=0.5), rel(4, 2, conf=0.9), rel(2, 1), rel(3, 1)])
    assert number_units(m)["u4"] == "1.1.1"
    tie = amap(4, [rel(4, 3), rel(4, 2), rel(2, 1), rel(3, 1)])
    assert number_units(tie)["u4"] == "1.1.1"
    later = amap(4, [rel(4, 3, conf=0.9), rel(4, 2, conf=0.5), rel(2, 1), rel(3, 1)])
    assert number_units(later)["u4"] == "1.2.1"


def test_numbering_an_empty_map() -> None:
    assert number_units(ArgumentMap()) == {}


# --- outline ----------------------------------------------------------------------------


def sample_map() -> ArgumentMap:
    units = [
        unit(
            1,
            Role.THESIS,
            "Cities should replace street parking with bike lanes.",
            calls_for_action=True,
        ),
        unit(2, Role.CLAIM, "Bike lanes make streets safer."),
        unit(
            3,
            Role.EVIDENCE,
            "Cycling in Seville rose\nelevenfold.",
            evidence_type=EvidenceType.STATISTIC,
        ),
        unit(4, Role.OBJECTION, "Shop owners fear   losing customers."),
        unit(
            5,
            Role.EVIDENCE,
            "Most Bloor Street shoppers walk or cycle.",
            evidence_type=EvidenceType.EXAMPLE,
        ),
        unit(6, Role.RECOMMENDATION, "Start with a one-year pilot."),
        unit(7, Role.CLAIM, "Weather makes cycling hard in winter."),
        unit(8, Role.PREMISE, "Snow clearing is costly."),
    ]
    relations = [rel(2, 1), rel(3, 2), rel(4, 1, A), rel(5, 4, A), rel(6, 1), rel(8, 7)]
    return ArgumentMap(thesis="u1", units=units, relations=relations, unattached=["u7"])


def test_outline_golden() -> None:
    check_golden("sample_outline.md", to_outline(sample_map()))


def test_outline_lines_follow_numbering_with_markers() -> None:
    lines = to_outline(sample_map()).splitlines()
    assert (
        lines[0]
        == "- 1 **THESIS · call to action** Cities should replace street parking with bike lanes."
    )
    assert "    - 1.1.1 (+) **EVIDENCE · statistic** Cycling in Seville rose elevenfold." in lines
    assert "  - 1.2 (\u2212) **OBJECTION** Shop owners fear losing customers." in lines
    assert lines[lines.index("Unattached:") + 2 :] == [
        "- 2 **CLAIM** Weather makes cycling hard in winter.",
        "  - 2.1 (+) **PREMISE** Snow clearing is costly.",
    ]


def test_outline_without_thesis_has_no_unattached_section() -> None:
    out = to_outline(amap(3, [rel(2, 1, A)], thesis=None))
    assert (
        out == "- 1 **CLAIM** Unit 1.\n  - 1.1 (\u2212) **CLAIM** Unit 2.\n- 2 **CLAIM** Unit 3.\n"
    )


def test_outline_of_a_cycle_and_of_nothing() -> None:
    out = to_outline(amap(3, [rel(2, 3), rel(3, 2, A)]))
    assert out.endswith(
        "Unattached:\n\n- 2 **CLAIM** Unit 2.\n  - 2.1 (\u2212) **CLAIM** Unit 3.\n"
    )
    assert to_outline(ArgumentMap()) == "_No argument found._\n"


# --- the package surface ---------------------------------------------------------------


def test_to_json_round_trips() -> None:
    m = sample_map()
    text = to_json(m)
    assert text.endswith("}\n")
    assert ArgumentMap.model_validate_json(text) == m


def test_text_renderers_do_not_import_graphviz() -> None:
    code = (
        "import sys, argmap.render, argmap.render.outline, argmap.render.numbering\n"
        "assert 'graphviz' not in sys.modules, 'graphviz imported eagerly'\n"
        "argmap.render.to_dot\n"
        "assert 'graphviz' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_attribute() -> None:
    assert callable(argmap.render.render_image) and callable(argmap.render.to_digraph)
    with pytest.raises(AttributeError, match="no attribute 'to_svg'"):
        argmap.render.to_svg  # noqa: B018


# --- --why: each unit's reasons ---------------------------------------------------------


def cue(description: str, kind: CueKind = CueKind.FEATURE, **kw: object) -> Cue:
    return Cue(kind=kind, description=description, **kw)


def reasoned_map() -> ArgumentMap:
    thesis = unit(
        1,
        Role.THESIS,
        "Towns should light bike paths.",
        cues=[
            cue("modal verb 'should' +1.4"),
            cue("thesis: close rival u3 (1.0 vs 2.0)", CueKind.RIVAL),
            cue("in the first paragraph +2.8"),
            cue("opens its paragraph -0.9"),
            cue("a number +0.2"),
        ],
    )
    claim = unit(2, Role.CLAIM, "Riders feel unsafe.", cues=[cue("", CueKind.DEFAULT, words="x")])
    bare = unit(3, Role.PREMISE, "Lamps are *cheap*.")
    marked = unit(4, Role.PREMISE, "Dark paths empty.", cues=[cue("opens with '*' or `_`")])
    relations = [
        Relation(source="u2", target="u1", kind=S, confidence=0.8, rule="reason_opener"),
        Relation(source="u3", target="u2", kind=S, confidence=0.3, rule="fallback", fallback=True),
        rel(4, 1),
    ]
    return ArgumentMap(thesis="u1", units=[thesis, claim, bare, marked], relations=relations)


def test_plain_outline_has_no_reasons() -> None:
    m = reasoned_map()
    assert to_outline(m) == to_outline(m, reasons=False)
    assert len(to_outline(m).splitlines()) == len(m.units)
    assert to_outline(sample_map(), reasons=False) == (GOLDEN / "sample_outline.md").read_text(
        encoding="utf-8"
    )


def test_why_puts_the_top_three_reasons_and_the_link_rule_under_each_unit() -> None:
    lines = to_outline(reasoned_map(), reasons=True).splitlines()
    assert lines == [
        "- 1 **THESIS** Towns should light bike paths.",
        "  *modal verb 'should' +1.4 \u00b7 in the first paragraph +2.8 \u00b7 "
        "opens its paragraph -0.9*",
        "  - 1.1 (+) **CLAIM** Riders feel unsafe.",
        "    *x \u2014 linked by `reason_opener`*",
        "    - 1.1.1 (+) **PREMISE** Lamps are *cheap*.",
        "      *linked by `fallback` (fallback)*",
        "  - 1.2 (+) **PREMISE** Dark paths empty.",
        "    *opens with '\\*' or \\`\\_\\`*",
    ]


def test_why_on_a_unit_with_no_recorded_reasons_adds_no_line() -> None:
    out = to_outline(amap(2, [rel(2, 1)]), reasons=True)
    assert out == "- 1 **THESIS** Unit 1.\n  - 1.1 (+) **CLAIM** Unit 2.\n"


def test_reasons_line_skips_repeats_and_counts_to_top() -> None:
    u = unit(1, cues=[cue("a +1.0"), cue("a +1.0"), cue("b +0.5"), cue("c +0.1")])
    assert reasons_line(u, top=2) == "a +1.0 \u00b7 b +0.5"
    assert reasons_line(unit(2)) == ""


def test_why_on_a_real_map_explains_every_unit() -> None:
    from argmap import analyze

    text = (
        "Our town should light its bike paths at night, because riders feel unsafe.\n\n"
        "Lamps are cheap. Some say they waste power, but solar lamps need no cables.\n"
    )
    m = analyze(text)
    lines = to_outline(m, reasons=True).splitlines()
    units = [line for line in lines if line.lstrip().startswith("- ")]
    reasons = [line for line in lines if line.lstrip().startswith("*")]
    assert len(units) == len(m.units) == len(reasons)
    for above, below in zip(units, reasons, strict=True):
        indent = len(above) - len(above.lstrip())
        assert below.startswith(" " * (indent + 2) + "*") and below.endswith("*")
        assert lines[lines.index(above) + 1] == below
    assert reasons[0].count("\u00b7") == 2 and "linked by" not in reasons[0]  # the thesis
    assert all("\u2014 linked by `" in line for line in reasons[1:])


def test_analyze_why_on_the_command_line(tmp_path: Path) -> None:
    import pickle

    from typer.testing import CliRunner

    from argmap import analyze
    from argmap.cli import app
    from argmap.cli.common import AnalyzeFormat
    from argmap.cli.maps import AnalyzeTask

    text = "Schools should start later. Teenagers who sleep longer learn more.\n"
    path = tmp_path / "piece.txt"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(path), "-f", "outline", "--why"])
    assert result.exit_code == 0, result.output
    assert result.stdout == to_outline(analyze(text), reasons=True)
    plain = runner.invoke(app, ["analyze", str(path), "-f", "outline"])
    assert plain.stdout == to_outline(analyze(text))
    wrong = runner.invoke(app, ["analyze", str(path), "--why"])
    assert wrong.exit_code == 2 and wrong.stdout == ""
    assert wrong.stderr.startswith("error: --why explains the outline")
    task = AnalyzeTask(fmt=AnalyzeFormat.OUTLINE, why=True)
    assert pickle.loads(pickle.dumps(task)) == task
