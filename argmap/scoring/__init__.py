"""Learned, transparent scorers: weights as data, decisions with their reasons."""

from __future__ import annotations

from argmap.scoring.decide import SCORERS, UnitVerdict, decide_units
from argmap.scoring.weights import (
    WEIGHTS_ENV,
    Contribution,
    LinearScorer,
    Weights,
    default_weights,
    load_weights,
)

__all__ = [
    "SCORERS",
    "WEIGHTS_ENV",
    "Contribution",
    "LinearScorer",
    "UnitVerdict",
    "Weights",
    "decide_units",
    "default_weights",
    "load_weights",
]
