"""The map as an indented Markdown outline.

The outline is the diagram's text twin: same numbers, same tree, readable in a
terminal, a diff or a screen reader, and pasteable into notes or an LMS.
"""

from __future__ import annotations

from argmap.model import ArgumentMap, RelationKind, Role, Unit
from argmap.render.numbering import number_units, primary_relations

__all__ = ["CALL_TO_ACTION", "calls_out", "role_heading", "to_outline"]

CALL_TO_ACTION = "call to action"
"""How every render marks a unit that calls for action but is not a recommendation."""

_MARKERS = {RelationKind.SUPPORT: "(+)", RelationKind.ATTACK: "(\u2212)"}


def calls_out(unit: Unit) -> bool:
    """Whether a render must say that the unit calls for action.

    A recommendation says so by its role; a thesis or claim that recommends
    ("The council must act now.") would hide it, so it gets the marker.
    """
    return unit.calls_for_action and unit.role is not Role.RECOMMENDATION


def role_heading(unit: Unit) -> str:
    """Return the role as shown to readers, e.g. ``EVIDENCE · statistic``.

    Shared with the diagram so that both renders name a unit's role alike; a
    unit that calls for action without being a recommendation reads
    ``THESIS · call to action``.
    """
    heading = unit.role.value.upper()
    if unit.evidence_type is not None:
        heading += f" \u00b7 {unit.evidence_type.value}"
    if calls_out(unit):
        heading += f" \u00b7 {CALL_TO_ACTION}"
    return heading


def to_outline(m: ArgumentMap) -> str:
    """Render the map as a nested Markdown list following the numbering tree.

    Each unit is one line, ``- 1.2 (+) **CLAIM** text``, indented two spaces
    per level; the ``(+)``/``(\u2212)`` (minus sign) marker says how it bears on its parent, so
    the outline keeps the diagram's solid/dashed distinction in plain text.
    When the map has a thesis, every tree not hanging from it is listed after
    an ``Unattached:`` line, because those units are exactly what the reader
    should look at twice. Whitespace inside a unit's text is collapsed so
    that every unit stays one list item.

    Args:
        m: The argument map.

    Returns:
        The outline, ending with a newline.
    """
    if not m.units:
        return "_No argument found._\n"
    numbers = number_units(m)
    primary = primary_relations(m)
    main: list[str] = []
    rest: list[str] = []
    in_main = False
    for uid, number in numbers.items():
        depth = number.count(".")
        if depth == 0:
            in_main = m.thesis is None or uid == m.thesis
        unit = m.unit(uid)
        marker = f"{_MARKERS[primary[uid].kind]} " if depth else ""
        text = " ".join(unit.text.split())
        line = f"{'  ' * depth}- {number} {marker}**{role_heading(unit)}** {text}".rstrip()
        (main if in_main else rest).append(line)
    lines = [*main, "", "Unattached:", "", *rest] if rest else main
    return "\n".join(lines) + "\n"
