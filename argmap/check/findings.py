"""What a check reports: a ``Finding`` at a unit, with a severity and a fix.

``Finding`` belongs with the map's models in spirit (STYLE.md lists it in
``model.py``); it lives here while ``model.py`` is owned elsewhere, and is
re-exported by ``argmap.check``. Like the map, it is frozen, JSON-ready data,
so the CLI, ``argmap diff`` and users' tools all read the same thing.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Finding", "Severity"]


class Severity(StrEnum):
    """How much a finding matters; ``--fail-on`` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error: higher is worse."""
        return _RANKS[self]


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Finding(BaseModel):
    """One problem in the logic of a draft, where it is and how to fix it.

    ``line`` and ``column`` (both 1-based) point at the start of ``unit``, the
    unit the finding is about; a finding about the whole piece points at the
    thesis (or at 1:1 when there is none). ``related`` names other units
    involved (the rival theses, the rest of a cycle).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^AM[0-9]{3}$")
    name: str
    severity: Severity
    message: str
    fix: str
    unit: str | None = None
    line: int = Field(default=1, ge=1)
    column: int = Field(default=1, ge=1)
    file: str | None = None
    related: tuple[str, ...] = ()
