"""The DOT diagram: goldens, greyscale, edge styles, layout, escaping."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from argmap.render import render_image, to_digraph, to_dot

GOLDEN = Path(__file__).parent / "golden"
MINUS = "\u2212"
needs_dot = pytest.mark.needs_dot
skip_no_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
SVG_NS = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
EDGE_LINE = re.compile(r"^\t(\w+) -> (\w+) \[(.*)\]$", re.MULTILINE)


def said(text: str) -> Cue:
    return Cue(kind=CueKind.LEGACY, words=text, rule="sample_rule", description=text)


def unit(n: int, role: Role, text: str, **kw: object) -> Unit:
    fields: dict[str, object] = {"line": n, "confidence": 0.8, "rule": "sample_rule", **kw}
    fields["cues"] = [said(c) for c in fields.get("cues", [])]  # type: ignore[attr-defined]
    return Unit(id=f"u{n}", role=role, text=text, start=10 * n, end=10 * n + 9, **fields)


def rel(
    src: int, dst: int, kind: RelationKind, conf: float = 0.8, cue: str | None = None
) -> Relation:
    return Relation(
        source=f"u{src}",
        target=f"u{dst}",
        kind=kind,
        confidence=conf,
        cue=said(cue) if cue is not None else None,
        rule="sample_rule",
    )


S, A = RelationKind.SUPPORT, RelationKind.ATTACK


def sample_map() -> ArgumentMap:
    """All six roles, support and attack, a two-level tree and one stray claim."""
    units = [
        unit(
            1,
            Role.THESIS,
            "Cities should replace on-street parking with protected bike lanes.",
            cues=["should"],
            confidence=0.9,
            calls_for_action=True,
        ),
        unit(2, Role.CLAIM, "Bike lanes make streets safer for everyone, not only cyclists."),
        unit(
            3,
            Role.EVIDENCE,
            "In Seville, cycling trips rose elevenfold after 80 km of lanes.",
            evidence_type=EvidenceType.STATISTIC,
            cues=["rose", "80 km"],
            confidence=0.85,
        ),
        unit(4, Role.PREMISE, "Fewer cars in a street means fewer serious crashes."),
        unit(
            5,
            Role.OBJECTION,
            "Shop owners argue that removing parking drives customers away.",
            cues=["argue"],
        ),
        unit(
            6,
            Role.EVIDENCE,
            "A Toronto survey found most shoppers arrived on foot or by bike.",
            evidence_type=EvidenceType.EXAMPLE,
            cues=["survey"],
        ),
        unit(
            7,
            Role.RECOMMENDATION,
            "The council should start with a one-year pilot.",
            cues=["should"],
        ),
        unit(8, Role.CLAIM, "Weather makes cycling impractical for half the year.", confidence=0.4),
    ]
    relations = [
        rel(2, 1, S, cue="because"),
        rel(3, 2, S, 0.85, "for example"),
        rel(4, 2, S, 0.6),
        rel(5, 1, A, 0.75, "however"),
        rel(6, 5, A, 0.7, "but"),
        rel(7, 1, S, 0.5),
    ]
    return ArgumentMap(thesis="u1", units=units, relations=relations, unattached=["u8"])


def small_map(text: str = "A claim.", cues: list[str] | None = None) -> ArgumentMap:
    units = [
        unit(1, Role.THESIS, "We should act."),
        unit(2, Role.CLAIM, text, cues=cues or []),
    ]
    return ArgumentMap(thesis="u1", units=units, relations=[rel(2, 1, A, cue=text)])


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ARGMAP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing {path}; run with ARGMAP_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def edges(dot: str) -> list[tuple[str, str, str]]:
    return EDGE_LINE.findall(dot)


def svg_of(m: ArgumentMap, **kw: object) -> ET.Element:
    return ET.fromstring(render_image(to_dot(m, **kw), "svg"))  # type: ignore[arg-type]


def node_groups(svg: ET.Element) -> dict[str, ET.Element]:
    groups = svg.iterfind(".//svg:g[@class='node']", SVG_NS)
    return {g.findtext("svg:title", namespaces=SVG_NS) or "": g for g in groups}


def text_ys(group: ET.Element) -> list[float]:
    return [float(t.get("y", "nan")) for t in group.iterfind(".//svg:text", SVG_NS)]


def text_xs(group: ET.Element) -> list[float]:
    return [float(t.get("x", "nan")) for t in group.iterfind(".//svg:text", SVG_NS)]


# --- goldens and determinism ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("sample.dot", {}),
        ("sample_gray.dot", {"grayscale": True}),
        ("sample_lr_nolegend.dot", {"direction": "LR", "legend": False, "width": 20}),
    ],
)
def test_dot_golden(name: str, kwargs: dict[str, object]) -> None:
    check_golden(name, to_dot(sample_map(), **kwargs))  # type: ignore[arg-type]


def test_empty_map_golden() -> None:
    dot = to_dot(ArgumentMap())
    check_golden("empty.dot", dot)
    assert "cluster_legend" not in dot
    assert "No argument found" in dot


def test_dot_is_deterministic_across_equal_maps() -> None:
    m = sample_map()
    again = ArgumentMap.model_validate_json(m.model_dump_json())
    assert to_dot(m) == to_dot(again) == to_digraph(sample_map()).source


def test_edges_do_not_depend_on_relation_order() -> None:
    m = sample_map()
    shuffled = m.model_copy(update={"relations": list(reversed(m.relations))})
    assert to_dot(shuffled) == to_dot(m)


# --- content -------------------------------------------------------------------


def test_node_ids_are_unit_ids_and_labels_carry_number_role_text() -> None:
    dot = to_dot(sample_map())
    for uid in ("u1", "u2", "u3", "u8"):
        assert re.search(rf"^\t{uid} \[label=", dot, re.MULTILINE)
    assert r'label="1  THESIS · call to action\lCities should replace on-street\l' in dot
    assert r'label="1.1.1  EVIDENCE · statistic\l' in dot
    assert r'label="2  CLAIM\l' in dot


def test_text_is_wrapped_to_width() -> None:
    dot = to_dot(sample_map(), width=12, legend=False)
    label = re.search(r'^\tu1 \[label="([^"]*)"', dot, re.MULTILINE)
    assert label is not None
    lines = label.group(1).split(r"\l")[1:-1]
    assert len(lines) > 3
    assert all(len(line) <= 12 for line in lines)


def test_tooltips_explain_units_and_relations() -> None:
    dot = to_dot(sample_map())
    tip = r"EVIDENCE · statistic\ncues: rose, 80 km\ndecided by: sample_rule\nconfidence: 0.85"
    assert f'tooltip="{tip}\\nline: 3"' in dot
    assert r"cues: none\ndecided by: sample_rule\nconfidence: 0.40\nline: 8\nnot attached" in dot
    edge = r"1.2 attacks 1 (attack)\ncue: however\nconfidence: 0.75\ndecided by: sample_rule"
    assert f'tooltip="{edge}"' in dot
    assert r"THESIS · call to action\ncues: should" in dot


def test_font_is_set_on_graph_nodes_and_edges() -> None:
    dot = to_dot(sample_map())
    head = dot.splitlines()[1:4]
    assert all('fontname="DejaVu Sans"' in line for line in head)
    assert head[1].lstrip().startswith("node") and head[2].lstrip().startswith("edge")


def test_edges_run_target_to_source_drawn_backwards() -> None:
    m = sample_map()
    found = {(a, b) for a, b, attrs in edges(to_dot(m, legend=False)) if "dir=back" in attrs}
    assert found == {(r.target, r.source) for r in m.relations}


def test_attack_edges_are_dashed_with_minus_and_support_solid_with_plus() -> None:
    m = sample_map()
    kinds = {(r.target, r.source): r.kind for r in m.relations}
    for grayscale in (False, True):
        for a, b, attrs in edges(to_dot(m, grayscale=grayscale, legend=False)):
            if kinds[(a, b)] is A:
                assert "style=dashed" in attrs and f'xlabel=" {MINUS} "' in attrs
            else:
                assert "style=solid" in attrs and 'xlabel=" + "' in attrs


def test_colour_mode_uses_six_digit_colours_and_distinct_role_fills() -> None:
    dot = to_dot(sample_map())
    assert not re.search(r"#[0-9A-Fa-f]{3}(?![0-9A-Fa-f])", dot)
    fills = dict(re.findall(r"\tlegend_(\w+) \[.*?fillcolor=\"(#[0-9A-F]{6})\"", dot))
    assert set(fills) == {r.value for r in Role}
    assert len(set(fills.values())) == len(Role)
    assert any(len({c[1:3], c[3:5], c[5:7]}) > 1 for c in fills.values())


def test_grayscale_has_no_colour() -> None:
    dot = to_dot(sample_map(), grayscale=True)
    colours = re.findall(r"#([0-9A-Fa-f]{6})", dot)
    assert colours
    assert all(c[0:2] == c[2:4] == c[4:6] for c in colours)
    assert not re.search(r"color=(?!\"#)", dot)  # no named colours either


def test_grayscale_roles_differ_by_shape_or_border() -> None:
    dot = to_dot(sample_map(), grayscale=True)
    looks = re.findall(r"\tlegend_\w+ \[.*?(peripheries=\d).*?(shape=\w+) (style=\S+)\]", dot)
    assert len(looks) == len(Role) == len(set(looks))


def test_legend_lists_only_roles_present() -> None:
    dot = to_dot(small_map())
    assert "subgraph cluster_legend" in dot
    assert set(re.findall(r"\tlegend_(\w+) \[label=[A-Z]", dot)) == {"thesis", "claim"}


def test_legend_can_be_turned_off() -> None:
    assert "legend" not in to_dot(sample_map(), legend=False)


def test_thesis_gets_the_top_rank() -> None:
    dot = to_dot(sample_map())
    assert "\t\trank=source\n\t\tu1\n" in dot
    no_thesis = sample_map().model_copy(update={"thesis": None})
    assert "rank=source" not in to_dot(no_thesis)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"direction": "BT"}, "direction"),
        ({"direction": "tb"}, "direction"),
        ({"width": 0}, "width"),
    ],
)
def test_bad_options_raise(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        to_dot(sample_map(), **kwargs)  # type: ignore[arg-type]


def label_lines(dot: str, uid: str) -> list[str]:
    """Read a node's label back as dot will: unescape, split at \\l and \\n."""
    found = re.search(rf'^\t{uid} \[label="((?:[^"\\]|\\.)*)"', dot, re.MULTILINE | re.DOTALL)
    assert found is not None, "label is not a quoted (non-HTML) string"
    lines, current = [], ""
    for escaped, char in re.findall(r"\\(.)|([^\\])", found.group(1), flags=re.DOTALL):
        if escaped in ("l", "n"):
            lines.append(current)
            current = ""
        else:
            current += escaped or char
    assert current == "", "label does not end with a line break"
    return lines


