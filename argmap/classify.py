"""Give each unit a role by ordered and named rules.

Role rules run in order and the first that fires decides; every rule states
the cue it saw, so a reader can ask why. Choosing the thesis among the
classified units is the next stage (``argmap.thesis``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from argmap.cues import Features
from argmap.model import EvidenceType, Role
from argmap.segment import Segment

__all__ = [
    "ROLE_RULES",
    "Classified",
    "Decision",
    "UnitContext",
    "classify_units",
]


@dataclass(frozen=True)
class Decision:
    """A role and the evidence for it."""

    role: Role
    cue: str
    confidence: float
    evidence_type: EvidenceType | None = None


@dataclass(frozen=True)
class Classified:
    """A segment with its features, its role decision and all cues it showed."""

    segment: Segment
    features: Features
    decision: Decision
    cues: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class UnitContext:
    """What a rule may know about a unit's place in the text."""

    index: int
    total: int
    previous: Features | None
    next: Features | None
    next_in_sentence: Segment | None
    next_segment: Segment | None
    previous_role: Role | None
    previous_segment: Segment | None


RoleRule = Callable[[Segment, Features, UnitContext], Decision | None]

_CONCESSIVE_SPLITS = {"although", "though", "even though", "even if", "while", "whereas"}


def _objection_by_marker(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.opponent_view:
        return Decision(Role.OBJECTION, f"opponent view {f.opponent_view!r}", 0.75)
    return None


def _objection_by_concessive_clause(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    opener = f.opener[1] if f.opener else None
    if opener in _CONCESSIVE_SPLITS and (ctx.next_in_sentence is not None or seg.split_cue):
        return Decision(Role.OBJECTION, f"concessive clause {opener!r}", 0.6)
    return None


def _objection_before_contrast(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    """ "X may be so. But Y": a view the author grants only to answer it next."""
    nxt, nxt_f = ctx.next_segment, ctx.next
    if nxt is None or nxt_f is None or nxt.block != seg.block or f.deontic:
        return None
    answered = (nxt_f.opener is not None and nxt_f.opener[0] == "contrast") or (
        nxt.sentence == seg.sentence and nxt.split_cue in {"but", "yet"}
    )
    if not answered:
        return None
    marker = nxt_f.opener[1] if nxt_f.opener else nxt.split_cue
    if f.hedge:
        return Decision(Role.OBJECTION, f"hedged {f.hedge!r}, then answered by {marker!r}", 0.65)
    return Decision(Role.OBJECTION, f"answered by {marker!r} in the next unit", 0.5)


def _objection_continued(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    """The rest of a sentence that voices an objection still voices it ("..., or Y")."""
    prev = ctx.previous_segment
    if ctx.previous_role is not Role.OBJECTION or prev is None or prev.sentence != seg.sentence:
        return None
    prev_opener = ctx.previous.opener if ctx.previous else None
    if prev_opener and prev_opener[1] in _CONCESSIVE_SPLITS:
        return None
    if f.opener is not None and f.opener[0] in {"contrast", "reason", "conclusion"}:
        return None
    if seg.split_cue in {"but", "yet", "because", "since", "so"}:
        return None
    return Decision(Role.OBJECTION, "continues the objection's sentence", 0.5)


def _testimony_by_attribution(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.attribution and not f.statistic:
        return Decision(
            Role.EVIDENCE, f"attribution {f.attribution!r}", 0.75, EvidenceType.TESTIMONY
        )
    return None


def _statistic_by_number(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.statistic and not (f.deontic or f.imperative):
        cue = f"number {f.statistic!r}"
        return Decision(Role.EVIDENCE, cue, 0.7, EvidenceType.STATISTIC)
    return None


def _testimony_by_quotation(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.quotation and f.quote_share >= 0.5 and not f.first_person:
        return Decision(Role.EVIDENCE, "quotation", 0.6, EvidenceType.TESTIMONY)
    if seg.quoted:
        return Decision(Role.EVIDENCE, "block quote", 0.6, EvidenceType.TESTIMONY)
    return None


def _recommendation_by_question(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.rhetorical_recommendation:
        cue = f"rhetorical question {f.rhetorical_recommendation!r}"
        return Decision(Role.RECOMMENDATION, cue, 0.65)
    return None


def _recommendation_by_modal(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.question:
        return None
    if f.deontic:
        return Decision(Role.RECOMMENDATION, f"deontic modal {f.deontic!r}", 0.8)
    if f.prohibitive:
        return Decision(Role.RECOMMENDATION, f"prohibition {f.prohibitive!r}", 0.7)
    if f.imperative:
        return Decision(Role.RECOMMENDATION, f"imperative {f.imperative!r}", 0.65)
    return None


def _example_by_marker(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.example or (f.opener and f.opener[0] == "example"):
        marker = f.example or (f.opener[1] if f.opener else "")
        return Decision(Role.EVIDENCE, f"example marker {marker!r}", 0.6, EvidenceType.EXAMPLE)
    return None


def _premise_by_default(seg: Segment, f: Features, ctx: UnitContext) -> Decision:
    return Decision(Role.PREMISE, "assertion (no stronger cue)", 0.5)


ROLE_RULES: list[tuple[str, RoleRule]] = [
    ("objection_by_marker", _objection_by_marker),
    ("objection_by_concessive_clause", _objection_by_concessive_clause),
    ("objection_continued", _objection_continued),
    ("testimony_by_attribution", _testimony_by_attribution),
    ("statistic_by_number", _statistic_by_number),
    ("recommendation_by_question", _recommendation_by_question),
    ("recommendation_by_modal", _recommendation_by_modal),
    ("testimony_by_quotation", _testimony_by_quotation),
    ("example_by_marker", _example_by_marker),
    ("objection_before_contrast", _objection_before_contrast),
    ("premise_by_default", _premise_by_default),
]


def _all_cues(f: Features) -> tuple[str, ...]:
    cues = [
        f"opens with {f.opener[0]} marker {f.opener[1]!r}" if f.opener else None,
        f"deontic modal {f.deontic!r}" if f.deontic else None,
        f"imperative {f.imperative!r}" if f.imperative else None,
        f"attribution {f.attribution!r}" if f.attribution else None,
        f"number {f.statistic!r}" if f.statistic else None,
        "quotation" if f.quotation else None,
        f"stance {f.stance!r}" if f.stance else None,
        f"hedge {f.hedge!r}" if f.hedge else None,
        "question" if f.question else None,
    ]
    return tuple(c for c in cues if c)


def classify_units(
    segments: Sequence[Segment],
    features: Sequence[Features],
    *,
    disabled: frozenset[str] = frozenset(),
) -> list[Classified]:
    """Decide each unit's role with the first role rule that fires.

    ``disabled`` names rules to skip (for ablation studies with ``argmap eval``).
    """
    out: list[Classified] = []
    for i, (seg, f) in enumerate(zip(segments, features, strict=True)):
        nxt = segments[i + 1] if i + 1 < len(segments) else None
        ctx = UnitContext(
            index=i,
            total=len(segments),
            previous=features[i - 1] if i else None,
            next=features[i + 1] if nxt else None,
            next_in_sentence=nxt if nxt is not None and nxt.sentence == seg.sentence else None,
            next_segment=nxt,
            previous_role=out[-1].decision.role if out else None,
            previous_segment=segments[i - 1] if i else None,
        )
        decision = _premise_by_default(seg, f, ctx)
        for name, rule in ROLE_RULES:
            if name in disabled:
                continue
            found = rule(seg, f, ctx)
            if found is not None:
                decision = found
                break
        extra = tuple(c for c in _all_cues(f) if c != decision.cue)
        out.append(Classified(seg, f, decision, (decision.cue, *extra)))
    return out
