"""Calibration of a scorer's probabilities: does "70%" come true 70% of the time?

The map shows each decision's confidence as a probability, so a reader takes
0.9 to mean "nearly always right". The reliability table puts that to the
test: units are binned by predicted probability and each bin's mean
prediction is set against how often the gold says yes. The expected
calibration error (ECE) is the gap averaged over units, so a scorer that is
right on average but over-confident in its extremes still shows it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

__all__ = ["Calibration", "ReliabilityBin", "calibrate"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReliabilityBin(_Frozen):
    """One probability bin: what the scorer predicted there and what came true."""

    low: float
    high: float
    count: int
    mean_predicted: float | None
    """None when no unit falls in the bin."""
    observed: float | None
    """The share of the bin's units whose gold is positive."""


class Calibration(_Frozen):
    """How well one scorer's probabilities match the rates observed on gold units."""

    scorer: str
    source: str
    """Where the probabilities come from, e.g. ``"pooled"`` cross-validation folds."""
    units: int
    positives: int
    ece: float | None
    """Expected calibration error: sum over bins of (bin share) × |predicted − observed|."""
    bins: list[ReliabilityBin]


def calibrate(
    pairs: Iterable[tuple[float, bool]], *, scorer: str, source: str, bins: int = 10
) -> Calibration:
    """Reliability table and ECE of ``(probability, gold)`` pairs over equal-width bins.

    A probability of exactly 1.0 falls in the top bin; ``ece`` is None when
    there are no pairs (nothing to judge, which is not a perfect score).
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    sums = [0.0] * bins
    hits = [0] * bins
    counts = [0] * bins
    for p, gold in pairs:
        k = min(max(int(p * bins), 0), bins - 1)
        sums[k] += p
        hits[k] += bool(gold)
        counts[k] += 1
    total = sum(counts)
    table = [
        ReliabilityBin(
            low=round(k / bins, 6),
            high=round((k + 1) / bins, 6),
            count=counts[k],
            mean_predicted=sums[k] / counts[k] if counts[k] else None,
            observed=hits[k] / counts[k] if counts[k] else None,
        )
        for k in range(bins)
    ]
    ece = (
        sum(abs(sums[k] - hits[k]) for k in range(bins)) / total if total else None
    )  # |n·mean − hits| / N == (n/N)·|mean − rate|
    return Calibration(
        scorer=scorer, source=source, units=total, positives=sum(hits), ece=ece, bins=table
    )
