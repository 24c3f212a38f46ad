"""The ``argmap`` command line: thin typer commands over the library.

This is the one place errors become messages and exit codes: 0 ok, 1 findings
(reserved for ``check``), 2 bad usage or input — always one ``error:`` line on
stderr, never a traceback. Products go to stdout or ``-o``; progress to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from argmap._version import __version__
from argmap.errors import ArgmapError, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from argmap.model import ArgumentMap

__all__ = [
    "AnalyzeFormat",
    "Direction",
    "EncodingOpt",
    "FilesArg",
    "Loaded",
    "MarkdownOpt",
    "ModelOpt",
    "OutputDirOpt",
    "RenderFormat",
    "app",
    "errors_as_messages",
    "fail",
    "load_input",
    "load_map",
    "run_batch",
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


class RenderFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"
    DOT = "dot"


class Direction(StrEnum):
    TB = "TB"
    LR = "LR"


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
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


@dataclass(frozen=True)
class Loaded:
    """One input: its display name, its map, and its source text (None for a saved map)."""

    name: str
    map: ArgumentMap
    text: str | None


def load_input(
    path: str, *, markdown: bool | None, model: str | None, encoding: str | None
) -> Loaded:
    """Analyse a text file, or load a saved map (``.json``) so corrections re-render."""
    from argmap.reader import read_path

    name = "<stdin>" if path == "-" else path
    text = read_path(path, encoding=encoding)
    if path.endswith(".json") or (path == "-" and text.lstrip().startswith("{")):
        return Loaded(name, map_from_json(name, text), None)
    from argmap.pipeline import analyze

    if markdown is None:
        markdown = Path(path).suffix.lower() in {".md", ".markdown"}
    try:
        return Loaded(name, analyze(text, markdown=markdown, model=model), text)
    except InputError as exc:  # e.g. an empty file: say which one
        raise InputError(f"{name}: {exc}") from exc


def load_map(
    path: str, *, markdown: bool | None, model: str | None, encoding: str | None
) -> ArgumentMap:
    """The map of one input (see ``load_input``)."""
    return load_input(path, markdown=markdown, model=model, encoding=encoding).map


def map_from_json(path: str, text: str) -> ArgumentMap:
    from pydantic import ValidationError

    from argmap.model import ArgumentMap

    try:
        return ArgumentMap.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise InputError(f"{path}: not a valid argmap JSON map ({where}: {first['msg']})") from exc


def run_batch(
    files: list[str],
    output: str | None,
    output_dir: Path | None,
    suffix: str,
    produce: Callable[[str], bytes],
) -> None:
    """Process each file; one failure never stops the others or loses their output."""
    from argmap.output import write_output

    if len(files) > 1 and output_dir is None:
        fail("several input files need --output-dir DIR (one output per input)")
    if output_dir is not None and not output_dir.is_dir():
        fail(f"{output_dir}: the output directory does not exist")
    stems = [Path(path).stem for path in files]
    if output_dir is not None and len(set(stems)) < len(stems):
        twice = next(stem for stem in stems if stems.count(stem) > 1)
        fail(f"two inputs would both be written to {output_dir / (twice + suffix)}")
    if len(files) == 1 and output_dir is None:
        with errors_as_messages():
            write_output(output or "-", produce(files[0]))
        return
    failures: list[str] = []
    for path in progress(files):
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


def progress(files: list[str]) -> Iterator[str]:
    if not sys.stderr.isatty():
        yield from files
        return
    from rich.progress import track

    yield from track(files, description="mapping", console=stderr_console(), transient=True)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)
