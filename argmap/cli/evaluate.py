"""``argmap eval``: score argmap against gold corpora, decision by decision."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.common import (
    ModelOpt,
    QuietOpt,
    WeightsOpt,
    app,
    errors_as_messages,
    fail,
    read_weights,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from argmap.evaluation import AnalyzeFn, DecisionReport, EvalReport, GoldPiece, GoldText
    from argmap.evaluation.crossval_table import CrossvalReport


class EvalFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


_TREE_CORPORA = ("microtexts", "essays")


def _rule_names() -> list[str]:
    from argmap.classify import ROLE_RULES
    from argmap.link import LINK_RULES
    from argmap.thesis import THESIS_RULES

    return [name for name, _ in (*ROLE_RULES, *THESIS_RULES, *LINK_RULES)]


@app.command("eval")
def eval_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Gold corpus files (microtexts, essays, editorials or CDCP JSONL; "
            "the format is detected).",
            show_default=False,
        ),
    ],
    gold_segments: Annotated[
        bool,
        typer.Option("--gold-segments", help="Use the gold units (as published scores do)."),
    ] = False,
    both: Annotated[
        bool, typer.Option("--both", help="Evaluate with gold segments and end to end.")
    ] = False,
    by_source: Annotated[
        bool,
        typer.Option("--by-source", help="One row per source (e.g. each newspaper), not corpus."),
    ] = False,
    published: Annotated[
        bool,
        typer.Option(
            "--published",
            help="Also show the published microtexts scheme (cc/ro/fu/at next to reference "
            "scores) for each microtexts or essays file.",
        ),
    ] = False,
    errors: Annotated[
        int,
        typer.Option(
            "--errors",
            min=0,
            help="Show the N worst texts of each microtexts or essays file, gold vs predicted.",
        ),
    ] = 0,
    ablate: Annotated[
        list[str] | None,
        typer.Option("--ablate", help="Also score with this rule switched off (repeatable)."),
    ] = None,
    crossval: Annotated[
        bool,
        typer.Option(
            "--crossval",
            help="Score the learned scorers on gold segments: rules, leave-one-group-out and "
            "pooled k-fold cross-validation per decision, and their calibration "
            "(needs scikit-learn). With --both or --gold-segments, the decision table follows.",
        ),
    ] = False,
    cache: Annotated[
        Path,
        typer.Option(
            "--cache", metavar="DIR", help="--crossval: keep parsed gold rows here between runs."
        ),
    ] = Path(".cache/argmap-train"),
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="--crossval: parse the gold afresh, keep nothing.")
    ] = False,
    folds: Annotated[
        int,
        typer.Option("--folds", min=2, help="--crossval: folds of the pooled cross-validation."),
    ] = 5,
    learn: Annotated[
        list[str] | None,
        typer.Option(
            "--learn",
            metavar="DECISION",
            help="--crossval: also fit a decision argmap leaves to the rules (e.g. objection), "
            "to compare (repeatable).",
        ),
    ] = None,
    fmt: Annotated[EvalFormat, typer.Option("-f", "--format", help="text or json.")] = (
        EvalFormat.TEXT
    ),
    model: ModelOpt = None,
    quiet: QuietOpt = False,
    weights: WeightsOpt = None,
) -> None:
    """Score argmap against gold corpora: every decision each corpus annotates.

    One row per corpus and mode: thesis accuracy, stance, unit type, evidence
    and evidence type, recommendation, links (and fu/at on the tree corpora);
    a blank cell is a decision the corpus does not annotate. The formats are
    those of microtexts, essays, editorials and CDCP (see the README).

    Examples:

      argmap eval microtexts.jsonl --gold-segments

      argmap eval microtexts.jsonl essays.jsonl editorials.jsonl cdcp.jsonl --both

      argmap eval microtexts.jsonl --both --published --errors 5

      argmap eval microtexts.jsonl --gold-segments --ablate reason_opener

      argmap eval microtexts.jsonl essays.jsonl editorials.jsonl cdcp.jsonl --crossval
    """
    from functools import partial

    from argmap import evaluation
    from argmap.cli.parallel import _Reporter  # the progress bar batch runs show
    from argmap.pipeline import analyze

    known = _rule_names()
    for rule in ablate or []:
        if rule not in known:
            fail(f"unknown rule {rule!r}; rules are: {', '.join(known)}")
    cv = None
    if crossval:
        cv = _crossval(files, None if no_cache else cache, folds=folds, learn=learn, quiet=quiet)
        if not (both or gold_segments or published or errors or ablate):
            typer.echo(
                _crossval_text(cv) if fmt is EvalFormat.TEXT else _json([], {}, cv=cv), nl=False
            )
            return
    modes = [True, False] if both else [gold_segments]
    scorers = read_weights(weights)
    legacy_wanted = published or errors > 0
    with errors_as_messages():
        pieces: list[GoldPiece] = []
        legacy_gold: dict[str, list[GoldText]] = {}
        for path in files:
            loaded = evaluation.load_corpus(path)
            pieces.extend(loaded)
            if legacy_wanted and loaded[0].corpus in _TREE_CORPORA:
                legacy_gold[str(path)] = evaluation.load_gold(path)
        runs: list[tuple[AnalyzeFn, bool, str | None]] = [
            (evaluation.cached_analyzer(partial(analyze, model=model, weights=scorers)), mode, None)
            for mode in modes
        ]
        for rule in ablate or []:
            ablated = partial(
                analyze, model=model, disabled_rules=frozenset({rule}), weights=scorers
            )
            runs.append((evaluation.cached_analyzer(ablated), modes[0], f"-{rule}"))
        reports: list[DecisionReport] = []
        legacy: dict[str, list[EvalReport]] = {name: [] for name in legacy_gold}
        for analyzer, mode, label in runs:
            name = label or ("gold segments" if mode else "end to end")
            with _Reporter(len(pieces), quiet=quiet, description=f"eval: {name}") as reporter:
                reports.append(
                    evaluation.evaluate_pieces(
                        pieces,
                        gold_segments=mode,
                        analyze=analyzer,
                        progress=lambda done, total: reporter.advance(),
                        label=label,
                        by="source" if by_source else "corpus",
                    )
                )
            for file_name, gold in legacy_gold.items():
                legacy[file_name].append(
                    evaluation.evaluate(gold, gold_segments=mode, analyze=analyzer, label=label)
                )
    if fmt is EvalFormat.JSON:
        typer.echo(_json(reports, legacy, details=errors > 0, cv=cv), nl=False)
        return
    if cv is not None:
        typer.echo(_crossval_text(cv))
    typer.echo(evaluation.format_decisions(reports))
    for file_name, file_reports in legacy.items():
        if published:
            typer.echo(f"\n{file_name}: published microtexts scheme")
            typer.echo(evaluation.format_table(file_reports))
        if errors:
            typer.echo(f"\n{file_name}: {file_reports[0].label}")
            typer.echo(evaluation.format_confusion(file_reports[0]))
            typer.echo("")
            typer.echo(evaluation.format_errors(evaluation.worst_texts(file_reports[0], errors)))


def _crossval(
    files: list[Path], cache_dir: Path | None, *, folds: int, learn: list[str] | None, quiet: bool
) -> CrossvalReport:
    """The cross-validation report of ``--crossval``: rows parsed (or cached), then fitted."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        fail("argmap eval --crossval needs scikit-learn: pip install 'argmap[train]'")
    from argmap.cli.parallel import _Reporter
    from argmap.evaluation.gold import check_gold_file
    from argmap.train import RULE_DECISIONS, load_rows
    from argmap.train.crossval import crossval_report, group_of
    from argmap.train.fit import TARGETS

    learnable = [name for name in RULE_DECISIONS if name in TARGETS]
    for name in learn or []:
        if name not in learnable:
            fail(
                f"--learn {name!r}: the unit decisions left to the rules are {', '.join(learnable)}"
            )
    with errors_as_messages():
        for path in files:
            check_gold_file(path)  # load_rows hashes each file before reading it
        rows = load_rows(files, cache_dir=cache_dir, progress=None if quiet else _parsing())
        fitted = [name for name in TARGETS if name not in RULE_DECISIONS or name in (learn or [])]
        fits = len({group_of(r) for r in rows}) + folds
        with _Reporter(fits, quiet=quiet, description="crossval: fitting") as reporter:
            return crossval_report(rows, folds=folds, scorers=fitted, progress=reporter.advance)


def _parsing() -> Callable[[str, int, int], None]:
    state: dict[str, int] = {}

    def report(name: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if done == total or done - state.get(name, 0) >= step:
            state[name] = done
            typer.echo(f"crossval: parsing {Path(name).name}: {done}/{total}", err=True)

    return report


def _crossval_text(report: CrossvalReport) -> str:
    from argmap.evaluation.crossval_table import format_calibration, format_crossval

    return format_crossval(report) + "\n\n" + format_calibration(report.calibration) + "\n"


def _json(
    reports: list[DecisionReport],
    legacy: dict[str, list[EvalReport]],
    *,
    details: bool = False,
    cv: CrossvalReport | None = None,
) -> str:
    import json

    from argmap import evaluation

    document: dict[str, object] = {}
    if cv is not None:
        document["crossval"] = cv.model_dump(mode="json")
    if reports:
        document.update(json.loads(evaluation.format_decisions_json(reports, details=details)))
    if legacy:
        document["published"] = {
            name: json.loads(evaluation.format_json(file_reports, details=details))
            for name, file_reports in legacy.items()
        }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
