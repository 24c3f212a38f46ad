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

import math
from collections.abc import Sequence
from dataclasses import dataclass

from argmap.features import UnitFeatures
from argmap.model import EvidenceType, Role
from argmap.scoring.weights import Contribution, LinearScorer, Weights

__all__ = ["SCORERS", "UnitVerdict", "decide_units", "logit"]

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
    """The recommendation scorer (or a construction) says this unit asks for action."""
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
    *,
    paragraphs: int = 1,
) -> tuple[int | None, list[UnitVerdict]]:
    """The thesis index and every unit's verdict.

    ``rules`` are the role rules' decisions and ``rule_thesis`` the rules'
    thesis. A view the rules read as one the author answers (an objection) is
    never the thesis while another unit can be, nor a unit that takes no
    position while another does (``POSITION_FEATURES``). A decision whose scorer the
    weights lack (a user's weights fitted on gold that annotates only some
    decisions) is left to the rules, and so
    is one whose scorer does not cover a text of ``paragraphs`` paragraphs.
    """
    if not rows:
        return None, []
    s = {name: sc for name, sc in weights.scorers.items() if sc.covers(paragraphs)}
    thesis_p = [_positive(s.get("thesis"), row) for row in rows]
    thesis = rule_thesis
    if "thesis" in s:
        allowed = [i for i, rule in enumerate(rules) if rule[0] is not Role.OBJECTION]
        allowed = allowed or list(range(len(rows)))
        positioned = [i for i in allowed if POSITION_FEATURES & rows[i].keys()]
        if positioned:
            best_any = max(logit(thesis_p[i]) for i in allowed)
            best_positioned = max(logit(thesis_p[i]) for i in positioned)
            if best_any - best_positioned <= POSITION_MARGIN:
                allowed = positioned
        thesis = _opening_statement(rows, thesis_p, allowed)
    verdicts: list[UnitVerdict] = []
    for i, row in enumerate(rows):
        rule = _RuleView(*rules[i])
        verdicts.append(_verdict(i, row, rule, thesis, thesis_p[i], s))
    return thesis, verdicts


POSITION_FEATURES = frozenset(
    {
        "cue:deontic",
        "cue:prohibitive",
        "cue:imperative",
        "cue:rhetorical_recommendation",
        "cue:stance",
        "cue:evaluative",
        "cue:conclusion",
        "construction:means_end",
    }
)
"""Features of a unit that takes a position: a call, a stance, a judgement, a conclusion.
When some unit of a piece takes one, the thesis is one of those units: where the
piece sits (its last paragraph, a line of its own) never makes a thesis of a
plain statement."""

POSITION_MARGIN = 2.0
"""Log-odds by which a unit that takes no position must beat every unit that
takes one to be the thesis all the same."""

OPENING_MARGIN = 1.0
"""Log-odds within which a thesis candidate in the opening paragraph wins over the
best candidate in the closing one."""


