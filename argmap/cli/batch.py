"""Batch mode: many inputs (files, folders, JSON Lines records) mapped in one run.

The commands that take many inputs (analyze, render, stats, and later check)
share this module: ``collect_inputs`` lists the inputs once, ``outcomes`` maps
them as one stream (so spaCy batches texts across files, see
``argmap.pipeline.analyze_many``), ``run_batch`` runs that stream in-process or
in worker processes with a progress bar and hands each result to a sink as it
arrives. An input that fails becomes a failed ``Outcome``: it never stops the
batch and never loses another input's output.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from argmap.errors import ArgmapError, InputError, ModelError

if TYPE_CHECKING:
    from argmap.corrections import CorrectionsFile
    from argmap.model import ArgumentMap
    from argmap.reader import SourceDocument
    from argmap.scoring import Weights

__all__ = [
    "DEFAULT_EXTENSIONS",
    "DEFAULT_MAX_CHARS",
    "Item",
    "MapTask",
    "Mapped",
    "Outcome",
    "collect_inputs",
    "map_from_json",
    "map_items",
    "outcomes",
    "read_item",
    "text_warnings",
]

DEFAULT_EXTENSIONS = ("txt", "md", "markdown")
DEFAULT_MAX_CHARS = 500_000
"""About 80,000 words; analysing takes about 5 MB per 1,000 words on top of the model."""
MAP_CHARS_PER_TEXT_CHAR = 8
"""A saved map repeats its units' text with their reasons: a few times the text's
length, so ``--max-chars`` allows a saved map this many times as many characters."""
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_UNSAFE_NAME = re.compile(r"[^\w.-]+")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_HTML_TAGS_TO_WARN = 3


@dataclass(frozen=True)
class Item:
    """One input of a batch: a file, or one record of a JSON Lines file."""

    name: str
    """How messages name it: the path, or ``path:LINE`` for a JSON Lines record."""
    out: str
    """Its output's path relative to ``--output-dir``, without the suffix."""
    path: str
    """The file to read (``-`` is stdin)."""
    field: str | None = None
    """JSON Lines: the field that holds the text."""
    offset: int | None = None
    """JSON Lines: where the record's line starts in the file, in bytes."""
    text: str | None = None
    """JSON Lines read from stdin: the record's text (stdin cannot be read twice)."""
    problem: str | None = None
    """Why the input cannot be mapped, found while listing (a bad JSON line)."""

    @property
    def is_map(self) -> bool:
        """A saved map (argmap JSON, Argdown or AIF): re-rendered, not analysed."""
        from argmap.interchange import detect_format

        return self.field is None and detect_format(self.path, "") is not None

    @property
    def markdown(self) -> bool:
        """Read as Markdown by default (by the file's extension)."""
        return self.field is None and Path(self.path).suffix.lower() in _MARKDOWN_SUFFIXES


@dataclass(frozen=True)
class Outcome:
    """What became of one input: its product, or one error line; and any warnings."""

    item: Item
    data: bytes | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapTask:
    """How to read each input and what to make of its map.

    Subclasses say what to produce (``finish``); they must be plain, picklable
    data, because ``--jobs`` sends the task to worker processes.
    """

    markdown: bool | None = None
    model: str | None = None
    encoding: str | None = None
    max_chars: int | None = DEFAULT_MAX_CHARS
    corrections: CorrectionsFile | None = None
    """Hand corrections applied to every map before its product is made."""
    weights: Weights | None = None
    """The scorers to map with (None: ``$ARGMAP_WEIGHTS`` or the shipped ones). The
    model itself travels, not its path: the CLI reads and checks the file once,
    before the batch, and workers never read it again."""

    def finish(self, item: Item, m: ArgumentMap, text: str | None) -> bytes:
        """The product for one input (``text`` is None for a saved map)."""
        raise NotImplementedError


# --- listing inputs -----------------------------------------------------------------------


def _stem(path: str) -> str:
    """A file's name without its extension (both of ``map.aif.json``)."""
    name = Path(path).name
    return name[: -len(".aif.json")] if name.lower().endswith(".aif.json") else Path(path).stem


def collect_inputs(
    paths: Sequence[str],
    *,
    recursive: bool = False,
    extensions: Sequence[str] = DEFAULT_EXTENSIONS,
    jsonl: str | None = None,
) -> list[Item]:
    """List the inputs named by ``paths``: files, folders' files, or JSON Lines records.

    Never raises for one bad path: it becomes an Item with a ``problem``, so a
    batch reports it like any other failure.
    """
    suffixes = {"." + e.lower().lstrip(".") for e in extensions}
    items: list[Item] = []
    for path in paths:
        if jsonl is not None:
            items.extend(_jsonl_items(path, jsonl))
        elif path == "-":
            items.append(Item("<stdin>", "stdin", "-"))
        elif _is_dir(path):
            items.extend(_folder_items(Path(path), suffixes, recursive))
        else:
            items.append(Item(path, _stem(path), path))
    return items


