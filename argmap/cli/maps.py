"""The mapping commands: analyze, render, schema.

analyze and render take one input (to ``-o`` or stdout) or a batch (to
``--output-dir``); what each makes of a map is a small picklable task, so a
batch can run in worker processes (``--jobs``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.common import (
    DEFAULT_MAX_CHARS,
    AnalyzeFormat,
    Direction,
    EncodingOpt,
    ExtOpt,
    FilesArg,
    Item,
    JobsOpt,
    JsonlOpt,
    MapTask,
    MarkdownOpt,
    MaxCharsOpt,
    ModelOpt,
    OutputDirOpt,
    QuietOpt,
    RecursiveOpt,
    RenderFormat,
    app,
    fail,
    write_products,
)

if TYPE_CHECKING:
    from argmap.model import ArgumentMap


@dataclass(frozen=True)
class AnalyzeTask(MapTask):
    """analyze's product for one input: the map as JSON, an outline or DOT."""

    fmt: AnalyzeFormat = AnalyzeFormat.JSON

    def finish(self, item: Item, m: ArgumentMap, text: str | None) -> bytes:
        from argmap import render

        if self.fmt is AnalyzeFormat.OUTLINE:
            return render.to_outline(m).encode()
        if self.fmt is AnalyzeFormat.DOT:
            return render.to_dot(m).encode()
        return render.to_json(m).encode()


@dataclass(frozen=True)
class RenderTask(MapTask):
    """render's product for one input: a diagram in one format."""

    fmt: RenderFormat = RenderFormat.SVG
    grayscale: bool = False
    direction: Direction = Direction.TB
    width: int = 32

    def finish(self, item: Item, m: ArgumentMap, text: str | None) -> bytes:
        from argmap import render

        dot = render.to_dot(
            m, grayscale=self.grayscale, direction=self.direction.value, width=self.width
        )
        if self.fmt is RenderFormat.DOT:
            return dot.encode()
        return render.render_image(dot, self.fmt.value)


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
    recursive: RecursiveOpt = False,
    ext: ExtOpt = None,
    jsonl: JsonlOpt = None,
    jobs: JobsOpt = 0,
    quiet: QuietOpt = False,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
) -> None:
    """Find the argument structure and print it as JSON, an outline or DOT.

    Examples:

      argmap analyze op-ed.txt > map.json

      argmap analyze draft.md -f outline

      argmap analyze essays/ --recursive --output-dir maps/

      argmap analyze corpus.jsonl --jsonl text --output-dir maps/ --jobs 2
    """
    task = AnalyzeTask(markdown, model, encoding, max_chars, fmt)
    suffix = {"json": ".json", "outline": ".md", "dot": ".dot"}[fmt.value]
    write_products(
        files, task, output=output, output_dir=output_dir, suffix=suffix,
        recursive=recursive, extensions=ext, jsonl=jsonl, jobs=jobs, quiet=quiet,
    )  # fmt: skip


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
    recursive: RecursiveOpt = False,
    ext: ExtOpt = None,
    jsonl: JsonlOpt = None,
    jobs: JobsOpt = 0,
    quiet: QuietOpt = False,
    max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
) -> None:
    """Draw the argument map as a diagram (SVG by default) with Graphviz.

    The thesis sits on top; support is a solid arrow, attack a dashed one
    marked "−". FILE may be a saved (and hand-corrected) argmap JSON map.

    Examples:

      argmap render op-ed.txt -o op-ed.svg

      argmap render map.json -o map.png --grayscale --direction LR

      argmap render essays/ --recursive --output-dir diagrams/
    """
    chosen = fmt
    if chosen is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else "svg"
        chosen = RenderFormat(suffix) if suffix in {f.value for f in RenderFormat} else None
        if chosen is None:
            fail(f"cannot tell the format from {output!r}; add -f svg|png|pdf|dot")
    binary_to_terminal = chosen is not RenderFormat.DOT and sys.stdout.isatty()
    if output is None and output_dir is None and binary_to_terminal:
        fail("give an output file with -o (e.g. -o map.svg), or -o - to write to stdout")
    task = RenderTask(markdown, model, encoding, max_chars, chosen, grayscale, direction, width)
    write_products(
        files, task, output=output, output_dir=output_dir, suffix=f".{chosen.value}",
        recursive=recursive, extensions=ext, jsonl=jsonl, jobs=jobs, quiet=quiet,
    )  # fmt: skip


@app.command()
def schema() -> None:
    """Print the JSON Schema of argmap's map format.

    Example:

      argmap schema > argmap.schema.json
    """
    from argmap.model import ArgumentMap

    typer.echo(json.dumps(ArgumentMap.model_json_schema(), indent=2))
