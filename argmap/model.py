"""The argument map as plain, frozen, JSON-ready data.

These models are the contract between the pipeline and everything downstream
(renderers, checks, evaluation, users' scripts), so they hold no spaCy objects
and validate their own invariants: unique ids and relation endpoints that exist.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from argmap._version import __version__

__all__ = [
    "ArgumentMap",
    "EvidenceType",
    "Relation",
    "RelationKind",
    "Role",
    "Skipped",
    "Unit",
]


class Role(StrEnum):
    """What a unit does in the argument."""

    THESIS = "thesis"
    CLAIM = "claim"
    PREMISE = "premise"
    EVIDENCE = "evidence"
    RECOMMENDATION = "recommendation"
    OBJECTION = "objection"


class RelationKind(StrEnum):
    """How a unit bears on another: it gives a reason for it, or against it."""

    SUPPORT = "support"
    ATTACK = "attack"


class EvidenceType(StrEnum):
    """The kind of evidence a unit offers."""

    STATISTIC = "statistic"
    TESTIMONY = "testimony"
    EXAMPLE = "example"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Unit(_Frozen):
    """One argumentative unit: a span of the source text with a role.

    ``cues`` and ``confidence`` explain the role, so a reader can ask *why*.
    """

    id: str = Field(pattern=r"^u[1-9][0-9]*$")
    role: Role
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(ge=1)
    evidence_type: EvidenceType | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    cues: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _span_is_ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"unit {self.id}: end {self.end} before start {self.start}")
        if self.evidence_type is not None and self.role is not Role.EVIDENCE:
            raise ValueError(f"unit {self.id}: evidence_type set on a {self.role.value}")
        return self


class Relation(_Frozen):
    """A directed support or attack from ``source`` to the unit it bears on."""

    source: str
    target: str
    kind: RelationKind
    confidence: float = Field(ge=0.0, le=1.0)
    cue: str | None = None


class Skipped(_Frozen):
    """A region of the source that is not argument (byline, code, boilerplate)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    reason: str


class ArgumentMap(_Frozen):
    """The whole map: units in document order, relations, and what was left out."""

    argmap_version: str = __version__
    thesis: str | None = None
    units: list[Unit] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    unattached: list[str] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_exist(self) -> Self:
        ids = [u.id for u in self.units]
        known = set(ids)
        if len(known) != len(ids):
            raise ValueError("unit ids are not unique")
        if self.thesis is not None and self.thesis not in known:
            raise ValueError(f"thesis {self.thesis!r} is not a unit")
        for rel in self.relations:
            for end in (rel.source, rel.target):
                if end not in known:
                    raise ValueError(f"relation endpoint {end!r} is not a unit")
            if rel.source == rel.target:
                raise ValueError(f"relation from {rel.source!r} to itself")
        for uid in self.unattached:
            if uid not in known:
                raise ValueError(f"unattached {uid!r} is not a unit")
        return self

    def unit(self, unit_id: str) -> Unit:
        """Return the unit with this id (KeyError if there is none)."""
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)

    def children(self, unit_id: str) -> list[Relation]:
        """Relations pointing at ``unit_id``, in document order of their sources."""
        return [r for r in self.relations if r.target == unit_id]
