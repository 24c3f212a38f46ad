"""Give each unit a role, and choose the thesis, by ordered and named rules.

Role rules run in order and the first that fires decides; every rule states
the cue it saw. The thesis is chosen among all units by a score whose parts
(position, title overlap, modality, stance and conclusion markers, centrality)
are each recorded as cues, so a reader can see why this unit won.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from argmap.cues import Features
from argmap.model import EvidenceType, Role
from argmap.segment import Segment

__all__ = [
    "RIVAL_MARGIN",
    "ROLE_RULES",
    "THESIS_RULES",
    "Classified",
    "Decision",
    "ThesisChoice",
    "choose_thesis",
    "classify_units",
    "thesis_scores",
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


_STANCE_WEIGHT = 1.5
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


@dataclass(frozen=True)
class ThesisContext:
    """What the thesis rules know about the whole text."""

    title_lemmas: frozenset[str]
    first_block: int
    last_block: int
    last_index: int
    centrality: Sequence[float]


ThesisRule = Callable[[int, Classified, ThesisContext], tuple[float, str] | None]


def _thesis_role(i: int, c: Classified, ctx: ThesisContext) -> tuple[float, str] | None:
    role = c.decision.role
    if role is Role.RECOMMENDATION and c.features.question:
        return 1.0, "a call to action, as a question"
    if role is Role.RECOMMENDATION:
        return 2.0, "a call to action"
    if role in {Role.EVIDENCE, Role.OBJECTION}:
        return -4.0, f"is {role.value}"
    return None


def _thesis_stance(i: int, c: Classified, ctx: ThesisContext) -> tuple[float, str] | None:
    return (_STANCE_WEIGHT, f"stance marker {c.features.stance!r}") if c.features.stance else None


def _thesis_opener(i: int, c: Classified, ctx: ThesisContext) -> tuple[float, str] | None:
    opener = c.features.opener
    if opener is None:
        return None
    weights = {
        "conclusion": 1.5,
        "reason": -2.0,
        "example": -2.0,
        "contrast": -0.5,
        "addition": -1.0,
    }
    weight = weights.get(opener[0])
    return (weight, f"{opener[0]} marker {opener[1]!r}") if weight else None


def _thesis_judgement(i: int, c: Classified, ctx: ThesisContext) -> tuple[float, str] | None:
    f = c.features
    score, cues = 0.0, []
    if f.conclusion and not (f.opener and f.opener[0] == "conclusion"):
        score, cues = score + 1.5, [f"conclusion marker {f.conclusion!r}"]
    if f.evaluative and c.decision.role is not Role.RECOMMENDATION:
        score, cues = score + 1.0, [*cues, f"evaluative {f.evaluative!r}"]
    return (score, " and ".join(cues)) if cues else None


def _thesis_position(i: int, c: Classified, ctx: ThesisContext) -> tuple[float, str] | None:
    if i == 0:
        return 1.0, "opens the piece"
    if c.segment.block == ctx.first_block:
        return 0.5, "in the opening paragraph"
    if c.segment.block == ctx.last_block and ctx.last_block != ctx.first_block:
        return 0.5, "in the closing paragraph"
    if i == ctx.last_index:
        return 0.5, "closes the piece"
    return None


def _thesis_title(i: int, c: Classified, ctx: ThesisContext) -> tuple[float, str] | None:
    if not ctx.title_lemmas:
        return None
    shared = c.features.content_lemmas & ctx.title_lemmas
    if not shared:
        return None
    return 3.0 * len(shared) / len(ctx.title_lemmas), f"shares {len(shared)} words with the title"


def _thesis_centrality(i: int, c: Classified, ctx: ThesisContext) -> tuple[float, str] | None:
    score = ctx.centrality[i]
    return (score, f"central vocabulary ({score:.2f})") if score > 0 else None


def _thesis_weakness(i: int, c: Classified, ctx: ThesisContext) -> tuple[float, str] | None:
    f = c.features
    if f.question and not f.rhetorical_recommendation:
        return -2.0, "a question"
    if c.segment.split_cue:
        return -0.5, f"subordinate to {c.segment.split_cue!r}"
    if f.hedge:
        return -0.5, f"hedged by {f.hedge!r}"
    if f.word_count < 4:
        return -1.0, "very short"
    return None


THESIS_RULES: list[tuple[str, ThesisRule]] = [
    ("thesis_role", _thesis_role),
    ("thesis_stance", _thesis_stance),
    ("thesis_opener", _thesis_opener),
    ("thesis_judgement", _thesis_judgement),
    ("thesis_position", _thesis_position),
    ("thesis_title", _thesis_title),
    ("thesis_centrality", _thesis_centrality),
    ("thesis_weakness", _thesis_weakness),
]


def _centrality(units: Sequence[Classified]) -> list[float]:
    """How much of each unit's vocabulary recurs in the rest of the text (0..1)."""
    counts: dict[str, int] = {}
    for u in units:
        for lemma in u.features.content_lemmas:
            counts[lemma] = counts.get(lemma, 0) + 1
    raw = [
        sum(counts[lemma] - 1 for lemma in u.features.content_lemmas)
        / (len(u.features.content_lemmas) or 1)
        for u in units
    ]
    top = max(raw, default=0.0) or 1.0
    return [r / top for r in raw]