SPECIAL_TEXTS = [
    "<b>bold</b>",
    "<>",
    'say "no"',
    'x \\" y',
    "back\\slash\\",
    "\\N \\G \\l",
    "{}[];",
    "a\nb\r\tc",
    "éè — 中文 😀",
]


@pytest.mark.parametrize("text", SPECIAL_TEXTS)
def test_special_text_stays_literal(text: str) -> None:
    lines = label_lines(to_dot(small_map(text), legend=False), "u2")
    assert lines[0] == "1.1  CLAIM"
    assert " ".join(lines[1:]) == " ".join(text.split())


# --- rendered with dot ---------------------------------------------------------------


@needs_dot
@skip_no_dot
@pytest.mark.parametrize("grayscale", [False, True])
def test_thesis_is_drawn_on_top(grayscale: bool) -> None:
    nodes = node_groups(svg_of(sample_map(), grayscale=grayscale))
    thesis_bottom = max(text_ys(nodes.pop("u1")))
    # SVG y grows downwards: every other node, stray claim and key included, is lower.
    assert all(thesis_bottom < min(text_ys(g)) for g in nodes.values())


@needs_dot
@skip_no_dot
def test_every_target_is_above_its_source() -> None:
    m = sample_map()
    nodes = node_groups(svg_of(m))
    for r in m.relations:
        assert max(text_ys(nodes[r.target])) < min(text_ys(nodes[r.source]))


