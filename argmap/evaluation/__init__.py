"""Measure argmap against gold argument structures.

Two views of the same maps. ``load_corpus`` reads any of the four development
corpora (microtexts, essays, editorials, CDCP) into ``GoldPiece``s and
``evaluate_pieces`` scores each decision a corpus annotates (thesis, stance,
unit type, evidence and its type, recommendation, attachment), one row per
corpus (``format_decisions``). ``load_gold`` and ``evaluate`` keep the
published microtexts scheme for files in that format. Typical use::

    from argmap import analyze
    from argmap.evaluation import evaluate_pieces, format_decisions, load_corpus

    pieces = load_corpus("essays-train.jsonl") + load_corpus("cdcp-train.jsonl")
    report = evaluate_pieces(pieces, gold_segments=True, analyze=analyze)
    print(format_decisions([report]))

and, for the published scheme::

    from argmap.evaluation import evaluate, format_table, load_gold

    gold = load_gold("microtexts-part1.jsonl")
    reports = [evaluate(gold, gold_segments=True), evaluate(gold, gold_segments=False)]
    print(format_table(reports))

``format_crossval`` lays out the cross-validation of the learned scorers that
``argmap.train.crossval.crossval_report`` computes (the rules, leave one group
out and pooled k-fold, per decision) and ``calibrate`` the reliability of their
probabilities.

Scores follow the published microtext scheme (cc, ro, fu, at: macro-F1 per ADU,
pooled over texts) so they can be compared with the literature; end-to-end runs
add segmentation P/R/F1 from character-overlap alignment. Nothing here imports
spaCy: ``evaluate`` loads ``argmap.analyze`` only when no analyzer is given.
"""

from __future__ import annotations

from argmap.evaluation.calibration import Calibration, ReliabilityBin, calibrate
from argmap.evaluation.corpora import (
    DECISIONS,
    CorpusName,
    Decision,
    GoldPiece,
    GoldUnit,
    load_corpus,
)
from argmap.evaluation.crossval_table import (
    CrossvalCell,
    CrossvalReport,
    CrossvalRow,
    format_calibration,
    format_crossval,
    format_crossval_json,
)
from argmap.evaluation.decision_table import format_decisions, format_decisions_json
from argmap.evaluation.decisions import (
    DecisionReport,
    DecisionScores,
    PieceResult,
    cached_analyzer,
    evaluate_pieces,
    score_piece,
    summarize_pieces,
)
from argmap.evaluation.gold import (
    GoldAdu,
    GoldEdu,
    GoldRelation,
    GoldText,
    GoldTreeEdge,
    load_gold,
)
from argmap.evaluation.metrics import ClassScore, MetricScore, SegmentationScore
from argmap.evaluation.report import (
    REFERENCES,
    format_classes,
    format_confusion,
    format_errors,
    format_json,
    format_table,
    worst_texts,
)
from argmap.evaluation.runner import (
    AduResult,
    AnalyzeFn,
    EvalReport,
    ExtraUnit,
    TextResult,
    evaluate,
    score_text,
    summarize,
)

__all__ = [
    "DECISIONS",
    "REFERENCES",
    "AduResult",
    "AnalyzeFn",
    "Calibration",
    "ClassScore",
    "CorpusName",
    "CrossvalCell",
    "CrossvalReport",
    "CrossvalRow",
    "Decision",
    "DecisionReport",
    "DecisionScores",
    "EvalReport",
    "ExtraUnit",
    "GoldAdu",
    "GoldEdu",
    "GoldPiece",
    "GoldRelation",
    "GoldText",
    "GoldTreeEdge",
    "GoldUnit",
    "MetricScore",
    "PieceResult",
    "ReliabilityBin",
    "SegmentationScore",
    "TextResult",
    "cached_analyzer",
    "calibrate",
    "evaluate",
    "evaluate_pieces",
    "format_calibration",
    "format_classes",
    "format_confusion",
    "format_crossval",
    "format_crossval_json",
    "format_decisions",
    "format_decisions_json",
    "format_errors",
    "format_json",
    "format_table",
    "load_corpus",
    "load_gold",
    "score_piece",
    "score_text",
    "summarize",
    "summarize_pieces",
    "worst_texts",
]
