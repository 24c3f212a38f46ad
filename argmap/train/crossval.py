"""Judge the scorers on writing they were not fitted on: leave one corpus out.

Pieces fall into groups: each corpus, except that the editorials split by
newspaper (so evidence, which only editorials annotate, is still judged on a
paper the weights never saw). ``leave_one_group_out`` fits on every other
group and scores the one left out: the number that predicts argmap on new
writing. ``pooled_folds`` is in-corpus cross-validation (k folds of pieces,
trained on the other folds and on every other group): a second number. The
``rules`` baseline scores the rule-based decisions on the same units. Every
score comes from ``decide_units``, the function the pipeline maps with.
``crossval_report`` runs all three for the configuration argmap ships (the
decisions in ``RULE_DECISIONS`` left to the rules) and adds the calibration
of the binary scorers' probabilities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from argmap.evaluation.calibration import Calibration, calibrate
from argmap.evaluation.crossval_table import CrossvalCell, CrossvalReport, CrossvalRow
from argmap.features import FEATURE_VERSION
from argmap.model import Role
from argmap.scoring import Weights, decide_units
from argmap.train.dataset import PieceRows, UnitLabels
from argmap.train.fit import DEFAULT_C, TARGETS, fit_weights

__all__ = [
    "METRICS",
    "METRIC_SCORERS",
    "Counts",
    "crossval_report",
    "group_of",
    "leave_one_group_out",
    "pooled_folds",
    "rules_only",
    "score_pieces",
]

METRICS = ("thesis", "objection F1", "recommendation F1", "evidence F1", "evidence type F1")

METRIC_SCORERS = {
    "thesis": "thesis",
    "objection F1": "objection",
    "recommendation F1": "recommendation",
    "evidence F1": "evidence",
    "evidence type F1": "evidence_type",
}
"""The scorer that makes each metric's decision (without it, the rules do)."""


def group_of(piece: PieceRows) -> str:
    """The held-out unit of a piece: its corpus, or its newspaper for editorials."""
    return piece.source if piece.corpus == "editorials" else piece.corpus


@dataclass
class Counts:
    """Pooled counts of one evaluation: turned into the metrics of ``METRICS``."""

    thesis_hits: int = 0
    thesis_texts: int = 0
    binary: dict[str, list[int]] = field(default_factory=dict)
    """Decision → [tp, fp, fn, tn]."""
    decided: dict[str, list[int]] = field(default_factory=dict)
    """Scorer → [pieces it decided, pieces left to the rules] among those with gold for it."""
    pairs: dict[str, list[tuple[float, bool]]] = field(default_factory=dict)
    """Binary scorer (not the thesis) → (its positive-class probability, gold) per unit."""

    def fallback(self, scorer: str) -> float | None:
        """The share of pieces the rules decided for lack of ``scorer``; None: no gold."""
        by_scorer, by_rules = self.decided.get(scorer, (0, 0))
        total = by_scorer + by_rules
        return by_rules / total if total else None

    def add(self, name: str, predicted: bool, gold: bool) -> None:
        cell = self.binary.setdefault(name, [0, 0, 0, 0])
        cell[(0 if gold else 1) if predicted else (2 if gold else 3)] += 1

    def f1(self, name: str) -> float | None:
        if name not in self.binary:
            return None
        tp, fp, fn, _ = self.binary[name]
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def metrics(self) -> dict[str, float | None]:
        types = [self.f1(f"type:{t}") for t in ("statistic", "testimony", "example")]
        present = [t for t in types if t is not None]
        return {
            "thesis": self.thesis_hits / self.thesis_texts if self.thesis_texts else None,
            "objection F1": _macro(self.binary.get("objection")),
            "recommendation F1": self.f1("recommendation"),
            "evidence F1": self.f1("evidence"),
            "evidence type F1": sum(present) / len(present) if present else None,
        }


def _macro(cell: list[int] | None) -> float | None:
    """Macro F1 over the two classes (proponent/opponent), as ro is scored."""
    if cell is None:
        return None
    tp, fp, fn, tn = cell
    pos = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    neg = 2 * tn / (2 * tn + fn + fp) if tn else 0.0
    return (pos + neg) / 2


