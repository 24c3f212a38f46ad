"""The per-decision scores as one plain-text table, or as JSON.

One row per corpus and mode, one column per decision metric; a cell is blank
when that corpus does not annotate the decision, so a missing number is never
mistaken for a zero. Formatting stays apart from scoring (``decisions.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from argmap.evaluation.decisions import DecisionReport, DecisionScores
from argmap.evaluation.metrics import ClassScore, MetricScore

__all__ = ["COLUMNS", "format_decisions", "format_decisions_json"]

_Cell = Callable[[DecisionScores], float | None]


def _macro(score: MetricScore | None) -> float | None:
    return None if score is None else score.macro_f1


def _f1(score: ClassScore | None) -> float | None:
    return None if score is None else score.f1


COLUMNS: tuple[tuple[str, str, _Cell], ...] = (
    (
        "seg",
        "segmentation F1 (a predicted unit matching a gold unit one-to-one)",
        lambda r: r.segmentation.f1,
    ),
    (
        "thesis",
        "thesis accuracy: the predicted thesis lands on the gold thesis",
        lambda r: r.thesis,
    ),
    ("mc", "essays: the predicted thesis lands on any major claim", lambda r: r.major_claim_thesis),
    ("stance", "proponent/opponent macro F1", lambda r: _macro(r.stance)),
    ("type", "essays: major_claim/claim/premise macro F1", lambda r: _macro(r.unit_type)),
    ("evid", "evidence F1 (positive class)", lambda r: _f1(r.evidence)),
    ("evtype", "evidence type macro F1 on gold evidence units", lambda r: _macro(r.evidence_type)),
    ("recom", "recommendation F1 (positive class)", lambda r: _f1(r.recommendation)),
    ("links", "F1 of directed gold links found between aligned units", lambda r: _f1(r.links)),
    ("fu", "cc/support/attack macro F1 (published microtexts scheme)", lambda r: _macro(r.fu)),
    ("at", "attached/not attached macro F1 (published microtexts scheme)", lambda r: _macro(r.at)),
)
"""Short header, its meaning (the legend under the table), and how to read the cell."""


def _rows(reports: Sequence[DecisionReport]) -> list[DecisionScores]:
    # Corpus-major order: each corpus's modes sit next to each other.
    groups: dict[str, list[DecisionScores]] = {}
    for report in reports:
        for row in report.rows:
            groups.setdefault(row.group, []).append(row)
    return [row for rows in groups.values() for row in rows]


def format_decisions(reports: Sequence[DecisionReport], *, legend: bool = True) -> str:
    """One table: corpus and mode down, decision metrics across; a legend below."""
    header = ["corpus", "mode", "pieces", *(name for name, _, _ in COLUMNS)]
    body: list[list[str]] = []
    for row in _rows(reports):
        cells = []
        for _, _, cell in COLUMNS:
            value = cell(row)
            cells.append("" if value is None else f"{value:.3f}")
        body.append([row.group, row.label, str(row.n_pieces), *cells])
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = []
    for r in [header, *body]:
        left = [c.ljust(w) for c, w in zip(r[:2], widths[:2], strict=True)]
        right = [c.rjust(w) for c, w in zip(r[2:], widths[2:], strict=True)]
        lines.append("  ".join(left + right).rstrip())
    if legend:
        lines.append("")
        lines.extend(f"{name:>6}: {meaning}" for name, meaning, _ in COLUMNS)
        lines.append("blank: the corpus does not annotate that decision")
    return "\n".join(lines)


def format_decisions_json(reports: Sequence[DecisionReport], *, details: bool = False) -> str:
    """Every row with its full scores (per-class counts); per-piece labels if ``details``."""
    exclude = None if details else {"pieces"}
    document = {"decisions": [r.model_dump(mode="json", exclude=exclude) for r in reports]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
