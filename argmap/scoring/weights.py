"""Transparent linear scorers: a weighted sum of named features, and its reasons.

A scorer is data (one JSON file shipped in the package, or a user's own from
``argmap train``): per class, a bias and a weight per feature name. Scoring a
unit is a dot product over the features it has, so mapping needs no
machine-learning library and every probability comes with the signed
contributions that made it, which the map shows as the unit's reasons.
"""

from __future__ import annotations

import math
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from argmap.errors import InputError
from argmap.features import FEATURE_VERSION, UnitFeatures

__all__ = [
    "WEIGHTS_ENV",
    "Contribution",
    "LinearScorer",
    "Weights",
    "default_weights",
    "load_weights",
]

WEIGHTS_ENV = "ARGMAP_WEIGHTS"
"""Environment variable naming a weights file to map with instead of the shipped one."""
_MAX_WEIGHTS_BYTES = 2_000_000

Contribution = tuple[str, float]
"""(feature name, value × weight): how much one feature moved a score."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LinearScorer(_Frozen):
    """One decision's weights: a logistic model (binary) or a softmax over classes."""

    kind: Literal["binary", "multiclass"]
    classes: list[str] = Field(min_length=1)
    """Binary: the one positive class. Multiclass: every class."""
    bias: dict[str, float]
    weights: dict[str, dict[str, float]]
    """Per class, feature name → weight. Features not listed weigh nothing."""
    threshold: float = 0.5
    """Binary: the probability at or above which the decision is made."""
    max_paragraphs: int | None = None
    """The longest texts (in paragraphs) the scorer is trusted on: beyond the
    texts it was fitted on, where its structure features mean something else
    (the last of 25 op-ed paragraphs is not an essay's conclusion), the rules
    decide. None: no limit."""

    def covers(self, paragraphs: int) -> bool:
        """Whether a text of this many paragraphs is within the scorer's domain."""
        return self.max_paragraphs is None or paragraphs <= self.max_paragraphs

    def probabilities(self, features: UnitFeatures) -> dict[str, float]:
        """Each class's probability (binary: the positive class only)."""
        logits = {c: self._logit(c, features) for c in self.classes}
        if self.kind == "binary":
            ((cls, logit),) = logits.items()
            return {cls: _sigmoid(logit)}
        top = max(logits.values())
        exp = {c: math.exp(v - top) for c, v in logits.items()}
        total = sum(exp.values())
        return {c: v / total for c, v in exp.items()}

    def contributions(self, cls: str, features: UnitFeatures, top: int = 5) -> list[Contribution]:
        """The features that moved ``cls``'s score most, strongest first."""
        table = self.weights.get(cls, {})
        found = [(name, value * table[name]) for name, value in features.items() if name in table]
        found = [c for c in found if abs(c[1]) >= 0.005]
        found.sort(key=lambda c: (-abs(c[1]), c[0]))
        return found[:top]

    def _logit(self, cls: str, features: UnitFeatures) -> float:
        table = self.weights.get(cls, {})
        return self.bias.get(cls, 0.0) + sum(
            value * table[name] for name, value in features.items() if name in table
        )


class Weights(_Frozen):
    """Every scorer argmap maps with, and what they were fitted on."""

    format: Literal["argmap-weights"] = "argmap-weights"
    feature_version: int
    trained_on: list[str] = Field(default_factory=list)
    """What the weights were fitted on (corpus names, or a user's files)."""
    scorers: dict[str, LinearScorer]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def load_weights(path: str | Path) -> Weights:
    """Read a weights file (from ``argmap train``).

    Raises:
        InputError: unreadable, not a weights file, or made for other features.
    """
    from argmap.textfile import read_bytes

    data = read_bytes(path, limit=_MAX_WEIGHTS_BYTES)
    if len(data) > _MAX_WEIGHTS_BYTES:
        raise InputError(f"{path}: too large for a weights file (over 2 MB)")
    try:
        weights = Weights.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise InputError(f"{path}: not an argmap weights file ({where}: {first['msg']})") from exc
    except RecursionError:
        raise InputError(f"{path}: not an argmap weights file (nested too deeply)") from None
    if weights.feature_version != FEATURE_VERSION:
        raise InputError(
            f"{path}: made for features v{weights.feature_version}, this argmap has "
            f"v{FEATURE_VERSION}; re-run argmap train"
        )
    return weights


@cache
def default_weights() -> Weights:
    """The weights to map with: ``$ARGMAP_WEIGHTS`` if set, else the shipped file."""
    override = os.environ.get(WEIGHTS_ENV)
    if override:
        return load_weights(override)
    raw = resources.files("argmap.scoring").joinpath("weights.json").read_text(encoding="utf-8")
    return Weights.model_validate_json(raw)
