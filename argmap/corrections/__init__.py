"""Hand corrections that survive re-analysis: a small YAML file of fixes by quote.

An instructor who disagrees with argmap (a wrong thesis, a reason under the
wrong claim) writes the fix once, in a file next to the piece, and every later
run applies it, even after the draft is edited and re-analysed. Units are
named by a short quote of their text, never by id: ids ``u1..uN`` shift when a
sentence is inserted, quotes do not. An entry whose quote no longer names
exactly one unit is reported, never silently skipped.

The file (JSON Schema: ``argmap/corrections/schema.json``)::

    version: 1
    corrections:
      - unit: "strengthen the hand"    # a few words found in that unit only
        thesis: true                   # the author's main claim
      - unit: "it also means"
        attach-to: "strengthen the hand"
        kind: support                  # or attack
      - unit: "submit or face"
        role: premise                  # thesis|claim|premise|evidence|recommendation|objection
      - unit: "or consider the"
        evidence-type: example         # statistic|testimony|example (implies role: evidence)
      - unit: "what restrictions is"
        drop: true                     # not part of the argument
      - unit: "but now there is"
        merge-with: "reports of north" # one unit, not two

Entries apply in a fixed order (thesis, role, attach-to/kind, merge-with,
drop), each to the units its quotes named in the map as analysed. A new
thesis is cut loose from its old target and the former thesis supports it.
Merged neighbours become one span of text; merged distant units (the same
claim made twice) keep the surviving unit's text; the thesis always survives.
A dropped unit's supporters and attackers move up to its target (signs
multiply, as in the outline's (+)/(−)). Changed units and relations get
confidence 1.0, rule ``correction`` and a cue of kind ``correction`` that says
what was done; a role set by hand also decides ``calls_for_action``. Units are
then renumbered ``u1..uN`` in text order (rivals of the thesis follow).
"""

from __future__ import annotations

from pathlib import Path

from argmap.corrections.apply import Resolved, apply_entries
from argmap.corrections.model import (
    Correction,
    CorrectionsFile,
    load_corrections,
    parse_corrections,
    schema,
)
from argmap.corrections.quotes import explain_in_source, find_unit
from argmap.corrections.starter import starter_file
from argmap.model import ArgumentMap

__all__ = [
    "Correction",
    "CorrectionsFile",
    "apply_corrections",
    "find_unit",
    "load_corrections",
    "parse_corrections",
    "schema",
    "starter_file",
]


def apply_corrections(
    m: ArgumentMap,
    source_text: str | None,
    corrections: str | Path | CorrectionsFile,
    *,
    name: str | None = None,
) -> tuple[ArgumentMap, list[str]]:
    """Apply a corrections file to a map.

    Args:
        m: The map, fresh from :func:`argmap.analyze` or loaded from a file.
        source_text: The analysed text, if there is one: a quote that is in
            the text but in no single unit is then explained (it spans two
            units, or lies in a title or byline argmap set aside).
        corrections: A corrections file path or an already parsed file.
        name: The file's name in messages (default: the path).

    Returns:
        The corrected map, and one warning (``FILE: entry N (unit '...'): why``)
        per entry, or part of an entry, that could not be applied.

    Raises:
        InputError: If the file cannot be read or does not follow the schema.
    """
    if isinstance(corrections, CorrectionsFile):
        parsed, label = corrections, name or "corrections"
    else:
        parsed, label = load_corrections(corrections), name or str(corrections)

    def where(index: int) -> str:
        return f"{label}: entry {index + 1} (unit {parsed.corrections[index].unit!r})"

    resolved: list[Resolved] = []
    warnings: list[str] = []
    for index, entry in enumerate(parsed.corrections):
        uid, why = find_unit(m, entry.unit)
        if uid is None:
            warnings.append(f"{where(index)} {why}{explain_in_source(m, source_text, entry.unit)}")
            continue
        targets: dict[str, str | None] = {}
        for key, quote in (("attach-to", entry.attach_to), ("merge-with", entry.merge_with)):
            targets[key] = None
            if quote is not None:
                targets[key], why = find_unit(m, quote)
                if targets[key] is None:
                    warnings.append(f"{where(index)}: {key} {quote!r} {why}")
        resolved.append(Resolved(index, entry, uid, targets["attach-to"], targets["merge-with"]))
    corrected, problems = apply_entries(m, resolved, source_text=source_text)
    warnings += [f"{where(index)}: {problem}" for index, problem in problems]
    return corrected, warnings
