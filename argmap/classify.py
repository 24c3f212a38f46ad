"""Give each unit a role by ordered and named rules.

Role rules run in order and the first that fires decides; every rule states
the cue it saw, so a reader can ask why. Choosing the thesis among the
classified units is the next stage (``argmap.thesis``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from argmap.cues import Features
from argmap.model import Cue, CueKind, EvidenceType, Role
from argmap.segment import Segment

__all__ = [
    "OPENER_KINDS",
    "ROLE_RULES",
    "Classified",
    "Decision",
    "UnitContext",
    "classify_units",
    "feature_cue",
]

OPENER_KINDS: dict[str, CueKind] = {
    "conclusion": CueKind.CONCLUSION_MARKER,
    "reason": CueKind.REASON_CONNECTIVE,
    "contrast": CueKind.CONTRAST,
    "concession": CueKind.CONCESSION,
    "enumeration": CueKind.ENUMERATION,
    "addition": CueKind.ADDITION,
    "restatement": CueKind.RESTATEMENT,
    "example": CueKind.EXAMPLE_MARKER,
}
"""The cue kind of each connective category a unit can open with."""


@dataclass(frozen=True)
class Decision:
    """A role, the cue that decided it, and the rule that used the cue."""

    role: Role
    cue: Cue
    confidence: float
    evidence_type: EvidenceType | None = None
    rule: str = ""


@dataclass(frozen=True)
class Classified:
    """A segment with its features, its role decision and all cues it showed."""

    segment: Segment
    features: Features
    decision: Decision
    cues: tuple[Cue, ...] = field(default=())


def feature_cue(
    kind: CueKind, description: str, f: Features, feature: str = "", words: str | None = None
) -> Cue:
    """A cue for one of a unit's features, placed where the feature was found.

    ``feature`` names the ``Features`` field (its span, and its words unless
    ``words`` is given).
    """
    span = f.spans.get(feature) if feature else None
    found = words if words is not None else getattr(f, feature, None) if feature else None
    return Cue(
        kind=kind,
        words=found if isinstance(found, str) else "",
        start=span[0] if span else None,
        end=span[1] if span else None,
        description=description,
    )


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
_ANSWERED = CueKind.ANSWERED_NEXT
_DEFAULT = "assertion (no stronger cue)"


def _named(decision: Decision, rule: str) -> Decision:
    """The decision signed by the rule that made it (and so is its cue)."""
    return replace(decision, rule=rule, cue=decision.cue.model_copy(update={"rule": rule}))


def _objection_by_marker(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.opponent_view:
        cue = feature_cue(
            CueKind.OPPONENT_VIEW, f"opponent view {f.opponent_view!r}", f, "opponent_view"
        )
        return Decision(Role.OBJECTION, cue, 0.75)
    return None


def _objection_by_concessive_clause(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    opener = f.opener[1] if f.opener else None
    if opener in _CONCESSIVE_SPLITS and (ctx.next_in_sentence is not None or seg.split_cue):
        cue = feature_cue(CueKind.CONCESSION, f"concessive clause {opener!r}", f, "opener", opener)
        return Decision(Role.OBJECTION, cue, 0.6)
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
    where = "opener" if nxt_f.opener else ""
    if f.hedge:
        said = f"hedged {f.hedge!r}, then answered by {marker!r}"
        return Decision(Role.OBJECTION, feature_cue(_ANSWERED, said, nxt_f, where, marker), 0.65)
    said = f"answered by {marker!r} in the next unit"
    return Decision(Role.OBJECTION, feature_cue(_ANSWERED, said, nxt_f, where, marker), 0.5)


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
    cue = Cue(kind=CueKind.CONTINUATION, description="continues the objection's sentence")
    return Decision(Role.OBJECTION, cue, 0.5)


def _testimony_by_attribution(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.attribution and not f.statistic:
        cue = feature_cue(CueKind.ATTRIBUTION, f"attribution {f.attribution!r}", f, "attribution")
        return Decision(Role.EVIDENCE, cue, 0.75, EvidenceType.TESTIMONY)
    return None


def _statistic_by_number(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.statistic and not (f.deontic or f.imperative):
        cue = feature_cue(CueKind.STATISTIC, f"number {f.statistic!r}", f, "statistic")
        return Decision(Role.EVIDENCE, cue, 0.7, EvidenceType.STATISTIC)
    return None


def _testimony_by_quotation(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.quotation and f.quote_share >= 0.5 and not f.first_person:
        cue = Cue(kind=CueKind.QUOTATION, description="quotation")
        return Decision(Role.EVIDENCE, cue, 0.6, EvidenceType.TESTIMONY)
    if seg.quoted:
        cue = Cue(kind=CueKind.BLOCK_QUOTE, description="block quote")
        return Decision(Role.EVIDENCE, cue, 0.6, EvidenceType.TESTIMONY)
    return None


def _recommendation_by_question(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.rhetorical_recommendation:
        said = f"rhetorical question {f.rhetorical_recommendation!r}"
        cue = feature_cue(CueKind.RHETORICAL_QUESTION, said, f, "rhetorical_recommendation")
        return Decision(Role.RECOMMENDATION, cue, 0.65)
    return None


def _recommendation_by_modal(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.question:
        return None
    if f.deontic:
        cue = feature_cue(CueKind.DEONTIC_MODAL, f"deontic modal {f.deontic!r}", f, "deontic")
        return Decision(Role.RECOMMENDATION, cue, 0.8)
    if f.prohibitive:
        said = f"prohibition {f.prohibitive!r}"
        return Decision(
            Role.RECOMMENDATION, feature_cue(CueKind.PROHIBITION, said, f, "prohibitive"), 0.7
        )
    if f.imperative:
        said = f"imperative {f.imperative!r}"
        return Decision(
            Role.RECOMMENDATION, feature_cue(CueKind.IMPERATIVE, said, f, "imperative"), 0.65
        )
    return None


def _example_by_marker(seg: Segment, f: Features, ctx: UnitContext) -> Decision | None:
    if f.example or (f.opener and f.opener[0] == "example"):
        marker = f.example or (f.opener[1] if f.opener else "")
        where = "example" if f.example else "opener"
        cue = feature_cue(CueKind.EXAMPLE_MARKER, f"example marker {marker!r}", f, where, marker)
        return Decision(Role.EVIDENCE, cue, 0.6, EvidenceType.EXAMPLE)
    return None


def _premise_by_default(seg: Segment, f: Features, ctx: UnitContext) -> Decision:
    return Decision(Role.PREMISE, Cue(kind=CueKind.DEFAULT, description=_DEFAULT), 0.5)


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


def _all_cues(f: Features) -> tuple[Cue, ...]:
    """Every cue a unit shows, whatever decided its role; each names its feature as its rule."""
    opener = f.opener or ("", "")
    cues = [
        _shown(
            f,
            "opener",
            OPENER_KINDS.get(opener[0], CueKind.DEFAULT),
            f"opens with {opener[0]} marker {opener[1]!r}",
            opener[1],
        ),
        _shown(f, "deontic", CueKind.DEONTIC_MODAL, f"deontic modal {f.deontic!r}"),
        _shown(f, "imperative", CueKind.IMPERATIVE, f"imperative {f.imperative!r}"),
        _shown(f, "attribution", CueKind.ATTRIBUTION, f"attribution {f.attribution!r}"),
        _shown(f, "statistic", CueKind.STATISTIC, f"number {f.statistic!r}"),
        Cue(kind=CueKind.QUOTATION, rule="quotation", description="quotation")
        if f.quotation
        else None,
        _shown(f, "stance", CueKind.STANCE, f"stance {f.stance!r}"),
        _shown(f, "hedge", CueKind.HEDGE, f"hedge {f.hedge!r}"),
        Cue(kind=CueKind.QUESTION, rule="question", description="question") if f.question else None,
    ]
    return tuple(c for c in cues if c is not None)


def _shown(
    f: Features, feature: str, kind: CueKind, description: str, words: str | None = None
) -> Cue | None:
    if not getattr(f, feature):
        return None
    cue = feature_cue(kind, description, f, feature, words)
    return cue.model_copy(update={"rule": feature})


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
        decision = _named(_premise_by_default(seg, f, ctx), "premise_by_default")
        for name, rule in ROLE_RULES:
            if name in disabled:
                continue
            found = rule(seg, f, ctx)
            if found is not None:
                decision = _named(found, name)
                break
        shown = (decision.cue.kind, decision.cue.words)
        extra = tuple(c for c in _all_cues(f) if (c.kind, c.words) != shown)
        out.append(Classified(seg, f, decision, (decision.cue, *extra)))
    return out
