"""Choose the thesis: the unit with the highest score from named thesis rules.

Each rule adds or takes away points for one reason (a call to action, a
stance or conclusion marker, position, overlap with the title, central
vocabulary, a hedge) and returns it as a ``Cue`` whose weight is those
points, so a reader can see why this unit won; units that came close are kept
as rivals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice

from argmap.classify import OPENER_KINDS, Classified, feature_cue
from argmap.model import Cue, CueKind, Role

__all__ = [
    "MAX_RIVALS",
    "RIVAL_MARGIN",
    "THESIS_RULES",
    "THESIS_SCORER",
    "ThesisChoice",
    "ThesisContext",
    "choose_from_scores",
    "choose_thesis",
    "thesis_scores",
]

_STANCE_WEIGHT = 1.5


@dataclass(frozen=True)
class ThesisContext:
    """What the thesis rules know about the whole text."""

    title_lemmas: frozenset[str]
    first_block: int
    last_block: int
    last_index: int
    centrality: Sequence[float]


ThesisRule = Callable[[int, Classified, ThesisContext], list[Cue]]
"""A thesis rule returns its cues; each cue's ``weight`` is the points it adds."""

THESIS_SCORER = "thesis_score"
"""The ``rule`` of a thesis: the sum of the weights of its thesis rules' cues."""


def _points(kind: CueKind, weight: float, description: str) -> list[Cue]:
    return [Cue(kind=kind, weight=weight, description=description)]


def _thesis_role(i: int, c: Classified, ctx: ThesisContext) -> list[Cue]:
    role = c.decision.role
    if role is Role.RECOMMENDATION and c.features.question:
        return _points(CueKind.CALL_TO_ACTION, 1.0, "a call to action, as a question")
    if role is Role.RECOMMENDATION:
        return _points(CueKind.CALL_TO_ACTION, 2.0, "a call to action")
    if role is Role.EVIDENCE:
        return _points(CueKind.EVIDENCE_ROLE, -4.0, "is evidence")
    if role is Role.OBJECTION:
        return _points(CueKind.OBJECTION_ROLE, -4.0, "is objection")
    return []


def _weighted(cue: Cue, weight: float) -> list[Cue]:
    return [cue.model_copy(update={"weight": weight})]


def _thesis_stance(i: int, c: Classified, ctx: ThesisContext) -> list[Cue]:
    f = c.features
    if not f.stance:
        return []
    cue = feature_cue(CueKind.STANCE, f"stance marker {f.stance!r}", f, "stance")
    return _weighted(cue, _STANCE_WEIGHT)


def _thesis_opener(i: int, c: Classified, ctx: ThesisContext) -> list[Cue]:
    opener = c.features.opener
    if opener is None:
        return []
    weights = {
        "conclusion": 1.5,
        "reason": -2.0,
        "example": -2.0,
        "contrast": -0.5,
        "addition": -1.0,
    }
    weight = weights.get(opener[0])
    if not weight:
        return []
    said = f"{opener[0]} marker {opener[1]!r}"
    cue = feature_cue(OPENER_KINDS[opener[0]], said, c.features, "opener", opener[1])
    return _weighted(cue, weight)


def _thesis_judgement(i: int, c: Classified, ctx: ThesisContext) -> list[Cue]:
    f = c.features
    cues: list[Cue] = []
    if f.conclusion and not (f.opener and f.opener[0] == "conclusion"):
        said = f"conclusion marker {f.conclusion!r}"
        cues += _weighted(feature_cue(CueKind.CONCLUSION_MARKER, said, f, "conclusion"), 1.5)
    if f.evaluative and c.decision.role is not Role.RECOMMENDATION:
        said = f"evaluative {f.evaluative!r}"
        cues += _weighted(feature_cue(CueKind.EVALUATIVE, said, f, "evaluative"), 1.0)
    return cues


def _thesis_position(i: int, c: Classified, ctx: ThesisContext) -> list[Cue]:
    if i == 0:
        return _points(CueKind.POSITION, 1.0, "opens the piece")
    if c.segment.block == ctx.first_block:
        return _points(CueKind.POSITION, 0.5, "in the opening paragraph")
    if c.segment.block == ctx.last_block and ctx.last_block != ctx.first_block:
        return _points(CueKind.POSITION, 0.5, "in the closing paragraph")
    if i == ctx.last_index:
        return _points(CueKind.POSITION, 0.5, "closes the piece")
    return []


