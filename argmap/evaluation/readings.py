"""What an argument map says about one unit, read the way the scores read it.

Shared by the decision scores (``decisions.py``): which relation stands for a
unit, which side it argues for, which AAE type it amounts to, and which gold
unit the predicted thesis lands on. Pure functions over frozen models.
"""

from __future__ import annotations

from argmap.evaluation.corpora import GoldPiece, GoldUnit
from argmap.evaluation.metrics import CC, NONE, overlap
from argmap.model import RESTATEMENT_RULE, ArgumentMap, Relation, RelationKind, Role, Unit

__all__ = [
    "function_pair",
    "has_role",
    "opponent_units",
    "predicted_evidence_type",
    "primary_relations",
    "thesis_target",
    "unit_type_of",
]


def primary_relations(amap: ArgumentMap) -> dict[str, Relation]:
    """Each unit's most confident outgoing relation (ties: the first), by source id.

    One relation stands for a unit, the same reading ``runner.py`` gives the
    published fu score, so a map with runner-up attachments is read as a tree.
    """
    best: dict[str, Relation] = {}
    for rel in amap.relations:
        if rel.source not in best or rel.confidence > best[rel.source].confidence:
            best[rel.source] = rel
    return best


def opponent_units(amap: ArgumentMap) -> set[str]:
    """Ids of the units argmap places on the opponent's side.

    An objection is the opponent's by its role; any other unit is when its
    path of primary relations towards the thesis crosses an odd number of
    attacks (a premise backing an objection, a rebuttal of a rebuttal is not).
    A path that loops or stops short is read as far as it goes.
    """
    primary = primary_relations(amap)
    opponents: set[str] = set()
    for unit in amap.units:
        attacks = 0
        seen = {unit.id}
        current = unit.id
        while current != amap.thesis and current in primary:
            rel = primary[current]
            attacks += rel.kind is RelationKind.ATTACK
            current = rel.target
            if current in seen:
                break
            seen.add(current)
        if unit.role is Role.OBJECTION or attacks % 2:
            opponents.add(unit.id)
    return opponents


def unit_type_of(unit: Unit, amap: ArgumentMap, primary: dict[str, Relation]) -> str:
    """The AAE type (major_claim/claim/premise) argmap's reading of ``unit`` amounts to.

    AAE's types are positions in the tree, not kinds of sentence: the major
    claim is the thesis (and each restatement of it), a claim is what bears
    directly on a major claim, a premise is everything below. So the thesis
    and a unit linked to it as its restatement are ``major_claim``; a unit
    whose relation points at one of them is ``claim``; the rest ``premise``.
    """
    if unit.id == amap.thesis or unit.role is Role.THESIS or restates_thesis(unit, primary):
        return "major_claim"
    rel = primary.get(unit.id)
    if rel is not None and amap.thesis is not None:
        target = amap.unit(rel.target)
        if rel.target == amap.thesis or restates_thesis(target, primary):
            return "claim"
    return "premise"


def restates_thesis(unit: Unit, primary: dict[str, Relation]) -> bool:
    """The unit is linked to the thesis as its restatement (see ``RESTATEMENT_RULE``)."""
    rel = primary.get(unit.id)
    return rel is not None and rel.rule == RESTATEMENT_RULE


def thesis_target(piece: GoldPiece, amap: ArgumentMap) -> int | None:
    """Index of the gold unit the predicted thesis overlaps most (None: no thesis, no overlap).

    Overlap rather than one-to-one alignment, so a thesis segmented a little
    differently from the gold unit still counts end to end.
    """
    if amap.thesis is None:
        return None
    thesis = amap.unit(amap.thesis)
    best, best_index = 0, None
    for i, unit in enumerate(piece.units):
        shared = overlap((thesis.start, thesis.end), (unit.start, unit.end))
        if shared > best:
            best, best_index = shared, i
    return best_index


def has_role(unit: Unit | None, role: Role) -> bool:
    """Whether an aligned unit has ``role`` (a gold unit left unaligned has none)."""
    return unit is not None and unit.role is role


def predicted_evidence_type(unit: Unit | None) -> str:
    """The unit's evidence type, or ``none`` when it is not evidence or not aligned."""
    if unit is None or unit.evidence_type is None:
        return NONE
    return unit.evidence_type.value


def function_pair(
    gold_unit: GoldUnit, unit: Unit | None, amap: ArgumentMap, primary: dict[str, Relation]
) -> tuple[str, str]:
    """The (gold, predicted) function of a unit: cc, support, attack or none."""
    gold = CC if gold_unit.is_thesis else (gold_unit.function or NONE)
    if unit is None:
        return gold, NONE
    if unit.id == amap.thesis:
        return gold, CC
    rel = primary.get(unit.id)
    return gold, rel.kind.value if rel is not None else NONE
