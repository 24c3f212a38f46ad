"""A commented starter corrections file, written from the current map.

Writing YAML by hand is where a teacher would give up, so ``argmap
corrections init`` lists every unit as it stands, as a ready entry with a
quote that names it, commented out. Uncommenting an entry unchanged changes
nothing; editing one line of it is a correction.
"""

from __future__ import annotations

import json

from argmap.corrections.quotes import QuoteIndex, choose_quote
from argmap.model import ArgumentMap, Role
from argmap.render.numbering import number_units, primary_relations
from argmap.render.outline import role_heading

__all__ = ["starter_file"]

_HEADER = """\
# argmap corrections{for_source}
#
# Each entry names a unit by a short quote (a few words found in that unit
# only; case, spacing and curly vs straight quotes do not matter, and ...
# stands for any text) and says what to change:
#
#   thesis: true              make it the thesis (the old thesis then supports it)
#   role: claim               thesis, claim, premise, evidence, recommendation or objection
#   evidence-type: example    statistic, testimony or example (implies role: evidence)
#   attach-to: "<quote>"      the unit it bears on ...
#   kind: support             ... and how: support or attack
#   merge-with: "<quote>"     it and that unit are one unit
#   drop: true                it is not part of the argument
#
# Apply with:  argmap render PIECE --corrections THIS-FILE -o map.svg
# An entry that no longer matches exactly one unit is reported, not ignored.
#
# Below, every unit of the current map is listed as it stands, commented out.
# To correct one, uncomment its entry (delete the first '#' of each line)
# and edit it; entries left as they are change nothing.
"""


def _excerpt(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def starter_file(m: ArgumentMap, *, source: str | None = None) -> str:
    """Write the commented starter file for a map.

    Args:
        m: The map as analysed.
        source: The piece's file name, recorded in the file.

    Returns:
        YAML text that parses to a corrections file with no entries.
    """
    lines = [_HEADER.format(for_source=f" for {source}" if source else "").rstrip("\n")]
    lines += ["version: 1"]
    if source:
        lines.append(f"source: {_quoted(source)}")
    lines.append("corrections:")
    numbers = number_units(m)
    primary = primary_relations(m)
    index = QuoteIndex(m)
    quotes = {uid: choose_quote(m, uid, index=index) for uid in numbers}
    units = {u.id: u for u in m.units}
    for uid, number in numbers.items():
        unit = units[uid]
        rel = primary.get(uid)
        how = f", {rel.kind.value}s {numbers[rel.target]}" if rel is not None else ""
        if rel is None and uid != m.thesis:
            how = ", not attached"
        lines.append(f"#  # {number} {role_heading(unit)}{how}: {_excerpt(unit.text)}")
        lines.append(f"#  - unit: {_quoted(quotes[uid])}")
        if uid == m.thesis:
            lines.append("#    thesis: true")
        else:
            lines.append(f"#    role: {unit.role.value}")
            if unit.role is Role.EVIDENCE and unit.evidence_type is not None:
                lines.append(f"#    evidence-type: {unit.evidence_type.value}")
            if rel is not None:
                lines.append(f"#    attach-to: {_quoted(quotes[rel.target])}")
                lines.append(f"#    kind: {rel.kind.value}")
        lines.append("#")
    return "\n".join(lines) + "\n"
