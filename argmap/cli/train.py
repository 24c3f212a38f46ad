"""``argmap train``: fit argmap's scorers to annotated maps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import app, errors_as_messages, fail


@app.command("train")
def train_command(
    gold_files: Annotated[
        list[Path],
        typer.Argument(
            help="Annotated corpora (microtexts, essays, editorials or CDCP JSON Lines).",
            metavar="GOLD...",
            show_default=False,
        ),
    ],
    output: Annotated[
        str, typer.Option("-o", "--output", metavar="FILE", help="Where to write the weights.")
    ] = "weights.json",
    c: Annotated[
        float,
        typer.Option("--c", min=0.0001, help="Inverse regularisation strength of the fits."),
    ] = 0.5,
    learn: Annotated[
        list[str] | None,
        typer.Option(
            "--learn",
            metavar="DECISION",
            help="Also fit a decision argmap leaves to its rules by default "
            "(objection, attachment); repeatable.",
        ),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", metavar="DIR", help="Keep parsed training rows here between runs."),
    ] = None,
) -> None:
    """Fit the thesis, recommendation and evidence scorers to your annotated maps.

    Each decision is fitted on the files that annotate it (a thesis on
    microtexts or essays, evidence on editorials, recommendations on CDCP);
    a decision none of them annotates is left to argmap's rules, and so are
    the objection and the attachment, whose rules transfer better to new
    writing (--learn fits them anyway). Map with the
    result by --weights FILE or the ARGMAP_WEIGHTS environment variable.
    Needs scikit-learn: pip install 'argmap[train]'.

    Examples:

      argmap train microtexts.jsonl essays.jsonl -o my-weights.json

      argmap analyze piece.txt --weights my-weights.json -f outline
    """
    from argmap.evaluation.gold import check_gold_file
    from argmap.output import output_problem, write_output
    from argmap.train import RULE_DECISIONS, train_weights

    for decision in learn or []:
        if decision not in RULE_DECISIONS:
            fail(f"--learn {decision}: choose one of {', '.join(RULE_DECISIONS)}")
    left = [d for d in RULE_DECISIONS if d not in (learn or [])]

    problem = None if output == "-" else output_problem(output, gold_files)
    if problem is not None:
        fail(problem)
    with errors_as_messages():
        for path in gold_files:
            check_gold_file(path)  # train hashes each file before reading it
        weights = train_weights(
            gold_files, c=c, cache_dir=cache, rule_decisions=left, progress=_progress()
        )
        write_output(output, (weights.model_dump_json(indent=1) + "\n").encode(), inputs=gold_files)
    fitted = ", ".join(sorted(weights.scorers)) or "none"
    typer.echo(f"fitted {fitted} on {', '.join(weights.trained_on)}", err=True)


def _progress() -> Callable[[str, int, int], None]:
    state: dict[str, int] = {}

    def report(name: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if done == total or done - state.get(name, 0) >= step:
            state[name] = done
            typer.echo(f"parsing {Path(name).name}: {done}/{total}", err=True)

    return report