@needs_dot
@skip_no_dot
def test_lr_puts_the_thesis_leftmost() -> None:
    nodes = node_groups(svg_of(sample_map(), direction="LR", legend=False))
    thesis_right = max(text_xs(nodes.pop("u1")))
    assert all(thesis_right < min(text_xs(g)) for g in nodes.values())


@needs_dot
@skip_no_dot
def test_svg_structure() -> None:
    m = sample_map()
    svg = svg_of(m)
    nodes = node_groups(svg)
    legend = [n for n in nodes if n.startswith("legend_")]
    assert len(legend) == len(Role) + 3  # each role + unit/supports/attacks sample
    assert len(nodes) == len(m.units) + len(legend)
    edge_groups = list(svg.iterfind(".//svg:g[@class='edge']", SVG_NS))
    assert len(edge_groups) == len(m.relations) + 2  # + the two sample arrows
    dashed = [
        g.findtext("svg:title", namespaces=SVG_NS)
        for g in edge_groups
        if any(p.get("stroke-dasharray") for p in g.iterfind(".//svg:path", SVG_NS))
    ]
    assert dashed == ["u1->u5", "u5->u6", "legend_unit->legend_attack"]
    titles = [a.get(f"{{{SVG_NS['xlink']}}}title", "") for a in svg.iterfind(".//svg:a", SVG_NS)]
    assert sum(t.startswith(("THESIS", "CLAIM", "EVIDENCE")) for t in titles) == 5
    assert any(t.startswith("1.1.1 supports 1.1") for t in titles)


