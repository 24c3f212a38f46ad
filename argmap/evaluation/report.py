"""Turn evaluation reports into plain-text tables and JSON.

Formatting is kept apart from scoring so the CLI can pick what to show; every
function returns a string and never prints. Published reference scores sit next
to ours in the table because a number means little without them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from argmap.evaluation.metrics import CC, OPPONENT, PROPONENT
from argmap.evaluation.runner import CONFUSION_COLUMNS, AduResult, EvalReport, TextResult

__all__ = [
    "REFERENCES",
    "REFERENCE_NOTES",
    "format_classes",
    "format_confusion",
    "format_errors",
    "format_json",
    "format_table",
    "worst_texts",
]

REFERENCES: dict[str, dict[str, float]] = {
    "P&S 2015": {"cc": 0.86, "ro": 0.74, "fu": 0.76, "at": 0.71},
    "naive baseline": {"cc": 0.83, "ro": 0.54, "fu": 0.69, "at": 0.68},
}
"""Macro-F1 reference points, both with gold segmentation."""

REFERENCE_NOTES: dict[str, str] = {
    "P&S 2015": "Peldszus & Stede 2015, evidence graph, gold segmentation",
    "naive baseline": "20-line cue heuristic, gold segmentation",
}

_ROWS: list[tuple[str, Callable[[EvalReport], float]]] = [
    ("seg precision", lambda r: r.segmentation.precision),
    ("seg recall", lambda r: r.segmentation.recall),
    ("seg F1", lambda r: r.segmentation.f1),
    ("cc macro F1", lambda r: r.metrics["cc"].macro_f1),
    ("ro macro F1", lambda r: r.metrics["ro"].macro_f1),
    ("fu macro F1", lambda r: r.metrics["fu"].macro_f1),
    ("at macro F1", lambda r: r.metrics["at"].macro_f1),
    ("thesis accuracy", lambda r: r.thesis_accuracy),
]
_SHORT_ROLE = {PROPONENT: "pro", OPPONENT: "opp"}
_DASH = "-"


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def format_table(reports: Sequence[EvalReport]) -> str:
    """One table: metrics down, evaluated modes then reference columns across.

    Segmentation rows are blank for the references (they used gold segments).
    """
    header = ["metric", *(r.label for r in reports), *(f"{name}*" for name in REFERENCES)]
    rows: list[list[str]] = []
    for name, value in _ROWS:
        key = name.split()[0]
        refs = [f"{ref[key]:.3f}" if key in ref else _DASH for ref in REFERENCES.values()]
        rows.append([name, *(f"{value(r):.3f}" for r in reports), *refs])
    rows.append(["texts", *(str(r.n_texts) for r in reports), *([_DASH] * len(REFERENCES))])
    rows.append(
        [
            "gold ADUs / units",
            *(f"{r.n_adus}/{r.n_units}" for r in reports),
            *([_DASH] * len(REFERENCES)),
        ]
    )
    notes = [f"* {name}: {note}" for name, note in REFERENCE_NOTES.items()]
    return "\n".join([_grid(header, rows), *notes])


def format_classes(report: EvalReport) -> str:
    """Per-class precision, recall and F1 for each metric, with their counts."""
    header = ["metric", "class", "P", "R", "F1", "gold", "pred"]
    rows = [
        [
            name,
            label,
            f"{c.precision:.3f}",
            f"{c.recall:.3f}",
            f"{c.f1:.3f}",
            str(c.gold),
            str(c.predicted),
        ]
        for name, metric in report.metrics.items()
        for label, c in metric.classes.items()
    ]
    return f"{report.label}: per-class scores\n{_grid(header, rows)}"


def format_confusion(report: EvalReport) -> str:
    """Gold ADU label (role x function) against the predicted argmap role."""
    header = ["gold \\ predicted", *CONFUSION_COLUMNS]
    rows = [
        [row, *(str(counts[c]) for c in CONFUSION_COLUMNS)]
        for row, counts in report.confusion.items()
    ]
    return f"{report.label}: confusion\n{_grid(header, rows)}"


def format_json(reports: Sequence[EvalReport], *, details: bool = True) -> str:
    """All reports and the reference scores as one JSON document.

    Args:
        reports: the runs to include, in column order.
        details: include per-text results (needed for error analysis, but
            most of the size).
    """
    exclude = None if details else {"texts"}
    document = {
        "reports": [r.model_dump(mode="json", exclude=exclude) for r in reports],
        "references": {
            name: {"note": REFERENCE_NOTES[name], "macro_f1": scores}
            for name, scores in REFERENCES.items()
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def worst_texts(report: EvalReport, n: int) -> list[TextResult]:
    """The ``n`` texts with the lowest per-text score (mean of cc/fu/at accuracy).

    Ties are broken by text id so the list is stable between runs.
    """
    return sorted(report.texts, key=lambda t: (t.score, t.id))[: max(n, 0)]


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 3, 0)] + "..."


def _gold_cell(adu: AduResult) -> str:
    if adu.gold_fu == CC:
        return CC
    return f"{_SHORT_ROLE.get(adu.gold_ro, adu.gold_ro)} {adu.gold_fu} -> {adu.gold_target}"


def _pred_cell(adu: AduResult) -> str:
    if adu.unit is None:
        return "(no unit)"
    cell = f"{adu.unit} {adu.pred_role}"
    if adu.pred_cc == CC:
        cell += " [thesis]"
    if adu.pred_kind is not None:
        return f"{cell} {adu.pred_kind} -> {adu.pred_target or f'{adu.pred_target_unit}?'}"
    return cell if adu.pred_cc == CC else f"{cell} (no relation)"


def _wrong(adu: AduResult) -> str:
    marks = [
        name
        for name, ok in (
            ("cc", adu.gold_cc == adu.pred_cc),
            ("ro", adu.gold_ro == adu.pred_ro),
            ("fu", adu.gold_fu == adu.pred_fu),
            ("at", adu.gold_target == adu.pred_target),
        )
        if not ok
    ]
    return ",".join(marks)


def format_errors(texts: Sequence[TextResult], *, width: int = 40) -> str:
    """Gold against predicted, one line per ADU, for reading a model's mistakes.

    ``wrong`` lists the metrics the ADU fails (``at`` compares the gold head
    with the target of the unit's most confident relation); a target ending in
    ``?`` is a unit that matched no ADU.
    """
    blocks: list[str] = []
    for t in texts:
        acc = "  ".join(f"{k} {v:.2f}" for k, v in t.accuracy.items())
        head = (
            f"{t.id}  score {t.score:.2f}  ({acc})  thesis {'ok' if t.thesis_correct else 'wrong'}"
            f"  units {t.n_units} for {t.n_adus} ADUs"
        )
        header = ["adu", "text", "gold", "predicted", "wrong"]
        rows = [
            [a.id, _shorten(a.text, width), _gold_cell(a), _pred_cell(a), _wrong(a)] for a in t.adus
        ]
        lines = [head, _indent(_grid_left(header, rows))]
        missed = sorted(set(t.gold_edges) - set(t.pred_edges))
        extra = sorted(set(t.pred_edges) - set(t.gold_edges))
        if missed or extra:
            lines.append(
                "  attachments: missed "
                + (", ".join(f"{s}->{g}" for s, g in missed) or _DASH)
                + "; extra "
                + (", ".join(f"{s}->{g}" for s, g in extra) or _DASH)
            )
        for u in t.extra_units:
            lines.append(f"  extra unit {u.id} {u.role}: {_shorten(u.text, width)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _grid_left(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


def _indent(block: str) -> str:
    return "\n".join("  " + line for line in block.splitlines())
