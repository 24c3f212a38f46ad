"""Turn unit features into roles: the learned scorers, weighed in one place.

The pipeline and the cross-validation in ``argmap.train`` both call
``decide_units``, so the numbers ``argmap eval`` reports measure exactly the
decision the map makes. Order matters only where scorers compete for one
unit: the thesis is chosen first (the most probable one in the piece), then a
view the author reports to answer (objection) outranks a call to action,
which outranks evidence; a unit no scorer claims keeps the rule's claim or
premise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from argmap.features import UnitFeatures
from argmap.model import EvidenceType, Role
from argmap.scoring.weights import Contribution, LinearScorer, Weights

__all__ = ["SCORERS", "UnitVerdict", "decide_units"]

SCORERS = ("thesis", "objection", "recommendation", "evidence", "evidence_type")
"""The decisions a weights file scores, in the order they are weighed."""


@dataclass(frozen=True)
class UnitVerdict:
    """One unit's role as the scorers decided it, with the reasons."""

    role: Role
    evidence_type: EvidenceType | None
    scorer: str
    """The scorer that decided the role ("rule" when none claimed the unit)."""
    probability: float
    """That scorer's probability for its decision (the rule's is None-like 0.5)."""
    contributions: tuple[Contribution, ...]
    calls_for_action: bool
    """The recommendation scorer says this unit asks for action (thesis or not)."""
    thesis_probability: float


def _positive(scorer: LinearScorer | None, row: UnitFeatures) -> float:
    if scorer is None:
        return 0.0
    return scorer.probabilities(row)[scorer.classes[0]]


def decide_units(
    rows: Sequence[UnitFeatures],
    rules: Sequence[tuple[Role, EvidenceType | None]],
    rule_thesis: int | None,
    weights: Weights,
) -> tuple[int | None, list[UnitVerdict]]:
    """The thesis index and every unit's verdict.

    ``rules`` are the role rules' decisions and ``rule_thesis`` the rules'
    thesis: a decision whose scorer the weights lack (a user's weights fitted
    on gold that annotates only some decisions) is left to the rules.
    """
    if not rows:
        return None, []
    s = weights.scorers
    thesis_p = [_positive(s.get("thesis"), row) for row in rows]
    thesis = rule_thesis
    if "thesis" in s:
        thesis = max(range(len(rows)), key=lambda i: (thesis_p[i], -i))
    verdicts: list[UnitVerdict] = []
    for i, row in enumerate(rows):
        rule = _RuleView(*rules[i])
        verdicts.append(_verdict(i, row, rule, thesis, thesis_p[i], s))
    return thesis, verdicts


@dataclass(frozen=True)
class _RuleView:
    role: Role
    evidence_type: EvidenceType | None


def _claims(
    s: dict[str, LinearScorer], name: str, row: UnitFeatures, rule: _RuleView, role: Role
) -> tuple[bool, float]:
    """Whether the scorer ``name`` (or, without it, the rule) gives the unit ``role``."""
    scorer = s.get(name)
    if scorer is None:
        return rule.role is role, 0.5
    p = _positive(scorer, row)
    return p >= scorer.threshold, p


def _verdict(
    i: int,
    row: UnitFeatures,
    rule: _RuleView,
    thesis: int | None,
    thesis_p: float,
    s: dict[str, LinearScorer],
) -> UnitVerdict:
    calls, rec_p = _claims(s, "recommendation", row, rule, Role.RECOMMENDATION)

    def made(role: Role, name: str, p: float, etype: EvidenceType | None = None) -> UnitVerdict:
        scorer = s.get(name)
        if scorer is None:
            return UnitVerdict(role, etype, "rule", p, (), calls, thesis_p)
        contributions = tuple(scorer.contributions(scorer.classes[0], row))
        return UnitVerdict(role, etype, name, p, contributions, calls, thesis_p)

    if i == thesis:
        return made(Role.THESIS, "thesis", thesis_p)
    objection, p = _claims(s, "objection", row, rule, Role.OBJECTION)
    if objection:
        return made(Role.OBJECTION, "objection", p)
    if calls:
        return made(Role.RECOMMENDATION, "recommendation", rec_p)
    evidence, p = _claims(s, "evidence", row, rule, Role.EVIDENCE)
    if evidence:
        return made(Role.EVIDENCE, "evidence", p, _evidence_type(s.get("evidence_type"), row, rule))
    role = rule.role if rule.role in (Role.CLAIM, Role.PREMISE) else Role.PREMISE
    return UnitVerdict(role, None, "rule", 0.5, (), calls, thesis_p)


def _evidence_type(scorer: LinearScorer | None, row: UnitFeatures, rule: _RuleView) -> EvidenceType:
    if scorer is None:
        return rule.evidence_type or EvidenceType.EXAMPLE
    probs = scorer.probabilities(row)
    return EvidenceType(max(probs, key=lambda c: (probs[c], c)))
