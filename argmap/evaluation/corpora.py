"""The four development corpora read into one shape: ``GoldPiece``.

Each corpus annotates a different slice of what argmap decides (microtexts and
essays a thesis and a tree, editorials evidence types, CDCP recommendations and
links), so a piece says which decisions it can score (``decisions``) and leaves
every other gold field ``None``. Scorers then never need to know the file format.

The format is detected from the records themselves, one file holds one format,
and every broken record is reported by file and line, as ``load_gold`` does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from argmap.errors import InputError
from argmap.evaluation.gold import GoldText, json_records

__all__ = [
    "DECISIONS",
    "CorpusName",
    "Decision",
    "GoldPiece",
    "GoldUnit",
    "load_corpus",
    "paragraph_index",
    "piece_from_record",
]

CorpusName = Literal["microtexts", "essays", "editorials", "cdcp"]
Decision = Literal[
    "thesis", "stance", "unit_type", "evidence", "evidence_type", "recommendation", "attachment"
]
EvidenceKind = Literal["statistic", "testimony", "example"]

DECISIONS: tuple[Decision, ...] = (
    "thesis",
    "stance",
    "unit_type",
    "evidence",
    "evidence_type",
    "recommendation",
    "attachment",
)
"""Every decision, in the order tables show them."""

_CORPUS_DECISIONS: dict[CorpusName, frozenset[Decision]] = {
    "microtexts": frozenset({"thesis", "stance", "attachment"}),
    "essays": frozenset({"thesis", "stance", "unit_type", "attachment"}),
    "editorials": frozenset({"evidence", "evidence_type"}),
    "cdcp": frozenset({"recommendation", "attachment"}),
}

_EDITORIAL_EVIDENCE: dict[str, EvidenceKind] = {
    "anecdote": "example",
    "testimony": "testimony",
    "statistics": "statistic",
}
_EDITORIAL_LABELS = frozenset(
    {"assumption", "common-ground", "other", "title", "no-unit", *_EDITORIAL_EVIDENCE}
)
_EDITORIAL_SKIPPED = frozenset({"title", "no-unit"})
_CDCP_TYPES = frozenset({"policy", "value", "fact", "testimony", "reference"})
_CDCP_LINKS = frozenset({"reason", "evidence"})

_BREAK = re.compile(r"\n\s*")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GoldUnit(_Frozen):
    """One gold argumentative unit with whatever its corpus says about it.

    A field is ``None`` when the corpus does not annotate it, so "not a
    thesis" (False) and "nobody said" (None) never get confused in a score.
    """

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    paragraph: int = Field(ge=0)
    is_thesis: bool | None = None
    stance: Literal["proponent", "opponent"] | None = None
    label: str | None = None
    is_evidence: bool | None = None
    evidence_type: EvidenceKind | None = None
    is_recommendation: bool | None = None
    head: int | None = None
    function: Literal["support", "attack"] | None = None


class GoldPiece(_Frozen):
    """One gold text of any corpus: its units, relations and scorable decisions."""

    id: str
    corpus: CorpusName
    source: str
    text: str
    units: list[GoldUnit]
    title: tuple[int, int] | None = None
    links: list[tuple[int, int, str]] = Field(default_factory=list)
    decisions: frozenset[Decision]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        n = len(self.units)
        for i, unit in enumerate(self.units):
            if unit.end <= unit.start or unit.end > len(self.text):
                raise ValueError(f"unit {i}: span {unit.start}-{unit.end} is outside the text")
            if self.text[unit.start : unit.end] != unit.text:
                raise ValueError(f"unit {i}: text does not match text[start:end]")
            if unit.head is not None and not (0 <= unit.head < n and unit.head != i):
                raise ValueError(f"unit {i}: head {unit.head} is not another unit")
        for src, trg, kind in self.links:
            if not (0 <= src < n and 0 <= trg < n) or src == trg:
                raise ValueError(f"link {src}->{trg}: not between two different units")
            if kind not in ("support", "attack"):
                raise ValueError(f"link {src}->{trg}: function {kind!r} is not support/attack")
        return self


def paragraph_index(text: str) -> list[int]:
    """Offsets at which paragraphs 1, 2, … start (paragraph 0 starts the text).

    A paragraph break is any run of newlines (with blank or whitespace-only
    lines in it): editorials separate paragraphs by a blank line, essays by a
    single newline, and one rule reads both. Leading newlines are not a break.
    """
    return [m.end() for m in _BREAK.finditer(text) if text[: m.start()].strip()]


def _paragraph(breaks: list[int], offset: int) -> int:
    return bisect_right(breaks, offset)


class _Span(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class _EditorialUnit(_Span):
    label: str


class _Editorial(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    source: str
    text: str
    units: list[_EditorialUnit] = Field(min_length=1)


class _Proposition(_Span):
    id: str
    type: str


class _CdcpLink(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    src: str
    trg: str
    type: str


class _Cdcp(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    text: str
    propositions: list[_Proposition] = Field(min_length=1)
    links: list[_CdcpLink] = Field(default_factory=list)


def _detect(record: dict[str, Any]) -> CorpusName:
    if "propositions" in record:
        return "cdcp"
    if "units" in record:
        return "editorials"
    if "adus" in record:
        adus = record["adus"]
        typed = isinstance(adus, list) and any(isinstance(a, dict) and "type" in a for a in adus)
        return "essays" if typed else "microtexts"
    raise ValueError(
        "unknown record format: expected 'adus' (microtexts, essays), "
        "'units' (editorials) or 'propositions' (CDCP)"
    )


def _from_tree(record: dict[str, Any], corpus: CorpusName) -> GoldPiece:
    gold = GoldText.model_validate(record)
    order = sorted(range(len(gold.adus)), key=lambda i: (gold.adus[i].start, gold.adus[i].end))
    adus = [gold.adus[i] for i in order]
    index = {a.id: i for i, a in enumerate(adus)}
    heads = {e.src: e for e in gold.tree}
    raw_types: dict[str, Any] = {}
    if corpus == "essays":
        raw_types = {a["id"]: a.get("type") for a in record["adus"]}
    breaks = paragraph_index(gold.text)
    units: list[GoldUnit] = []
    for adu in adus:
        edge = heads.get(adu.id)
        label = raw_types.get(adu.id)
        if corpus == "essays" and label not in ("major_claim", "claim", "premise"):
            raise ValueError(f"ADU {adu.id}: type {label!r} is not major_claim/claim/premise")
        units.append(
            GoldUnit(
                start=adu.start,
                end=adu.end,
                text=adu.text,
                paragraph=_paragraph(breaks, adu.start),
                is_thesis=adu.id == gold.central_claim,
                stance=adu.role,
                label=label if corpus == "essays" else None,
                head=index[edge.trg] if edge else None,
                function=edge.function if edge else None,
            )
        )
    title: tuple[int, int] | None = None
    if corpus == "essays":
        first = gold.text.split("\n", 1)[0].rstrip()
        if first and all(u.start >= len(first) for u in units):
            title = (0, len(first))
    links = sorted((index[e.src], index[e.trg], e.function) for e in gold.tree)
    return GoldPiece(
        id=gold.id,
        corpus=corpus,
        source=corpus,
        text=gold.text,
        units=units,
        title=title,
        links=links,
        decisions=_CORPUS_DECISIONS[corpus],
    )


def _from_editorial(record: dict[str, Any]) -> GoldPiece:
    ed = _Editorial.model_validate(record)
    breaks = paragraph_index(ed.text)
    units: list[GoldUnit] = []
    title: tuple[int, int] | None = None
    for raw in sorted(ed.units, key=lambda u: (u.start, u.end)):
        if raw.label not in _EDITORIAL_LABELS:
            raise ValueError(f"unit {raw.start}-{raw.end}: unknown label {raw.label!r}")
        if raw.label == "title" and title is None:
            title = (raw.start, raw.end)
        if raw.label in _EDITORIAL_SKIPPED:
            continue
        kind = _EDITORIAL_EVIDENCE.get(raw.label)
        units.append(
            GoldUnit(
                start=raw.start,
                end=raw.end,
                text=raw.text,
                paragraph=_paragraph(breaks, raw.start),
                label=raw.label,
                is_evidence=kind is not None,
                evidence_type=kind,
            )
        )
    return GoldPiece(
        id=ed.id,
        corpus="editorials",
        source=ed.source,
        text=ed.text,
        units=units,
        title=title,
        decisions=_CORPUS_DECISIONS["editorials"],
    )


def _from_cdcp(record: dict[str, Any]) -> GoldPiece:
    doc = _Cdcp.model_validate(record)
    props = sorted(doc.propositions, key=lambda p: (p.start, p.end))
    index = {p.id: i for i, p in enumerate(props)}
    if len(index) != len(props):
        raise ValueError("proposition ids are not unique")
    breaks = paragraph_index(doc.text)
    units: list[GoldUnit] = []
    for prop in props:
        if prop.type not in _CDCP_TYPES:
            raise ValueError(f"proposition {prop.id}: unknown type {prop.type!r}")
        units.append(
            GoldUnit(
                start=prop.start,
                end=prop.end,
                text=prop.text,
                paragraph=_paragraph(breaks, prop.start),
                label=prop.type,
                is_recommendation=prop.type == "policy",
            )
        )
    links: set[tuple[int, int, str]] = set()
    for link in doc.links:
        for end in (link.src, link.trg):
            if end not in index:
                raise ValueError(f"link {link.src}->{link.trg}: {end!r} is not a proposition")
        if link.type not in _CDCP_LINKS:
            raise ValueError(f"link {link.src}->{link.trg}: unknown type {link.type!r}")
        links.add((index[link.src], index[link.trg], "support"))
    return GoldPiece(
        id=doc.id,
        corpus="cdcp",
        source="cdcp",
        text=doc.text,
        units=units,
        links=sorted(links),
        decisions=_CORPUS_DECISIONS["cdcp"],
    )


def piece_from_record(record: dict[str, Any]) -> GoldPiece:
    """Read one parsed JSON record of any of the four formats.

    Raises:
        ValueError: the record is of no known format or breaks its format's
            invariants (pydantic's ``ValidationError`` is a ``ValueError``).
    """
    corpus = _detect(record)
    if corpus == "editorials":
        return _from_editorial(record)
    if corpus == "cdcp":
        return _from_cdcp(record)
    return _from_tree(record, corpus)


def _describe(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{loc}: {msg}{more}" if loc else f"{msg}{more}"
    return str(exc)


def load_corpus(path: str | Path) -> list[GoldPiece]:
    """Read a corpus file of any of the four formats, one piece per non-blank line.

    Raises:
        InputError: the file cannot be read or holds no pieces, a line is not
            a JSON object of a known format, its format differs from the
            first line's, it breaks its format, or it repeats an id. The
            message starts ``file:line``.
    """
    path = Path(path)
    pieces: list[GoldPiece] = []
    seen: dict[str, int] = {}
    first: tuple[CorpusName, int] | None = None
    for number, record in json_records(path, kind="corpus", where="{path}:{line}"):
        where = f"{path}:{number}"
        try:
            piece = piece_from_record(record)
        except ValueError as exc:
            raise InputError(
                f"{where}: not a valid corpus record: {_describe(exc)}; "
                "see the *-FORMAT.md file of the corpus for the fields"
            ) from exc
        if first is None:
            first = (piece.corpus, number)
        elif piece.corpus != first[0]:
            raise InputError(
                f"{where}: a {piece.corpus} record, but line {first[1]} is {first[0]}; "
                "keep one corpus per file"
            )
        if piece.id in seen:
            raise InputError(f"{where}: id {piece.id!r} already used on line {seen[piece.id]}")
        seen[piece.id] = number
        pieces.append(piece)
    if not pieces:
        raise InputError(f"corpus file {path} holds no pieces; expected one JSON object per line")
    return pieces
