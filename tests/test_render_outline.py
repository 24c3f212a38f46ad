"""The numbering tree and the Markdown outline built on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import argmap.render
from argmap.model import ArgumentMap, EvidenceType, Relation, RelationKind, Role, Unit
from argmap.render import number_units, to_json, to_outline

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
