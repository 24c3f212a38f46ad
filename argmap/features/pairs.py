"""Named features of a (unit, candidate head) pair: the inputs of the attachment scorer.

A unit bears on a nearby unit of its own paragraph far more often than on a
distant one, on the thesis when it is a main point, and on the unit its
connective points to ("because" looks back, "so" looks forward). These are
structure and discourse, never topic words: the direction and distance, the
paragraph, the roles at both ends, the source's opening connective, the words
the two units share, and what the rule-based linker chose (so a learned
weight can keep the rules' good links).

Candidates are bounded so that mapping stays linear in the number of units:
the units of the same paragraph (at most ``WINDOW`` either side), the thesis,
and the first unit of the paragraphs before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from argmap.model import RelationKind

if TYPE_CHECKING:
    from argmap.classify import Classified
    from argmap.link import Link

__all__ = ["WINDOW", "PairFeatures", "candidate_heads", "pair_features"]

WINDOW = 6
"""How many units either side, within the paragraph, a unit may attach to."""

PairFeatures = dict[str, float]


def _paragraph_firsts(units: Sequence[Classified]) -> dict[int, int]:
    firsts: dict[int, int] = {}
    for i, unit in enumerate(units):
        firsts.setdefault(unit.segment.block, i)
    return firsts


def candidate_heads(units: Sequence[Classified], thesis: int | None) -> list[list[int]]:
    """For every unit, the units it may attach to (never itself), in document order."""
    firsts = _paragraph_firsts(units)
    blocks = sorted(firsts)
    rank = {block: r for r, block in enumerate(blocks)}
    out: list[list[int]] = []
    for i, unit in enumerate(units):
        block = unit.segment.block
        found = {
            j
            for j in range(max(0, i - WINDOW), min(len(units), i + WINDOW + 1))
            if units[j].segment.block == block
        }
        r = rank[block]
        for near in (r - 1, r + 1):
            if 0 <= near < len(blocks):
                found.add(firsts[blocks[near]])
        if thesis is not None:
            found.add(thesis)
        found.discard(i)
        out.append(sorted(found))
    return out


def _distance(d: int) -> str:
    if abs(d) == 1:
        return "next" if d > 0 else "previous"
    if abs(d) <= 3:
        return "near_after" if d > 0 else "near_before"
    return "far_after" if d > 0 else "far_before"


def pair_features(
    units: Sequence[Classified],
    i: int,
    j: int,
    *,
    thesis: int | None,
    rule_link: Link | None,
) -> PairFeatures:
    """The features of "unit ``i`` bears on unit ``j``"."""
    src, tgt = units[i], units[j]
    d = j - i
    row: PairFeatures = {f"distance:{_distance(d)}": 1.0}
    same_block = src.segment.block == tgt.segment.block
    if same_block:
        row["same_paragraph"] = 1.0
    if src.segment.sentence == tgt.segment.sentence:
        row["same_sentence"] = 1.0
    if j == thesis:
        row["target:thesis"] = 1.0
        row["target:thesis&" + ("same_paragraph" if same_block else "other_paragraph")] = 1.0
    if j == 0 or units[j - 1].segment.block != tgt.segment.block:
        row["target:opens_paragraph"] = 1.0
    row[f"source_role:{src.decision.role.value}"] = 1.0
    row[f"target_role:{tgt.decision.role.value}"] = 1.0
    row[f"roles:{src.decision.role.value}>{tgt.decision.role.value}"] = 1.0
    opener = src.features.opener
    if opener is not None:
        row[f"source_opener:{opener[0]}&{'after' if d > 0 else 'before'}"] = 1.0
    if src.segment.split_cue and d == -1:
        row["source_split_from_previous"] = 1.0
    shared = len(src.features.content_lemmas & tgt.features.content_lemmas)
    if shared:
        row["shared_words"] = min(shared, 5) / 5
    if rule_link is not None and rule_link.target == j:
        row["rule_link:fallback" if rule_link.fallback else "rule_link"] = 1.0
        if rule_link.kind is RelationKind.ATTACK:
            row["rule_link:attack"] = 1.0
    return row
