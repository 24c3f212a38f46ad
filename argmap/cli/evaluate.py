"""``argmap eval``: score argmap against gold argument maps."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import (
    ModelOpt,
    app,
    errors_as_messages,
    fail,
)


class EvalFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _rule_names() -> list[str]:
    from argmap.classify import ROLE_RULES
    from argmap.link import LINK_RULES
    from argmap.thesis import THESIS_RULES

    return [name for name, _ in (*ROLE_RULES, *THESIS_RULES, *LINK_RULES)]


@app.command("eval")
def eval_command(
    gold_file: Annotated[
        Path, typer.Argument(help="Gold argument maps, one JSON text per line.", show_default=False)
    ],
    gold_segments: Annotated[
        bool,
        typer.Option("--gold-segments", help="Use the gold units (as published scores do)."),
    ] = False,
    both: Annotated[
        bool, typer.Option("--both", help="Evaluate with gold segments and end to end.")
    ] = False,
    errors: Annotated[
        int, typer.Option("--errors", min=0, help="Show the N worst texts, gold vs predicted.")
    ] = 0,
    ablate: Annotated[
        list[str] | None,
        typer.Option("--ablate", help="Also score with this rule switched off (repeatable)."),
    ] = None,
    fmt: Annotated[EvalFormat, typer.Option("-f", "--format", help="text or json.")] = (
        EvalFormat.TEXT
    ),
    model: ModelOpt = None,
) -> None:
    """Score argmap against gold argument maps: cc, ro, fu, at (macro F1).

    cc = central claim, ro = proponent/opponent, fu = function
    (cc/support/attack), at = attachment; end to end adds segmentation P/R/F1.
    The gold format is documented in the README.

    Examples:

      argmap eval microtexts.jsonl --gold-segments

      argmap eval microtexts.jsonl --both --errors 5

      argmap eval microtexts.jsonl --gold-segments --ablate reason_opener
    """
    from functools import partial

    from argmap import evaluation
    from argmap.pipeline import analyze

    known = _rule_names()
    for rule in ablate or []:
        if rule not in known:
            fail(f"unknown rule {rule!r}; rules are: {', '.join(known)}")
    modes = [True, False] if both else [gold_segments]
    with errors_as_messages():
        gold = evaluation.load_gold(gold_file)
        reports = []
        for mode in modes:
            reports.append(
                evaluation.evaluate(gold, gold_segments=mode, analyze=partial(analyze, model=model))
            )
        for rule in ablate or []:
            reports.append(
                evaluation.evaluate(
                    gold,
                    gold_segments=modes[0],
                    analyze=partial(analyze, model=model, disabled_rules=frozenset({rule})),
                    label=f"-{rule}",
                )
            )
    if fmt is EvalFormat.JSON:
        typer.echo(evaluation.format_json(reports, details=errors > 0))
        return
    typer.echo(evaluation.format_table(reports))
    if errors:
        typer.echo("")
        typer.echo(evaluation.format_confusion(reports[0]))
        typer.echo("")
        typer.echo(evaluation.format_errors(evaluation.worst_texts(reports[0], errors)))
