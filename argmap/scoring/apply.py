"""Apply the learned scorers to the rules' reading of a piece.

The rules classify each unit and score every thesis candidate first; their
decisions are features of the scorers (see ``argmap.features``), and the
scorers' verdicts replace them where a scorer exists. Every replaced decision
carries its top feature contributions as cues, so the map still says why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from argmap.classify import Classified, Decision
from argmap.features import describe_feature, unit_features
from argmap.features.pairs import candidate_heads, pair_features
from argmap.link import Link
from argmap.model import RESTATEMENT_RULE, Cue, CueKind, RelationKind, Role
from argmap.scoring.attach import choose_heads
from argmap.scoring.decide import UnitVerdict, decide_units, logit
from argmap.scoring.weights import Contribution, Weights
from argmap.thesis import MAX_RIVALS, RIVAL_MARGIN, ThesisChoice, choose_from_scores

__all__ = ["Rescored", "relink", "rescore", "restate"]

SCORER_RULE = "{}_scorer"
"""The ``rule`` of a decision made by a learned scorer, e.g. ``thesis_scorer``."""
CONSTRUCTION_RULE = "call_by_construction"
"""The ``rule`` of a call to action settled by a construction (``CALL_CONSTRAINTS``)."""


@dataclass(frozen=True)
class Rescored:
    """The units with the scorers' roles, the thesis choice, and who calls for action."""

    units: list[Classified]
    thesis: ThesisChoice | None
    calls: list[bool]
    restatement: int | None = None
    """A unit that restates the thesis where the piece opens or closes (see ``_restatement``)."""


def rule_of(scorer: str) -> str:
    """The ``rule`` name a decision of ``scorer`` carries."""
    return CONSTRUCTION_RULE if scorer == "construction" else SCORER_RULE.format(scorer)


def feature_cues(contributions: Sequence[Contribution], scorer: str) -> tuple[Cue, ...]:
    """Cues for a scorer's strongest features, strongest first.

    ``words`` is the feature's name (what a program reads), ``weight`` its
    signed contribution, ``description`` its meaning in words with that weight.
    """
    return tuple(
        Cue(
            kind=CueKind.FEATURE,
            words=name,
            weight=round(weight, 3),
            rule=rule_of(scorer),
            description=f"{describe_feature(name)} {weight:+.1f}",
        )
        for name, weight in contributions
    )


def rescore(
    classified: Sequence[Classified],
    rule_scores: Sequence[tuple[float, tuple[Cue, ...]]],
    *,
    title_lemmas: frozenset[str],
    weights: Weights,
) -> Rescored:
    """The scorers' verdicts applied to ``classified`` (rules kept where no scorer decides)."""
    rule_choice = choose_from_scores(rule_scores)
    rows = unit_features(classified, [s for s, _ in rule_scores], title_lemmas=title_lemmas)
    rules = [(c.decision.role, c.decision.evidence_type) for c in classified]
    paragraphs = len({c.segment.block for c in classified})
    thesis, verdicts = decide_units(
        rows, rules, rule_choice.index if rule_choice else None, weights, paragraphs=paragraphs
    )
    units = [_apply(c, v) for c, v in zip(classified, verdicts, strict=True)]
    thesis_scorer = weights.scorers.get("thesis")
    if thesis_scorer is None or not thesis_scorer.covers(paragraphs) or thesis is None:
        chosen = rule_choice
    else:
        blocks = [c.segment.block for c in classified]
        chosen = _thesis_choice(thesis, verdicts, blocks)
        chosen = replace(chosen, cues=(*chosen.cues, *rule_scores[thesis][1]))
        again = _restatement(thesis, verdicts, blocks)
        return Rescored(units, chosen, [v.calls_for_action for v in verdicts], again)
    return Rescored(units, chosen, [v.calls_for_action for v in verdicts])


def _restatement(thesis: int, verdicts: Sequence[UnitVerdict], blocks: Sequence[int]) -> int | None:
    """The unit that restates the thesis in the paragraph that frames it, if one does.

    Essays and op-eds state the thesis in the opening paragraph and say it
    again in the closing one (or announce it at the end only). The unit of
    the other end paragraph that the thesis scorer itself takes for a thesis
    (probability at least one half) and likes best is that restatement; a
    figure or a quotation (evidence) or a view the author answers never is.
    """
    first, last = min(blocks), max(blocks)
    if first == last or blocks[thesis] not in (first, last):
        return None
    other = last if blocks[thesis] == first else first
    found = [
        i
        for i, v in enumerate(verdicts)
        if blocks[i] == other
        and i != thesis
        and v.thesis_probability >= 0.5
        and v.role not in (Role.OBJECTION, Role.EVIDENCE)
    ]
    return max(found, key=lambda i: (verdicts[i].thesis_probability, -i)) if found else None


