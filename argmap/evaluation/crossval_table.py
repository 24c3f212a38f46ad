"""Cross-validation results as data, one plain-text table, or JSON.

The numbers come from ``argmap.train.crossval`` (which needs scikit-learn to
fit); this module only holds and lays them out, so formatting is tested on
hand-made reports. Each cell sets three numbers side by side for one group
and one decision: the rules alone, scorers fitted on every other group
(leave-one-group-out: the number that predicts writing argmap has never
seen) and pooled k-fold cross-validation (in-corpus). A number the rules made
because no scorer could decide is marked, so a fallback never passes for a
learned result.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict

from argmap.evaluation.calibration import Calibration

__all__ = [
    "CrossvalCell",
    "CrossvalReport",
    "CrossvalRow",
    "format_calibration",
    "format_crossval",
    "format_crossval_json",
]

ALL_RULES = "*"
SOME_RULES = "~"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CrossvalCell(_Frozen):
    """One group's score on one decision, three ways."""

    rules: float | None
    loco: float | None
    """Fitted on every other group, scored on this one."""
    pooled: float | None
    """k-fold over all pieces, each fold fitted on the rest (this group included)."""
    loco_fallback: float = 0.0
    """Share of the group's pieces the rules decided in the leave-one-group-out run
    (no other group annotates the decision, or the pieces lie beyond the scorer's domain)."""
    pooled_fallback: float = 0.0


class CrossvalRow(_Frozen):
    """One group: a corpus, or one newspaper of the editorials."""

    group: str
    corpus: str
    pieces: int
    cells: dict[str, CrossvalCell]
    """Metric name → cell; a metric the group does not annotate is absent."""

    @property
    def label(self) -> str:
        return self.group if self.group == self.corpus else f"{self.corpus}/{self.group}"


class CrossvalReport(_Frozen):
    """Every group's cells and the calibration of the binary scorers."""

    metrics: list[str]
    folds: int
    c: float
    scorers: list[str]
    """The decisions fitted in the leave-one-group-out and k-fold runs; the
    others are left to the rules throughout, as when mapping."""
    rows: list[CrossvalRow]
    calibration: list[Calibration]


def _number(value: float | None, fallback: float) -> str:
    if value is None:
        return "-"
    mark = ALL_RULES if fallback >= 1.0 else SOME_RULES if fallback > 0.0 else ""
    return f"{value:.3f}{mark}"


def _cell(cell: CrossvalCell | None) -> str:
    if cell is None:
        return ""
    return " / ".join(
        (
            _number(cell.rules, 0.0),
            _number(cell.loco, cell.loco_fallback),
            _number(cell.pooled, cell.pooled_fallback),
        )
    )


def format_crossval(report: CrossvalReport, *, legend: bool = True) -> str:
    """The table: group down, decision across, ``rules / LOCO / CV`` in each cell."""
    header = ["group", "pieces", *report.metrics]
    under = ["", "", *(["rules / LOCO / CV"] * len(report.metrics))]
    body = [
        [row.label, str(row.pieces), *(_cell(row.cells.get(m)) for m in report.metrics)]
        for row in report.rows
    ]
    table = [header, under, *body]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = [
        "unit decisions on gold segments, as the map decides them: "
        f"rules / leave-one-group-out / pooled {report.folds}-fold CV",
        "",
    ]
    for r in table:
        cells = [
            r[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)),
        ]
        lines.append("  ".join(cells).rstrip())
    if legend:
        left = [m for m in _all_scorers() if m not in report.scorers]
        lines += [
            "",
            "rules: argmap's rules alone, no scorer",
            "LOCO: leave one group out: scorers fitted on every other group, scored on this one",
            f"CV: pooled {report.folds}-fold cross-validation over all pieces, each fold fitted on "
            "the rest",
            f"{ALL_RULES}: no scorer decided, so the number is the rules' (no other group "
            "annotates the decision, the pieces lie beyond the scorer's domain, or it is left "
            "to the rules)",
            f"{SOME_RULES}: the rules decided some of the group's pieces",
            "blank: the group does not annotate the decision",
            f"fitted where the training gold allows: {', '.join(report.scorers) or 'none'}"
            + (f"; left to the rules: {', '.join(left)}" if left else ""),
        ]
    return "\n".join(lines)


def _all_scorers() -> tuple[str, ...]:
    from argmap.scoring import SCORERS

    return SCORERS


def format_calibration(calibrations: list[Calibration]) -> str:
    """Each scorer's ECE and reliability table; other sources as one ECE line."""
    if not calibrations:
        return "calibration: no binary scorer was fitted"
    lines = ["calibration of the scorers' probabilities (expected calibration error, ECE)"]
    first = calibrations[0].source
    for cal in calibrations:
        if cal.source != first:
            continue
        lines.append("")
        lines.append(f"{cal.scorer} ({cal.source}): ECE {_ece(cal)} on {_units(cal)}")
        lines.append(f"  {'bin':<9}  {'predicted':>9}  {'observed':>8}  {'units':>6}")
        for b in cal.bins:
            predicted = "" if b.mean_predicted is None else f"{b.mean_predicted:.3f}"
            observed = "" if b.observed is None else f"{b.observed:.3f}"
            span = f"{b.low:.1f}-{b.high:.1f}"
            lines.append(f"  {span:<9}  {predicted:>9}  {observed:>8}  {b.count:>6}")
        for other in calibrations:
            if other.source != first and other.scorer == cal.scorer:
                lines.append(f"  {other.source}: ECE {_ece(other)} on {_units(other)}")
    return "\n".join(lines)


def _ece(cal: Calibration) -> str:
    return "-" if cal.ece is None else f"{cal.ece:.3f}"


def _units(cal: Calibration) -> str:
    return f"{cal.units} units ({cal.positives} positive)"


def format_crossval_json(report: CrossvalReport) -> str:
    """The whole report (every cell, fallback share and reliability bin) as JSON."""
    document = {"crossval": report.model_dump(mode="json")}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
