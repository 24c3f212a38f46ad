"""Diagram presets: classroom, print, blank worksheets, folded depth, and a layout that stays put.

Structural SVG checks (Graphviz versions differ, so no SVG goldens): colours
absent in ``print``, unit text absent in ``blank``, a key in ``classroom``.
The stability test renders the op-ed before and after a small edit.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from argmap.model import ArgumentMap, EvidenceType, Relation, RelationKind, Role, Unit
from argmap.pipeline import analyze
from argmap.reader import read_path
from argmap.render import render_image, to_dot
from argmap.render.numbering import collapse, number_units

ROOT = Path(__file__).resolve().parent.parent
SVG = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
S, A = RelationKind.SUPPORT, RelationKind.ATTACK
needs_dot = pytest.mark.needs_dot
skip_no_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")


def unit(n: int, role: Role, text: str, **kw: object) -> Unit:
    return Unit(id=f"u{n}", role=role, text=text, start=n, end=n + 1, line=n, confidence=0.8, **kw)


def rel(src: int, dst: int, kind: RelationKind = S) -> Relation:
    return Relation(source=f"u{src}", target=f"u{dst}", kind=kind, confidence=0.7, cue="because")


def sample_map() -> ArgumentMap:
    units = [
        unit(1, Role.THESIS, "Libraries should open on Sundays."),
        unit(2, Role.CLAIM, "Working parents cannot visit on weekdays."),
        unit(
            3,
            Role.EVIDENCE,
            "Half of all visits last year were on Saturdays.",
            evidence_type=EvidenceType.STATISTIC,
        ),
        unit(4, Role.PREMISE, "Children read more when they choose their own books."),
        unit(5, Role.OBJECTION, "Critics argue that staff deserve a day off."),
        unit(6, Role.PREMISE, "Volunteers could cover the Sunday shift."),
        unit(7, Role.RECOMMENDATION, "The council must fund a Sunday pilot."),
        unit(
            8,
            Role.EVIDENCE,
            "Oslo opened on Sundays in 2019 with volunteers.",
            evidence_type=EvidenceType.EXAMPLE,
        ),
    ]
    relations = [rel(2, 1), rel(3, 2), rel(4, 3), rel(5, 1, A), rel(6, 5, A), rel(8, 6), rel(7, 1)]
    return ArgumentMap(thesis="u1", units=units, relations=relations)


def svg_of(m: ArgumentMap, **kw: object) -> ET.Element:
    return ET.fromstring(render_image(to_dot(m, **kw), "svg"))  # type: ignore[arg-type]


def node_groups(svg: ET.Element) -> dict[str, ET.Element]:
    groups = svg.iterfind(".//svg:g[@class='node']", SVG)
    return {g.findtext("svg:title", namespaces=SVG) or "": g for g in groups}


def drawn_text(svg: ET.Element) -> str:
    return " ".join(t.text or "" for t in svg.iterfind(".//svg:text", SVG))


# --- DOT -------------------------------------------------------------------------------------


def test_default_options_spelled_out_give_the_same_output() -> None:
    m = sample_map()
    assert to_dot(m) == to_dot(m, style="default", blank=False, max_depth=None)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"style": "poster"}, "style"), ({"max_depth": -1}, "max_depth")],
)
def test_bad_preset_options_raise(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        to_dot(sample_map(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs", [{}, {"style": "classroom"}, {"style": "print"}, {"blank": True}, {"max_depth": 1}]
)
def test_every_style_lays_out_in_text_order(kwargs: dict[str, object]) -> None:
    dot = to_dot(sample_map(), **kwargs)  # type: ignore[arg-type]
    assert "ordering=out" in dot.splitlines()[1]


def test_classroom_is_large_with_a_banner_and_always_a_key() -> None:
    dot = to_dot(sample_map(), style="classroom", legend=False)
    assert 'node [fontcolor="#000000" fontname="DejaVu Sans" fontsize=20' in dot
    assert re.search(r"\tu1 \[label=.*fontsize=28 .*penwidth=4", dot)
    assert r"Libraries should open on Sundays.\l" in dot  # the banner is wide: one line
    assert "subgraph cluster_legend" in dot


def test_print_is_grey_with_badges() -> None:
    dot = to_dot(sample_map(), style="print")
    colours = re.findall(r"#([0-9A-Fa-f]{6})", dot)
    assert colours and all(c[0:2] == c[2:4] == c[4:6] for c in colours)
    assert dot.count('<TABLE BORDER="1"') == len(sample_map().relations) + 2  # + the key's
    assert "<B> \u2212 </B>" in dot and "<B> + </B>" in dot


def test_blank_has_numbers_and_lines_but_no_text_or_tooltips() -> None:
    m = sample_map()
    dot = to_dot(m, blank=True)
    for u in m.units:
        assert u.text[:15] not in dot
    assert "tooltip" not in dot and "cue" not in dot
    assert r'label="1.1.1\l________________________________\l' in dot


def test_max_depth_folds_deeper_levels_into_more_boxes() -> None:
    m = sample_map()
    numbers = number_units(m)
    shown, hidden = collapse(numbers, 1)
    assert [numbers[u] for u in shown] == ["1", "1.1", "1.2", "1.3"]
    assert hidden == {"u2": 2, "u5": 2}
    dot = to_dot(m, max_depth=1)
    assert re.findall(r"\tmore_(u\d+) \[label=\"\+(\d) more\"", dot) == [("u2", "2"), ("u5", "2")]
    assert "\tu3 [" not in dot and "-> u3" not in dot
    assert collapse(numbers, None) == (list(numbers), {})
    assert collapse(numbers, 0)[1] == {"u1": 7}


# --- SVG (structure) --------------------------------------------------------------------------


def colours_in(svg: ET.Element) -> set[str]:
    found = set()
    for element in svg.iter():
        for attr in ("fill", "stroke"):
            value = element.get(attr)
            if value and value not in ("none", "transparent"):
                found.add(value.lower())
    return found


def is_grey(colour: str) -> bool:
    if colour in ("black", "white"):
        return True
    hexed = re.fullmatch(r"#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})", colour)
    return hexed is not None and hexed[1] == hexed[2] == hexed[3]


@needs_dot
@skip_no_dot
def test_print_svg_has_no_colour() -> None:
    svg = svg_of(sample_map(), style="print")
    colours = colours_in(svg)
    assert colours and all(is_grey(c) for c in colours), sorted(
        c for c in colours if not is_grey(c)
    )
    assert any(not is_grey(c) for c in colours_in(svg_of(sample_map())))  # the default has colour
    edges = list(svg.iterfind(".//svg:g[@class='edge']", SVG))
    dashed = [
        g for g in edges if any(p.get("stroke-dasharray") for p in g.iterfind(".//svg:path", SVG))
    ]
    assert len(dashed) == 2 + 1  # two attacks and the key's sample
    badges = [g for g in edges if g.find(".//svg:polygon[@fill='#ffffff']", SVG) is not None]
    assert len(badges) == len(sample_map().relations) + 2
    marks = [(t.text or "").strip() for g in edges for t in g.iterfind(".//svg:text", SVG)]
    assert marks.count("\u2212") == 3 and marks.count("+") == len(sample_map().relations) - 2 + 1


@needs_dot
@skip_no_dot
def test_blank_svg_has_no_unit_text() -> None:
    m = sample_map()
    svg = svg_of(m, blank=True)
    drawn = drawn_text(svg)
    words = {w for u in m.units for w in re.findall(r"[A-Za-z]{4,}", u.text)}
    assert not {w for w in words if w in drawn}
    assert not list(svg.iterfind(".//svg:a", SVG))  # no tooltips (titles) to give it away
    nodes = node_groups(svg)
    assert all(u.id in nodes for u in m.units)
    assert "1.2.1.1" in drawn


@needs_dot
@skip_no_dot
def test_classroom_svg_has_a_key_and_large_type() -> None:
    svg = svg_of(sample_map(), style="classroom", legend=False)
    nodes = node_groups(svg)
    assert {"legend_thesis", "legend_support", "legend_attack"} <= set(nodes)
    sizes = {float(t.get("font-size", "0")) for t in nodes["u2"].iterfind(".//svg:text", SVG)}
    thesis = {float(t.get("font-size", "0")) for t in nodes["u1"].iterfind(".//svg:text", SVG)}
    assert sizes == {20.0} and thesis == {28.0}


@needs_dot
@skip_no_dot
def test_max_depth_svg() -> None:
    svg = svg_of(sample_map(), max_depth=1)
    nodes = node_groups(svg)
    assert {"more_u2", "more_u5"} <= set(nodes) and "u3" not in nodes
    assert "+2 more" in drawn_text(svg)


# --- stability: a small edit elsewhere keeps the rest in place ---------------------------------


def layout(m: ArgumentMap, **kw: object) -> dict[str, tuple[float, float]]:
    """Each unit's (top, left) in the SVG, keyed by its text (ids shift, text does not)."""
    placed = {}
    for uid, group in node_groups(svg_of(m, **kw)).items():
        if re.fullmatch(r"u\d+", uid):
            ys = [float(t.get("y", "0")) for t in group.iterfind(".//svg:text", SVG)]
            xs = [float(t.get("x", "0")) for t in group.iterfind(".//svg:text", SVG)]
            placed[" ".join(m.unit(uid).text.split())] = (min(ys), min(xs))
    return placed