def _is_dir(path: str) -> bool:
    """Whether ``path`` is a folder; a path that cannot be looked at is left to the reader."""
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def _folder_items(folder: Path, suffixes: set[str], recursive: bool) -> list[Item]:
    try:
        os.listdir(folder)  # rglob would take an unreadable folder for an empty one
        found = sorted(
            p
            for p in (folder.rglob("*") if recursive else folder.iterdir())
            if p.suffix.lower() in suffixes
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        )
    except OSError as exc:
        problem = f"{folder}: cannot read the folder ({exc.strerror or exc})"
        return [Item(str(folder), folder.name, str(folder), problem=problem)]
    if not found:
        kinds = ", ".join(sorted(suffixes))
        hint = "" if recursive else "; add --recursive to look in its subfolders"
        problem = f"{folder}: is a directory with no {kinds} files (choose others with --ext){hint}"
        return [Item(str(folder), folder.name, str(folder), problem=problem)]
    return [Item(str(p), p.relative_to(folder).with_suffix("").as_posix(), str(p)) for p in found]


def _jsonl_items(path: str, field: str) -> list[Item]:
    """One Item per non-blank line; its output is named by the record's ``id``, else by line."""
    name = "<stdin>" if path == "-" else path
    stem = "stdin" if path == "-" else _stem(path)
    from argmap.textfile import read_bytes

    try:
        data = read_bytes(path, limit=None)
    except InputError as exc:
        return [Item(name, stem, path, problem=str(exc))]
    items: list[Item] = []
    offset = 0
    for number, line in enumerate(data.splitlines(keepends=True), 1):
        here, offset = offset, offset + len(line)
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record, text = _parse_record(line, field, where)
        except InputError as exc:
            items.append(Item(where, f"{stem}-{number}", path, field, here, problem=str(exc)))
            continue
        record_id = record.get("id")
        out = _UNSAFE_NAME.sub("_", str(record_id)).strip("._") if record_id is not None else ""
        items.append(
            Item(
                where,
                out or f"{stem}-{number}",
                path,
                field,
                here,
                text if path == "-" else None,
            )
        )
    if not items:
        items.append(Item(name, stem, path, problem=f"{name}: no JSON Lines records"))
    return items


def _parse_record(line: bytes, field: str, where: str) -> tuple[dict[str, object], str]:
    from argmap.jsontext import parse_json

    record = parse_json(line, where, what="a valid JSON line")
    if not isinstance(record, dict):
        raise InputError(f"{where}: not a JSON object")
    if field not in record:
        fields = ", ".join(sorted(map(str, record))) or "none"
        raise InputError(f"{where}: no field {field!r} (fields: {fields}); choose one with --jsonl")
    if not isinstance(record[field], str):
        raise InputError(f"{where}: field {field!r} is not a string")
    text: str = record[field]
    return record, text


# --- reading and mapping ------------------------------------------------------------------


def read_item(item: Item, *, encoding: str | None, max_chars: int | None) -> str:
    """The text of an input (a saved map's JSON for ``.json`` files).

    Raises:
        InputError: the input cannot be read or is too long.
    """
    from argmap.textfile import read_path, too_long

    if item.problem is not None:
        raise InputError(item.problem)
    if item.field is None:
        limit = max_chars
        if item.is_map and max_chars is not None:
            limit = max_chars * MAP_CHARS_PER_TEXT_CHAR
        return read_path(item.path, encoding=encoding, max_chars=limit)
    text = item.text
    if text is None:
        assert item.offset is not None
        try:
            with open(item.path, "rb") as handle:
                handle.seek(item.offset)
                line = handle.readline()
        except OSError as exc:  # replaced or removed since it was listed
            raise InputError(f"{item.name}: cannot read ({exc.strerror or exc})") from None
        _, text = _parse_record(line, item.field, item.name)
    if max_chars is not None and len(text) > max_chars:
        raise InputError(too_long(item.name, f"{len(text):,} characters", max_chars))
    return text


def map_from_json(name: str, text: str) -> ArgumentMap:
    """A saved (perhaps hand-corrected) map; a bad one is an InputError that says where."""
    from pydantic import ValidationError

    from argmap.model import ArgumentMap

    try:
        return ArgumentMap.model_validate_json(text)
    except RecursionError:
        raise InputError(f"{name}: not a valid argmap JSON map (nested too deeply)") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise InputError(f"{name}: not a valid argmap JSON map ({where}: {first['msg']})") from exc


