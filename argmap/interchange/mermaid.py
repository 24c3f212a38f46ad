"""The map as a Mermaid flowchart, which GitHub, GitLab and Obsidian draw natively.

A ``.mmd`` file (or a fenced ```` ```mermaid ```` block) shows the map in a
README, an issue or a notes vault with no Graphviz. It keeps what matters for
reading: outline numbers and roles in every box, the thesis on top, support as
a solid arrow marked ``+``, attack as a dotted one marked ``−``, roles coloured
with the diagram's Okabe-Ito palette (plus shapes, so it reads in greyscale).

Labels are double-quoted and every character Mermaid or the Markdown/HTML it
renders labels with could take as markup is written as a numeric entity
(``#35;`` for ``#``), so unit text is always shown literally.
"""

from __future__ import annotations

import textwrap
import unicodedata

from argmap.model import ArgumentMap, RelationKind, Role
from argmap.render.numbering import number_units
from argmap.render.outline import role_heading

__all__ = ["escape_label", "to_mermaid"]

# Inside a quoted label '"' would end it and '#' starts an entity; '<' '>' '&'
# are HTML, '*' '_' '`' '~' '\\' Markdown (GitHub renders labels as Markdown)
# and '$' opens KaTeX in recent Mermaid. Brackets are safe between quotes.
_ENTITY_CHARS = frozenset('"#&<>*_`~$\\')
_SHAPES = {
    Role.THESIS: ('(["', '"])'),
    Role.CLAIM: ('("', '")'),
    Role.PREMISE: ('["', '"]'),
    Role.EVIDENCE: ('[/"', '"/]'),
    Role.RECOMMENDATION: ('>"', '"]'),
    Role.OBJECTION: ('{{"', '"}}'),
}
_CLASSES = {
    Role.THESIS: "fill:#A6CEE4,stroke:#0072B2,stroke-width:3px,color:#000000",
    Role.CLAIM: "fill:#CCE8F8,stroke:#56B4E9,color:#000000",
    Role.PREMISE: "fill:#FAF6BD,stroke:#B8A900,color:#000000",
    Role.EVIDENCE: "fill:#B2E2D5,stroke:#009E73,color:#000000",
    Role.RECOMMENDATION: "fill:#EDD0E0,stroke:#CC79A7,color:#000000",
    Role.OBJECTION: "fill:#F4D0B5,stroke:#D55E00,stroke-dasharray:5 3,color:#000000",
}
_LINKS = {
    RelationKind.SUPPORT: ('-->|"+"|', "#0072B2"),
    RelationKind.ATTACK: ('-.->|"\u2212"|', "#D55E00"),
}


def escape_label(text: str) -> str:
    """Make text literal inside a double-quoted Mermaid label.

    Control characters become spaces (Mermaid has no escape for them); the
    markup characters listed above become ``#<code>;`` entities.
    """
    out: list[str] = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs", "Cn"):
            out.append(" ")
        elif ch in _ENTITY_CHARS:
            out.append(f"#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def to_mermaid(m: ArgumentMap, *, width: int = 32, direction: str = "TB") -> str:
    """Write the map as a Mermaid ``flowchart``.

    Args:
        m: The argument map.
        width: Characters per line when wrapping unit text.
        direction: ``"TB"`` (thesis on top) or ``"LR"`` (thesis on the left).

    Returns:
        The flowchart source, ending with a newline. Node ids are the unit ids;
        edges run from a unit to the unit it bears on, as in the map.

    Raises:
        ValueError: If ``direction`` is not TB or LR.
    """
    if direction not in ("TB", "LR"):
        raise ValueError(f"direction must be TB or LR, not {direction!r}")
    # Edges point at their target, so the chart flows *towards* the thesis.
    lines = [f"flowchart {'BT' if direction == 'TB' else 'RL'}"]
    if not m.units:
        return "\n".join([*lines, '  empty["No argument found"]']) + "\n"
    numbers = number_units(m)
    for unit in m.units:
        wrapped = textwrap.wrap(" ".join(unit.text.split()), width=width) or [""]
        heading = f"{numbers[unit.id]} {role_heading(unit)}"
        label = "<br/>".join(escape_label(line) for line in [heading, *wrapped])
        opening, closing = _SHAPES[unit.role]
        lines.append(f"  {unit.id}{opening}{label}{closing}")
    order = {u.id: i for i, u in enumerate(m.units)}
    relations = sorted(m.relations, key=lambda r: (order[r.target], order[r.source]))
    styles: list[str] = []
    for index, rel in enumerate(relations):
        arrow, colour = _LINKS[rel.kind]
        lines.append(f"  {rel.source} {arrow} {rel.target}")
        styles.append(f"  linkStyle {index} stroke:{colour},stroke-width:2px")
    present = [role for role in Role if any(u.role is role for u in m.units)]
    lines += [f"  classDef {role.value} {_CLASSES[role]}" for role in present]
    for role in present:
        ids = ",".join(u.id for u in m.units if u.role is role)
        lines.append(f"  class {ids} {role.value}")
    return "\n".join([*lines, *styles]) + "\n"