def _apply(c: Classified, verdict: UnitVerdict) -> Classified:
    if verdict.scorer == "rule":
        return c
    if verdict.role is Role.THESIS:
        return c  # the thesis choice carries its own reasons (see _thesis_choice)
    cues = feature_cues(verdict.contributions, verdict.scorer)
    lead = cues[0] if cues else c.decision.cue
    decision = Decision(
        role=verdict.role,
        cue=lead,
        confidence=round(verdict.probability, 2),
        evidence_type=verdict.evidence_type,
        rule=rule_of(verdict.scorer),
    )
    return replace(c, decision=decision, cues=(*cues, *c.cues))


def _thesis_choice(
    index: int, verdicts: Sequence[UnitVerdict], blocks: Sequence[int]
) -> ThesisChoice:
    """The scorer's thesis: its score is the log-odds, its confidence its share in the text.

    Only one unit is the thesis, so the probability that *this* one is it is
    its odds over the sum of every unit's odds. Rivals are the units within
    ``RIVAL_MARGIN`` log-odds of it, except a unit that frames the piece with
    it: a thesis stated in the opening paragraph and restated in the closing
    one (or the reverse) is one position, said twice, not two.
    """
    ends = {min(blocks), max(blocks)}
    framing = blocks[index] in ends and len(ends) == 2
    logits = [logit(v.thesis_probability) for v in verdicts]
    top = logits[index]
    odds = [math.exp(x - top) for x in logits]
    confidence = round(1.0 / sum(odds), 2)
    ranked = sorted(
        (
            i
            for i in range(len(logits))
            if i != index
            and top - logits[i] < RIVAL_MARGIN
            and not (framing and blocks[i] in ends and blocks[i] != blocks[index])
        ),
        key=lambda i: (-logits[i], i),
    )
    rivals = tuple((i, round(logits[i], 2)) for i in ranked[:MAX_RIVALS])
    cues = feature_cues(verdicts[index].contributions, "thesis")
    return ThesisChoice(index, round(top, 2), confidence, cues, rivals)


def relink(
    units: Sequence[Classified], thesis: int, rule_links: Sequence[Link], *, weights: Weights
) -> list[Link]:
    """The attachment scorer's tree, or the rules' links when the weights have no such scorer.

    The rules' links are features of the scorer, so it keeps the ones it
    trusts; each link it makes carries its top pair features as the cue and
    the head it liked next as the runner-up.
    """
    attach = weights.scorers.get("attachment")
    paragraphs = len({u.segment.block for u in units})
    if attach is None or len(units) < 2 or not attach.covers(paragraphs):
        return list(rule_links)
    by_source = {link.source: link for link in rule_links}
    pairs = [
        [(j, pair_features(units, i, j, thesis=thesis, rule_link=by_source.get(i))) for j in heads]
        for i, heads in enumerate(candidate_heads(units, thesis))
    ]
    out: list[Link] = []
    attack = weights.scorers.get("attack")
    if attack is not None and not attack.covers(paragraphs):
        attack = None
    for a in choose_heads(pairs, thesis, attach, attack):
        rule = by_source.get(a.source)
        kind = RelationKind.ATTACK if a.attack else RelationKind.SUPPORT
        if attack is None and rule is not None and rule.target == a.target:
            kind = rule.kind
        cues = feature_cues(a.contributions, "attachment")
        said = "no candidate head: attached to the thesis"
        rule_name = SCORER_RULE.format("attachment")
        cue = cues[0] if cues else Cue(kind=CueKind.FALLBACK, rule=rule_name, description=said)
        out.append(
            Link(
                a.source,
                a.target,
                kind,
                a.probability,
                cue,
                fallback=not cues,
                rule=rule_name,
                runner_up=a.runner_up,
            )
        )
    return out


def restate(links: Sequence[Link], restatement: int | None, thesis: int) -> list[Link]:
    """The restatement of the thesis hangs on the thesis, marked as such."""
    if restatement is None or restatement == thesis:
        return list(links)
    said = "restates the thesis where the piece opens or closes"
    cue = Cue(kind=CueKind.RESTATEMENT, rule=RESTATEMENT_RULE, description=said)
    link = Link(restatement, thesis, RelationKind.SUPPORT, 0.9, cue, rule=RESTATEMENT_RULE)
    return [link if other.source == restatement else other for other in links]
