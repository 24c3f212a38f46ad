"""Run an analyzer over gold texts and score its maps against the gold trees.

``evaluate`` is deliberately generic: it takes any ``analyze`` callable with the
public signature, so the CLI can pass ``argmap.analyze``, a ``functools.partial``
that disables rules (ablation) or a different model, and tests can pass fakes.
Scoring one text (``score_text``) and pooling (``summarize``) are pure, so a
report can be rebuilt from any subset of per-text results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict

from argmap.errors import ArgmapError, InputError
from argmap.evaluation.metrics import (
    CC,
    METRIC_CLASSES,
    NONE,
    NOT_CC,
    OPPONENT,
    PROPONENT,
    Confusion,
    MetricScore,
    SegmentationScore,
    Span,
    align_spans,
    pair_confusion,
    score_confusion,
    score_segmentation,
)
from argmap.model import ArgumentMap, Relation, Role, Unit

if TYPE_CHECKING:
    from argmap.evaluation.gold import GoldText

__all__ = [
    "CONFUSION_COLUMNS",
    "CONFUSION_ROWS",
    "AduResult",
    "AnalyzeFn",
    "EvalReport",
    "ExtraUnit",
    "TextResult",
    "evaluate",
    "score_text",
    "summarize",
]

GOLD_SEGMENTS = "gold segments"
END_TO_END = "end to end"
UNALIGNED = "unaligned"

CONFUSION_ROWS: tuple[str, ...] = (
    CC,
    f"{PROPONENT} support",
    f"{PROPONENT} attack",
    f"{OPPONENT} support",
    f"{OPPONENT} attack",
)
"""Gold ADU labels: gold role x gold function (the central claim on its own)."""

CONFUSION_COLUMNS: tuple[str, ...] = (*(r.value for r in Role), UNALIGNED)
"""Predicted argmap roles, plus ``unaligned`` when no unit matched the ADU."""


class AnalyzeFn(Protocol):
    """The part of ``argmap.analyze``'s signature the evaluator relies on."""

    def __call__(self, text: str, *, segments: list[Span] | None = None) -> ArgumentMap: ...


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AduResult(_Result):
    """One gold ADU next to what the map said about it, label by label."""

    id: str
    text: str
    start: int
    end: int
    gold_label: str
    gold_cc: str
    gold_ro: str
    gold_fu: str
    gold_target: str | None
    unit: str | None
    pred_role: str | None
    pred_cc: str
    pred_ro: str
    pred_fu: str
    pred_kind: str | None
    pred_target: str | None
    pred_target_unit: str | None


class ExtraUnit(_Result):
    """A predicted unit that matched no gold ADU (a segmentation error)."""

    id: str
    role: str
    start: int
    end: int
    text: str


class TextResult(_Result):
    """Everything needed to see where one text went wrong."""

    id: str
    n_adus: int
    n_units: int
    matched: int
    thesis: str | None
    thesis_correct: bool
    accuracy: dict[str, float]
    score: float
    gold_edges: list[tuple[str, str]]
    pred_edges: list[tuple[str, str]]
    adus: list[AduResult]
    extra_units: list[ExtraUnit]


class EvalReport(_Result):
    """Pooled scores of one evaluation run, with the per-text details behind them."""

    label: str
    gold_segments: bool
    n_texts: int
    n_adus: int
    n_units: int
    segmentation: SegmentationScore
    metrics: dict[str, MetricScore]
    thesis_accuracy: float
    confusion: dict[str, dict[str, int]]
    texts: list[TextResult]


def _primary(relations: list[Relation]) -> Relation | None:
    # The most confident outgoing relation stands for the unit's function;
    # ties go to the first, so the choice is deterministic.
    return max(relations, key=lambda r: r.confidence) if relations else None


def _gold_label(ro: str, fu: str) -> str:
    return CC if fu == CC else f"{ro} {fu}"