@needs_dot
@skip_no_dot
@pytest.mark.parametrize("text", SPECIAL_TEXTS)
def test_special_text_is_drawn_literally(text: str) -> None:
    node = node_groups(svg_of(small_map(text), legend=False))["u2"]
    drawn = [t.text or "" for t in node.iterfind(".//svg:text", SVG_NS)]
    assert " ".join(drawn[1:]) == " ".join(text.split())


@needs_dot
@skip_no_dot
def test_empty_map_renders() -> None:
    svg = svg_of(ArgumentMap())
    assert list(node_groups(svg)) == ["empty"]


@needs_dot
@skip_no_dot
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(), cue=st.text(max_size=20))
def test_any_text_renders(text: str, cue: str) -> None:
    m = small_map(text, cues=[cue])
    dot = to_dot(m, width=10)
    assert dot == to_dot(m, width=10)
    svg = svg_of(m, width=10)
    assert set(node_groups(svg)) >= {"u1", "u2"}


def _fan_map(children: int) -> ArgumentMap:
    units = [unit(1, Role.THESIS, "The thesis.")]
    units += [unit(i, Role.PREMISE, f"Reason {i}.") for i in range(2, children + 2)]
    relations = [rel(i, 1, S) for i in range(2, children + 2)]
    return ArgumentMap(thesis="u1", units=units, relations=relations)


def test_wide_fans_are_staggered_over_rows() -> None:
    dot = to_dot(_fan_map(10), legend=False)
    lengths = [int(n) for n in re.findall(r"minlen=(\d+)", dot)]
    assert lengths and max(lengths) == 3
    assert to_dot(_fan_map(3), legend=False).count("minlen") == 0