RIVAL_MARGIN = 1.0
"""Units scoring within this of the winner are reported as its close rivals."""


@dataclass(frozen=True)
class ThesisChoice:
    """The chosen thesis, how sure the choice is, and what came close."""

    index: int
    score: float
    confidence: float
    cues: tuple[str, ...]
    rivals: tuple[tuple[int, float], ...]
    """Close runners-up as (unit index, score), best first."""


def thesis_scores(
    units: Sequence[Classified],
    *,
    title_lemmas: frozenset[str] = frozenset(),
    disabled: frozenset[str] = frozenset(),
) -> list[tuple[float, tuple[str, ...]]]:
    """Every unit's thesis score and the cues it is made of, in document order."""
    if not units:
        return []
    ctx = ThesisContext(
        title_lemmas=title_lemmas,
        first_block=units[0].segment.block,
        last_block=units[-1].segment.block,
        last_index=len(units) - 1,
        centrality=_centrality(units),
    )
    scored: list[tuple[float, tuple[str, ...]]] = []
    for i, unit in enumerate(units):
        total, cues = 0.0, []
        for name, rule in THESIS_RULES:
            if name in disabled:
                continue
            found = rule(i, unit, ctx)
            if found is not None:
                total += found[0]
                cues.append(f"{found[1]} ({found[0]:+.1f})")
        scored.append((round(total, 2), tuple(cues)))
    return scored


def choose_thesis(
    units: Sequence[Classified],
    *,
    title_lemmas: frozenset[str] = frozenset(),
    disabled: frozenset[str] = frozenset(),
) -> ThesisChoice | None:
    """Pick the central claim: the unit with the highest thesis score (earliest on ties).

    The confidence grows with the margin over the runner-up; units within
    ``RIVAL_MARGIN`` are kept as rivals, so a reader (and ``argmap check``)
    can see when the choice was close. None when there are no units.
    """
    scored = thesis_scores(units, title_lemmas=title_lemmas, disabled=disabled)
    if not scored:
        return None
    ranked = sorted(range(len(scored)), key=lambda i: (-scored[i][0], i))
    best = ranked[0]
    top = scored[best][0]
    margin = top - scored[ranked[1]][0] if len(ranked) > 1 else 4.0
    rivals = tuple((i, scored[i][0]) for i in ranked[1:] if top - scored[i][0] < RIVAL_MARGIN)
    confidence = round(min(0.95, 0.5 + margin / 8), 2)
    return ThesisChoice(best, top, confidence, scored[best][1], rivals)
