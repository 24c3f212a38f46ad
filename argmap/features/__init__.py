"""Named features of units: what the learned scorers weigh (general English only)."""

from __future__ import annotations

from argmap.features.names import describe_feature
from argmap.features.units import FEATURE_VERSION, UnitFeatures, unit_features

__all__ = ["FEATURE_VERSION", "UnitFeatures", "describe_feature", "unit_features"]
