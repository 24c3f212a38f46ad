"""The map as an indented Markdown outline.

The outline is the diagram's text twin: same numbers, same tree, readable in a
terminal, a diff or a screen reader, and pasteable into notes or an LMS.
"""

from __future__ import annotations

from argmap.model import ArgumentMap, CueKind, Relation, RelationKind, Role, Unit
from argmap.render.numbering import MAX_PARTS, number_units, primary_relations
from argmap.render.numbering import depth as number_depth

__all__ = [
    "CALL_TO_ACTION",
    "MAX_INDENT",
    "REASONS_SHOWN",
    "calls_out",
    "reasons_line",
    "role_heading",
    "to_outline",
]

CALL_TO_ACTION = "call to action"
"""How every render marks a unit that calls for action but is not a recommendation."""

REASONS_SHOWN = 3
"""How many of a unit's reasons ``to_outline(..., reasons=True)`` shows."""

MAX_INDENT = MAX_PARTS - 1
"""The deepest indentation (in levels): deeper units sit at it, their numbers say where."""

_MARKERS = {RelationKind.SUPPORT: "(+)", RelationKind.ATTACK: "(\u2212)"}
_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\*_`"})


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


def reasons_line(unit: Unit, relation: Relation | None = None, *, top: int = REASONS_SHOWN) -> str:
    """A unit's strongest reasons and the rule of the relation it hangs by, in words.

    The reasons are the first ``top`` of the unit's cues (the deciding ones
    come first, a scorer's strongest feature first), each as its
    ``description``: "modal verb 'should' +1.4 · in the first paragraph
    +2.8". A rival for the thesis is not a reason for the role, so it is left
    out. The relation's rule follows a dash ("— linked by
    `evidence_backs_claim`"), marked as a fallback when the linker only
    guessed. Empty when the map records neither (a hand-made map).
    """
    said: list[str] = []
    for cue in unit.cues:
        if cue.kind is CueKind.RIVAL:
            continue
        words = " ".join((cue.description or cue.words or cue.kind.value).split())
        if words not in said:
            said.append(words)
        if len(said) == top:
            break
    line = " \u00b7 ".join(said).translate(_MARKDOWN_SPECIAL)
    if relation is not None and relation.rule:
        rule = relation.rule.replace("`", "'")
        link = f"linked by `{rule}`" + (" (fallback)" if relation.fallback else "")
        line = f"{line} \u2014 {link}" if line else link
    return line


def to_outline(m: ArgumentMap, *, reasons: bool = False) -> str:
    """Render the map as a nested Markdown list following the numbering tree.

    Each unit is one line, ``- 1.2 (+) **CLAIM** text``, indented two spaces
    per level down to ``MAX_INDENT`` levels (a long chain would otherwise make
    the outline quadratic in its length; deeper units stay at that indentation
    and their numbers say how deep they are); the ``(+)``/``(\u2212)`` (minus
    sign) marker says how it bears on its parent, so the outline keeps the
    diagram's solid/dashed distinction in plain text.
    When the map has a thesis, every tree not hanging from it is listed after
    an ``Unattached:`` line, because those units are exactly what the reader
    should look at twice. Whitespace inside a unit's text is collapsed so
    that every unit stays one list item.

    Args:
        m: The argument map.
        reasons: Under each unit line, one italic line (a continuation of its
            list item) with ``reasons_line``: why it has its role and which
            rule hangs it where it is, so a reader can ask "why?" without
            opening the JSON.

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
    units = {u.id: u for u in m.units}
    for uid, number in numbers.items():
        depth = number_depth(number)
        if depth == 0:
            in_main = m.thesis is None or uid == m.thesis
        unit = units[uid]
        marker = f"{_MARKERS[primary[uid].kind]} " if depth else ""
        text = " ".join(unit.text.split())
        into = main if in_main else rest
        indent = "  " * min(depth, MAX_INDENT)
        into.append(f"{indent}- {number} {marker}**{role_heading(unit)}** {text}".rstrip())
        why = reasons_line(unit, primary[uid] if depth else None) if reasons else ""
        if why:
            into.append(f"{indent}  *{why}*")
    lines = [*main, "", "Unattached:", "", *rest] if rest else main
    return "\n".join(lines) + "\n"