def _thesis_title(i: int, c: Classified, ctx: ThesisContext) -> list[Cue]:
    if not ctx.title_lemmas:
        return []
    shared = c.features.content_lemmas & ctx.title_lemmas
    if not shared:
        return []
    share = len(shared) / len(ctx.title_lemmas)
    words = " ".join(sorted(shared))
    if _takes_position(c):
        said = f"shares {len(shared)} words with the title"
        return [Cue(kind=CueKind.TITLE_OVERLAP, words=words, weight=3.0 * share, description=said)]
    # A headline names the topic; a sentence that only repeats it without a stance is background.
    said = f"repeats {len(shared)} words of the title (topic only)"
    return [Cue(kind=CueKind.TITLE_OVERLAP, words=words, weight=2.0 * share, description=said)]


def _takes_position(c: Classified) -> bool:
    f = c.features
    return bool(
        c.decision.role is Role.RECOMMENDATION
        or f.stance
        or f.evaluative
        or f.conclusion
        or (f.opener and f.opener[0] == "conclusion")
    )


def _thesis_centrality(i: int, c: Classified, ctx: ThesisContext) -> list[Cue]:
    score = ctx.centrality[i]
    if score <= 0:
        return []
    return _points(CueKind.CENTRALITY, score, f"central vocabulary ({score:.2f})")


def _thesis_weakness(i: int, c: Classified, ctx: ThesisContext) -> list[Cue]:
    f = c.features
    if f.question and not f.rhetorical_recommendation:
        return _points(CueKind.QUESTION, -2.0, "a question")
    if c.segment.split_cue:
        said = f"subordinate to {c.segment.split_cue!r}"
        return [
            Cue(kind=CueKind.SUBORDINATE, words=c.segment.split_cue, weight=-0.5, description=said)
        ]
    if f.hedge:
        return _weighted(feature_cue(CueKind.HEDGE, f"hedged by {f.hedge!r}", f, "hedge"), -0.5)
    if f.word_count < 4:
        return _points(CueKind.SHORT, -1.0, "very short")
    return []


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
MAX_RIVALS = 3
"""Only the closest few rivals are kept: a piece of 500 short paragraphs has hundreds."""


@dataclass(frozen=True)
class ThesisChoice:
    """The chosen thesis, how sure the choice is, and what came close."""

    index: int
    score: float
    confidence: float
    cues: tuple[Cue, ...]
    rivals: tuple[tuple[int, float], ...]
    """Close runners-up as (unit index, score), best first."""


def thesis_scores(
    units: Sequence[Classified],
    *,
    title_lemmas: frozenset[str] = frozenset(),
    disabled: frozenset[str] = frozenset(),
) -> list[tuple[float, tuple[Cue, ...]]]:
    """Every unit's thesis score and the cues it is made of, in document order.

    A score is the sum of its cues' weights; each cue names its thesis rule and
    says its points in its description ("thesis: opens the piece (+1.0)").
    """
    if not units:
        return []
    ctx = ThesisContext(
        title_lemmas=title_lemmas,
        first_block=units[0].segment.block,
        last_block=units[-1].segment.block,
        last_index=len(units) - 1,
        centrality=_centrality(units),
    )
    scored: list[tuple[float, tuple[Cue, ...]]] = []
    for i, unit in enumerate(units):
        total, cues = 0.0, []
        for name, rule in THESIS_RULES:
            if name in disabled:
                continue
            for cue in rule(i, unit, ctx):
                total += cue.weight
                said = f"thesis: {cue.description} ({cue.weight:+.1f})"
                cues.append(cue.model_copy(update={"rule": name, "description": said}))
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
    return choose_from_scores(scored)


def choose_from_scores(scored: Sequence[tuple[float, tuple[Cue, ...]]]) -> ThesisChoice | None:
    """The thesis choice from precomputed ``thesis_scores`` (see ``choose_thesis``)."""
    if not scored:
        return None
    ranked = sorted(range(len(scored)), key=lambda i: (-scored[i][0], i))
    best = ranked[0]
    top = scored[best][0]
    margin = top - scored[ranked[1]][0] if len(ranked) > 1 else 4.0
    close = (i for i in ranked[1:] if top - scored[i][0] < RIVAL_MARGIN)
    rivals = tuple((i, scored[i][0]) for i in islice(close, MAX_RIVALS))
    confidence = round(min(0.95, 0.5 + margin / 8), 2)
    return ThesisChoice(best, top, confidence, scored[best][1], rivals)
