"""Measure argmap against gold argument structures (microtexts JSONL format).

Typical use, as the CLI does it::

    from argmap.evaluation import evaluate, format_table, load_gold

    gold = load_gold("microtexts-part1.jsonl")
    reports = [evaluate(gold, gold_segments=True), evaluate(gold, gold_segments=False)]
    print(format_table(reports))

Scores follow the published microtext scheme (cc, ro, fu, at: macro-F1 per ADU,
pooled over texts) so they can be compared with the literature; end-to-end runs
add segmentation P/R/F1 from character-overlap alignment. Nothing here imports
spaCy: ``evaluate`` loads ``argmap.analyze`` only when no analyzer is given.
"""

from __future__ import annotations

from argmap.evaluation.corpora import (
    DECISIONS,
    CorpusName,
    Decision,
    GoldPiece,
    GoldUnit,
    load_corpus,
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
    "ClassScore",
    "CorpusName",
    "Decision",
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
    "SegmentationScore",
    "TextResult",
    "evaluate",
    "format_classes",
    "format_confusion",
    "format_errors",
    "format_json",
    "format_table",
    "load_corpus",
    "load_gold",
    "score_text",
    "summarize",
    "worst_texts",
]
