"""The ``argmap`` command line: thin typer commands over the library.

This is the one place errors become messages and exit codes: 0 ok, 1 findings
(reserved for ``check``), 2 bad usage or input — always one ``error:`` line on
stderr, never a traceback. Products go to stdout or ``-o``; progress to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from argmap._version import __version__
from argmap.errors import ArgmapError, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from argmap.model import ArgumentMap

__all__ = ["app", "main"]

app = typer.Typer(
    name="argmap",
    help=(
        "Map the argument of an opinion piece: thesis, claims, premises, evidence, "
        "recommendations and objections, linked by support and attack.\n\n"
        "Examples:\n\n"
        "  argmap analyze op-ed.txt                  # the map as JSON\n\n"
        "  argmap analyze draft.md -f outline        # an indented outline\n\n"
        "  argmap render op-ed.txt -o op-ed.svg      # the diagram\n\n"
        "  cat op-ed.txt | argmap render - -o map.svg"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class AnalyzeFormat(StrEnum):
    JSON = "json"
    OUTLINE = "outline"
    DOT = "dot"


class RenderFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"
    DOT = "dot"


class Direction(StrEnum):
    TB = "TB"
    LR = "LR"


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def _errors_as_messages() -> Iterator[None]:
    try:
        yield
    except ArgmapError as exc:
        _fail(str(exc))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"argmap {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Map the argument of an opinion piece."""


FilesArg = Annotated[
    list[str],
    typer.Argument(
        help="Text (.txt), Markdown (.md) or saved argmap JSON files; '-' reads stdin.",
        metavar="FILE",
        show_default=False,
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", envvar="ARGMAP_MODEL", help="spaCy English model to use."),
]
MarkdownOpt = Annotated[
    bool | None,
    typer.Option(
        "--markdown/--plain",
        help="Read input as Markdown or plain text (default: by extension; stdin is plain).",
        show_default=False,
    ),
]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="Input encoding (default: UTF-8, or by BOM).")
]
OutputDirOpt = Annotated[
    Path | None,
    typer.Option("--output-dir", help="Write one output per input file into this directory."),
]


def _load(
    path: str, *, markdown: bool | None, model: str | None, encoding: str | None
) -> ArgumentMap:
    """Analyse a text file, or load a saved map (``.json``) so corrections re-render."""
    from argmap.reader import read_path

    name = "<stdin>" if path == "-" else path
    text = read_path(path, encoding=encoding)
    if path.endswith(".json") or (path == "-" and text.lstrip().startswith("{")):
        return _map_from_json(name, text)
    from argmap.pipeline import analyze

    if markdown is None:
        markdown = Path(path).suffix.lower() in {".md", ".markdown"}
    try:
        return analyze(text, markdown=markdown, model=model)
    except InputError as exc:  # e.g. an empty file: say which one
        raise InputError(f"{name}: {exc}") from exc


def _map_from_json(path: str, text: str) -> ArgumentMap:
    from pydantic import ValidationError

    from argmap.model import ArgumentMap

    try:
        return ArgumentMap.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise InputError(f"{path}: not a valid argmap JSON map ({where}: {first['msg']})") from exc


def _run_batch(
    files: list[str],
    output: str | None,
    output_dir: Path | None,
    suffix: str,
    produce: Callable[[str], bytes],
) -> None:
    """Process each file; one failure never stops the others or loses their output."""
    from argmap.output import write_output

    if len(files) > 1 and output_dir is None:
        _fail("several input files need --output-dir DIR (one output per input)")
    if output_dir is not None and not output_dir.is_dir():
        _fail(f"{output_dir}: the output directory does not exist")
    stems = [Path(path).stem for path in files]
    if output_dir is not None and len(set(stems)) < len(stems):
        twice = next(stem for stem in stems if stems.count(stem) > 1)
        _fail(f"two inputs would both be written to {output_dir / (twice + suffix)}")
    if len(files) == 1 and output_dir is None:
        with _errors_as_messages():
            write_output(output or "-", produce(files[0]))
        return
    failures: list[str] = []
    for path in _progress(files):
        target = output_dir / (Path(path).stem + suffix) if output_dir else output or "-"
        try:
            write_output(target, produce(path))
        except ArgmapError as exc:
            failures.append(str(exc))
            typer.echo(f"error: {exc}", err=True)
    done = len(files) - len(failures)
    typer.echo(f"{done} mapped, {len(failures)} failed", err=True)
    if failures:
        raise typer.Exit(2)


def _progress(files: list[str]) -> Iterator[str]:
    if not sys.stderr.isatty():
        yield from files
        return
    from rich.progress import track

    yield from track(files, description="mapping", console=_stderr_console(), transient=True)


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


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
        m = _load(path, markdown=markdown, model=model, encoding=encoding)
        if fmt is AnalyzeFormat.OUTLINE:
            return render.to_outline(m).encode()
        if fmt is AnalyzeFormat.DOT:
            return render.to_dot(m).encode()
        return render.to_json(m).encode()

    suffix = {"json": ".json", "outline": ".md", "dot": ".dot"}[fmt.value]
    _run_batch(files, output, output_dir, suffix, produce)


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
            _fail(f"cannot tell the format from {output!r}; add -f svg|png|pdf|dot")
    binary_to_terminal = chosen is not RenderFormat.DOT and sys.stdout.isatty()
    if output is None and output_dir is None and binary_to_terminal:
        _fail("give an output file with -o (e.g. -o map.svg), or -o - to write to stdout")

    def produce(path: str) -> bytes:
        m = _load(path, markdown=markdown, model=model, encoding=encoding)
        dot = render.to_dot(m, grayscale=grayscale, direction=direction.value, width=width)
        if chosen is RenderFormat.DOT:
            return dot.encode()
        return render.render_image(dot, chosen.value)

    _run_batch(files, output, output_dir, f".{chosen.value}", produce)


class EvalFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _rule_names() -> list[str]:
    from argmap.classify import ROLE_RULES, THESIS_RULES
    from argmap.link import LINK_RULES

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
            _fail(f"unknown rule {rule!r}; rules are: {', '.join(known)}")
    modes = [True, False] if both else [gold_segments]
    with _errors_as_messages():
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


@app.command()
def schema() -> None:
    """Print the JSON Schema of argmap's map format.

    Example:

      argmap schema > argmap.schema.json
    """
    from argmap.model import ArgumentMap

    typer.echo(json.dumps(ArgumentMap.model_json_schema(), indent=2))


def main() -> None:
    """Entry point: every failure is one ``error:`` line and an exit code, never a traceback."""
    from typer.exceptions import Abort, TyperException

    if len(sys.argv) == 1:
        sys.argv.append("--help")
    try:
        result = app(standalone_mode=False)
    except TyperException as exc:  # click's usage errors: bad option, missing argument
        hint = "" if "--help" in exc.format_message() else " (see 'argmap --help')"
        typer.echo(f"error: {exc.format_message()}{hint}", err=True)
        sys.exit(getattr(exc, "exit_code", 2) or 2)
    except (KeyboardInterrupt, Abort):
        typer.echo("error: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(result if isinstance(result, int) else 0)
