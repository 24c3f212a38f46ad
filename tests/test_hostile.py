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

import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from argmap.cli import app

runner = CliRunner()

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
    "utf16-bom-nul.txt": (("\x00" + GOOD).encode("utf-16"), EITHER),
    "huge-line.txt": (("members want more time to play, " * 400).encode(), MAPPED),
    "huge-word.txt": (b"x" * 100_000, EITHER),
    "deep-list.md": (_nested_list(300).encode(), MAPPED),
    "deep-quote.md": (("> " * 1_000 + GOOD).encode(), EITHER),
    "deep-brackets.md": (("[" * 1_000 + GOOD + "]" * 1_000).encode(), EITHER),
    "deep-links.md": (("[a](" * 400 + GOOD + ")" * 400).encode(), EITHER),
    "deep-emphasis.md": (("*" * 3_000 + GOOD.strip() + "*" * 3_000 + "\n").encode(), EITHER),
    "deep-underscores.md": (("_" * 3_000 + GOOD.strip() + "_" * 3_000 + "\n").encode(), EITHER),
    "deep-parens.txt": (("(" * 1_000 + GOOD + ")" * 1_000).encode(), EITHER),
    "page.html": (HTML.encode(), REFUSED),
    "page.txt": (HTML.encode(), REFUSED),
    "page.md": (HTML.encode(), EITHER),
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
        EITHER,
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
    "map-cycle.json": (_map_with(relations=[*MAP_RELATIONS, BACK_RELATION]), EITHER),
    "map-surrogate.json": (MAP_JSON.replace('"Our', '"\\ud800Our', 1).encode(), REFUSED),
    "map-nan.json": (MAP_JSON.replace("0.9", "NaN", 1).encode(), EITHER),
    "aif-good.aif.json": (AIF_JSON.encode(), MAPPED),
    "aif-empty.aif.json": (b"", REFUSED),
    "aif-malformed.aif.json": (b'{"nodes": [{"nodeID": }', REFUSED),
    "aif-truncated.aif.json": (AIF_JSON[: len(AIF_JSON) // 2].encode(), REFUSED),
    "aif-deep.aif.json": (b'{"nodes": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", REFUSED),
    "aif-bignum-id.aif.json": (
        f'{{"nodes": [{{"nodeID": {BIG}, "text": "x", "type": "I"}}], "edges": []}}'.encode(),
        REFUSED,
    ),
    "aif-bignum-string-id.aif.json": (_aif_with([_i_node(BIG), _i_node("2")], []), EITHER),
    "aif-wrong-types.aif.json": (b'{"nodes": [1, "x", null], "edges": {}}', REFUSED),
    "aif-no-nodes.aif.json": (b'{"edges": []}', REFUSED),
    "aif-odd-fields.aif.json": (
        _aif_with([{"nodeID": [1], "text": {"a": 1}, "type": ["I"]}, _i_node(None)]),
        EITHER,
    ),
    "aif-unknown-ids.aif.json": (
        _aif_with(AIF_NODES, [{"edgeID": "1", "fromID": "8", "toID": "9"}]),
        EITHER,
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
        EITHER,
    ),
    "aif-surrogate.aif.json": (_aif_with([_i_node("1", "We \ud800 act.")], []), REFUSED),
    "ad-good.argdown": (ARGDOWN.encode(), MAPPED),
    "ad-empty.argdown": (b"", EITHER),
    "ad-binary.argdown": (bytes(range(256)), REFUSED),
    "ad-premise-conclusion.argdown": (b"(1) We should act.\n----\n(2) So we act.\n", REFUSED),
    "ad-orphan.argdown": (b"  + [a]: It helps.\n", REFUSED),
    "ad-deep-indent.argdown": (
        (
            "[a]: We act.\n" + "".join(f"{' ' * (i + 1)}+ [b{i}]: Level {i}.\n" for i in range(400))
        ).encode(),
        EITHER,
    ),
    "ad-deep-data.argdown": (
        ("[a]: We act. {id: " + "[" * 1_200 + "]" * 1_200 + "}\n  + [b]: It helps.\n").encode(),
        EITHER,
    ),
    "ad-bignum-data.argdown": (
        f"[a]: We act. {{id: {BIG}}}\n  + [b]: It helps.\n".encode(),
        EITHER,
    ),
    "ad-bad-data.argdown": (b"[a]: We act. {id: [unclosed}\n  + [b]: It helps.\n", EITHER),
    "ad-cycle.argdown": (b"[a]: We act.\n  + [b]: It helps.\n    + [a]\n", EITHER),
    "ad-brackets.argdown": (b"[" * 5_000 + b"\n", EITHER),
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
    "fixes-deep-lists.yaml": (b"[" * 5_000 + b"]" * 5_000, REFUSED),
    "fixes-deep-maps.yaml": (b"{a: " * 3_000 + b"1" + b"}" * 3_000, REFUSED),
    "fixes-bomb.yaml": ((BOMB + "corrections: *i\n").encode(), EITHER),
    "fixes-bomb-aside.yaml": ((BOMB + "corrections: []\n").encode(), EITHER),
    "fixes-wrong-types.yaml": (b"corrections: 5\n", REFUSED),
    "fixes-wrong-entry.yaml": (b"corrections:\n  - unit: [1, 2]\n    role: king\n", REFUSED),
    "fixes-bignum.yaml": (f"corrections:\n  - unit: Sundays\n    role: {BIG}\n".encode(), REFUSED),
    "fixes-bignum-version.yaml": (f"version: {BIG}\ncorrections: []\n".encode(), REFUSED),
    "fixes-binary.yaml": (bytes(range(256)), REFUSED),
    "fixes-latin1.yaml": (b"corrections:\n  - unit: caf\xe9\n    drop: true\n", REFUSED),
    "fixes-utf16le.yaml": ("corrections: []\n".encode("utf-16-le"), REFUSED),
    "fixes-python-tag.yaml": (b"corrections: !!python/object/apply:os.getcwd []\n", REFUSED),
    "fixes-surrogate.yaml": (b'corrections:\n  - unit: "\\ud800"\n    drop: true\n', EITHER),
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


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


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


def _assert_clean(result: Result, codes: frozenset[int], *, failing: int = 1) -> list[str]:
    """The run ended as expected, in one ``error:`` line per failing input, never a traceback.

    Returns the ``error:`` lines.
    """
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in codes, (result.exit_code, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    if result.exit_code == 2:
        assert len(errors) == failing, result.stderr
    elif failing and result.exit_code == 0:
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
    before = _snapshot(corpus)
    target = str(corpus / name)
    with _unblocking(corpus / "fifo.txt") as blocked:
        result = runner.invoke(app, command.argv(target, corpus, work))
    assert blocked == []
    codes = _expected(how, command)
    errors = _assert_clean(result, codes)
    if result.exit_code == 2:
        located = command.located or name
        assert any(located in line for line in errors), (located, errors)
    if command.output is not None and result.exit_code in (0, 2):
        assert (work / command.output).exists() == (result.exit_code == 0), result.stderr
    assert _snapshot(corpus) == before
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
    result = runner.invoke(app, ["schema"])
    _assert_clean(result, _codes(0))
    assert json.loads(result.stdout)
