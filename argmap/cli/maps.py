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
    INTERCHANGE_FORMATS,
    AnalyzeFormat,
    CorrectionsOpt,
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
    Style,
    WeightsOpt,
    app,
    errors_as_messages,
    fail,
    read_weights,
    write_products,
)

if TYPE_CHECKING:
    from argmap.check import Finding
    from argmap.corrections import CorrectionsFile
    from argmap.model import ArgumentMap

_SUFFIXES = {
    "json": ".json", "outline": ".md", "dot": ".dot", "argdown": ".argdown",
    "aif": ".aif.json", "mermaid": ".mmd",
}  # fmt: skip


@dataclass(frozen=True)
class AnalyzeTask(MapTask):
    """analyze's product for one input: the map as JSON, an outline or DOT."""

    fmt: AnalyzeFormat = AnalyzeFormat.JSON
    why: bool = False
    """The outline shows each unit's top reasons and the rule that links it."""

    def finish(self, item: Item, m: ArgumentMap, text: str | None) -> bytes:
        from argmap import render

        if self.fmt.value in INTERCHANGE_FORMATS:
            return _export(m, self.fmt.value)
        if self.fmt is AnalyzeFormat.OUTLINE:
            return render.to_outline(m, reasons=self.why).encode()
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
    style: Style = Style.DEFAULT
    blank: bool = False
    max_depth: int | None = None

    def finish(self, item: Item, m: ArgumentMap, text: str | None) -> bytes:
        from argmap import render

        if self.fmt.value in INTERCHANGE_FORMATS:
            return _export(m, self.fmt.value)
        if self.fmt is RenderFormat.HTML:
            markdown = self.markdown if self.markdown is not None else item.markdown
            report = render.to_html(
                m,
                text,
                title=Path(item.name).name,
                findings=_findings(item, m, text, markdown=markdown),
                direction=self.direction.value,
                width=self.width,
            )
            return report.encode()
        dot = render.to_dot(
            m,
            grayscale=self.grayscale,
            direction=self.direction.value,
            width=self.width,
            style=self.style.value,
            blank=self.blank,
            max_depth=self.max_depth,
        )
        if self.fmt is RenderFormat.DOT:
            return dot.encode()
        return render.render_image(dot, self.fmt.value)


def _export(m: ArgumentMap, fmt: str) -> bytes:
    """The map in an interchange format (Argdown, AIF, Mermaid)."""
    from argmap.interchange import export

    return export(m, fmt).encode()


def _findings(item: Item, m: ArgumentMap, text: str | None, *, markdown: bool) -> list[Finding]:
    """``argmap check``'s findings, for the HTML report's panel."""
    from argmap.check import check

    return check(m, text, markdown=markdown, file=item.name)


def _load_corrections(path: Path | None) -> CorrectionsFile | None:
    """Read the corrections file once, before the batch, so a bad one stops it (exit 2)."""
    if path is None:
        return None
    from argmap.corrections import load_corrections

    with errors_as_messages():
        return load_corrections(path)


def _format_from_name(output: str | None) -> RenderFormat | None:
    """The format an output name asks for: map.svg, map.aif.json, map.argdown, map.mmd ..."""
    if not output or output == "-":
        return RenderFormat.SVG
    name = output.lower()
    for fmt, suffix in (("aif", ".aif.json"), ("argdown", ".argdown"), ("mermaid", ".mmd")):
        if name.endswith(suffix):
            return RenderFormat(fmt)
    suffix = Path(name).suffix.lstrip(".")
    return RenderFormat(suffix) if suffix in {f.value for f in RenderFormat} else None


