"""The corrections file format: pydantic models, YAML reading, the JSON Schema.

The models are the single source of the format: they validate what a user
wrote (unknown keys are typos, so they are errors), and the JSON Schema
shipped beside them (``schema.json``, for editors) is generated from them and
checked against them by a test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from argmap.errors import InputError
from argmap.model import EvidenceType, RelationKind, Role

__all__ = ["Correction", "CorrectionsFile", "load_corrections", "parse_corrections", "schema"]


class Correction(BaseModel):
    """One fix to one unit, named by a quote of its text."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    unit: str = Field(
        min_length=1,
        description="A short quote of the unit's text: a few words found in that unit only.",
    )
    role: Role | None = Field(None, description="Give the unit this role.")
    evidence_type: EvidenceType | None = Field(
        None,
        alias="evidence-type",
        description="The kind of evidence (implies role: evidence).",
    )
    attach_to: str | None = Field(
        None,
        alias="attach-to",
        min_length=1,
        description="A quote of the unit this one bears on (replaces its relations).",
    )
    kind: RelationKind | None = Field(
        None, description="support or attack: how the unit bears on its target."
    )
    drop: bool = Field(False, description="Remove the unit: it is not part of the argument.")
    merge_with: str | None = Field(
        None,
        alias="merge-with",
        min_length=1,
        description="A quote of another unit: the two are one (this one is folded into it).",
    )
    thesis: bool = Field(False, description="Make this unit the thesis.")

    @model_validator(mode="after")
    def _one_clear_fix(self) -> Self:
        changes = [self.role, self.evidence_type, self.attach_to, self.kind, self.merge_with]
        if not (any(c is not None for c in changes) or self.drop or self.thesis):
            raise ValueError(
                "says nothing to change; add role, attach-to, kind, drop, merge-with or thesis"
            )
        if self.drop and any(c is not None for c in changes):
            raise ValueError("drop: true cannot be combined with other changes")
        if self.thesis and (self.attach_to or self.kind or self.role not in (None, Role.THESIS)):
            raise ValueError("thesis: true cannot be combined with attach-to, kind or another role")
        if self.evidence_type is not None and self.role not in (None, Role.EVIDENCE):
            raise ValueError("evidence-type needs role: evidence")
        return self

    @property
    def makes_thesis(self) -> bool:
        """Whether this entry names the thesis (``thesis: true`` or ``role: thesis``)."""
        return self.thesis or self.role is Role.THESIS


class CorrectionsFile(BaseModel):
    """A corrections file: fixes to an argmap analysis that survive re-analysis."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = Field(1, description="Format version; always 1.")
    source: str | None = Field(None, description="The piece these corrections were written for.")
    corrections: list[Correction] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _empty_list(cls, data: object) -> object:
        """``corrections:`` with every entry commented out is YAML null: no corrections."""
        if isinstance(data, dict) and "corrections" in data and data["corrections"] is None:
            return {**data, "corrections": []}
        return data


def schema() -> dict[str, object]:
    """The JSON Schema of a corrections file (shipped as ``corrections/schema.json``)."""
    document: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **CorrectionsFile.model_json_schema(by_alias=True),
    }
    document["title"] = "argmap corrections"
    return document


def parse_corrections(text: str, *, name: str = "<corrections>") -> CorrectionsFile:
    """Read corrections from YAML text (a mapping, or a bare list of entries).

    Raises:
        InputError: If the YAML is invalid or does not follow the schema; the
            message names the file, the entry and the field.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{name}: not valid YAML{where}: {problem}") from exc
    except RecursionError:
        raise InputError(f"{name}: not valid corrections (nested too deeply)") from None
    except ValueError:  # PyYAML lets int()'s digit limit (and bad dates) through
        raise InputError(f"{name}: not valid YAML (a number or date that cannot be read)") from None
    if data is None:
        data = {}
    if isinstance(data, list):
        data = {"corrections": data}
    try:
        return CorrectionsFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) for p in first["loc"]]
        if len(loc) >= 2 and loc[0] == "corrections" and loc[1].isdigit():
            loc = [f"entry {int(loc[1]) + 1}", *loc[2:]]
        where = ".".join(loc) or "file"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InputError(f"{name}: {where}: {message}") from exc


def load_corrections(path: str | Path) -> CorrectionsFile:
    """Read a corrections file from disk (see :func:`parse_corrections`)."""
    from argmap.reader import read_path

    return parse_corrections(read_path(path, max_chars=MAX_CORRECTIONS_CHARS), name=str(path))


MAX_CORRECTIONS_CHARS = 2_000_000
"""A corrections file lists at most a few thousand short entries."""
