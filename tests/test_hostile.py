"""A corpus of hostile files through every command: no traceback, ever.

Issue "Never lose a draft, never hang, never a traceback", point 3. The corpus
is made here, in a temporary folder: empty, binary and badly encoded texts,
deeply nested Markdown, HTML pages; saved maps (argmap JSON, Argdown, AIF)
that are malformed, truncated, deeply nested, with 5,000-digit numbers, wrong
types, unknown ids, cycles and lone surrogates; corrections YAML, settings
TOML and eval gold files broken the same ways; and file-system traps (a
folder, a FIFO, a symlink loop, an unreadable folder). Each goes through
every command that reads that kind of file. Every run must end with an
expected exit code (0; 1 only for findings and batch summaries; 2 for a
refusal), one ``error:`` line per failing input and none otherwise, no
traceback, its input unchanged and no temporary file left. The last tests run
real processes: stdin, Ctrl-C and ``kill -9`` during a ``--jobs 2`` batch.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import click
import pytest
from click.testing import CliRunner, Result
from typer.main import get_command

from argmap.cli import app

runner = CliRunner()
CLI = cast("click.Command", get_command(app))
"""The command, built once: typer's own runner rebuilds it on every call (~13 ms of the
~14 each run takes here). Typer's vendored click commands run under click's runner alike."""

GOOD = "Our club should open on Sundays, because members want more time to play.\n"
PIECE = (
    "Our club should open its courts on Sundays.\n\n"
    "Members want more time to play, and the hall stands empty that day. "
    "Some say the staff need a rest, but volunteers have offered to help.\n"
)
BIG = "7" * 5_000
HTML = (
    "<!DOCTYPE html>\n<html><head><title>Club news</title></head>\n"
    f"<body><nav>Home</nav><p>{GOOD}</p><footer>Contact</footer></body></html>\n"
)

REFUSED, MAPPED, EITHER = "refused", "mapped", "either"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _nested_list(depth: int) -> str:
    return "".join(f"{'  ' * i}- We should act, because level {i} matters.\n" for i in range(depth))


# --- the corpus ------------------------------------------------------------------------------

TEXTS: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", REFUSED),
    "blank.txt": (b" \n\t\r\n  \n", REFUSED),
    "binary.txt": (bytes(range(256)) * 8, REFUSED),
    "nul.txt": (b"Our club\x00 should open on Sundays.\n", REFUSED),
    "latin1.txt": (b"Our caf\xe9 should open on Sundays.\n", REFUSED),
    "surrogate-bytes.txt": (GOOD.encode() + b"\xed\xa0\x80\n", REFUSED),
    "utf16-bom.txt": (GOOD.encode("utf-16"), MAPPED),
    "utf16le.txt": (GOOD.encode("utf-16-le"), REFUSED),
    "utf16be.txt": (GOOD.encode("utf-16-be"), REFUSED),
    "utf32-bom.txt": (GOOD.encode("utf-32"), MAPPED),
    "utf32le.txt": (GOOD.encode("utf-32-le"), REFUSED),
    "utf16-bom-nul.txt": (("\x00" + GOOD).encode("utf-16"), MAPPED),
    "huge-line.txt": (("members want more time to play, " * 400).encode(), MAPPED),
    "huge-word.txt": (b"x" * 100_000, MAPPED),
    "deep-list.md": (_nested_list(300).encode(), MAPPED),
    "deep-quote.md": (("> " * 1_000 + GOOD).encode(), MAPPED),
    "deep-brackets.md": (("[" * 1_000 + GOOD + "]" * 1_000).encode(), MAPPED),
    "deep-links.md": (("[a](" * 400 + GOOD + ")" * 400).encode(), MAPPED),
    "deep-emphasis.md": (("*" * 3_000 + GOOD.strip() + "*" * 3_000 + "\n").encode(), MAPPED),
    "deep-underscores.md": (("_" * 3_000 + GOOD.strip() + "_" * 3_000 + "\n").encode(), MAPPED),
    "deep-parens.txt": (("(" * 1_000 + GOOD + ")" * 1_000).encode(), MAPPED),
    "page.html": (HTML.encode(), REFUSED),
    "page.txt": (HTML.encode(), REFUSED),
    "page.md": (HTML.encode(), REFUSED),
}

MAP = {
    "thesis": "u1",
    "units": [
        {"id": "u1", "role": "thesis", "text": "Our club should open on Sundays.",
         "start": 0, "end": 32, "line": 1, "confidence": 0.9},
        {"id": "u2", "role": "premise", "text": "Members want more time to play.",
         "start": 33, "end": 64, "line": 1, "confidence": 0.8},
    ],
    "relations": [{"source": "u2", "target": "u1", "kind": "support", "confidence": 0.7}],
}  # fmt: skip
MAP_JSON = json.dumps(MAP)
MAP_RELATIONS = [{"source": "u2", "target": "u1", "kind": "support", "confidence": 0.7}]
BACK_RELATION = {"source": "u1", "target": "u2", "kind": "support", "confidence": 0.5}
AIF_NODES: list[object] = [
    {"nodeID": "1", "text": "Our club should open on Sundays.", "type": "I"},
    {"nodeID": "2", "text": "Members want more time to play.", "type": "I"},
    {"nodeID": "3", "text": "Default Inference", "type": "RA"},
]
AIF_EDGES: list[object] = [
    {"edgeID": "1", "fromID": "2", "toID": "3", "formEdgeID": None},
    {"edgeID": "2", "fromID": "3", "toID": "1", "formEdgeID": None},
]
AIF = {"nodes": AIF_NODES, "edges": AIF_EDGES, "locutions": []}
AIF_JSON = json.dumps(AIF)
ARGDOWN = "[Open]: Our club should open on Sundays.\n  + <Time>: Members want more time to play.\n"


def _map_with(**changes: object) -> bytes:
    return json.dumps({**MAP, **changes}).encode()


def _aif_with(nodes: list[object], edges: list[object] | None = None) -> bytes:
    return json.dumps({"nodes": nodes, "edges": AIF_EDGES if edges is None else edges}).encode()


def _i_node(node_id: object, text: str = "We should act.") -> dict[str, object]:
    return {"nodeID": node_id, "text": text, "type": "I"}


MAPS: dict[str, tuple[bytes, str]] = {
    "map-good.json": (MAP_JSON.encode(), MAPPED),
    "map-empty.json": (b"", REFUSED),
    "map-null.json": (b"null", REFUSED),
    "map-list.json": (b"[1, 2, 3]", REFUSED),
    "map-malformed.json": (b'{"units": [}', REFUSED),
    "map-truncated.json": (MAP_JSON[: len(MAP_JSON) // 2].encode(), REFUSED),
    "map-deep.json": (b'{"units": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", REFUSED),
    "map-deep-object.json": (b'{"x": ' + b'{"a": ' * 20_000 + b"1" + b"}" * 20_001, REFUSED),
    "map-bignum.json": (MAP_JSON.replace('"start": 0', f'"start": {BIG}', 1).encode(), REFUSED),
    "map-bignum-confidence.json": (
        MAP_JSON.replace('"confidence": 0.9', f'"confidence": 0.{BIG}', 1).encode(),
        MAPPED,
    ),
    "map-wrong-types.json": (_map_with(units="many", relations=3), REFUSED),
    "map-wrong-unit.json": (_map_with(units=[1, None, "u1"]), REFUSED),
    "map-unknown-ids.json": (
        _map_with(
            relations=[{"source": "u2", "target": "u9", "kind": "support", "confidence": 0.5}]
        ),
        REFUSED,
    ),
    "map-unknown-thesis.json": (_map_with(thesis="u9"), REFUSED),
    "map-cycle.json": (_map_with(relations=[*MAP_RELATIONS, BACK_RELATION]), MAPPED),
    "map-surrogate.json": (MAP_JSON.replace('"Our', '"\\ud800Our', 1).encode(), REFUSED),
    "map-nan.json": (MAP_JSON.replace("0.9", "NaN", 1).encode(), REFUSED),
    "aif-good.aif.json": (AIF_JSON.encode(), MAPPED),
    "aif-empty.aif.json": (b"", REFUSED),
    "aif-malformed.aif.json": (b'{"nodes": [{"nodeID": }', REFUSED),
    "aif-truncated.aif.json": (AIF_JSON[: len(AIF_JSON) // 2].encode(), REFUSED),
    "aif-deep.aif.json": (b'{"nodes": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", REFUSED),
    "aif-bignum-id.aif.json": (
        f'{{"nodes": [{{"nodeID": {BIG}, "text": "x", "type": "I"}}], "edges": []}}'.encode(),
        REFUSED,
    ),
    "aif-bignum-string-id.aif.json": (_aif_with([_i_node(BIG), _i_node("2")], []), MAPPED),
    "aif-wrong-types.aif.json": (b'{"nodes": [1, "x", null], "edges": {}}', REFUSED),
    "aif-no-nodes.aif.json": (b'{"edges": []}', REFUSED),
    "aif-odd-fields.aif.json": (
        _aif_with([{"nodeID": [1], "text": {"a": 1}, "type": ["I"]}, _i_node(None)]),
        MAPPED,
    ),
    "aif-unknown-ids.aif.json": (
        _aif_with(AIF_NODES, [{"edgeID": "1", "fromID": "8", "toID": "9"}]),
        MAPPED,
    ),
    "aif-cycle.aif.json": (
        _aif_with(
            [
                _i_node("1"),
                _i_node("2", "It helps."),
                {"nodeID": "3", "type": "RA"},
                {"nodeID": "4", "type": "RA"},
            ],
            [
                {"fromID": "1", "toID": "3"},
                {"fromID": "3", "toID": "2"},
                {"fromID": "2", "toID": "4"},
                {"fromID": "4", "toID": "1"},
            ],
        ),
        MAPPED,
    ),
    "aif-surrogate.aif.json": (_aif_with([_i_node("1", "We \ud800 act.")], []), REFUSED),
    "ad-good.argdown": (ARGDOWN.encode(), MAPPED),
    "ad-empty.argdown": (b"", MAPPED),
    "ad-binary.argdown": (bytes(range(256)), REFUSED),
    "ad-premise-conclusion.argdown": (b"(1) We should act.\n----\n(2) So we act.\n", REFUSED),
    "ad-orphan.argdown": (b"  + [a]: It helps.\n", REFUSED),
    "ad-deep-indent.argdown": (
        (
            "[a]: We act.\n" + "".join(f"{' ' * (i + 1)}+ [b{i}]: Level {i}.\n" for i in range(400))
        ).encode(),
        MAPPED,
    ),
    "ad-deep-data.argdown": (
        ("[a]: We act. {id: " + "[" * 600 + "]" * 600 + "}\n  + [b]: It helps.\n").encode(),
        MAPPED,
    ),
    "ad-bignum-data.argdown": (
        f"[a]: We act. {{id: {BIG}}}\n  + [b]: It helps.\n".encode(),
        MAPPED,
    ),
    "ad-bad-data.argdown": (b"[a]: We act. {id: [unclosed}\n  + [b]: It helps.\n", MAPPED),
    "ad-cycle.argdown": (b"[a]: We act.\n  + [b]: It helps.\n    + [a]\n", MAPPED),
    "ad-brackets.argdown": (b"[" * 5_000 + b"\n", MAPPED),
}

FS_INPUTS: dict[str, str] = {
    "folder.txt": "a directory where a file is expected",
    "fifo.txt": "a FIFO",
    "loop.txt": "a symbolic link to itself",
    "missing.txt": "no such file",
}

BOMB = (
    "a: &a ["
    + ", ".join(["lol"] * 9)
    + "]\n"
    + "".join(
        f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
)
FIXES: dict[str, tuple[bytes, str]] = {
    "fixes-empty.yaml": (b"", MAPPED),
    "fixes-null.yaml": (b"~\n", MAPPED),
    "fixes-malformed.yaml": (b"corrections: [unit: \n  - : :\n\t- x", REFUSED),
    "fixes-tabs.yaml": (b"corrections:\n\t- unit: Sundays\n", REFUSED),
    "fixes-deep-lists.yaml": (b"[" * 1_000 + b"]" * 1_000, REFUSED),
    "fixes-deep-maps.yaml": (b"{a: " * 1_000 + b"1" + b"}" * 1_000, REFUSED),
    "fixes-bomb.yaml": ((BOMB + "corrections: *i\n").encode(), REFUSED),
    "fixes-bomb-aside.yaml": ((BOMB + "corrections: []\n").encode(), REFUSED),
    "fixes-wrong-types.yaml": (b"corrections: 5\n", REFUSED),
    "fixes-wrong-entry.yaml": (b"corrections:\n  - unit: [1, 2]\n    role: king\n", REFUSED),
    "fixes-bignum.yaml": (f"corrections:\n  - unit: Sundays\n    role: {BIG}\n".encode(), REFUSED),
    "fixes-bignum-version.yaml": (f"version: {BIG}\ncorrections: []\n".encode(), REFUSED),
    "fixes-binary.yaml": (bytes(range(256)), REFUSED),
    "fixes-latin1.yaml": (b"corrections:\n  - unit: caf\xe9\n    drop: true\n", REFUSED),
    "fixes-utf16le.yaml": ("corrections: []\n".encode("utf-16-le"), REFUSED),
    "fixes-python-tag.yaml": (b"corrections: !!python/object/apply:os.getcwd []\n", REFUSED),
    "fixes-surrogate.yaml": (b'corrections:\n  - unit: "\\ud800"\n    drop: true\n', REFUSED),
    "fixes-no-match.yaml": (b"corrections:\n  - unit: nothing like this\n    drop: true\n", MAPPED),
}

SETTINGS: dict[str, tuple[bytes, str]] = {
    "empty.toml": (b"", MAPPED),
    "malformed.toml": (b"select = [\n", REFUSED),
    "deep-arrays.toml": (b"x = " + b"[" * 5_000 + b"]" * 5_000 + b"\n", REFUSED),
    "deep-tables.toml": (b"x = " + b"{a = " * 3_000 + b"1" + b"}" * 3_000 + b"\n", REFUSED),
    "bignum.toml": (f"x = {BIG}\n".encode(), REFUSED),
    "bad-date.toml": (b"x = 1979-05-27T07:32:00+25:00\n", REFUSED),
    "wrong-select.toml": (b"select = 3\n", REFUSED),
    "wrong-severity.toml": (b'severity = { AM402 = "fatal" }\n', REFUSED),
    "wrong-fail-on.toml": (b"fail-on = [1]\n", REFUSED),
    "surrogate.toml": (b'select = ["\\ud800"]\n', REFUSED),
    "binary.toml": (bytes(range(256)), REFUSED),
    "latin1.toml": (b'select = ["caf\xe9"]\n', REFUSED),
    "utf16le.toml": ('select = ["ALL"]\n'.encode("utf-16-le"), REFUSED),
}

WEIGHTS: dict[str, tuple[bytes, str]] = {
    "weights-malformed.json": (b'{"scorers": ', REFUSED),
    "weights-deep.json": (b"[" * 50_000 + b"]" * 50_000, REFUSED),
    "weights-bignum.json": (f'{{"feature_version": {BIG}}}'.encode(), REFUSED),
    "weights-wrong-types.json": (b'{"scorers": 5}', REFUSED),
    "weights-binary.json": (bytes(range(256)), REFUSED),
}


def _gold_record(
    text: str = "Our club should open on Sundays. Members want more time to play.",
    **changes: object,
) -> dict[str, object]:
    first, _, second = text.partition(". ")
    first += "."
    start = len(first) + 1
    record: dict[str, object] = {
        "id": "g1",
        "text": text,
        "adus": [
            {"id": "a1", "text": first, "start": 0, "end": len(first), "role": "proponent"},
            {"id": "a2", "text": second, "start": start, "end": len(text), "role": "proponent"},
        ],
        "central_claim": "a1",
        "tree": [{"src": "a2", "trg": "a1", "type": "sup", "function": "support"}],
    }
    return {**record, **changes}  # fmt: skip


GOLD_JSON = json.dumps(_gold_record())
GOLD: dict[str, tuple[bytes, str]] = {
    "gold-good.jsonl": ((GOLD_JSON + "\n").encode(), MAPPED),
    "gold-bom.jsonl": (b"\xef\xbb\xbf" + GOLD_JSON.encode() + b"\n", MAPPED),
    "gold-empty.jsonl": (b"", REFUSED),
    "gold-blank.jsonl": (b"\n \n\t\n", REFUSED),
    "gold-binary.jsonl": (bytes(range(256)) * 4, REFUSED),
    "gold-latin1.jsonl": (GOLD_JSON.replace("club", "caf\u00e9").encode("latin-1"), REFUSED),
    "gold-utf16le.jsonl": (GOLD_JSON.encode("utf-16-le"), REFUSED),
    "gold-malformed.jsonl": (b'{"id": ', REFUSED),
    "gold-truncated.jsonl": (GOLD_JSON[: len(GOLD_JSON) // 2].encode(), REFUSED),
    "gold-deep.jsonl": (b"[" * 100_000 + b"]" * 100_000 + b"\n", REFUSED),
    "gold-deep-object.jsonl": (b'{"adus": ' + b'{"a": ' * 20_000 + b"1" + b"}" * 20_001, REFUSED),
    "gold-bignum.jsonl": (GOLD_JSON.replace('"start": 0', f'"start": {BIG}', 1).encode(), REFUSED),
    "gold-bignum-float.jsonl": (
        GOLD_JSON.replace('"start": 0', '"start": 1e999', 1).encode(),
        REFUSED,
    ),
    "gold-nan.jsonl": (GOLD_JSON.replace('"start": 0', '"start": NaN', 1).encode(), REFUSED),
    "gold-list.jsonl": (b"[1, 2]\n", REFUSED),
    "gold-null.jsonl": (b"null\n", REFUSED),
    "gold-wrong-types.jsonl": (b'{"id": 5, "adus": 5, "text": []}\n', REFUSED),
    "gold-unknown-ids.jsonl": (
        json.dumps(
            _gold_record(tree=[{"src": "a2", "trg": "a9", "type": "sup", "function": "support"}])
        ).encode(),
        REFUSED,
    ),
    "gold-cycle.jsonl": (
        json.dumps(
            _gold_record(
                "We act. It helps. It works.",
                adus=[
                    {
                        "id": f"a{i + 1}",
                        "text": t,
                        "start": s,
                        "end": s + len(t),
                        "role": "proponent",
                    }
                    for i, (t, s) in enumerate(
                        [("We act.", 0), ("It helps.", 8), ("It works.", 18)]
                    )
                ],
                tree=[
                    {"src": "a2", "trg": "a3", "type": "sup", "function": "support"},
                    {"src": "a3", "trg": "a2", "type": "sup", "function": "support"},
                ],
            )
        ).encode(),
        REFUSED,
    ),
    "gold-surrogate.jsonl": (
        json.dumps(_gold_record("We \ud800 act. It helps.")).encode(),
        REFUSED,
    ),
    "gold-surrogate-id.jsonl": (json.dumps(_gold_record(id="g\udc00")).encode(), REFUSED),
    "gold-repeated-id.jsonl": (f"{GOLD_JSON}\n{GOLD_JSON}\n".encode(), REFUSED),
}


# --- building the corpus --------------------------------------------------------------------


def _make_fs_inputs(folder: Path) -> None:
    (folder / "folder.txt").mkdir()
    os.mkfifo(folder / "fifo.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every hostile file, plus a good draft and good corrections to pair them with."""
    folder = tmp_path_factory.mktemp("hostile")
    for table in (TEXTS, MAPS, FIXES, SETTINGS, WEIGHTS, GOLD):
        for name, (data, _) in table.items():
            (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(GOOD)
    (folder / "piece.md").write_text(PIECE)
    (folder / "good.yaml").write_text("corrections: []\n")
    _make_fs_inputs(folder)
    return folder


def _snapshot(folder: Path, read: str | None = None) -> dict[str, object]:
    """Every file of ``folder`` by size and modification time; the one ``read`` by its bytes."""
    return {
        p.name: p.read_bytes() if p.name == read else (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.iterdir()
        if p.is_file() and not p.is_symlink()
    }


@dataclass(frozen=True)
class Command:
    """One way to run a hostile file: the argv, the codes when it is read, what it writes."""

    name: str
    argv: Callable[[str, Path, Path], list[str]]
    """(the hostile file, the corpus folder, a fresh work folder) -> argv."""
    ok: frozenset[int]
    output: str | None = None
    """A file the run writes in the work folder: present after 0, absent after 2."""
    needs_dot: bool = False
    located: str | None = None
    """The name an error line must give (default: the hostile file's)."""


def _codes(*codes: int) -> frozenset[int]:
    return frozenset(codes)


TEXT_COMMANDS = [
    Command("analyze", lambda p, c, w: ["analyze", p, "-o", f"{w}/out.json"], _codes(0),
            "out.json"),
    Command("render-dot", lambda p, c, w: ["render", p, "-f", "dot", "-o", f"{w}/out.dot"],
            _codes(0), "out.dot"),
    Command("render-svg", lambda p, c, w: ["render", p, "-o", f"{w}/out.svg"], _codes(0),
            "out.svg", needs_dot=True),
    Command("check", lambda p, c, w: ["check", p], _codes(0, 1)),
    Command("diff", lambda p, c, w: ["diff", f"{c}/good.txt", p], _codes(0)),
    Command("stats", lambda p, c, w: ["stats", p, "-o", f"{w}/stats.csv"], _codes(0),
            "stats.csv"),
    Command("corrections-init",
            lambda p, c, w: ["corrections", "init", p, "-o", f"{w}/fixes.yaml"], _codes(0),
            "fixes.yaml"),
    Command("corrections-check", lambda p, c, w: ["corrections", "check", p, f"{c}/good.yaml"],
            _codes(0, 1)),
]  # fmt: skip
FIXES_COMMANDS = [
    Command("analyze", lambda p, c, w: ["analyze", f"{c}/piece.md", "--corrections", p,
                                        "-o", f"{w}/out.json"], _codes(0), "out.json"),
    Command("render-dot", lambda p, c, w: ["render", f"{c}/piece.md", "--corrections", p,
                                           "-f", "dot", "-o", f"{w}/out.dot"], _codes(0),
            "out.dot"),
    Command("corrections-check", lambda p, c, w: ["corrections", "check", f"{c}/piece.md", p],
            _codes(0, 1)),
]  # fmt: skip


def _in_folder(name: str) -> Callable[[str, Path, Path], list[str]]:
    """``check`` on a draft whose folder holds the settings file as ``name``."""

    def argv(p: str, c: Path, w: Path) -> list[str]:
        data = Path(p).read_bytes() if Path(p).is_file() else b""
        prefix = b"[tool.argmap]\n" if name == "pyproject.toml" else b""
        (w / name).write_bytes(prefix + data)
        shutil.copy(c / "piece.md", w / "piece.md")
        return ["check", f"{w}/piece.md"]

    return argv


SETTINGS_COMMANDS = [
    Command("check-config", lambda p, c, w: ["check", f"{c}/piece.md", "--config", p],
            _codes(0, 1)),
    Command("check-nearest", _in_folder(".argmap.toml"), _codes(0, 1),
            located=".argmap.toml"),
    Command("check-pyproject", _in_folder("pyproject.toml"), _codes(0, 1),
            located="pyproject.toml"),
    Command("diff-config",
            lambda p, c, w: ["diff", f"{c}/good.txt", f"{c}/piece.md", "--config", p],
            _codes(0)),
]  # fmt: skip
WEIGHTS_COMMANDS = [
    Command("analyze", lambda p, c, w: ["analyze", f"{c}/good.txt", "--weights", p,
                                        "-o", f"{w}/out.json"], _codes(0), "out.json"),
    Command("stats", lambda p, c, w: ["stats", f"{c}/good.txt", "--weights", p], _codes(0)),
]  # fmt: skip
GOLD_COMMANDS = [
    Command("eval", lambda p, c, w: ["eval", p, "--gold-segments", "-q"], _codes(0)),
    Command("eval-published", lambda p, c, w: ["eval", p, "--published", "-q"], _codes(0)),
    Command("train", lambda p, c, w: ["train", p, "-o", f"{w}/weights.json"], _codes(0, 2),
            "weights.json"),
    Command("eval-crossval", lambda p, c, w: ["eval", p, "--crossval", "--no-cache", "-q"],
            _codes(0, 2)),
]  # fmt: skip


def _cases(tables: list[dict[str, tuple[bytes, str]]], commands: list[Command]) -> list[object]:
    rows: dict[str, str] = {name: how for t in tables for name, (_, how) in t.items()}
    rows.update(dict.fromkeys(FS_INPUTS, REFUSED))
    return [
        pytest.param(
            name, how, command,
            id=f"{command.name}-{name}",
            marks=[pytest.mark.needs_dot] if command.needs_dot else [],
        )
        for name, how in rows.items()
        for command in commands
    ]  # fmt: skip


def _expected(how: str, command: Command) -> frozenset[int]:
    if how == REFUSED:
        return _codes(2)
    if how == MAPPED:
        return command.ok
    return command.ok | {2}


def _assert_clean(result: Result, codes: frozenset[int], *, failing: int | None = 1) -> list[str]:
    """The run ended as expected, in one ``error:`` line per failing input, never a traceback.

    ``failing``: how many inputs fail when the exit code is 2 (None: the caller
    counts). Returns the ``error:`` lines.
    """
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in codes, (result.exit_code, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    if failing is not None and result.exit_code == 2:
        assert len(errors) == failing, result.stderr
    elif failing is not None and result.exit_code == 0:
        assert errors == [], result.stderr
    return errors


@contextmanager
def _unblocking(fifo: Path, *, after: float = 5.0) -> Iterator[list[str]]:
    """Fail, rather than hang, when a run waits on ``fifo`` for a writer.

    After ``after`` seconds a thread opens the FIFO for writing, which only
    succeeds while a reader is blocked in it, and closes it again so that the
    reader sees the end of the file. The list it yields names what happened.
    """
    blocked: list[str] = []
    done = threading.Event()

    def watch() -> None:
        if done.wait(after):
            return
        while not done.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                done.wait(0.1)
                continue
            blocked.append(f"a reader waited on {fifo.name}")
            os.close(fd)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield blocked
    finally:
        done.set()
        thread.join()


def _run_case(name: str, how: str, command: Command, corpus: Path, work: Path) -> None:
    before = _snapshot(corpus, read=name)
    target = str(corpus / name)
    with _unblocking(corpus / "fifo.txt") as blocked:
        result = runner.invoke(CLI, command.argv(target, corpus, work))
    assert blocked == []
    codes = _expected(how, command)
    errors = _assert_clean(result, codes)
    if result.exit_code == 2:
        located = command.located or name
        assert any(located in line for line in errors), (located, errors)
    if command.output is not None and result.exit_code in (0, 2):
        assert (work / command.output).exists() == (result.exit_code == 0), result.stderr
    assert _snapshot(corpus, read=name) == before
    leftovers = [p for folder in (corpus, work) for p in folder.glob(".*.tmp")]
    assert leftovers == []


@pytest.mark.parametrize(("name", "how", "command"), _cases([TEXTS, MAPS], TEXT_COMMANDS))
def test_texts_and_maps_through_every_command(
    name: str, how: str, command: Command, corpus: Path, tmp_path: Path
) -> None:
    _run_case(name, how, command, corpus, tmp_path)


@pytest.mark.parametrize(("name", "how", "command"), _cases([FIXES], FIXES_COMMANDS))
def test_corrections_files(
    name: str, how: str, command: Command, corpus: Path, tmp_path: Path
) -> None:
    _run_case(name, how, command, corpus, tmp_path)


@pytest.mark.parametrize(("name", "how", "command"), _cases([SETTINGS], SETTINGS_COMMANDS))
def test_settings_files(
    name: str, how: str, command: Command, corpus: Path, tmp_path: Path
) -> None:
    if command.name != "check-config" and name in FS_INPUTS:
        pytest.skip("a settings file found by its name is a regular file")
    _run_case(name, how, command, corpus, tmp_path)


@pytest.mark.parametrize(("name", "how", "command"), _cases([WEIGHTS], WEIGHTS_COMMANDS))
def test_weights_files(name: str, how: str, command: Command, corpus: Path, tmp_path: Path) -> None:
    _run_case(name, how, command, corpus, tmp_path)


@pytest.mark.parametrize(("name", "how", "command"), _cases([GOLD], GOLD_COMMANDS))
def test_gold_files(name: str, how: str, command: Command, corpus: Path, tmp_path: Path) -> None:
    if command.name in ("train", "eval-crossval"):
        pytest.importorskip("sklearn")
    _run_case(name, how, command, corpus, tmp_path)


def test_schema_runs_anywhere() -> None:
    result = runner.invoke(CLI, ["schema"])
    _assert_clean(result, _codes(0))
    assert json.loads(result.stdout)


# --- file-system traps that need a hand: unreadable files and folders ------------------------


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Permission denied on opening or listing ``denied`` (simulated: tests may run as root)."""
    real_open, real_listdir, real_scandir = os.open, os.listdir, os.scandir

    def check(path: object) -> None:
        if isinstance(path, str | os.PathLike) and Path(path) == denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def opener(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        check(path)
        return real_open(path, flags, *args, **kwargs)

    def listdir(path: str | os.PathLike[str] = ".") -> list[str]:
        check(path)
        return real_listdir(path)

    def scandir(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        check(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "open", opener)
    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize(
    "argv",
    [
        ["analyze", "{dir}", "-o", "{out}/map.json"],
        ["analyze", "{dir}", "-r", "--output-dir", "{out}"],
        ["render", "{dir}", "-f", "dot", "--output-dir", "{out}"],
        ["stats", "{dir}", "-o", "{out}/stats.csv"],
        ["stats", "{dir}", "-r"],
        ["check", "{dir}"],
    ],
    ids=lambda argv: "-".join(a for a in argv if not a.startswith("{")),
)
def test_an_unreadable_folder_is_one_error_line(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = tmp_path / "drafts", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    (folder / "a.md").write_text(GOOD)
    _deny(monkeypatch, folder)
    result = runner.invoke(CLI, [a.format(dir=folder, out=out) for a in argv])
    monkeypatch.undo()
    batch = "--output-dir" in argv  # a batch whose one input failed: its summary, exit 1
    (error,) = _assert_clean(result, _codes(1) if batch else _codes(2))
    assert "drafts" in error and "Permission denied" in error, error
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "denied"),
    [
        (["eval", "{file}", "--gold-segments"], "gold.jsonl"),
        (["analyze", "{draft}", "--corrections", "{file}"], "fixes.yaml"),
        (["corrections", "check", "{draft}", "{file}"], "fixes.yaml"),
        (["check", "{draft}", "--config", "{file}"], "settings.toml"),
        (["analyze", "{draft}", "--weights", "{file}"], "weights.json"),
    ],
    ids=lambda value: value if isinstance(value, str) else value[0],
)
def test_unreadable_side_files_are_one_error_line(
    argv: list[str], denied: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft, side = tmp_path / "draft.md", tmp_path / denied
    draft.write_text(GOOD)
    side.write_text("{}\n")
    _deny(monkeypatch, side)
    result = runner.invoke(CLI, [a.format(draft=draft, file=side) for a in argv])
    monkeypatch.undo()
    (error,) = _assert_clean(result, _codes(2))
    assert denied in error and "Permission denied" in error, error


def test_a_folder_with_a_symlink_loop_maps_the_rest(tmp_path: Path) -> None:
    folder, out = tmp_path / "drafts", tmp_path / "out"
    (folder / "sub").mkdir(parents=True)
    out.mkdir()
    (folder / "a.md").write_text(GOOD)
    (folder / "sub" / "b.md").write_text(PIECE)
    (folder / "sub" / "up").symlink_to(folder)  # a folder loop
    (folder / "self.md").symlink_to(folder / "self.md")  # a file loop
    result = runner.invoke(CLI, ["analyze", str(folder), "-r", "--output-dir", str(out), "-q"])
    _assert_clean(result, _codes(0))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == [
        "a.json",
        "sub/b.json",
    ]


# --- batches: one error line per failing input, a summary, every other output written ---------


def _batch_folder(root: Path) -> tuple[Path, list[str], list[str]]:
    """The refused and the mapped texts and maps in one folder (numbered: no two share a stem)."""
    folder = root / "batch"
    folder.mkdir()
    refused: list[str] = []
    mapped: list[str] = []
    rows = [(n, d, how) for table in (TEXTS, MAPS) for n, (d, how) in table.items()]
    for i, (name, data, how) in enumerate(rows):
        if how == EITHER:
            continue
        numbered = f"{i:02d}-{name}"
        (folder / numbered).write_bytes(data)
        (refused if how == REFUSED else mapped).append(numbered)
    return folder, refused, mapped


EXTENSIONS = ["--ext", "txt", "--ext", "md", "--ext", "html", "--ext", "json", "--ext", "argdown"]


@pytest.mark.parametrize("command", ["analyze", "render", "stats", "check"])
def test_a_batch_of_hostile_files(command: str, tmp_path: Path) -> None:
    folder, refused, mapped = _batch_folder(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    out = tmp_path / "out"
    out.mkdir()
    if command == "check":
        argv = ["check", *(str(folder / name) for name in refused + mapped)]
    elif command == "stats":
        argv = ["stats", str(folder), *EXTENSIONS, "-o", str(out / "stats.csv")]
    else:
        argv = [command, str(folder), *EXTENSIONS, "--output-dir", str(out), "-f", "dot"]
    result = runner.invoke(CLI, argv)
    errors = _assert_clean(result, _codes(2) if command == "check" else _codes(1), failing=None)
    failed = sorted(name for name in refused if any(name in line for line in errors))
    assert failed == sorted(refused) and len(errors) == len(refused), errors
    if command != "check":
        summary = result.stderr.splitlines()[-1]
        assert summary.startswith(f"{len(mapped)} mapped, {len(refused)} failed: "), summary
    if command in ("analyze", "render"):
        made = sorted(p.stem for p in out.iterdir())
        assert made == sorted(Path(name).stem for name in mapped)
    if command == "stats":
        rows = (out / "stats.csv").read_text().splitlines()
        assert len(rows) == 1 + len(mapped)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert list(tmp_path.rglob(".*.tmp")) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", 2),
        (bytes(range(256)), 2),
        (b"Caf\xe9 owners agree.\n", 2),
        ("We should act.\n".encode("utf-16-le"), 2),
        (b'{"units": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 2),
        (b'{"nodes": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 2),
        (f'{{"nodes": [{{"nodeID": {BIG}}}], "edges": []}}'.encode(), 2),
        (MAP_JSON.replace('"Our', '"\\ud800Our', 1).encode(), 2),
        (_aif_with([_i_node("1", "We \ud800 act.")], []), 2),
        (b"{ not json at all", 2),
        (AIF_JSON.encode(), 0),
        (GOOD.encode("utf-16"), 0),
    ],
    ids=lambda value: str(value)[:12] if isinstance(value, bytes) else str(value),
)
def test_hostile_stdin(data: bytes, code: int) -> None:
    for argv in (["analyze", "-", "-f", "outline"], ["check", "-"], ["stats", "-"]):
        result = runner.invoke(CLI, argv, input=data)
        codes = _codes(0, 1) if code == 0 and argv[0] == "check" else _codes(code)
        errors = _assert_clean(result, codes)
        if result.exit_code == 2:
            assert "<stdin>" in errors[0], errors


# --- real processes: streams, Ctrl-C and kill -9 during a batch with workers -----------------


def _argmap(*args: str) -> list[str]:
    return [sys.executable, "-m", "argmap", *args]


@pytest.mark.parametrize(
    ("stdin", "argv"),
    [
        (bytes(range(256)), ["analyze", "-"]),
        (b'{"nodes": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", ["render", "-", "-f", "dot"]),
        (f'{{"nodes": [{{"nodeID": {BIG}}}], "edges": []}}'.encode(), ["check", "-"]),
        (None, ["analyze", "-"]),
    ],
    ids=["binary", "deep-json", "bignum-aif", "closed-stdin"],
)
def test_real_stdin_is_one_error_line(stdin: bytes | None, argv: list[str]) -> None:
    command = _argmap(*argv)
    if stdin is None:  # no standard input at all
        code = f"import os, runpy, sys; os.close(0); sys.argv = {['argmap', *argv]!r}; "
        command = [sys.executable, "-c", code + "runpy.run_module('argmap', run_name='__main__')"]
    proc = subprocess.run(command, input=stdin, capture_output=True, timeout=120, check=False)
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr
    assert proc.returncode == 2, stderr
    (line,) = [line for line in stderr.splitlines() if line.strip()]
    assert line.startswith("error: <stdin>"), line


def _live_in_session(session: int) -> list[int]:
    """Pids of the processes of a session that still run (zombies wait only to be reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _start_batch(tmp_path: Path, jobs: str = "2") -> tuple[subprocess.Popen[bytes], Path, Path]:
    """A 200-piece batch in its own session, once its first output is written."""
    folder, out = tmp_path / "pieces", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    for i in range(200):
        (folder / f"p{i:03d}.txt").write_text(PIECE.replace("Sundays", f"Sundays {i}"))
    log = tmp_path / "stderr.txt"
    with log.open("wb") as stderr:  # a file, not a pipe: a stray worker cannot hold it open
        proc = subprocess.Popen(
            _argmap("render", str(folder), "--output-dir", str(out), "-f", "dot", "--jobs", jobs),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    deadline = time.monotonic() + 120
    while not any(p.suffix == ".dot" for p in out.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.02)
    return proc, out, log


def _assert_all_gone(session: int, out: Path) -> None:
    deadline = time.monotonic() + 30
    while _live_in_session(session):
        assert time.monotonic() < deadline, f"still running: {_live_in_session(session)}"
        time.sleep(0.1)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    for made in out.iterdir():
        assert made.read_text().rstrip().endswith("}"), made.name  # complete, never half-written


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@needs_proc
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_a_batch_is_one_line(jobs: str, tmp_path: Path) -> None:
    proc, out, log = _start_batch(tmp_path, jobs)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole foreground group
    assert proc.wait(timeout=60) == 130
    stderr = log.read_text()
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.strip()] == ["error: interrupted"]
    _assert_all_gone(proc.pid, out)


@needs_proc
def test_kill_9_during_a_batch_leaves_no_worker_and_no_temporary_file(tmp_path: Path) -> None:
    proc, out, _ = _start_batch(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    _assert_all_gone(proc.pid, out)


def test_an_output_has_no_name_until_its_data_is_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``kill -9`` finds mid-write: nothing, where the system has unnamed files."""
    from argmap import output

    if output._unnamed_file(tmp_path) is None:
        pytest.skip("no O_TMPFILE here: a named temporary file is used")
    seen: list[list[str]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    output.write_output(tmp_path / "map.dot", b"digraph {}\n")
    assert seen == [[]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.dot"]


JSONL_RECORDS = [
    (json.dumps({"id": "good", "text": GOOD}).encode(), True),
    (b'{"id": "broken", "text": ', False),
    (b'{"text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", False),
    (f'{{"text": "We act.", "n": {BIG}}}'.encode(), False),
    (b'{"text": "We should act \\ud800 now, because it matters."}', False),
    (b"[1, 2]", False),
    (b'{"body": "We act."}', False),
    (b'{"text": 5}', False),
    (b'{"text": "caf\xe9"}', False),
    (b"", None),  # blank: skipped
    (json.dumps({"id": "also-good", "text": PIECE}).encode(), True),
]


@pytest.mark.parametrize("command", ["analyze", "stats"])
def test_hostile_json_lines_records(command: str, tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out"
    out.mkdir()
    corpus.write_bytes(b"\n".join(line for line, _ in JSONL_RECORDS) + b"\n")
    before = corpus.read_bytes()
    argv = [command, str(corpus), "--jsonl", "text"]
    argv += ["--output-dir", str(out)] if command == "analyze" else ["-o", str(out / "s.csv")]
    result = runner.invoke(CLI, argv)
    errors = _assert_clean(result, _codes(1), failing=None)
    bad = [n for n, (_, ok) in enumerate(JSONL_RECORDS, 1) if ok is False]
    assert [line.split(": ", 2)[1] for line in errors] == [f"{corpus}:{n}" for n in bad]
    good = sum(1 for _, ok in JSONL_RECORDS if ok)
    assert result.stderr.splitlines()[-1].startswith(f"{good} mapped, {len(bad)} failed")
    made = sorted(p.name for p in out.iterdir())
    assert made == (["also-good.json", "good.json"] if command == "analyze" else ["s.csv"])
    assert corpus.read_bytes() == before
