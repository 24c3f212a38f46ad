"""Classroom, print and worksheet looks for the diagram, and a layout that stays put.

The default diagram is tuned for a screen. A projector wants large type and a
thesis that reads as a banner; a photocopier wants no colour at all (solid
support, dashed attack, boxed +/− badges); a worksheet wants the same boxes
and arrows with room to write. :mod:`argmap.render.dot` asks this module for
the numbers and labels of each look.

Every preset also lays the map out *stably*, so that re-rendering after a
small edit keeps the rest of the map in place: ``ordering=out`` fixes each
unit's children left to right in text order (edges are emitted in text
order), and the rows a wide fan of reasons is spread over are keyed on each
unit's own text, not on its position among its siblings, so inserting or
editing one reason does not move the others to other rows. Nothing in the
layout depends on unit ids, which shift when a sentence is inserted.
(The default look keeps its older, position-keyed staggering so that its
golden files stay byte-identical.)
"""

from __future__ import annotations

import textwrap
import zlib
from dataclasses import dataclass

import graphviz

from argmap.model import ArgumentMap, Relation, RelationKind

__all__ = [
    "PRESETS",
    "STYLES",
    "Preset",
    "add_more",
    "badge",
    "blank_lines",
    "stable_stagger",
]

STYLES = ("default", "classroom", "print")
_FAN_OUT = 4
_MAX_STAGGER = 6
_KEY_WORDS = 4  # a reason's row is keyed on its first words, which small edits rarely touch


@dataclass(frozen=True)
class Preset:
    """The numbers and switches of one look."""

    fontsize: str = "14"
    edge_fontsize: str = "18"
    legend_fontsize: str = "12"
    nodesep: str = "0.35"
    ranksep: str = "0.5"
    grayscale: bool = False
    force_legend: bool = False
    badges: bool = False
    thesis_fontsize: str | None = None
    thesis_width: int = 1  # the thesis wraps at this many times the width


PRESETS: dict[str, Preset] = {
    "default": Preset(),
    "classroom": Preset(
        fontsize="20",
        edge_fontsize="24",
        legend_fontsize="18",
        nodesep="0.45",
        ranksep="0.7",
        force_legend=True,
        thesis_fontsize="28",
        thesis_width=2,
    ),
    "print": Preset(grayscale=True, badges=True),
}


def stable_stagger(m: ArgumentMap, relations: list[Relation]) -> dict[tuple[str, str], int]:
    """Edge lengths for wide fans, keyed on each child's own text.

    Like the default staggering (a thesis with twenty reasons spread over a
    few rows instead of one very wide one), but a reason's row comes from a
    checksum of its first words, so it stays in its row when a sibling is
    inserted, removed or edited, and when its own wording changes further on.
    """
    texts = {u.id: " ".join(u.text.casefold().split()[:_KEY_WORDS]) for u in m.units}
    children: dict[str, list[str]] = {}
    for rel in relations:
        children.setdefault(rel.target, []).append(rel.source)
    lengths: dict[tuple[str, str], int] = {}
    for target, sources in children.items():
        if len(sources) <= _FAN_OUT:
            continue
        rows = min(_MAX_STAGGER, -(-len(sources) // _FAN_OUT))
        for source in sources:
            lengths[(target, source)] = 1 + zlib.crc32(texts[source].encode("utf-8")) % rows
    return lengths


def blank_lines(text: str, width: int) -> list[str]:
    """Writing lines for a worksheet box: as many as the text would take (2 to 6).

    The box keeps about the size it has when filled, so the worksheet has the
    same shape as the answer key.
    """
    words = text.split()[: 6 * (width // 2 + 1) + 1]  # enough for six lines: a box has no more
    count = len(textwrap.wrap(" ".join(words), width=width))
    return ["_" * width] * max(2, min(6, count))


def badge(kind: RelationKind) -> str:
    """A boxed +/− edge badge (an HTML-like label) that prints clearly in black."""
    mark = "+" if kind is RelationKind.SUPPORT else "\u2212"
    html = (
        '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
        f'BGCOLOR="#FFFFFF" COLOR="#000000"><TR><TD><B> {mark} </B></TD></TR></TABLE>'
    )
    return f"<{html}>"


def add_more(g: graphviz.Digraph, uid: str, count: int, *, fontsize: str) -> None:
    """Stand in for a folded subtree: a dashed grey "+N more" box under its unit."""
    name = f"more_{uid}"
    g.node(
        name,
        label=graphviz.nohtml(f"+{count} more"),
        shape="box",
        style="rounded,dashed",
        color="#808080",
        fontcolor="#404040",
        fontsize=fontsize,
    )
    g.edge(uid, name, dir="back", style="dotted", color="#808080", arrowhead="none")
