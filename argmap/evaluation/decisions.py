"""Score each of argmap's decisions on every corpus that annotates it.

The corpora disagree on what they annotate (see ``corpora.py``), so a piece is
scored only on its own ``decisions`` and the others stay ``None``: a blank cell,
never a zero. Per piece, every gold unit gets a (gold, predicted) label pair per
decision (``score_piece``); pooling concatenates the pairs of many pieces and
only then computes F1 (``summarize_pieces``), as the microtexts scores do.

How a map is read for each decision:

* **thesis** -- the gold unit that the predicted thesis overlaps most is the
  gold thesis. For essays, ``major_claim_thesis`` also counts a hit on any
  MajorClaim, because essays restate their thesis in 1-3 MajorClaims.
* **stance** -- a unit is ``opponent`` when its role is OBJECTION or when the
  path of primary relations (the most confident outgoing one, as in
  ``runner.py``) from it towards the thesis holds an odd number of attacks.
* **unit_type** (essays) -- THESIS -> ``major_claim``; CLAIM -> ``claim``;
  PREMISE, EVIDENCE, OBJECTION and RECOMMENDATION -> ``premise``, except that a
  unit whose primary relation points straight at the thesis is a ``claim``
  (in AAE, Claims are exactly the units that bear on the MajorClaim).
* **evidence** (editorials) -- role EVIDENCE; F1 of the evidence class.
* **evidence_type** -- on gold evidence units only, the predicted
  ``evidence_type`` (``none`` when the unit is not predicted as evidence);
  macro F1 over statistic/testimony/example. ``evidence_type_found`` scores
  the same on the units also predicted as evidence, separating "found it"
  from "typed it".
* **recommendation** (CDCP) -- the unit calls for action (``calls_for_action``:
  a recommendation, or a thesis or claim that recommends, as the map flags it
  and as ``argmap eval --crossval`` scores it); F1 of the positive class.
* **attachment** -- every predicted relation between two units aligned to gold
  units is an edge between gold units; ``links`` is F1 of the attached class
  over the directed gold edges (the tree for microtexts and essays, the links
  for CDCP, where only support relations count because CDCP annotates no
  attack). Tree corpora also get the published ``fu`` and ``at`` macro F1.

A gold unit with no aligned predicted unit gets the default prediction of each
decision (proponent, ``none``, not evidence, not a recommendation, no edges).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from argmap.errors import ArgmapError, InputError
from argmap.evaluation.corpora import DECISIONS, CorpusName, Decision, GoldPiece
from argmap.evaluation.metrics import (
    ATTACHED,
    ATTACK,
    CC,
    METRIC_CLASSES,
    NONE,
    OPPONENT,
    PROPONENT,
    SUPPORT,
    ClassScore,
    Confusion,
    MetricScore,
    SegmentationScore,
    Span,
    align_spans,
    pair_confusion,
    score_confusion,
    score_segmentation,
)
from argmap.evaluation.readings import (
    function_pair,
    has_role,
    opponent_units,
    predicted_evidence_type,
    primary_relations,
    thesis_target,
    unit_type_of,
)
from argmap.evaluation.runner import AnalyzeFn
from argmap.model import ArgumentMap, RelationKind, Role

__all__ = [
    "EVIDENCE_TYPES",
    "UNIT_TYPES",
    "DecisionReport",
    "DecisionScores",
    "PieceResult",
    "cached_analyzer",
    "evaluate_pieces",
    "opponent_units",
    "score_piece",
    "summarize_pieces",
    "unit_type_of",
]

UNIT_TYPES: tuple[str, ...] = ("major_claim", "claim", "premise")
EVIDENCE_TYPES: tuple[str, ...] = ("statistic", "testimony", "example")
EVIDENCE = "evidence"
RECOMMENDATION = "recommendation"
OTHER = "other"
TREE_CORPORA: frozenset[str] = frozenset({"microtexts", "essays"})
GOLD_SEGMENTS = "gold segments"
END_TO_END = "end to end"

Pair = tuple[str, str]
Edge = tuple[int, int]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PieceResult(_Result):
    """One piece's (gold, predicted) labels per decision, ready to be pooled.

    A list is empty and a flag ``None`` when the piece's corpus does not
    annotate that decision.
    """

    id: str
    corpus: CorpusName
    source: str
    decisions: list[Decision]
    n_gold: int
    n_units: int
    matched: int
    thesis: bool | None = None
    major_claim_thesis: bool | None = None
    stance: list[Pair] = []
    unit_type: list[Pair] = []
    evidence: list[Pair] = []
    evidence_type: list[Pair] = []
    recommendation: list[Pair] = []
    function: list[Pair] = []
    gold_edges: list[Edge] = []
    pred_edges: list[Edge] = []


class DecisionScores(_Result):
    """One table row: a group of pieces (a corpus or a source) in one mode."""

    group: str
    label: str
    gold_segments: bool
    decisions: list[Decision]
    n_pieces: int
    n_gold: int
    n_units: int
    segmentation: SegmentationScore
    thesis: float | None = None
    major_claim_thesis: float | None = None
    stance: MetricScore | None = None
    unit_type: MetricScore | None = None
    evidence: ClassScore | None = None
    evidence_type: MetricScore | None = None
    evidence_type_found: MetricScore | None = None
    recommendation: ClassScore | None = None
    links: ClassScore | None = None
    fu: MetricScore | None = None
    at: MetricScore | None = None


class DecisionReport(_Result):
    """One evaluation run (one mode) over pieces of any corpora."""

    label: str
    gold_segments: bool
    rows: list[DecisionScores]
    pieces: list[PieceResult]


def score_piece(piece: GoldPiece, amap: ArgumentMap) -> PieceResult:
    """Label every gold unit of ``piece`` both ways, for its corpus's decisions."""
    units = amap.units
    pairs = align_spans([(u.start, u.end) for u in piece.units], [(u.start, u.end) for u in units])
    unit_to_gold = {units[p].id: g for g, p in pairs.items()}
    aligned = [(g, units[pairs[i]] if i in pairs else None) for i, g in enumerate(piece.units)]
    primary = primary_relations(amap)
    wants = piece.decisions
    result = PieceResult(
        id=piece.id,
        corpus=piece.corpus,
        source=piece.source,
        decisions=[d for d in DECISIONS if d in wants],
        n_gold=len(piece.units),
        n_units=len(units),
        matched=len(pairs),
    )
    update: dict[str, object] = {}
    if "thesis" in wants:
        target = thesis_target(piece, amap)
        update["thesis"] = target is not None and bool(piece.units[target].is_thesis)
        if piece.corpus == "essays":
            update["major_claim_thesis"] = (
                target is not None and piece.units[target].label == "major_claim"
            )
    if "stance" in wants:
        opponents = opponent_units(amap)
        update["stance"] = [
            (g.stance or PROPONENT, OPPONENT if u is not None and u.id in opponents else PROPONENT)
            for g, u in aligned
        ]
    if "unit_type" in wants:
        update["unit_type"] = [
            (g.label or NONE, unit_type_of(u, amap, primary) if u is not None else NONE)
            for g, u in aligned
        ]
    if "evidence" in wants:
        update["evidence"] = [
            (_flag(g.is_evidence, EVIDENCE), _flag(has_role(u, Role.EVIDENCE), EVIDENCE))
            for g, u in aligned
        ]
    if "evidence_type" in wants:
        update["evidence_type"] = [
            (g.evidence_type, predicted_evidence_type(u))
            for g, u in aligned
            if g.evidence_type is not None
        ]
    if "recommendation" in wants:
        update["recommendation"] = [
            (
                _flag(g.is_recommendation, RECOMMENDATION),
                _flag(u is not None and u.calls_for_action, RECOMMENDATION),
            )
            for g, u in aligned
        ]
    if "attachment" in wants:
        tree = piece.corpus in TREE_CORPORA
        update["gold_edges"] = sorted({(s, t) for s, t, _ in piece.links})
        update["pred_edges"] = sorted(
            {
                (unit_to_gold[r.source], unit_to_gold[r.target])
                for r in amap.relations
                if r.source in unit_to_gold
                and r.target in unit_to_gold
                and (tree or r.kind is RelationKind.SUPPORT)
            }
        )
        if tree:
            update["function"] = [function_pair(g, u, amap, primary) for g, u in aligned]
    return result.model_copy(update=update)