def text_warnings(name: str, text: str, *, markdown: bool) -> tuple[str, ...]:
    """Warnings about a text argmap will map, but probably not well.

    Not English (argmap's cues are English), or HTML markup in a text read as
    plain text (the tags would be read as words; Markdown skips HTML blocks).
    """
    from argmap.nlp import looks_english

    warnings: list[str] = []
    if not looks_english(text):
        warnings.append(
            f"{name}: this does not look like English; argmap reads English only, "
            "so expect a poor map"
        )
    if not markdown and len(_HTML_TAG.findall(text, 0, 100_000)) >= _HTML_TAGS_TO_WARN:
        warnings.append(
            f"{name}: contains HTML tags, read here as words; save the article as plain "
            "text, or pass --markdown to skip HTML blocks"
        )
    return tuple(warnings)


@dataclass(frozen=True)
class Mapped:
    """One input's map (or why there is none), its text, and its warnings."""

    item: Item
    map: ArgumentMap | None
    text: str | None
    """The source text; None for a saved map or an input that could not be read."""
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Failed:
    message: str


@dataclass(frozen=True)
class _Ready:
    map: ArgumentMap


def map_items(task: MapTask, items: Sequence[Item]) -> Iterator[Mapped]:
    """Read and map the inputs as one stream (spaCy batches across them), in order.

    Input errors become Mapped results with an ``error``; bugs raise.

    Raises:
        ModelError: the language model cannot be loaded.
    """
    from argmap.pipeline import analyze_stream

    context: deque[tuple[Item, str | None, tuple[str, ...]]] = deque()

    def sources() -> Iterator[SourceDocument | _Failed | _Ready]:
        for item in items:
            text, warnings, source = _read(task, item)
            context.append((item, text, warnings))
            yield source

    for result in analyze_stream(sources(), model=task.model, weights=task.weights):
        item, text, warnings = context.popleft()
        if isinstance(result, _Failed):
            yield Mapped(item, None, None, result.message, warnings)
        else:
            # analyze_stream hands back a map for each SourceDocument, other items as given
            m = result.map if isinstance(result, _Ready) else cast("ArgumentMap", result)
            yield Mapped(item, m, text, None, warnings)


def outcomes(task: MapTask, items: Sequence[Item]) -> Iterator[Outcome]:
    """Map the inputs and make each one's product: one Outcome per Item, in order.

    Input errors become failed Outcomes. An unexpected exception (a bug) is
    charged to the input being finished, and the stream starts again after it.

    Raises:
        ModelError: the language model cannot be loaded (every input would fail).
    """
    done = 0
    while done < len(items):
        try:
            for outcome in _finished(task, items[done:]):
                done += 1
                yield outcome
        except ModelError:
            raise
        except Exception as exc:  # a bug must not cost the other inputs their outputs
            item = items[done]
            done += 1
            reason = f"{type(exc).__name__}: {exc}"
            yield Outcome(item, error=f"{item.name}: internal error ({reason}); please report it")


def _finished(task: MapTask, items: Sequence[Item]) -> Iterator[Outcome]:
    for mapped in map_items(task, items):
        if mapped.map is None:
            yield Outcome(mapped.item, error=mapped.error, warnings=mapped.warnings)
            continue
        m, warnings = mapped.map, mapped.warnings
        try:
            if task.corrections is not None:
                from argmap.corrections import apply_corrections

                m, notes = apply_corrections(m, mapped.text, task.corrections)
                warnings = (*warnings, *(f"{mapped.item.name}: {note}" for note in notes))
            data = task.finish(mapped.item, m, mapped.text)
        except ArgmapError as exc:
            yield Outcome(mapped.item, error=str(exc), warnings=warnings)
        else:
            yield Outcome(mapped.item, data=data, warnings=warnings)


def _read(
    task: MapTask, item: Item
) -> tuple[str | None, tuple[str, ...], SourceDocument | _Failed | _Ready]:
    """Read one input: its text, its warnings, and what to hand the pipeline."""
    from argmap.pipeline import prepare_text

    try:
        text = read_item(item, encoding=task.encoding, max_chars=task.max_chars)
        if item.is_map or (item.path == "-" and item.field is None and text.lstrip()[:1] == "{"):
            from argmap.interchange import import_map

            return None, (), _Ready(import_map(item.path, text, name=item.name))
        markdown = task.markdown if task.markdown is not None else item.markdown
        try:
            source = prepare_text(text, markdown=markdown)
        except InputError as exc:
            raise InputError(f"{item.name}: {exc}") from exc
        return text, text_warnings(item.name, text, markdown=markdown), source
    except InputError as exc:
        return None, (), _Failed(str(exc))


def run_chunk(task: MapTask, items: Sequence[Item]) -> list[Outcome]:
    """A worker process's share of a batch (module level, so it can be pickled)."""
    return list(outcomes(task, items))


Sink = Callable[[Outcome], str | None]
"""Takes one successful Outcome (writes it, collects it); returns an error message or None."""
