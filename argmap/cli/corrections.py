"""The ``corrections`` commands: write a starter corrections file, check one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import (
    EncodingOpt,
    MarkdownOpt,
    ModelOpt,
    WeightsOpt,
    app,
    errors_as_messages,
    load_input,
    read_weights,
)

corrections_app = typer.Typer(
    name="corrections",
    help=(
        "Hand corrections that survive re-analysis (a YAML file of fixes by quote).\n\n"
        "Examples:\n\n"
        "  argmap corrections init op-ed.txt -o op-ed.fixes.yaml\n\n"
        "  argmap corrections check op-ed.txt op-ed.fixes.yaml"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(corrections_app, name="corrections")

FileArg = Annotated[
    str,
    typer.Argument(
        help="The piece (.txt, .md) or a saved map; '-' reads stdin.",
        metavar="FILE",
        show_default=False,
    ),
]


@corrections_app.command("init")
def init(
    file: FileArg,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Write here ('-' or none: stdout).")
    ] = None,
    markdown: MarkdownOpt = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
    weights: WeightsOpt = None,
) -> None:
    """Write a commented starter corrections file from FILE's current map.

    Every unit is listed as it stands, commented out, with a short quote that
    names it; uncomment and edit the entries you want to change.

    Example:

      argmap corrections init op-ed.txt -o op-ed.fixes.yaml
    """
    from argmap.corrections import starter_file
    from argmap.output import write_output

    chosen = read_weights(weights)
    with errors_as_messages():
        loaded = load_input(file, markdown=markdown, model=model, encoding=encoding, weights=chosen)
        source = None if file == "-" else Path(file).name
        write_output(output or "-", starter_file(loaded.map, source=source).encode(), inputs=[file])


@corrections_app.command("check")
def check(
    file: FileArg,
    fixes: Annotated[str, typer.Argument(help="The corrections file (YAML).", metavar="FIXES")],
    markdown: MarkdownOpt = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
    weights: WeightsOpt = None,
) -> None:
    """Say whether every entry of FIXES still names one unit of FILE's map.

    Prints one line per entry that cannot be applied (exit 1), or nothing
    (exit 0): run it after editing a draft, before rendering.

    Example:

      argmap corrections check op-ed.txt op-ed.fixes.yaml
    """
    from argmap.corrections import apply_corrections

    chosen = read_weights(weights)
    with errors_as_messages():
        loaded = load_input(file, markdown=markdown, model=model, encoding=encoding, weights=chosen)
        _, warnings = apply_corrections(loaded.map, loaded.text, fixes)
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)
    if warnings:
        raise typer.Exit(1)