def _flag(value: bool | None, positive: str) -> str:
    return positive if value else OTHER


def _confusion(pairs: Sequence[Pair]) -> Confusion:
    return Counter(pairs)


def _positive(pairs: Sequence[Pair], positive: str) -> ClassScore:
    return score_confusion(_confusion(pairs), (positive, OTHER)).classes[positive]


def _summarize_group(
    group: str, results: Sequence[PieceResult], *, gold_segments: bool, label: str
) -> DecisionScores:
    wants = {d for r in results for d in r.decisions}
    n_gold = sum(r.n_gold for r in results)
    n_units = sum(r.n_units for r in results)

    def pooled(name: str) -> list[Pair]:
        return [pair for r in results for pair in getattr(r, name)]

    scores: dict[str, object] = {}
    theses = [r.thesis for r in results if r.thesis is not None]
    if "thesis" in wants and theses:
        scores["thesis"] = sum(theses) / len(theses)
    majors = [r.major_claim_thesis for r in results if r.major_claim_thesis is not None]
    if majors:
        scores["major_claim_thesis"] = sum(majors) / len(majors)
    if "stance" in wants:
        scores["stance"] = score_confusion(_confusion(pooled("stance")), (PROPONENT, OPPONENT))
    if "unit_type" in wants:
        scores["unit_type"] = score_confusion(_confusion(pooled("unit_type")), UNIT_TYPES)
    if "evidence" in wants:
        scores["evidence"] = _positive(pooled("evidence"), EVIDENCE)
    if "evidence_type" in wants:
        typed = pooled("evidence_type")
        scores["evidence_type"] = score_confusion(_confusion(typed), EVIDENCE_TYPES)
        found = [p for p in typed if p[1] != NONE]
        scores["evidence_type_found"] = score_confusion(_confusion(found), EVIDENCE_TYPES)
    if "recommendation" in wants:
        scores["recommendation"] = _positive(pooled("recommendation"), RECOMMENDATION)
    if "attachment" in wants:
        at: Confusion = Counter()
        for r in results:
            if "attachment" in r.decisions:
                at.update(pair_confusion(r.n_gold, r.gold_edges, r.pred_edges))
        scores["links"] = score_confusion(at, METRIC_CLASSES["at"]).classes[ATTACHED]
        functions = pooled("function")
        if functions:
            scores["fu"] = score_confusion(_confusion(functions), (CC, SUPPORT, ATTACK))
            scores["at"] = score_confusion(at, METRIC_CLASSES["at"])
    base = DecisionScores(
        group=group,
        label=label,
        gold_segments=gold_segments,
        decisions=[d for d in DECISIONS if d in wants],
        n_pieces=len(results),
        n_gold=n_gold,
        n_units=n_units,
        segmentation=score_segmentation(n_gold, n_units, sum(r.matched for r in results)),
    )
    return base.model_copy(update=scores)