def score_pieces(pieces: Iterable[PieceRows], weights: Weights) -> Counts:
    """Decide every unit of ``pieces`` with ``weights`` and count against the gold."""
    counts = Counts()
    for piece in pieces:
        _count_scorers(counts, piece, weights)
        thesis, verdicts = decide_units(
            piece.rows, piece.rules, piece.rule_thesis, weights, paragraphs=piece.paragraphs
        )
        if piece.thesis_annotated and thesis is not None:
            counts.thesis_texts += 1
            counts.thesis_hits += bool(piece.labels[thesis].thesis)
        for verdict, label in zip(verdicts, piece.labels, strict=True):
            if label.objection is not None:
                counts.add("objection", verdict.role is Role.OBJECTION, label.objection)
            if label.recommendation is not None:
                counts.add("recommendation", verdict.calls_for_action, label.recommendation)
            if label.evidence is not None:
                counts.add("evidence", verdict.role is Role.EVIDENCE, label.evidence)
                for kind in ("statistic", "testimony", "example"):
                    said = verdict.evidence_type is not None and verdict.evidence_type.value == kind
                    counts.add(f"type:{kind}", said, label.evidence_type == kind)
    return counts


def _count_scorers(counts: Counts, piece: PieceRows, weights: Weights) -> None:
    """Which decisions a scorer made on ``piece``, and the binary scorers' probabilities."""
    active = {n: sc for n, sc in weights.scorers.items() if sc.covers(piece.paragraphs)}
    for name in METRIC_SCORERS.values():
        annotated = piece.thesis_annotated if name == "thesis" else _annotates(piece, name)
        if annotated:
            counts.decided.setdefault(name, [0, 0])[0 if name in active else 1] += 1
    for name, scorer in active.items():
        if scorer.kind != "binary" or name == "thesis" or name not in TARGETS:
            continue
        target = TARGETS[name]
        pairs = counts.pairs.setdefault(name, [])
        for row, label in zip(piece.rows, piece.labels, strict=True):
            gold = target(label)
            if gold is not None:
                pairs.append((scorer.probabilities(row)[scorer.classes[0]], bool(gold)))


def _annotates(piece: PieceRows, scorer: str) -> bool:
    target = _GOLD_OF[scorer]
    return any(target(label) is not None for label in piece.labels)


_GOLD_OF: dict[str, Callable[[UnitLabels], object]] = {
    **TARGETS,
    "evidence_type": lambda lab: lab.evidence,
}
"""Whether a unit has gold for a scorer's metric (evidence type is scored on every
unit with evidence gold, so it counts there too)."""


def rules_only() -> Weights:
    """No scorers: every decision falls back to argmap's rules."""
    return Weights(feature_version=FEATURE_VERSION, trained_on=[], scorers={})


Fitter = Callable[[Sequence[PieceRows]], Weights]


def _default_fit(c: float, scorers: Sequence[str] | None = None) -> Fitter:
    def fit(train: Sequence[PieceRows]) -> Weights:
        groups = sorted({group_of(p) for p in train})
        if scorers is None:
            return fit_weights(train, trained_on=groups, c=c)
        return fit_weights(train, trained_on=groups, c=c, scorers=scorers)

    return fit


def leave_one_group_out(
    pieces: Sequence[PieceRows], *, c: float = DEFAULT_C, fit: Fitter | None = None
) -> dict[str, Counts]:
    """Per group: fitted on every other group, scored on this one."""
    fitter = fit or _default_fit(c)
    out: dict[str, Counts] = {}
    for group in sorted({group_of(p) for p in pieces}):
        train = [p for p in pieces if group_of(p) != group]
        test = [p for p in pieces if group_of(p) == group]
        out[group] = score_pieces(test, fitter(train))
    return out


