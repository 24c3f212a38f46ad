"""Gold argument structures in the microtexts JSONL format, read and checked.

The evaluator trusts these models completely (offsets, ids, one head per ADU),
so every invariant it relies on is validated here, once, and a broken line is
reported by its number instead of surfacing later as a confusing score.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from argmap.errors import InputError

__all__ = [
    "GoldAdu",
    "GoldEdu",
    "GoldRelation",
    "GoldText",
    "GoldTreeEdge",
    "load_gold",
]


class _Gold(BaseModel):
    # Unknown fields are ignored so that other corpora converted to this format
    # may carry extra metadata without breaking the loader.
    model_config = ConfigDict(frozen=True, extra="ignore")


class GoldEdu(_Gold):
    """An elementary discourse unit: the gold segmentation."""

    id: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    adu: str | None = None
    implicit: bool = False


class GoldAdu(_Gold):
    """An argumentative unit: the thing every per-ADU metric is counted over."""

    id: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    role: Literal["proponent", "opponent"]
    spans: list[tuple[int, int]] = Field(default_factory=list)
    edus: list[str] = Field(default_factory=list)
    implicit: bool = False


class GoldRelation(_Gold):
    """One edge of the full annotated graph (undercuts may target relations)."""

    id: str
    src: str
    trg: str
    trg_kind: Literal["adu", "relation"]
    type: str
    orig_type: str | None = None


class GoldTreeEdge(_Gold):
    """The head of one non-central ADU: the view the published scores use."""

    src: str
    trg: str
    type: str
    function: Literal["support", "attack"]


class GoldText(_Gold):
    """One annotated text with its ADUs, central claim and dependency tree."""

    id: str
    corpus: str | None = None
    lang: str | None = None
    topic_id: str | None = None
    stance: str | None = None
    text: str
    edus: list[GoldEdu] = Field(default_factory=list)
    adus: list[GoldAdu] = Field(min_length=1)
    central_claim: str
    relations: list[GoldRelation] = Field(default_factory=list)
    tree: list[GoldTreeEdge] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [a.id for a in self.adus]
        known = set(ids)
        if len(known) != len(ids):
            raise ValueError("ADU ids are not unique")
        for adu in self.adus:
            if adu.end <= adu.start or adu.end > len(self.text):
                raise ValueError(f"ADU {adu.id}: span {adu.start}-{adu.end} is outside the text")
            if self.text[adu.start : adu.end] != adu.text:
                raise ValueError(f"ADU {adu.id}: text does not match text[start:end]")
        if self.central_claim not in known:
            raise ValueError(f"central_claim {self.central_claim!r} is not an ADU")
        heads: set[str] = set()
        for edge in self.tree:
            for end in (edge.src, edge.trg):
                if end not in known:
                    raise ValueError(f"tree edge {edge.src}->{edge.trg}: {end!r} is not an ADU")
            if edge.src == self.central_claim:
                raise ValueError(f"tree edge {edge.src}->{edge.trg}: the central claim has a head")
            if edge.src in heads:
                raise ValueError(f"tree: ADU {edge.src} has more than one head")
            heads.add(edge.src)
        missing = known - heads - {self.central_claim}
        if missing:
            raise ValueError(f"tree: no head for ADU(s) {', '.join(sorted(missing))}")
        return self

    def head(self, adu_id: str) -> GoldTreeEdge | None:
        """The tree edge leaving ``adu_id`` (None for the central claim)."""
        for edge in self.tree:
            if edge.src == adu_id:
                return edge
        return None


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(part) for part in first["loc"])
    msg = first["msg"].removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{loc}: {msg}{more}" if loc else f"{msg}{more}"


def load_gold(path: str | Path) -> list[GoldText]:
    """Read a gold JSONL file: one text per non-blank line, in file order.

    Raises:
        InputError: the file cannot be read, is empty, repeats a text id, or a
            line is not valid JSON / not a valid gold text; the message names
            the line so it can be fixed or the file regenerated.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read gold file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"gold file {path} is not UTF-8 text: {exc.reason}") from exc
    texts: list[GoldText] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); "
                "each line must be one JSON object"
            ) from exc
        if not isinstance(data, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(data).__name__}")
        try:
            gold = GoldText.model_validate(data)
        except ValidationError as exc:
            raise InputError(
                f"{where}: not a valid gold text: {_describe(exc)}; "
                "see MICROTEXTS-FORMAT.md for the fields"
            ) from exc
        if gold.id in seen:
            raise InputError(f"{where}: text id {gold.id!r} already used on line {seen[gold.id]}")
        seen[gold.id] = number
        texts.append(gold)
    if not texts:
        raise InputError(f"gold file {path} holds no texts; expected one JSON object per line")
    return texts