def logit(p: float) -> float:
    """Log-odds of a probability (clipped away from 0 and 1)."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _opening_statement(
    rows: Sequence[UnitFeatures], thesis_p: Sequence[float], allowed: Sequence[int] | None = None
) -> int:
    """The most probable thesis, or its statement in the opening paragraph.

    A piece that states its thesis first and restates it in the conclusion
    has two near-equal candidates; the first statement is the thesis (as in
    the essays' gold, whose central claim is the first major claim), the
    closing one its restatement. Only ``allowed`` units (default: all) are candidates.
    """
    allowed = list(range(len(rows))) if allowed is None else allowed
    best = max(allowed, key=lambda i: (thesis_p[i], -i))
    if "para:last" not in rows[best]:
        return best
    floor = logit(thesis_p[best]) - OPENING_MARGIN
    opening = [i for i in allowed if "para:first" in rows[i]]
    close = [i for i in opening if logit(thesis_p[i]) >= floor]
    return max(close, key=lambda i: (thesis_p[i], -i)) if close else best


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


CALL_CONSTRAINTS: dict[str, bool] = {
    "construction:means_end": True,
    "construction:reader_directive": False,
    "construction:echoed_imperative": False,
}
"""Constructions that settle whether a unit calls for action, whatever the scorer says.

Rare in any training corpus, so no weight learns them, but they are plain
English: "X can best Y by Z-ing" and "that means Z-ing" prescribe a course
of action; "consider …" or "just listen to …" steer the reader's attention;
an imperative right after someone's reported words echoes their ultimatum.
The first that a unit shows decides, and the verdict names it."""


SOURCED_EVIDENCE = "cue:attribution"
"""Evidence the rules found that names its source stays evidence, whatever the
scorer says: a sourced figure or quotation is what a reader checks first, and
keeping the rule's call costs nothing on the editorial paper left out
(evidence F1 0.655 → 0.656 and 0.602 → 0.602)."""


def _call(
    s: dict[str, LinearScorer], row: UnitFeatures, rule: _RuleView
) -> tuple[bool, float, str | None]:
    """Whether the unit calls for action, its probability, and the construction that settled it."""
    for feature, calls in CALL_CONSTRAINTS.items():
        if feature in row:
            return calls, 1.0 if calls else 0.0, feature
    calls, p = _claims(s, "recommendation", row, rule, Role.RECOMMENDATION)
    return calls, p, None


def _verdict(
    i: int,
    row: UnitFeatures,
    rule: _RuleView,
    thesis: int | None,
    thesis_p: float,
    s: dict[str, LinearScorer],
) -> UnitVerdict:
    calls, rec_p, construction = _call(s, row, rule)

    def made(role: Role, name: str, p: float, etype: EvidenceType | None = None) -> UnitVerdict:
        scorer = s.get(name)
        if construction is not None and name == "recommendation":
            return UnitVerdict(
                role, etype, "construction", p, ((construction, 1.0),), calls, thesis_p
            )
        if scorer is None:
            return UnitVerdict(role, etype, "rule", p, (), calls, thesis_p)
        contributions = tuple(scorer.contributions(scorer.classes[0], row))
        return UnitVerdict(role, etype, name, p, contributions, calls, thesis_p)

    if i == thesis:
        return made(Role.THESIS, "thesis", thesis_p)
    objection, p = _claims(s, "objection", row, rule, Role.OBJECTION)
    if objection:
        return made(Role.OBJECTION, "objection", p)
    evidence, p = _claims(s, "evidence", row, rule, Role.EVIDENCE)
    sourced = rule.role is Role.EVIDENCE and SOURCED_EVIDENCE in row
    if sourced or (evidence and not calls):
        etype = _evidence_type(s.get("evidence_type"), row, rule)
        verdict = made(Role.EVIDENCE, "evidence", max(p, 0.5) if sourced else p, etype)
        return verdict
    if calls:
        return made(Role.RECOMMENDATION, "recommendation", rec_p)
    if rule.role in (Role.CLAIM, Role.PREMISE):
        return UnitVerdict(rule.role, None, "rule", 0.5, (), calls, thesis_p)
    return _overruled(row, rule, s, calls, thesis_p)


_SCORER_OF_ROLE = {
    Role.OBJECTION: "objection",
    Role.RECOMMENDATION: "recommendation",
    Role.EVIDENCE: "evidence",
}


def _overruled(
    row: UnitFeatures, rule: _RuleView, s: dict[str, LinearScorer], calls: bool, thesis_p: float
) -> UnitVerdict:
    """A premise after all: the scorer of the rule's role said no, and says why."""
    name = _SCORER_OF_ROLE.get(rule.role, "")
    scorer = s.get(name)
    if scorer is None:
        return UnitVerdict(Role.PREMISE, None, "rule", 0.5, (), calls, thesis_p)
    p = _positive(scorer, row)
    contributions = tuple(scorer.contributions(scorer.classes[0], row))
    return UnitVerdict(Role.PREMISE, None, name, 1.0 - p, contributions, calls, thesis_p)


def _evidence_type(scorer: LinearScorer | None, row: UnitFeatures, rule: _RuleView) -> EvidenceType:
    if scorer is None:
        return rule.evidence_type or EvidenceType.EXAMPLE
    probs = scorer.probabilities(row)
    return EvidenceType(max(probs, key=lambda c: (probs[c], c)))
