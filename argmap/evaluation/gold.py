"""Gold argument structures in the microtexts JSONL format, read and checked.

The evaluator trusts these models completely (offsets, ids, one head per ADU),
so every invariant it relies on is validated here, once, and a broken line is
reported by its number instead of surfacing later as a confusing score.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from argmap.errors import InputError

__all__ = [
    "MAX_GOLD_BYTES",
    "GoldAdu",
    "GoldEdu",
    "GoldRelation",
    "GoldText",
    "GoldTreeEdge",
    "check_gold_file",
    "json_records",
    "load_gold",
]

MAX_GOLD_BYTES = 256 * 2**20
"""No gold file is this large (the biggest development corpus is 3.4 MB): reads stop here."""


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
        self._no_cycle()
        return self

    def _no_cycle(self) -> None:
        """Every ADU's chain of heads ends at the central claim (scores walk it)."""
        head = {edge.src: edge.trg for edge in self.tree}
        rooted = {self.central_claim}
        for adu in self.adus:
            path: list[str] = []
            node = adu.id
            while node not in rooted:
                if node in path:
                    raise ValueError(f"tree: the heads of ADU {node} form a cycle")
                path.append(node)
                node = head[node]
            rooted.update(path)

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


def check_gold_file(path: str | Path, *, kind: str = "gold") -> None:
    """Refuse, before any work, a gold file that cannot be read as a regular file.

    For callers that hash or cache a file before parsing it (``argmap train``,
    ``argmap eval --crossval``): a missing file, a folder, a FIFO (which would
    block), a device or a symlink loop is one InputError here.
    """
    from argmap.textfile import read_bytes

    try:
        read_bytes(path, limit=0)
    except InputError as exc:
        raise InputError(f"cannot read {kind} file {exc}") from None


def json_records(path: Path, *, kind: str, where: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The JSON objects of a JSON Lines file, with their line numbers (blank lines skipped).

    The file is read with a bound (``MAX_GOLD_BYTES``), as a regular file only
    (a FIFO or a device is refused, not waited on), and decoded as UTF-8 (or
    as its byte-order mark says). Lines are split at ``\\n`` only: JSON may
    hold U+2028 and other characters ``str.splitlines`` would break at.

    Args:
        path: The file.
        kind: What it is, for messages (``gold``, ``corpus``).
        where: How a line is named, with ``{path}`` and ``{line}``.

    Raises:
        InputError: unreadable, too large, not text, or a line that is not a
            JSON object (invalid, nested too deeply, a number too long, a
            lone surrogate); the message names the file and the line.
    """
    from argmap.jsontext import parse_json
    from argmap.textfile import decode_bytes, read_bytes

    try:
        data = read_bytes(path, limit=MAX_GOLD_BYTES)
        if len(data) > MAX_GOLD_BYTES:
            raise InputError(f"{path}: too large (over {MAX_GOLD_BYTES // 2**20} MB)")
        text = decode_bytes(data, name=str(path))
    except InputError as exc:
        raise InputError(f"cannot read {kind} file {exc}") from None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        place = where.format(path=path, line=number)
        record = parse_json(line, place, hint="; each line must be one JSON object")
        if not isinstance(record, dict):
            raise InputError(f"{place}: expected a JSON object, got {type(record).__name__}")
        yield number, record


def load_gold(path: str | Path) -> list[GoldText]:
    """Read a gold JSONL file: one text per non-blank line, in file order.

    Raises:
        InputError: the file cannot be read, is empty, repeats a text id, or a
            line is not valid JSON / not a valid gold text; the message names
            the line so it can be fixed or the file regenerated.
    """
    path = Path(path)
    texts: list[GoldText] = []
    seen: dict[str, int] = {}
    for number, data in json_records(path, kind="gold", where="{path}, line {line}"):
        where = f"{path}, line {number}"
        try:
            gold = GoldText.model_validate(data)
        except ValidationError as exc:
            raise InputError(
                f"{where}: not a valid gold text: {_describe(exc)}; "
                "see MICROTEXTS-FORMAT.md for the fields"
            ) from exc
        except RecursionError:
            raise InputError(f"{where}: not a valid gold text (nested too deeply)") from None
        if gold.id in seen:
            raise InputError(f"{where}: text id {gold.id!r} already used on line {seen[gold.id]}")
        seen[gold.id] = number
        texts.append(gold)
    if not texts:
        raise InputError(f"gold file {path} holds no texts; expected one JSON object per line")
    return texts
