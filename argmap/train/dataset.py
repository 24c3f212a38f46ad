"""Gold pieces turned into training rows: each unit's features and its gold labels.

The features come from exactly the stages the pipeline runs (parse, fixed
segments, cues, role rules, rule thesis scores, ``unit_features``), with the
gold segmentation, so a scorer is fitted on what it will see at mapping time.
Parsing a corpus takes a minute; the rows are cached on disk, keyed by the
corpus file and the source of every stage that shapes a feature, so a change
to any of them rebuilds the cache and a stale row is never trained on.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from argmap.evaluation.corpora import GoldPiece, load_corpus
from argmap.features import FEATURE_VERSION, UnitFeatures
from argmap.features.pairs import PairFeatures
from argmap.model import EvidenceType, Role

if TYPE_CHECKING:
    from argmap.classify import Classified

__all__ = ["PieceRows", "UnitLabels", "corpus_rows", "piece_rows"]

_STAGE_MODULES = (
    "cues.py",
    "classify.py",
    "thesis.py",
    "segment.py",
    "features/units.py",
    "features/pairs.py",
    "link.py",
    "train/dataset.py",
)


PairRows = list[list[tuple[int, PairFeatures]]]
"""Per unit, each candidate head with the pair's features."""


@dataclass(frozen=True)
class UnitLabels:
    """What the gold says about one unit (None: the corpus does not say)."""

    thesis: bool | None
    """The thesis, or (essays) any major claim: each restates the thesis."""
    objection: bool | None
    recommendation: bool | None
    evidence: bool | None
    evidence_type: str | None


@dataclass(frozen=True)
class PieceRows:
    """One gold piece as rows: features, the rules' roles, and the gold labels."""

    id: str
    corpus: str
    source: str
    rows: list[UnitFeatures]
    rules: list[tuple[Role, EvidenceType | None]]
    rule_thesis: int | None
    labels: list[UnitLabels]
    thesis_annotated: bool
    paragraphs: int
    """How many paragraphs hold the piece's units."""
    thesis: int | None = None
    """The thesis the pair features were computed with: gold where annotated, else the rules'."""
    pairs: PairRows = field(default_factory=list)
    """Per unit, each candidate head and the pair's features."""
    heads: list[dict[int, str]] = field(default_factory=list)
    """Per unit, its gold heads and how it bears on each ("support"/"attack");
    empty lists when the corpus does not annotate attachment."""


def _labels(piece: GoldPiece) -> list[UnitLabels]:
    out = []
    for u in piece.units:
        evidence_type = u.evidence_type if u.is_evidence else None
        out.append(
            UnitLabels(
                thesis=u.is_thesis or u.label == "major_claim" if u.is_thesis is not None else None,
                objection=None if u.stance is None else u.stance == "opponent",
                recommendation=u.is_recommendation,
                evidence=u.is_evidence,
                evidence_type=evidence_type,
            )
        )
    return out


def piece_rows(pieces: Sequence[GoldPiece], *, model: str | None = None) -> Iterator[PieceRows]:
    """Rows for each piece, parsing all pieces through one shared spaCy stream."""
    from argmap.classify import classify_units
    from argmap.cues import extract_features
    from argmap.features import unit_features
    from argmap.nlp import parse_groups
    from argmap.reader import parse_text
    from argmap.segment import segments_from_offsets
    from argmap.thesis import thesis_scores

    sources = [parse_text(p.text) for p in pieces]

    def groups() -> Iterator[list[str]]:
        for piece, source in zip(pieces, sources, strict=True):
            title = source.title_text
            yield [source.clean[u.start : u.end] for u in piece.units] + ([title] if title else [])

    for piece, source, docs in zip(
        pieces, sources, parse_groups(groups(), model=model), strict=False
    ):
        count = len(piece.units)
        offsets = [(u.start, u.end) for u in piece.units]
        segments = segments_from_offsets(source, offsets, docs[:count])
        title_lemmas = frozenset(
            t.lemma_.lower() for d in docs[count:] for t in d if t.is_alpha and not t.is_stop
        )
        classified = classify_units(segments, [extract_features(s.tokens) for s in segments])
        scores = [score for score, _ in thesis_scores(classified, title_lemmas=title_lemmas)]
        rule_thesis = max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else None
        gold_thesis = next((i for i, u in enumerate(piece.units) if u.is_thesis), None)
        thesis = gold_thesis if gold_thesis is not None else rule_thesis
        yield PieceRows(
            id=piece.id,
            corpus=piece.corpus,
            source=piece.source,
            rows=unit_features(classified, scores, title_lemmas=title_lemmas),
            rules=[(c.decision.role, c.decision.evidence_type) for c in classified],
            rule_thesis=rule_thesis,
            labels=_labels(piece),
            thesis_annotated="thesis" in piece.decisions,
            paragraphs=len({s.block for s in segments}),
            thesis=thesis,
            pairs=_pairs(classified, thesis),
            heads=_heads(piece),
        )


def _pairs(
    classified: list[Classified], thesis: int | None
) -> list[list[tuple[int, PairFeatures]]]:
    from argmap.features.pairs import candidate_heads, pair_features
    from argmap.link import link_units

    if thesis is None:
        return [[] for _ in classified]
    rule_links = {link.source: link for link in link_units(classified, thesis)}
    return [
        [
            (j, pair_features(classified, i, j, thesis=thesis, rule_link=rule_links.get(i)))
            for j in heads
        ]
        for i, heads in enumerate(candidate_heads(classified, thesis))
    ]


def _heads(piece: GoldPiece) -> list[dict[int, str]]:
    heads: list[dict[int, str]] = [{} for _ in piece.units]
    if "attachment" not in piece.decisions:
        return heads
    for i, unit in enumerate(piece.units):
        if unit.head is not None:
            heads[i][unit.head] = unit.function or "support"
    for src, trg, kind in piece.links:
        heads[src].setdefault(trg, kind)
    return heads


def _code_key() -> str:
    digest = hashlib.sha256(str(FEATURE_VERSION).encode())
    package = resources.files("argmap")
    for name in _STAGE_MODULES:
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def _gold_bytes(path: Path) -> bytes:
    """The gold file's bytes for the cache key: a regular file, read bounded."""
    from argmap.errors import InputError
    from argmap.evaluation.gold import MAX_GOLD_BYTES
    from argmap.textfile import read_bytes

    data = read_bytes(path, limit=MAX_GOLD_BYTES)
    if len(data) > MAX_GOLD_BYTES:
        raise InputError(f"{path}: larger than {MAX_GOLD_BYTES:,} bytes; not a gold file")
    return data


def corpus_rows(
    path: str | Path,
    *,
    cache_dir: Path | None = None,
    model: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[PieceRows]:
    """Every piece of a corpus file as rows, from the cache when nothing changed."""
    path = Path(path)
    key = hashlib.sha256(_gold_bytes(path)).hexdigest()[:16] + "-" + _code_key()
    cached = None if cache_dir is None else cache_dir / f"{path.stem}-{key}.pkl"
    if cached is not None and cached.is_file():
        with cached.open("rb") as handle:
            loaded: list[PieceRows] = pickle.load(handle)
        return loaded
    pieces = load_corpus(path)
    rows: list[PieceRows] = []
    for done, row in enumerate(piece_rows(pieces, model=model), 1):
        rows.append(row)
        if progress is not None:
            progress(done, len(pieces))
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(rows, handle)
        tmp.replace(cached)
    return rows
