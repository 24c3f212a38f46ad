"""The map as a Graphviz diagram (DOT), built only through ``graphviz.Digraph``.

The diagram is what an instructor projects, so it is laid out for reading from
a distance: the thesis alone on the top rank with a double, thick border;
arrows that point from a unit to the unit it bears on; roles told apart by
colour (Okabe-Ito tints, safe for colour-blind viewers) *and* by shape and
border, and written in every node, so a greyscale print loses nothing.

Building the graph is pure Python; running ``dot`` lives in
:mod:`argmap.render.image` only. Output is deterministic: nodes in document
order, edges sorted, no generated ids.
"""

from __future__ import annotations

import itertools
import textwrap
import unicodedata
from dataclasses import dataclass

import graphviz

from argmap.model import ArgumentMap, Relation, RelationKind, Role, Unit
from argmap.render.numbering import collapse, number_units
from argmap.render.outline import role_heading
from argmap.render.presets import (
    PRESETS,
    STYLES,
    Preset,
    add_more,
    badge,
    blank_lines,
    stable_stagger,
)

__all__ = [
    "DIRECTIONS",
    "EDGE_STYLES",
    "MAX_LABEL_LINES",
    "ROLE_STYLES",
    "STYLES",
    "EdgeStyle",
    "RoleStyle",
    "to_digraph",
    "to_dot",
]

DIRECTIONS = ("TB", "LR")
_FONT = "DejaVu Sans"
_MINUS = "\u2212"


@dataclass(frozen=True)
class RoleStyle:
    shape: str
    style: str
    fill: str
    border: str
    gray_fill: str
    penwidth: str = "1.5"
    peripheries: str = "1"


# Fills are Okabe-Ito colours mixed with white (30-35%) so black text stays
# legible; borders are the full Okabe-Ito colour. Only 6-digit hex: Graphviz
# renders some 3-digit forms as black.
ROLE_STYLES: dict[Role, RoleStyle] = {
    Role.THESIS: RoleStyle("box", "rounded,filled,bold", "#A6CEE4", "#0072B2", "#D9D9D9", "3", "2"),
    Role.CLAIM: RoleStyle("box", "rounded,filled", "#CCE8F8", "#56B4E9", "#FFFFFF"),
    Role.PREMISE: RoleStyle("box", "filled", "#FAF6BD", "#B8A900", "#FFFFFF"),
    Role.EVIDENCE: RoleStyle("note", "filled", "#B2E2D5", "#009E73", "#F2F2F2"),
    Role.RECOMMENDATION: RoleStyle("cds", "filled", "#EDD0E0", "#CC79A7", "#FFFFFF"),
    Role.OBJECTION: RoleStyle("box", "filled,dashed", "#F4D0B5", "#D55E00", "#E6E6E6", "2"),
}


@dataclass(frozen=True)
class EdgeStyle:
    style: str
    color: str
    gray: str
    marker: str
    verb: str
    penwidth: str


EDGE_STYLES: dict[RelationKind, EdgeStyle] = {
    RelationKind.SUPPORT: EdgeStyle("solid", "#0072B2", "#000000", "+", "supports", "1.8"),
    RelationKind.ATTACK: EdgeStyle("dashed", "#D55E00", "#000000", _MINUS, "attacks", "2.2"),
}


def _clean(text: str) -> str:
    """Blank out control, surrogate and unassigned characters.

    ``dot`` copies them into SVG, where they make the XML invalid. Printable
    text has none of them, and most text is printable: it is returned as is.
    """
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Cn") else ch for ch in text)


def _esc_lines(lines: list[str]) -> str:
    r"""Join lines as a left-justified DOT label, user text made literal.

    ``graphviz.escape`` doubles backslashes (so ``\n`` in a unit's text stays
    text) and marks the string as not-HTML, so ``<...>`` is never taken as an
    HTML label; our own ``\l`` line ends are added after escaping.
    """
    label: str = graphviz.nohtml("".join(graphviz.escape(_clean(ln)) + "\\l" for ln in lines))
    return label


def _tooltip(lines: list[str]) -> str:
    tip: str = graphviz.nohtml("\\n".join(graphviz.escape(_clean(ln)) for ln in lines))
    return tip


def _node_attrs(role: Role, *, grayscale: bool) -> dict[str, str]:
    s = ROLE_STYLES[role]
    return {
        "shape": s.shape,
        "style": s.style,
        "fillcolor": s.gray_fill if grayscale else s.fill,
        "color": "#000000" if grayscale else s.border,
        "penwidth": s.penwidth,
        "peripheries": s.peripheries,
    }


def _edge_attrs(kind: RelationKind, *, grayscale: bool, badges: bool = False) -> dict[str, str]:
    """Style an edge; the plus/minus marker is an xlabel, which adds no rank."""
    s = EDGE_STYLES[kind]
    color = s.gray if grayscale else s.color
    # The edge is declared target -> source so the target ranks above its
    # source (thesis on top); dir=back draws the arrowhead at the target.
    return {
        "dir": "back",
        "style": s.style,
        "color": color,
        "fontcolor": color,
        "penwidth": s.penwidth,
        "xlabel": badge(kind) if badges else f" {s.marker} ",
    }


