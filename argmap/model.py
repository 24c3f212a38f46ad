"""The argument map as plain, frozen, JSON-ready data.

These models are the contract between the pipeline and everything downstream
(renderers, checks, evaluation, users' scripts), so they hold no spaCy objects
and validate their own invariants: unique ids and relation endpoints that exist.

Every decision carries its reasons as data: a unit's ``cues`` and a relation's
``cue`` are :class:`Cue` objects whose ``kind`` comes from the closed set
:class:`CueKind`, with the rule that emitted them and their weight. Downstream
code branches on those fields; a cue's ``description`` is for people only.
Maps saved before reasons were data (prose cues) still load: see
:mod:`argmap.legacy`.
"""

from __future__ import annotations

import weakref
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from argmap._version import __version__
from argmap.legacy import upgrade_relation, upgrade_unit

__all__ = [
    "POSITION_KINDS",
    "ArgumentMap",
    "Cue",
    "CueKind",
    "EvidenceType",
    "Relation",
    "RelationKind",
    "Rival",
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


class CueKind(StrEnum):
    """What a cue is, as a stable machine name: the closed set consumers branch on.

    Grouped by where they arise; a kind names the signal (the words or the
    structure that triggered it), the ``Cue.rule`` names who used it.
    """

    # Signals in a unit's own words (role rules and the features shown with them).
    DEONTIC_MODAL = "deontic_modal"
    PROHIBITION = "prohibition"
    IMPERATIVE = "imperative"
    RHETORICAL_QUESTION = "rhetorical_question"
    QUESTION = "question"
    OPPONENT_VIEW = "opponent_view"
    ATTRIBUTION = "attribution"
    STATISTIC = "statistic"
    QUOTATION = "quotation"
    BLOCK_QUOTE = "block_quote"
    STANCE = "stance"
    EVALUATIVE = "evaluative"
    HEDGE = "hedge"
    # Discourse connectives (an opening connective, a split, a marker inside the unit).
    CONCLUSION_MARKER = "conclusion_marker"
    REASON_CONNECTIVE = "reason_connective"
    CONTRAST = "contrast"
    CONCESSION = "concession"
    ENUMERATION = "enumeration"
    ADDITION = "addition"
    RESTATEMENT = "restatement"
    EXAMPLE_MARKER = "example_marker"
    CONSEQUENCE = "consequence"
    COORDINATION = "coordination"
    ANAPHORA = "anaphora"
    # Structure: neighbours, position, roles, the text as a whole.
    ANSWERED_NEXT = "answered_next"
    CONTINUATION = "continuation"
    SUPPORTED = "supported"
    CALL_TO_ACTION = "call_to_action"
    EVIDENCE_ROLE = "evidence_role"
    OBJECTION_ROLE = "objection_role"
    POSITION = "position"
    TITLE_OVERLAP = "title_overlap"
    CENTRALITY = "centrality"
    SUBORDINATE = "subordinate"
    SHORT = "short"
    RIVAL = "rival"
    PARAGRAPH = "paragraph"
    WORD_OVERLAP = "word_overlap"
    DEFAULT = "default"
    """No stronger cue: the rule's default decision."""
    FALLBACK = "fallback"
    """No cue at all: the linker had to attach the unit somewhere."""
    # Learned scorers.
    FEATURE = "feature"
    """A named feature of a learned scorer; ``weight`` is its signed contribution."""
    # Outside the pipeline.
    CORRECTION = "correction"
    IMPORTED = "imported"
    LEGACY = "legacy"
    """A prose cue from a map saved before cues were data, not recognised."""


POSITION_KINDS = frozenset(
    {
        CueKind.CALL_TO_ACTION,
        CueKind.DEONTIC_MODAL,
        CueKind.PROHIBITION,
        CueKind.IMPERATIVE,
        CueKind.RHETORICAL_QUESTION,
        CueKind.STANCE,
        CueKind.EVALUATIVE,
        CueKind.CONCLUSION_MARKER,
    }
)
"""Cue kinds that show the author taking a position: a call, a stance, a judgement, a conclusion."""


RESTATEMENT_RULE = "thesis_restatement"
"""The ``rule`` of the relation that links a restatement of the thesis (an essay's
conclusion saying its thesis again) to the thesis."""


class Cue(_Frozen):
    """One reason for a decision: what triggered it, where, and how much it counted.

    ``kind`` is what code reads; ``words`` and the offsets point at the
    trigger in the source (``start``/``end`` are character offsets into the
    map's source text, None when unknown, e.g. for a structural cue);
    ``weight`` is its contribution to a score (1.0 where the rule does not
    score); ``rule`` names the rule or model that used it. ``description``
    is the sentence shown to people and is never parsed.
    """

    kind: CueKind
    words: str = ""
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    weight: float = 1.0
    rule: str = ""
    description: str = ""

    @model_validator(mode="after")
    def _span_is_whole(self) -> Self:
        if (self.start is None) != (self.end is None):
            raise ValueError("a cue's start and end are both given or both omitted")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"cue end {self.end} before start {self.start}")
        return self