def structure(m: ArgumentMap) -> dict[str, tuple[str, str | None]]:
    """Each unit's role and parent, keyed by text: what an edit elsewhere should not change."""
    parent = {r.source: r.target for r in m.relations}
    return {
        " ".join(u.text.split()): (
            u.role.value,
            " ".join(m.unit(parent[u.id]).text.split()) if u.id in parent else None,
        )
        for u in m.units
    }


def moved_pairs(a: dict[str, tuple[float, float]], b: dict[str, tuple[float, float]]) -> list[str]:
    """Pairs of units present in both whose rank order or same-rank order changed."""
    common = [k for k in a if k in b]
    moved = []
    for i, first in enumerate(common):
        for second in common[i + 1 :]:
            rank_a = (a[first][0] > a[second][0]) - (a[first][0] < a[second][0])
            rank_b = (b[first][0] > b[second][0]) - (b[first][0] < b[second][0])
            same_row_order = (a[first][1] < a[second][1]) == (b[first][1] < b[second][1])
            if rank_a != rank_b or (rank_a == 0 and not same_row_order):
                moved.append(f"{first[:30]!r} / {second[:30]!r}")
    return moved


@needs_dot
@skip_no_dot
@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Putin’s war against Ukrainian",
            "Nobody doubts this any longer. Putin’s war against Ukrainian",
        ),
        ("every right to fight back.", "every right to hit back."),
    ],
)
@pytest.mark.parametrize("style", ["classroom", "print"])
def test_layout_is_stable_under_a_small_edit(style: str, old: str, new: str) -> None:
    text = read_path(ROOT / "examples" / "kellogg-oped.txt")
    edited = text.replace(old, new, 1)
    before, after = analyze(text), analyze(edited)
    assert [u.id for u in before.units] != [u.id for u in after.units] or "hit" in new
    a, b = layout(before, style=style), layout(after, style=style)
    assert len([k for k in a if k in b]) >= len(before.units) - 1
    # Units the edit re-read (another role or parent) may move; no pair of the others may.
    same = {k for k, v in structure(before).items() if structure(after).get(k) == v}
    assert len(same) >= len(before.units) - 4
    assert moved_pairs({k: v for k, v in a.items() if k in same}, b) == []