MAX_LABEL_LINES = 40
"""The most lines of text a box shows; a longer unit ends with "… (+N words)".

A unit can be a whole unpunctuated page: drawn in full, its box made Graphviz
take minutes and gigabytes (and a useless image). The map's text, outline
and JSON keep every word.
"""


def _unit_label(unit: Unit, number: str, width: int) -> str:
    words = _clean(unit.text).split()
    # A line holds at most width // 2 + 1 words, so these are all the lines that can show.
    wrapped = textwrap.wrap(" ".join(words[: MAX_LABEL_LINES * (width // 2 + 1) + 1]), width=width)
    if len(wrapped) > MAX_LABEL_LINES:
        wrapped = wrapped[: MAX_LABEL_LINES - 1]
        rest = len(words) - sum(len(line.split()) for line in wrapped)
        wrapped.append(f"\u2026 (+{rest:,} words)")
    return _esc_lines([f"{number}  {role_heading(unit)}", *wrapped])


def _unit_tooltip(unit: Unit, m: ArgumentMap) -> str:
    cues = ", ".join(c.description or c.kind.value for c in unit.cues) or "none"
    lines = [
        role_heading(unit),
        f"cues: {cues}",
        f"confidence: {unit.confidence:.2f}",
        f"line: {unit.line}",
    ]
    if unit.rule:
        lines.insert(2, f"decided by: {unit.rule}")
    if unit.id in m.unattached:
        lines.append("not attached to the argument")
    return _tooltip(lines)


def _edge_tooltip(rel: Relation, numbers: dict[str, str]) -> str:
    verb = EDGE_STYLES[rel.kind].verb
    return _tooltip(
        [
            f"{numbers[rel.source]} {verb} {numbers[rel.target]} ({rel.kind.value})",
            f"cue: {_cue_text(rel)}",
            f"confidence: {rel.confidence:.2f}",
            *([f"decided by: {rel.rule}"] if rel.rule else []),
            *(["a fallback: no cue, attached where it had to go"] if rel.fallback else []),
        ]
    )


def _cue_text(rel: Relation) -> str:
    if rel.cue is None:
        return "none"
    return rel.cue.description or rel.cue.kind.value


def _sorted_relations(m: ArgumentMap) -> list[Relation]:
    order = {u.id: i for i, u in enumerate(m.units)}
    indexed = sorted(
        enumerate(m.relations),
        key=lambda p: (order[p[1].target], order[p[1].source], p[1].kind.value, p[0]),
    )
    return [rel for _, rel in indexed]


def _add_legend(
    g: graphviz.Digraph, m: ArgumentMap, *, grayscale: bool, look: Preset = PRESETS["default"]
) -> None:
    """Add a ``cluster_legend`` key: the roles present and both arrow styles.

    Roles sit two to a row, then a sample "unit" with a supporting and an
    attacking unit below it, drawn exactly like the argument's own arrows.
    Argument trees come out wide and flat, so a narrow key beside them keeps
    the picture closer to a projector's shape than a wide key would.
    """
    present = [f"legend_{role.value}" for role in Role if any(u.role is role for u in m.units)]
    rows = [present[i : i + 2] for i in range(0, len(present), 2)]
    rows += [["legend_unit"], ["legend_support", "legend_attack"]]
    with g.subgraph(name="cluster_legend") as lg:
        key_size = str(int(look.legend_fontsize) + 2)
        lg.attr(
            label="Key", style="rounded,dashed", color="#808080", fontsize=key_size, labeljust="l"
        )
        for name in present:
            role = Role(name.removeprefix("legend_"))
            attrs = _node_attrs(role, grayscale=grayscale)
            lg.node(name, label=role.value.upper(), fontsize=look.legend_fontsize, **attrs)
        plain = {"shape": "plaintext", "fontsize": look.legend_fontsize}
        lg.node("legend_unit", label="unit", **plain)
        lg.node("legend_support", label="supports it", **plain)
        lg.node("legend_attack", label="attacks it", **plain)
        for i, row in enumerate(rows):
            with lg.subgraph(name=f"legend_row{i}") as r:
                r.attr(rank="same")
                for name in row:
                    r.node(name)
            # Flat invisible edges fix the left-to-right order within a row.
            for left, right in itertools.pairwise(row):
                lg.edge(left, right, style="invis")
        for above, below in itertools.pairwise(rows[:-1]):
            lg.edge(above[0], below[0], style="invis")
        for kind in (RelationKind.SUPPORT, RelationKind.ATTACK):
            attrs = _edge_attrs(kind, grayscale=grayscale, badges=look.badges)
            lg.edge("legend_unit", f"legend_{kind.value}", **attrs)


def _check_options(direction: str, width: int, style: str, max_depth: int | None) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
    if max_depth is not None and max_depth < 0:
        raise ValueError(f"max_depth must be 0 or more, not {max_depth}")


def _preset_label(unit: Unit, number: str, width: int, *, blank: bool, look: Preset) -> str:
    """A node label under a preset: a worksheet box, or a wider thesis banner."""
    if blank:
        return _esc_lines([number, *blank_lines(unit.text, width)])
    if unit.role is Role.THESIS:
        return _unit_label(unit, number, width * look.thesis_width)
    return _unit_label(unit, number, width)


def to_digraph(
    m: ArgumentMap,
    *,
    grayscale: bool = False,
    direction: str = "TB",
    width: int = 32,
    legend: bool = True,
    style: str = "default",
    blank: bool = False,
    max_depth: int | None = None,
) -> graphviz.Digraph:
    """Build the argument diagram as a ``graphviz.Digraph`` (no ``dot`` run).

    Args:
        m: The argument map.
        grayscale: Use only black, white and greys; roles stay distinct by
            shape, border and the role name in each node (for print).
        direction: ``"TB"`` (thesis on top) or ``"LR"`` (thesis on the left).
        width: Characters per line when wrapping unit text.
        legend: Add a key of the roles present and the two arrow styles.
        style: ``"default"``; ``"classroom"`` (large type, thesis banner,
            always a key) for projecting; ``"print"`` (greyscale, boxed +/−
            badges) for photocopies.
        blank: A worksheet: the same numbered boxes and arrows, with writing
            lines instead of the units' text (and no tooltips that would
            give the text away).
        max_depth: Show levels 0..N of the outline only; each unit at level
            N with units below it gets a "+k more" box.

    Returns:
        The graph; node names are the unit ids.

    Raises:
        ValueError: If ``direction`` is not TB or LR, ``width`` < 1, the style
            is unknown or ``max_depth`` < 0.
    """
    _check_options(direction, width, style, max_depth)
    look = PRESETS[style]
    gray = grayscale or look.grayscale
    g = graphviz.Digraph(name="argmap")
    g.attr(
        rankdir=direction,
        fontname=_FONT,
        bgcolor="#FFFFFF",
        nodesep=look.nodesep,
        ranksep=look.ranksep,
        ordering="out",
    )
    g.attr("node", fontname=_FONT, fontsize=look.fontsize, margin="0.15,0.1", fontcolor="#000000")
    g.attr("edge", fontname=_FONT, fontsize=look.edge_fontsize, arrowsize="1.1")
    if not m.units:
        g.node("empty", label="No argument found", shape="plaintext", fontsize="18")
        return g

    numbers = number_units(m)
    shown_ids, hidden = collapse(numbers, max_depth)
    shown = set(shown_ids)
    for unit in m.units:
        if unit.id not in shown:
            continue
        number = numbers[unit.id]
        attrs = _node_attrs(unit.role, grayscale=gray)
        label = _preset_label(unit, number, width, blank=blank, look=look)
        tip = {} if blank else {"tooltip": _unit_tooltip(unit, m)}
        if unit.role is Role.THESIS and look.thesis_fontsize is not None:
            attrs = {**attrs, "fontsize": look.thesis_fontsize, "penwidth": "4"}
        g.node(unit.id, label=label, **tip, **attrs)
    if m.thesis is not None:
        with g.subgraph(name="thesis_rank") as top:
            top.attr(rank="source")
            top.node(m.thesis)
    relations = [r for r in _sorted_relations(m) if r.source in shown and r.target in shown]
    lengths = stable_stagger(m, relations)
    for rel in relations:
        length = lengths.get((rel.target, rel.source), 1)
        tip = {} if blank else {"tooltip": _edge_tooltip(rel, numbers)}
        g.edge(
            rel.target,
            rel.source,
            **tip,
            **({"minlen": str(length)} if length > 1 else {}),
            **_edge_attrs(rel.kind, grayscale=gray, badges=look.badges),
        )
    for uid in shown_ids:
        if uid in hidden:
            add_more(g, uid, hidden[uid], fontsize=look.fontsize)
    if legend or look.force_legend:
        _add_legend(g, m, grayscale=gray, look=look)
    return g


def to_dot(
    m: ArgumentMap,
    *,
    grayscale: bool = False,
    direction: str = "TB",
    width: int = 32,
    legend: bool = True,
    style: str = "default",
    blank: bool = False,
    max_depth: int | None = None,
) -> str:
    """Return the DOT source of :func:`to_digraph` (same arguments).

    DOT is the stable, diffable product (golden-file tested); images are made
    from it by :func:`argmap.render.image.render_image`.
    """
    g = to_digraph(
        m,
        grayscale=grayscale,
        direction=direction,
        width=width,
        legend=legend,
        style=style,
        blank=blank,
        max_depth=max_depth,
    )
    source: str = g.source
    return source
