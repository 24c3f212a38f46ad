"""Fit the scorers' weights from training rows (scikit-learn, a training-time extra).

Each decision is a logistic regression over the named features of the units
whose gold says something about it: the thesis on texts that mark one, the
objection on texts with proponent/opponent roles, the recommendation and the
evidence on the corpora that label them. A binary scorer's threshold is the
one that maximises F1 on predictions made out of fold on its own training
rows, because the classes are unbalanced and 0.5 under-calls the rare one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from argmap.features import FEATURE_VERSION, UnitFeatures
from argmap.scoring import LinearScorer, Weights
from argmap.train.dataset import PieceRows, UnitLabels

__all__ = ["DECISIONS", "DEFAULT_C", "LINK_SCORERS", "TARGETS", "fit_weights"]

DEFAULT_C = 0.5
"""Inverse regularisation strength: strong enough that rare features stay small."""

DOMAIN_STRETCH = 1.5
"""The thesis scorer is trusted on texts up to half again as long (in paragraphs)
as the longest it was fitted on: student essays of 3-6 paragraphs, not op-eds of 25."""

_MIN_ROWS = 20
_MIN_PER_CLASS = 5

TARGETS: dict[str, Callable[[UnitLabels], object]] = {
    "thesis": lambda lab: lab.thesis,
    "objection": lambda lab: lab.objection,
    "recommendation": lambda lab: lab.recommendation,
    "evidence": lambda lab: lab.evidence,
    "evidence_type": lambda lab: lab.evidence_type if lab.evidence else None,
}
"""What each scorer learns, read off a unit's gold labels (None: not annotated)."""

DECISIONS = (*TARGETS, "attachment")
"""Every decision ``fit_weights`` can fit: the unit scorers, and the attachment
(which fits the attach and attack pair scorers together)."""


THESIS_ONLY_PREFIXES = ("rule_thesis:", "position:relative", "paragraph:relative")
"""Features only the thesis scorer weighs: they depend on the whole piece (the
rules' thesis score on word overlap across it, relative positions on its
length), so weighing them for a unit's role would let an edit in one
paragraph flip roles in another."""


def _examples(
    pieces: Sequence[PieceRows], target: Callable[[UnitLabels], object], *, thesis: bool
) -> tuple[list[UnitFeatures], list[Any]]:
    xs: list[UnitFeatures] = []
    ys: list[Any] = []
    for piece in pieces:
        for row, label in zip(piece.rows, piece.labels, strict=True):
            y = target(label)
            if y is not None:
                xs.append(row if thesis else _local(row))
                ys.append(y)
    return xs, ys


def _local(row: UnitFeatures) -> UnitFeatures:
    return {k: v for k, v in row.items() if not k.startswith(THESIS_ONLY_PREFIXES)}


def fit_weights(
    pieces: Sequence[PieceRows],
    *,
    trained_on: list[str],
    c: float = DEFAULT_C,
    scorers: Sequence[str] | None = None,
) -> Weights:
    """Weights for every scorer the pieces have enough gold for (others are left out)."""
    fitted: dict[str, LinearScorer] = {}
    wanted = DECISIONS if scorers is None else scorers
    for name in (n for n in wanted if n in TARGETS):
        xs, ys = _examples(pieces, TARGETS[name], thesis=name == "thesis")
        classes = sorted({str(y) for y in ys})
        counts = [sum(1 for y in ys if str(y) == k) for k in classes]
        if len(xs) < _MIN_ROWS or len(classes) < 2 or min(counts) < _MIN_PER_CLASS:
            continue
        if name == "evidence_type":
            fitted[name] = _fit_multiclass(xs, [str(y) for y in ys], c)
        else:
            fitted[name] = _fit_binary(xs, [bool(y) for y in ys], c, tune=name != "thesis")
    if "attachment" in wanted:
        fitted.update(_fit_links(pieces, c))
    if "thesis" in fitted:
        longest = max(p.paragraphs for p in pieces if p.thesis_annotated)
        fitted["thesis"] = fitted["thesis"].model_copy(
            update={"max_paragraphs": math.ceil(longest * DOMAIN_STRETCH)}
        )
    return Weights(feature_version=FEATURE_VERSION, trained_on=trained_on, scorers=fitted)


LINK_SCORERS = ("attachment", "attack")
"""Pair scorers: does unit i bear on unit j, and (given that it does) does it attack it."""


def _fit_links(pieces: Sequence[PieceRows], c: float) -> dict[str, LinearScorer]:
    """The attachment scorer over candidate pairs, and the attack scorer over gold links."""
    pair_x: list[UnitFeatures] = []
    pair_y: list[bool] = []
    kind_x: list[UnitFeatures] = []
    kind_y: list[bool] = []
    for piece in pieces:
        if not any(piece.heads):
            continue
        for i, candidates in enumerate(piece.pairs):
            gold = piece.heads[i]
            if not gold:
                continue
            for j, row in candidates:
                pair_x.append(row)
                pair_y.append(j in gold)
                if j in gold:
                    kind_x.append(row)
                    kind_y.append(gold[j] == "attack")
    out: dict[str, LinearScorer] = {}
    for name, xs, ys in zip(LINK_SCORERS, (pair_x, kind_x), (pair_y, kind_y), strict=True):
        if len(xs) >= _MIN_ROWS and min(sum(ys), len(ys) - sum(ys)) >= _MIN_PER_CLASS:
            out[name] = _fit_binary(xs, ys, c, tune=name == "attack")
    return out


def _model(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000)


def _table(names: Sequence[str], coef: Sequence[float]) -> dict[str, float]:
    return {n: round(float(w), 4) for n, w in zip(names, coef, strict=True) if abs(w) >= 1e-3}


def _fit_binary(xs: list[UnitFeatures], ys: list[bool], c: float, *, tune: bool) -> LinearScorer:
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer()
    matrix = vec.fit_transform(xs)
    model = _model(c).fit(matrix, ys)
    names = list(vec.get_feature_names_out())
    threshold = _best_threshold(matrix, ys, c) if tune else 0.5
    return LinearScorer(
        kind="binary",
        classes=["yes"],
        bias={"yes": round(float(model.intercept_[0]), 4)},
        weights={"yes": _table(names, model.coef_[0])},
        threshold=threshold,
    )


def _best_threshold(matrix: Any, ys: list[bool], c: float) -> float:
    from sklearn.model_selection import cross_val_predict

    probs = cross_val_predict(_model(c), matrix, ys, cv=3, method="predict_proba")[:, 1]
    best, best_f1 = 0.5, -1.0
    for step in range(10, 71, 2):
        t = step / 100
        tp = sum(1 for p, y in zip(probs, ys, strict=True) if p >= t and y)
        fp = sum(1 for p, y in zip(probs, ys, strict=True) if p >= t and not y)
        fn = sum(1 for p, y in zip(probs, ys, strict=True) if p < t and y)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = t, f1
    return best


def _fit_multiclass(xs: list[UnitFeatures], ys: list[str], c: float) -> LinearScorer:
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer()
    model = _model(c).fit(vec.fit_transform(xs), ys)
    names = list(vec.get_feature_names_out())
    classes = [str(k) for k in model.classes_]
    return LinearScorer(
        kind="multiclass",
        classes=classes,
        bias={k: round(float(b), 4) for k, b in zip(classes, model.intercept_, strict=True)},
        weights={k: _table(names, model.coef_[i]) for i, k in enumerate(classes)},
    )
