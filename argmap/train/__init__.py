"""Fit argmap's scorers to annotated maps, and judge them on corpora left out.

Training is a development-time job (it needs scikit-learn, the ``train``
extra); mapping only reads the weights file it writes. Typical use::

    from argmap.train import train_weights
    weights = train_weights(["microtexts.jsonl", "essays.jsonl"])
    Path("weights.json").write_text(weights.model_dump_json(indent=1))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from argmap.errors import InputError
from argmap.scoring import Weights
from argmap.train.dataset import PieceRows, corpus_rows
from argmap.train.fit import DECISIONS, DEFAULT_C, fit_weights

__all__ = ["DEFAULT_C", "RULE_DECISIONS", "load_rows", "train_weights"]

RULE_DECISIONS = ("objection", "attachment")
"""Decisions left to the rules by default, because leave-one-corpus-out shows
the rules transfer better than weights fitted on the other corpora: the
hand-written objection cues (microtexts: rules 0.82 macro F1, weights fitted
on essays 0.61) and the linker (unit attached to its gold head, with gold
thesis: microtexts 0.72 vs 0.65, essays 0.47 vs 0.43, CDCP 0.55 vs 0.48).
``argmap train --learn attachment`` fits them anyway."""


def load_rows(
    paths: Sequence[str | Path],
    *,
    cache_dir: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[PieceRows]:
    """Training rows of every piece in the gold files (any of the four corpus formats)."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise InputError("training needs scikit-learn: pip install 'argmap[train]'") from None
    rows: list[PieceRows] = []
    for path in paths:
        report = None if progress is None else _named(progress, str(path))
        rows += corpus_rows(path, cache_dir=cache_dir, progress=report)
    return rows


def _named(progress: Callable[[str, int, int], None], name: str) -> Callable[[int, int], None]:
    return lambda done, total: progress(name, done, total)


def train_weights(
    paths: Sequence[str | Path],
    *,
    c: float = DEFAULT_C,
    cache_dir: Path | None = None,
    rule_decisions: Sequence[str] = RULE_DECISIONS,
    progress: Callable[[str, int, int], None] | None = None,
) -> Weights:
    """Weights fitted on every piece of ``paths``; decisions with no gold are left out."""
    rows = load_rows(paths, cache_dir=cache_dir, progress=progress)
    corpora = sorted({r.corpus for r in rows})
    scorers = [name for name in DECISIONS if name not in rule_decisions]
    return fit_weights(rows, trained_on=corpora, c=c, scorers=scorers)
