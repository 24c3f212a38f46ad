"""argmap: map the argument structure of an opinion piece.

>>> import argmap
>>> m = argmap.analyze("We should plant trees, because they cool cities.")
>>> m.units[0].role
<Role.RECOMMENDATION: 'recommendation'>

Heavy modules (spaCy, graphviz) are imported lazily so that ``argmap --help``
and ``import argmap`` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from argmap._version import __version__
from argmap.errors import ArgmapError, InputError, ModelError, RenderError
from argmap.model import (
    ArgumentMap,
    Cue,
    CueKind,
    EvidenceType,
    Relation,
    RelationKind,
    Rival,
    Role,
    Unit,
)

if TYPE_CHECKING:
    from argmap.pipeline import analyze

__all__ = [
    "ArgmapError",
    "ArgumentMap",
    "Cue",
    "CueKind",
    "EvidenceType",
    "InputError",
    "ModelError",
    "Relation",
    "RelationKind",
    "RenderError",
    "Rival",
    "Role",
    "Unit",
    "__version__",
    "analyze",
]


def __getattr__(name: str) -> Any:
    if name == "analyze":
        from argmap.pipeline import analyze

        return analyze
    raise AttributeError(f"module 'argmap' has no attribute {name!r}")
