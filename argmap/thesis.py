"""Choose the thesis: the unit with the highest score from named thesis rules.

Each rule adds or takes away points for one reason (a call to action, a
stance or conclusion marker, position, overlap with the title, central
vocabulary, a hedge) and records it as a cue, so a reader can see why this
unit won; units that came close are kept as rivals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from argmap.classify import Classified
from argmap.model import Role

__all__ = [
    "RIVAL_MARGIN",
    "THESIS_RULES",
    "ThesisChoice",
    "ThesisContext",
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
    share = len(shared) / len(ctx.title_lemmas)
    if _takes_position(c):
        return 3.0 * share, f"shares {len(shared)} words with the title"
    # A headline names the topic; a sentence that only repeats it without a stance is background.
    return 2.0 * share, f"repeats {len(shared)} words of the title (topic only)"


def _takes_position(c: Classified) -> bool:
    f = c.features
    return bool(
        c.decision.role is Role.RECOMMENDATION
        or f.stance
        or f.evaluative
        or f.conclusion
        or (f.opener and f.opener[0] == "conclusion")
    )


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
