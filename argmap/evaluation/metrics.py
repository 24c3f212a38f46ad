"""Pure metric functions: span alignment, confusion counts, P/R/F1.

Nothing here knows about argmap or the gold format; every function takes spans,
labels or counts, so each rule of the scoring scheme can be tested by hand.
Scores are pooled: confusion counts are summed over all texts first, then
per-class F1 is computed and macro-averaged, as in the published microtext
results.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict

__all__ = [
    "ATTACHED",
    "ATTACK",
    "CC",
    "METRIC_CLASSES",
    "NONE",
    "NOT_ATTACHED",
    "NOT_CC",
    "OPPONENT",
    "PROPONENT",
    "SUPPORT",
    "ClassScore",
    "Confusion",
    "MetricScore",
    "SegmentationScore",
    "Span",
    "align_spans",
    "overlap",
    "pair_confusion",
    "prf",
    "score_confusion",
    "score_segmentation",
]

Span = tuple[int, int]
Confusion = Counter[tuple[str, str]]
"""Counts of (gold label, predicted label) pairs."""

CC = "cc"
NOT_CC = "not cc"
PROPONENT = "proponent"
OPPONENT = "opponent"
SUPPORT = "support"
ATTACK = "attack"
NONE = "none"
ATTACHED = "attached"
NOT_ATTACHED = "not attached"

METRIC_CLASSES: dict[str, tuple[str, ...]] = {
    "cc": (CC, NOT_CC),
    "ro": (PROPONENT, OPPONENT),
    "fu": (CC, SUPPORT, ATTACK),
    "at": (ATTACHED, NOT_ATTACHED),
}
"""The gold classes each metric macro-averages over. A predicted label outside
them (``none`` for a unit without relation) is simply never right."""


class _Score(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClassScore(_Score):
    """Precision, recall and F1 of one class, with the counts behind them."""

    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int
    correct: int


class MetricScore(_Score):
    """One metric: macro-F1 over its classes, plain accuracy, and each class."""

    macro_f1: float
    accuracy: float
    total: int
    classes: dict[str, ClassScore]


class SegmentationScore(_Score):
    """How many predicted units match a gold ADU one-to-one."""

    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float


def prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1; a zero denominator gives 0 (nothing to credit)."""
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    denominator = predicted + gold
    f1 = 2 * correct / denominator if denominator else 0.0
    return precision, recall, f1


def overlap(a: Span, b: Span) -> int:
    """Number of characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def align_spans(gold: Sequence[Span], predicted: Sequence[Span]) -> dict[int, int]:
    """Align gold spans to predicted spans one-to-one by character overlap.

    A pair is a candidate when the overlap is at least half of the gold span
    *and* at least half of the predicted span, so neither a fragment nor a unit
    swallowing several ADUs counts as found. When candidates compete (a span
    split in two equal halves), the larger overlap wins, then document order.

    Returns:
        gold index -> predicted index, for aligned pairs only.
    """
    order = sorted(range(len(predicted)), key=lambda i: predicted[i])
    starts = [predicted[i][0] for i in order]
    candidates: list[tuple[int, int, int]] = []
    for g_index, (g_start, g_end) in enumerate(gold):
        g_len = g_end - g_start
        if g_len <= 0:
            continue
        # A candidate is at most twice as long as the gold span and must end
        # after it starts, so it starts within 2*g_len before it: a bisect
        # window keeps long documents linear instead of quadratic.
        lo = bisect_left(starts, g_start - 2 * g_len)
        hi = bisect_left(starts, g_end)
        for k in range(lo, hi):
            p_index = order[k]
            p_start, p_end = predicted[p_index]
            shared = overlap((g_start, g_end), (p_start, p_end))
            if shared > 0 and 2 * shared >= g_len and 2 * shared >= p_end - p_start:
                candidates.append((-shared, g_index, p_index))
    candidates.sort()
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _, g_index, p_index in candidates:
        if g_index not in pairs and p_index not in taken:
            pairs[g_index] = p_index
            taken.add(p_index)
    return pairs


def pair_confusion(
    n: int,
    gold_edges: Iterable[tuple[Hashable, Hashable]],
    predicted_edges: Iterable[tuple[Hashable, Hashable]],
) -> Confusion:
    """Attachment counts over all ordered pairs of ``n`` items, without listing them.

    Only the edges are compared; the ``n * (n - 1)`` unattached pairs are
    derived by subtraction, so scoring stays linear in the number of edges.
    """
    gold = set(gold_edges)
    pred = set(predicted_edges)
    both = len(gold & pred)
    missed = len(gold - pred)
    extra = len(pred - gold)
    neither = n * (n - 1) - both - missed - extra
    if neither < 0:
        raise ValueError(f"more edges than ordered pairs of {n} items")
    return Counter(
        {
            (ATTACHED, ATTACHED): both,
            (ATTACHED, NOT_ATTACHED): missed,
            (NOT_ATTACHED, ATTACHED): extra,
            (NOT_ATTACHED, NOT_ATTACHED): neither,
        }
    )


def score_confusion(
    confusion: Mapping[tuple[str, str], int], classes: Sequence[str]
) -> MetricScore:
    """Per-class P/R/F1, their macro average and accuracy from pooled counts.

    A class that occurs neither in gold nor in the predictions has no defined
    F1 and is left out of the macro average (reported with zero counts), so a
    tiny test set without attacks is not punished for them. With nothing at
    all to score, everything is vacuously right (1.0).
    """
    gold_totals: Counter[str] = Counter()
    pred_totals: Counter[str] = Counter()
    diagonal: Counter[str] = Counter()
    total = 0
    for (gold_label, pred_label), count in confusion.items():
        gold_totals[gold_label] += count
        pred_totals[pred_label] += count
        if gold_label == pred_label:
            diagonal[gold_label] += count
        total += count
    scores: dict[str, ClassScore] = {}
    f1s: list[float] = []
    for label in classes:
        p, r, f = prf(diagonal[label], pred_totals[label], gold_totals[label])
        scores[label] = ClassScore(
            precision=p,
            recall=r,
            f1=f,
            gold=gold_totals[label],
            predicted=pred_totals[label],
            correct=diagonal[label],
        )
        if gold_totals[label] or pred_totals[label]:
            f1s.append(f)
    return MetricScore(
        macro_f1=sum(f1s) / len(f1s) if f1s else 1.0,
        accuracy=sum(diagonal.values()) / total if total else 1.0,
        total=total,
        classes=scores,
    )


def score_segmentation(gold: int, predicted: int, matched: int) -> SegmentationScore:
    """Segmentation P/R/F1: a predicted unit is right when matched to a gold ADU."""
    p, r, f = prf(matched, predicted, gold)
    return SegmentationScore(
        gold=gold, predicted=predicted, matched=matched, precision=p, recall=r, f1=f
    )