class Rival(_Frozen):
    """A unit that came close to being the thesis, with its thesis score."""

    unit: str = Field(pattern=r"^u[1-9][0-9]*$")
    score: float


class Unit(_Frozen):
    """One argumentative unit: a span of the source text with a role.

    ``cues``, ``rule`` and ``confidence`` explain the role, so a reader can ask
    *why*. ``calls_for_action`` is True for a recommendation and for a thesis
    or claim that recommends. On the thesis, ``score`` is its thesis score
    and ``rivals`` the units that came close, best first.
    """

    id: str = Field(pattern=r"^u[1-9][0-9]*$")
    role: Role
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(ge=1)
    evidence_type: EvidenceType | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    cues: list[Cue] = Field(default_factory=list)
    rule: str = ""
    """The rule or model that decided the role ("" when unknown, e.g. a hand-made unit)."""
    calls_for_action: bool = False
    score: float | None = None
    rivals: list[Rival] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        return upgrade_unit(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _span_is_ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"unit {self.id}: end {self.end} before start {self.start}")
        if self.evidence_type is not None and self.role is not Role.EVIDENCE:
            raise ValueError(f"unit {self.id}: evidence_type set on a {self.role.value}")
        return self


class Relation(_Frozen):
    """A directed support or attack from ``source`` to the unit it bears on.

    ``rule`` names the link rule (or model) that made it; ``fallback`` is True
    when the linker found no cue and attached the unit only because it had
    to, which is what ``argmap check`` discounts.
    """

    source: str
    target: str
    kind: RelationKind
    confidence: float = Field(ge=0.0, le=1.0)
    cue: Cue | None = None
    rule: str = ""
    fallback: bool = False
    runner_up: str | None = None
    """The unit the source would bear on next (by the attachment scorer), if any."""
    runner_up_confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        return upgrade_relation(data) if isinstance(data, dict) else data


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
        for unit in self.units:
            for rival in unit.rivals:
                if rival.unit not in known:
                    raise ValueError(f"rival {rival.unit!r} of {unit.id} is not a unit")
        return self

    def unit(self, unit_id: str) -> Unit:
        """Return the unit with this id (KeyError if there is none).

        Callers ask once per unit (a render, ``argmap check``), so the look-up
        is a dict kept beside the map, rebuilt when ``units`` is another list.
        """
        entry = _UNIT_INDEX.get(id(self))
        if entry is None or not _indexes(entry, self):
            entry = _index_units(self)
        return entry[2][unit_id]

    def children(self, unit_id: str) -> list[Relation]:
        """Relations pointing at ``unit_id``, in document order of their sources."""
        return [r for r in self.relations if r.target == unit_id]


_Index = tuple["weakref.ref[ArgumentMap]", list[Unit], dict[str, Unit]]
_UNIT_INDEX: dict[int, _Index] = {}
"""id(map) -> (the map, weakly; its units list; id -> unit). An entry leaves with its map."""


def _indexes(entry: _Index, m: ArgumentMap) -> bool:
    """Whether ``entry`` is ``m``'s index: the same map, the same list, not grown or shrunk."""
    return entry[0]() is m and entry[1] is m.units and len(entry[2]) == len(m.units)


def _index_units(m: ArgumentMap) -> _Index:
    key = id(m)
    gone = weakref.ref(m, lambda _, key=key: _UNIT_INDEX.pop(key, None))  # type: ignore[misc]
    _UNIT_INDEX[key] = entry = (gone, m.units, {u.id: u for u in m.units})
    return entry