def score_text(gold: GoldText, amap: ArgumentMap) -> TextResult:
    """Align one map to its gold text and label every ADU both ways.

    A gold ADU without an aligned unit gets the predictions that are wrong for
    anything but the default class: not cc, proponent, no function (``none``)
    and no attachments.
    """
    adus = sorted(gold.adus, key=lambda a: (a.start, a.end))
    units = amap.units
    pairs = align_spans([(a.start, a.end) for a in adus], [(u.start, u.end) for u in units])
    unit_to_adu: dict[str, str] = {units[p].id: adus[g].id for g, p in pairs.items()}
    outgoing: dict[str, list[Relation]] = {}
    for rel in amap.relations:
        outgoing.setdefault(rel.source, []).append(rel)

    results: list[AduResult] = []
    for g_index, adu in enumerate(adus):
        head = gold.head(adu.id)
        gold_fu = CC if adu.id == gold.central_claim else (head.function if head else NONE)
        unit: Unit | None = units[pairs[g_index]] if g_index in pairs else None
        pred_cc, pred_ro, pred_fu = NOT_CC, PROPONENT, NONE
        target: str | None = None
        kind: str | None = None
        if unit is not None:
            is_thesis = unit.id == amap.thesis
            pred_cc = CC if is_thesis else NOT_CC
            pred_ro = OPPONENT if unit.role is Role.OBJECTION else PROPONENT
            primary = _primary(outgoing.get(unit.id, []))
            pred_fu = CC if is_thesis else (primary.kind.value if primary else NONE)
            target = primary.target if primary else None
            kind = primary.kind.value if primary else None
        results.append(
            AduResult(
                id=adu.id,
                text=adu.text,
                start=adu.start,
                end=adu.end,
                gold_label=_gold_label(adu.role, gold_fu),
                gold_cc=CC if adu.id == gold.central_claim else NOT_CC,
                gold_ro=adu.role,
                gold_fu=gold_fu,
                gold_target=head.trg if head else None,
                unit=unit.id if unit else None,
                pred_role=unit.role.value if unit else None,
                pred_cc=pred_cc,
                pred_ro=pred_ro,
                pred_fu=pred_fu,
                pred_kind=kind,
                pred_target=unit_to_adu.get(target) if target else None,
                pred_target_unit=target,
            )
        )

    gold_edges = sorted((e.src, e.trg) for e in gold.tree)
    pred_edges = sorted(
        {
            (unit_to_adu[r.source], unit_to_adu[r.target])
            for r in amap.relations
            if r.source in unit_to_adu and r.target in unit_to_adu
        }
    )
    at = pair_confusion(len(adus), gold_edges, pred_edges)
    pairs_total = sum(at.values())
    accuracy = {
        "cc": sum(r.gold_cc == r.pred_cc for r in results) / len(results),
        "ro": sum(r.gold_ro == r.pred_ro for r in results) / len(results),
        "fu": sum(r.gold_fu == r.pred_fu for r in results) / len(results),
        "at": (sum(at[(k, k)] for k in METRIC_CLASSES["at"]) / pairs_total if pairs_total else 1.0),
    }
    matched = set(pairs.values())
    extra = [
        ExtraUnit(id=u.id, role=u.role.value, start=u.start, end=u.end, text=u.text)
        for i, u in enumerate(units)
        if i not in matched
    ]
    return TextResult(
        id=gold.id,
        n_adus=len(adus),
        n_units=len(units),
        matched=len(pairs),
        thesis=amap.thesis,
        thesis_correct=amap.thesis is not None
        and unit_to_adu.get(amap.thesis) == gold.central_claim,
        accuracy=accuracy,
        score=(accuracy["cc"] + accuracy["fu"] + accuracy["at"]) / 3,
        gold_edges=gold_edges,
        pred_edges=pred_edges,
        adus=results,
        extra_units=extra,
    )


def summarize(
    texts: Sequence[TextResult], *, gold_segments: bool, label: str | None = None
) -> EvalReport:
    """Pool per-text results into one report (counts summed, then F1 per class).

    Raises:
        InputError: there are no texts to pool.
    """
    if not texts:
        raise InputError("nothing to evaluate: the gold file holds no texts")
    confusions: dict[str, Confusion] = {name: Counter() for name in METRIC_CLASSES}
    table: dict[str, dict[str, int]] = {
        row: dict.fromkeys(CONFUSION_COLUMNS, 0) for row in CONFUSION_ROWS
    }
    for text in texts:
        for adu in text.adus:
            confusions["cc"][(adu.gold_cc, adu.pred_cc)] += 1
            confusions["ro"][(adu.gold_ro, adu.pred_ro)] += 1
            confusions["fu"][(adu.gold_fu, adu.pred_fu)] += 1
            row = table.setdefault(adu.gold_label, dict.fromkeys(CONFUSION_COLUMNS, 0))
            row[adu.pred_role or UNALIGNED] += 1
        confusions["at"].update(pair_confusion(text.n_adus, text.gold_edges, text.pred_edges))
    n_adus = sum(t.n_adus for t in texts)
    n_units = sum(t.n_units for t in texts)
    return EvalReport(
        label=label or (GOLD_SEGMENTS if gold_segments else END_TO_END),
        gold_segments=gold_segments,
        n_texts=len(texts),
        n_adus=n_adus,
        n_units=n_units,
        segmentation=score_segmentation(n_adus, n_units, sum(t.matched for t in texts)),
        metrics={
            name: score_confusion(confusions[name], classes)
            for name, classes in METRIC_CLASSES.items()
        },
        thesis_accuracy=sum(t.thesis_correct for t in texts) / len(texts),
        confusion=table,
        texts=list(texts),
    )


def evaluate(
    gold: Sequence[GoldText],
    *,
    gold_segments: bool,
    analyze: AnalyzeFn | None = None,
    progress: Callable[[int, int], None] | None = None,
    label: str | None = None,
) -> EvalReport:
    """Analyse every gold text and score the maps.

    Args:
        gold: texts from ``load_gold``.
        gold_segments: pass the gold ADU spans as ``segments`` (scores the
            roles and relations alone); otherwise the analyzer segments too.
        analyze: the analyzer; defaults to ``argmap.analyze``, imported only
            here so that tests and ablations never need spaCy.
        progress: called as ``progress(done, total)`` after each text.
        label: column name in tables; defaults to the mode.

    Raises:
        InputError: ``gold`` is empty.
        ArgmapError: the analyzer failed; the message is prefixed with the text id.
    """
    if analyze is None:
        from argmap import analyze as default_analyze

        analyze = default_analyze
    results: list[TextResult] = []
    total = len(gold)
    for done, text in enumerate(gold, start=1):
        try:
            if gold_segments:
                spans = sorted((a.start, a.end) for a in text.adus)
                amap = analyze(text.text, segments=spans)
            else:
                amap = analyze(text.text)
        except ArgmapError as exc:
            raise type(exc)(f"text {text.id}: {exc}") from exc
        results.append(score_text(text, amap))
        if progress is not None:
            progress(done, total)
    return summarize(results, gold_segments=gold_segments, label=label)
