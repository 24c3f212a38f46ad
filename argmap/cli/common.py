"""The ``argmap`` command line: thin typer commands over the library.

This is the one place errors become messages and exit codes: 0 ok, 1 findings
(reserved for ``check``), 2 bad usage or input — always one ``error:`` line on
stderr, never a traceback. Products go to stdout or ``-o``; progress to stderr.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from argmap._version import __version__
from argmap.cli.batch import (
    DEFAULT_EXTENSIONS,
    DEFAULT_MAX_CHARS,
    Item,
    Mapped,
    MapTask,
    Outcome,
    collect_inputs,
    map_from_json,
    map_items,
    outcomes,
    read_item,
)
from argmap.cli.messages import one_line
from argmap.cli.parallel import run_batch, summarize
from argmap.errors import ArgmapError, InputError
from argmap.output import write_output

if TYPE_CHECKING:
    from rich.console import Console

    from argmap.model import ArgumentMap
    from argmap.scoring import Weights

__all__ = [
    "DEFAULT_EXTENSIONS",
    "DEFAULT_MAX_CHARS",
    "INTERCHANGE_FORMATS",
    "AnalyzeFormat",
    "CorrectionsOpt",
    "Direction",
    "EncodingOpt",
    "ExtOpt",
    "FilesArg",
    "Item",
    "JobsOpt",
    "JsonlOpt",
    "Loaded",
    "MapTask",
    "Mapped",
    "MarkdownOpt",
    "MaxCharsOpt",
    "ModelOpt",
    "Outcome",
    "OutputDirOpt",
    "QuietOpt",
    "RecursiveOpt",
    "RenderFormat",
    "Style",
    "WeightsOpt",
    "app",
    "check_targets",
    "collect_inputs",
    "errors_as_messages",
    "fail",
    "load_input",
    "load_map",
    "map_from_json",
    "map_items",
    "one_line",
    "outcomes",
    "read_item",
    "read_weights",
    "run_batch",
    "summarize",
    "write_products",
]

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
    ARGDOWN = "argdown"
    AIF = "aif"
    MERMAID = "mermaid"


class RenderFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"
    DOT = "dot"
    HTML = "html"
    ARGDOWN = "argdown"
    AIF = "aif"
    MERMAID = "mermaid"


INTERCHANGE_FORMATS = frozenset({"argdown", "aif", "mermaid"})


class Style(StrEnum):
    DEFAULT = "default"
    CLASSROOM = "classroom"
    PRINT = "print"


class Direction(StrEnum):
    TB = "TB"
    LR = "LR"


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {one_line(message)}", err=True)
    raise typer.Exit(code)


@contextmanager
def errors_as_messages() -> Iterator[None]:
    try:
        yield
    except ArgmapError as exc:
        fail(str(exc))


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
        help="Text (.txt), Markdown (.md) or saved argmap JSON files, or folders of them; "
        "'-' reads stdin.",
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
RecursiveOpt = Annotated[
    bool, typer.Option("--recursive", "-r", help="Also take files from a folder's subfolders.")
]
ExtOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--ext",
        help="Extensions of the files to take from a folder (repeatable; default: txt, md, "
        "markdown).",
        show_default=False,
    ),
]
JsonlOpt = Annotated[
    str | None,
    typer.Option(
        "--jsonl",
        metavar="FIELD",
        help="Each FILE is JSON Lines: map the text in FIELD of every record (outputs are "
        "named by the record's 'id', else FILE-LINE).",
    ),
]
JobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Worker processes for a batch. 0 (default): two (at most one per CPU core) when "
        "the batch has 1 MB of text or more, else none (a worker takes ~2 s and ~250 MB to "
        "start).",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress bar, and no summary when nothing failed."),
]
CorrectionsOpt = Annotated[
    Path | None,
    typer.Option(
        "--corrections",
        help="A YAML file of hand corrections (units addressed by a short quote); "
        "start one with 'argmap corrections init FILE'.",
    ),
]
MaxCharsOpt = Annotated[
    int,
    typer.Option(
        "--max-chars",
        min=1,
        help="Refuse longer texts (mapping takes about 5 MB per 1,000 words).",
    ),
]
WeightsOpt = Annotated[
    Path | None,
    typer.Option(
        "--weights",
        envvar="ARGMAP_WEIGHTS",
        metavar="FILE",
        help="Map with these scorer weights (from 'argmap train') instead of the shipped ones.",
        show_default=False,
    ),
]


def read_weights(path: Path | None) -> Weights | None:
    """The weights of ``--weights``, read and checked before anything is mapped.

    A bad file is one ``error:`` line and exit 2 here, not a failure of every
    input of a batch. None (no option, no ``$ARGMAP_WEIGHTS``): the shipped weights.
    """
    if path is None:
        return None
    from argmap.scoring import load_weights

    with errors_as_messages():
        return load_weights(path)


@dataclass(frozen=True)
class Loaded:
    """One input: its display name, its map, and its source text (None for a saved map)."""

    name: str
    map: ArgumentMap
    text: str | None
    markdown: bool = False
    """Whether the text was read as Markdown (by ``--markdown`` or by its extension)."""


def load_input(
    path: str,
    *,
    markdown: bool | None,
    model: str | None,
    encoding: str | None,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    weights: Weights | None = None,
) -> Loaded:
    """Analyse a text file, or load a saved map (``.json``) so corrections re-render.

    A text that does not look like English is mapped with a warning on stderr.

    Raises:
        InputError: the input cannot be read or mapped (the message names it).
    """
    task = MapTask(
        markdown=markdown, model=model, encoding=encoding, max_chars=max_chars, weights=weights
    )
    item = Item("<stdin>", "stdin", "-") if path == "-" else Item(path, Path(path).stem, path)
    mapped = next(map_items(task, [item]))
    for warning in mapped.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if mapped.map is None:
        raise InputError(mapped.error or f"{mapped.item.name}: cannot be mapped")
    as_markdown = markdown if markdown is not None else item.markdown
    return Loaded(mapped.item.name, mapped.map, mapped.text, as_markdown)


def load_map(
    path: str,
    *,
    markdown: bool | None,
    model: str | None,
    encoding: str | None,
    weights: Weights | None = None,
) -> ArgumentMap:
    """The map of one input (see ``load_input``)."""
    return load_input(path, markdown=markdown, model=model, encoding=encoding, weights=weights).map


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def write_products(
    paths: list[str],
    task: MapTask,
    *,
    output: str | None,
    output_dir: Path | None,
    suffix: str,
    recursive: bool = False,
    extensions: list[str] | None = None,
    jsonl: str | None = None,
    jobs: int = 0,
    quiet: bool = False,
    also_read: Sequence[Path | None] = (),
) -> None:
    """The flow of analyze and render: one input to ``-o``/stdout, or a batch to a folder.

    One input that fails is exit 2 (like any bad input); a batch maps every
    input it can, reports each failure, prints a summary and exits 1 if any
    input failed. ``also_read`` names other files the run reads (a corrections
    file): like the inputs, no output may replace them.
    """
    from argmap.output import output_problem

    items = collect_inputs(
        paths, recursive=recursive, extensions=extensions or DEFAULT_EXTENSIONS, jsonl=jsonl
    )
    inputs = sorted({item.path for item in items} | {str(p) for p in also_read if p})
    if output_dir is None and len(items) == 1:
        problem = None if output in (None, "-") else output_problem(output, inputs)
        if problem is not None:
            fail(problem)
        with errors_as_messages():
            outcome = next(outcomes(task, items))
        for warning in outcome.warnings:
            typer.echo(f"warning: {warning}", err=True)
        if outcome.error is not None or outcome.data is None:
            fail(outcome.error or f"{outcome.item.name}: nothing was produced")
        with errors_as_messages():
            write_output(output or "-", outcome.data, inputs=inputs)
        return
    if output_dir is None:
        fail("several input files need --output-dir DIR (one output per input)")
    if output is not None:
        fail("give either -o FILE (one input) or --output-dir DIR (a batch), not both")
    if not output_dir.is_dir():
        fail(f"{output_dir}: the output directory does not exist")
    check_targets(items, output_dir, suffix, inputs)

    def sink(outcome: Outcome) -> str | None:
        target = output_dir / (outcome.item.out + suffix)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_output(target, outcome.data or b"", inputs=inputs)
        except ArgmapError as exc:
            return str(exc)
        except OSError as exc:
            return f"{target.parent}: cannot create the folder ({exc.strerror or exc})"
        return None

    with errors_as_messages():
        failures = run_batch(task, items, sink, jobs=jobs, quiet=quiet)
    summarize(len(items), failures, quiet=quiet)


def check_targets(items: list[Item], output_dir: Path, suffix: str, inputs: Sequence[str]) -> None:
    """Refuse, before anything is written, a batch that would lose data.

    Two inputs writing the same output file, or any output that would replace
    an input of the batch (``--output-dir`` pointing at the inputs' folder
    with a suffix they share) or a device.
    """
    from argmap.output import output_problem

    seen: set[str] = set()
    for item in items:
        target = output_dir / (item.out + suffix)
        key = item.out.lower()  # case-insensitive file systems (macOS, Windows)
        if key in seen:
            fail(f"two inputs would both be written to {target}")
        seen.add(key)
        problem = output_problem(target, inputs)
        if problem is not None:
            fail(f"{problem}; nothing was written")
