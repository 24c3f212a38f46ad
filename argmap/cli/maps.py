"""The mapping commands: analyze, render, schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import (
    AnalyzeFormat,
    Direction,
    EncodingOpt,
    FilesArg,
    MarkdownOpt,
    ModelOpt,
    OutputDirOpt,
    RenderFormat,
    app,
    fail,
    load_map,
    run_batch,
)


@app.command()
def analyze(
    files: FilesArg,
    fmt: Annotated[
        AnalyzeFormat, typer.Option("-f", "--format", help="json, outline (Markdown) or dot.")
    ] = AnalyzeFormat.JSON,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Output file ('-' for stdout).")
    ] = None,
    output_dir: OutputDirOpt = None,
    markdown: MarkdownOpt = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Find the argument structure and print it as JSON, an outline or DOT.

    Examples:

      argmap analyze op-ed.txt > map.json

      argmap analyze draft.md -f outline

      argmap analyze a.txt b.md --output-dir maps/
    """
    from argmap import render

    def produce(path: str) -> bytes:
        m = load_map(path, markdown=markdown, model=model, encoding=encoding)
        if fmt is AnalyzeFormat.OUTLINE:
            return render.to_outline(m).encode()
        if fmt is AnalyzeFormat.DOT:
            return render.to_dot(m).encode()
        return render.to_json(m).encode()

    suffix = {"json": ".json", "outline": ".md", "dot": ".dot"}[fmt.value]
    run_batch(files, output, output_dir, suffix, produce)


@app.command("render")
def render_command(
    files: FilesArg,
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="Output file, e.g. map.svg ('-' for stdout)."),
    ] = None,
    fmt: Annotated[
        RenderFormat | None,
        typer.Option("-f", "--format", help="svg, png, pdf or dot (default: from -o, else svg)."),
    ] = None,
    grayscale: Annotated[
        bool, typer.Option("--grayscale", help="No colour: shapes and line styles only.")
    ] = False,
    direction: Annotated[
        Direction, typer.Option("--direction", help="TB (top-down) or LR (left-right).")
    ] = Direction.TB,
    width: Annotated[
        int, typer.Option("--width", min=10, max=200, help="Wrap node text at this many chars.")
    ] = 32,
    output_dir: OutputDirOpt = None,
    markdown: MarkdownOpt = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Draw the argument map as a diagram (SVG by default) with Graphviz.

    The thesis sits on top; support is a solid arrow, attack a dashed one
    marked "−". FILE may be a saved (and hand-corrected) argmap JSON map.

    Examples:

      argmap render op-ed.txt -o op-ed.svg

      argmap render map.json -o map.png --grayscale --direction LR

      argmap render essays/*.md --output-dir diagrams/
    """
    from argmap import render

    chosen = fmt
    if chosen is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else "svg"
        chosen = RenderFormat(suffix) if suffix in {f.value for f in RenderFormat} else None
        if chosen is None:
            fail(f"cannot tell the format from {output!r}; add -f svg|png|pdf|dot")
    binary_to_terminal = chosen is not RenderFormat.DOT and sys.stdout.isatty()
    if output is None and output_dir is None and binary_to_terminal:
        fail("give an output file with -o (e.g. -o map.svg), or -o - to write to stdout")

    def produce(path: str) -> bytes:
        m = load_map(path, markdown=markdown, model=model, encoding=encoding)
        dot = render.to_dot(m, grayscale=grayscale, direction=direction.value, width=width)
        if chosen is RenderFormat.DOT:
            return dot.encode()
        return render.render_image(dot, chosen.value)

    run_batch(files, output, output_dir, f".{chosen.value}", produce)


@app.command()
def schema() -> None:
    """Print the JSON Schema of argmap's map format.

    Example:

      argmap schema > argmap.schema.json
    """
    from argmap.model import ArgumentMap

    typer.echo(json.dumps(ArgumentMap.model_json_schema(), indent=2))
