"""Thesis scores of every unit, so a check can see how close the runner-up came.

``argmap.classify.choose_thesis`` keeps only the winner and a margin-based
confidence. ``competing-theses`` needs the rivals too, so this module runs the
stages up to classification again and scores every unit with the same
``THESIS_RULES``. The result is trusted only when it agrees with the map (the
same winner with the same cues); otherwise the rule stays silent rather than
guess. It is the only part of ``argmap.check`` that needs the language model.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from argmap.classify import THESIS_RULES, Classified, ThesisContext, classify_units
from argmap.cues import extract_features
from argmap.model import ArgumentMap
from argmap.nlp import load_model, parse_texts
from argmap.reader import parse_text
from argmap.segment import segment_units

__all__ = ["ThesisCandidate", "agrees_with", "score_units", "thesis_candidates"]


class ThesisCandidate(BaseModel):
    """One unit's span, its thesis score and the cues the score is made of."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    score: float
    cues: tuple[str, ...]
    content_lemmas: frozenset[str]


def thesis_candidates(
    text: str, *, markdown: bool = False, model: str | None = None
) -> list[ThesisCandidate]:
    """Score every unit of ``text`` as the thesis, in document order.

    Raises:
        ModelError: the language model cannot be loaded.
    """
    source = parse_text(text, markdown=markdown)
    nlp = load_model(model)
    title = source.title_text
    blocks = [source.clean[b.start : b.end] for b in source.blocks]
    docs = parse_texts(nlp, [*blocks, title or ""])
    segments = segment_units(source, docs[:-1])
    title_lemmas = frozenset(t.lemma_.lower() for t in docs[-1] if t.is_alpha and not t.is_stop)
    features = [extract_features(seg.tokens) for seg in segments]
    classified = classify_units(segments, features)
    return [
        ThesisCandidate(
            start=seg.start,
            end=seg.end,
            score=score,
            cues=cues,
            content_lemmas=c.features.content_lemmas,
        )
        for seg, c, (score, cues) in zip(
            segments, classified, score_units(classified, title_lemmas), strict=True
        )
    ]


def score_units(
    units: Sequence[Classified], title_lemmas: frozenset[str] = frozenset()
) -> list[tuple[float, tuple[str, ...]]]:
    """Each unit's thesis score and cues, exactly as ``choose_thesis`` adds them up."""
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
        for _name, rule in THESIS_RULES:
            found = rule(i, unit, ctx)
            if found is not None:
                total += found[0]
                cues.append(f"{found[1]} ({found[0]:+.1f})")
        scored.append((total, tuple(cues)))
    return scored


def _centrality(units: Sequence[Classified]) -> list[float]:
    """How much of each unit's vocabulary recurs in the rest of the text (as classify does)."""
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


def agrees_with(candidates: Sequence[ThesisCandidate], m: ArgumentMap) -> bool:
    """Whether the candidates describe this map: same units, same winner, same cues.

    A saved map that was edited, or a classifier tuned since, breaks the match;
    the rivals cannot then be trusted.
    """
    if m.thesis is None or len(candidates) != len(m.units):
        return False
    if any((c.start, c.end) != (u.start, u.end) for c, u in zip(candidates, m.units, strict=True)):
        return False
    best = max(candidates, key=lambda c: c.score)
    thesis = m.unit(m.thesis)
    if (best.start, best.end) != (thesis.start, thesis.end):
        return False
    expected = [f"thesis: {cue}" for cue in best.cues]
    return thesis.cues[: len(expected)] == expected