def summarize_pieces(
    results: Sequence[PieceResult],
    *,
    gold_segments: bool,
    label: str | None = None,
    by: Literal["corpus", "source"] = "corpus",
) -> list[DecisionScores]:
    """Pool per-piece results into one row per corpus (or per source), in first-seen order.

    Raises:
        InputError: there are no results to pool.
    """
    if not results:
        raise InputError("nothing to evaluate: the corpus files hold no pieces")
    groups: dict[str, list[PieceResult]] = {}
    for r in results:
        groups.setdefault(r.corpus if by == "corpus" else r.source, []).append(r)
    mode = label or (GOLD_SEGMENTS if gold_segments else END_TO_END)
    return [
        _summarize_group(name, members, gold_segments=gold_segments, label=mode)
        for name, members in groups.items()
    ]


def evaluate_pieces(
    pieces: Sequence[GoldPiece],
    *,
    gold_segments: bool,
    analyze: AnalyzeFn,
    progress: Callable[[int, int], None] | None = None,
    label: str | None = None,
    by: Literal["corpus", "source"] = "corpus",
) -> DecisionReport:
    """Analyse every piece and score each decision its corpus annotates.

    Args:
        pieces: from ``load_corpus``, of one or several corpora.
        gold_segments: pass the gold unit spans as ``segments``, so only the
            decisions are scored; otherwise the analyzer segments too.
        analyze: the analyzer (``argmap.analyze`` or anything with its
            signature: an ablation, other weights, a fake in tests).
        progress: called as ``progress(done, total)`` after each piece.
        label: the mode's name in tables; defaults to the mode.
        by: one row per ``corpus`` or per ``source``.

    Raises:
        InputError: ``pieces`` is empty.
        ArgmapError: the analyzer failed; the message is prefixed with the piece id.
    """
    if not pieces:
        raise InputError("nothing to evaluate: the corpus files hold no pieces")
    results: list[PieceResult] = []
    total = len(pieces)
    for done, piece in enumerate(pieces, start=1):
        try:
            if gold_segments:
                amap = analyze(piece.text, segments=[(u.start, u.end) for u in piece.units])
            else:
                amap = analyze(piece.text)
        except ArgmapError as exc:
            raise type(exc)(f"piece {piece.id}: {exc}") from exc
        results.append(score_piece(piece, amap))
        if progress is not None:
            progress(done, total)
    mode = label or (GOLD_SEGMENTS if gold_segments else END_TO_END)
    return DecisionReport(
        label=mode,
        gold_segments=gold_segments,
        rows=summarize_pieces(results, gold_segments=gold_segments, label=mode, by=by),
        pieces=results,
    )


def cached_analyzer(analyze: AnalyzeFn) -> AnalyzeFn:
    """``analyze`` remembering its maps, so two scorers of one text share one run.

    ``argmap eval`` scores the tree corpora twice (by decision and by the
    published microtexts scheme); the maps are deterministic, so the second
    scorer reads them from here instead of analysing every text again.
    """
    cache: dict[tuple[str, tuple[Span, ...] | None], ArgumentMap] = {}

    def cached(text: str, *, segments: list[Span] | None = None) -> ArgumentMap:
        key = (text, None if segments is None else tuple(segments))
        if key not in cache:
            cache[key] = analyze(text, segments=segments)
        return cache[key]

    return cached