def pooled_folds(
    pieces: Sequence[PieceRows], *, folds: int = 5, c: float = DEFAULT_C, fit: Fitter | None = None
) -> dict[str, Counts]:
    """Per group: k-fold over its pieces, each fold fitted on everything else."""
    fitter = fit or _default_fit(c)
    out: dict[str, Counts] = {}
    fold_of = {id(p): i % folds for i, p in enumerate(pieces)}
    for k in range(folds):
        train = [p for p in pieces if fold_of[id(p)] != k]
        weights = fitter(train)
        for group in sorted({group_of(p) for p in pieces}):
            test = [p for p in pieces if fold_of[id(p)] == k and group_of(p) == group]
            counts = score_pieces(test, weights)
            _merge(out.setdefault(group, Counts()), counts)
    return out


def _merge(into: Counts, more: Counts) -> None:
    into.thesis_hits += more.thesis_hits
    into.thesis_texts += more.thesis_texts
    for name, cell in more.binary.items():
        mine = into.binary.setdefault(name, [0, 0, 0, 0])
        for i, value in enumerate(cell):
            mine[i] += value
    for name, decided in more.decided.items():
        mine = into.decided.setdefault(name, [0, 0])
        for i, value in enumerate(decided):
            mine[i] += value
    for name, pairs in more.pairs.items():
        into.pairs.setdefault(name, []).extend(pairs)


def crossval_report(
    pieces: Sequence[PieceRows],
    *,
    folds: int = 5,
    c: float = DEFAULT_C,
    scorers: Sequence[str] | None = None,
    bins: int = 10,
    progress: Callable[[], None] | None = None,
) -> CrossvalReport:
    """Rules, leave-one-group-out and pooled k-fold scores per group, and calibration.

    ``scorers`` are the decisions to fit (default: those argmap ships, every
    scorer but the ``RULE_DECISIONS``); the others are left to the rules in
    every column, as when mapping. ``progress`` is called after each fit.
    """
    from argmap.train import RULE_DECISIONS

    fitted = (
        list(scorers)
        if scorers is not None
        else [name for name in TARGETS if name not in RULE_DECISIONS]
    )
    fit_one = _default_fit(c, fitted)

    def fit(train: Sequence[PieceRows]) -> Weights:
        weights = fit_one(train)
        if progress is not None:
            progress()
        return weights

    loco = leave_one_group_out(pieces, fit=fit)
    pooled = pooled_folds(pieces, folds=folds, fit=fit)
    rules = rules_only()
    rows: list[CrossvalRow] = []
    for group in dict.fromkeys(group_of(p) for p in pieces):
        members = [p for p in pieces if group_of(p) == group]
        baseline = score_pieces(members, rules).metrics()
        held_out, in_corpus = loco[group], pooled[group]
        out, cv = held_out.metrics(), in_corpus.metrics()
        cells = {
            metric: CrossvalCell(
                rules=baseline[metric],
                loco=out[metric],
                pooled=cv[metric],
                loco_fallback=held_out.fallback(METRIC_SCORERS[metric]) or 0.0,
                pooled_fallback=in_corpus.fallback(METRIC_SCORERS[metric]) or 0.0,
            )
            for metric in METRICS
            if baseline[metric] is not None
        }
        corpus = members[0].corpus
        rows.append(CrossvalRow(group=group, corpus=corpus, pieces=len(members), cells=cells))
    return CrossvalReport(
        metrics=list(METRICS),
        folds=folds,
        c=c,
        scorers=fitted,
        rows=rows,
        calibration=_calibrations(loco, pooled, folds=folds, bins=bins),
    )


def _calibrations(
    loco: dict[str, Counts], pooled: dict[str, Counts], *, folds: int, bins: int
) -> list[Calibration]:
    out: list[Calibration] = []
    for source, runs in ((f"pooled {folds}-fold", pooled), ("leave-one-group-out", loco)):
        names = dict.fromkeys(name for counts in runs.values() for name in counts.pairs)
        for name in sorted(names, key=list(TARGETS).index):
            pairs = [pair for counts in runs.values() for pair in counts.pairs.get(name, [])]
            if pairs:
                out.append(calibrate(pairs, scorer=name, source=source, bins=bins))
    return out