@app.command()
def analyze(
    files: FilesArg,
    fmt: Annotated[
        AnalyzeFormat,
        typer.Option(
            "-f", "--format", help="json, outline (Markdown), dot, argdown, aif or mermaid."
        ),
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
    corrections: CorrectionsOpt = None,
    weights: WeightsOpt = None,
    why: Annotated[
        bool,
        typer.Option(
            "--why", help="With -f outline: under each unit, its top reasons and its link's rule."
        ),
    ] = False,
) -> None:
    """Find the argument structure and print it as JSON, an outline, DOT or an interchange format.

    Examples:

      argmap analyze op-ed.txt > map.json

      argmap analyze draft.md -f outline

      argmap analyze essays/ --recursive --output-dir maps/

      argmap analyze corpus.jsonl --jsonl text --output-dir maps/ --jobs 2

      argmap analyze op-ed.txt --corrections fixes.yaml -f argdown -o op-ed.argdown

      argmap analyze op-ed.txt --weights my-weights.json -f outline

      argmap analyze draft.md -f outline --why
    """
    if why and fmt is not AnalyzeFormat.OUTLINE:
        fail(f"--why explains the outline, not {fmt.value}: add -f outline")
    task = AnalyzeTask(
        markdown=markdown, model=model, encoding=encoding, max_chars=max_chars,
        corrections=_load_corrections(corrections), weights=read_weights(weights), fmt=fmt,
        why=why,
    )  # fmt: skip
    suffix = _SUFFIXES[fmt.value]
    write_products(
        files, task, output=output, output_dir=output_dir, suffix=suffix,
        recursive=recursive, extensions=ext, jsonl=jsonl, jobs=jobs, quiet=quiet,
        also_read=[corrections, weights],
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
        typer.Option(
            "-f",
            "--format",
            help="svg, png, pdf, dot, html (interactive report), argdown, aif or mermaid "
            "(default: from -o, else svg).",
        ),
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
    style: Annotated[
        Style,
        typer.Option(
            "--style", help="default, classroom (large type, banner, key) or print (greyscale)."
        ),
    ] = Style.DEFAULT,
    blank: Annotated[
        bool, typer.Option("--blank", help="A worksheet: numbered boxes and arrows, no text.")
    ] = False,
    max_depth: Annotated[
        int | None,
        typer.Option("--max-depth", min=0, help="Collapse levels below N into '+k more' boxes."),
    ] = None,
    corrections: CorrectionsOpt = None,
    weights: WeightsOpt = None,
) -> None:
    """Draw the argument map as a diagram (SVG by default) with Graphviz.

    The thesis sits on top; support is a solid arrow, attack a dashed one
    marked "−". FILE may be a saved (and hand-corrected) argmap JSON map.

    Examples:

      argmap render op-ed.txt -o op-ed.svg

      argmap render map.json -o map.png --grayscale --direction LR

      argmap render essays/ --recursive --output-dir diagrams/

      argmap render op-ed.txt -o report.html             # interactive report

      argmap render op-ed.txt --style classroom -o class.svg

      argmap render op-ed.txt --blank -o worksheet.pdf

      argmap render op-ed.txt --corrections fixes.yaml -o fixed.svg
    """
    chosen = fmt or _format_from_name(output)
    if chosen is None:
        fail(f"cannot tell the format from {output!r}; add -f {'|'.join(RenderFormat)}")
    textual = chosen is RenderFormat.DOT or chosen.value in INTERCHANGE_FORMATS
    binary_to_terminal = not textual and sys.stdout.isatty()
    if output is None and output_dir is None and binary_to_terminal:
        fail("give an output file with -o (e.g. -o map.svg), or -o - to write to stdout")
    task = RenderTask(
        markdown=markdown, model=model, encoding=encoding, max_chars=max_chars,
        corrections=_load_corrections(corrections), weights=read_weights(weights),
        fmt=chosen, grayscale=grayscale, direction=direction, width=width, style=style,
        blank=blank, max_depth=max_depth,
    )  # fmt: skip
    suffix = _SUFFIXES.get(chosen.value, f".{chosen.value}")
    write_products(
        files, task, output=output, output_dir=output_dir, suffix=suffix,
        recursive=recursive, extensions=ext, jsonl=jsonl, jobs=jobs, quiet=quiet,
        also_read=[corrections, weights],
    )  # fmt: skip


@app.command()
def schema() -> None:
    """Print the JSON Schema of argmap's map format.

    Example:

      argmap schema > argmap.schema.json
    """
    from argmap.model import ArgumentMap

    typer.echo(json.dumps(ArgumentMap.model_json_schema(), indent=2))
