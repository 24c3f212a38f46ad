"""The command line: exit codes, stdout vs stderr, help, batches, atomic output.

Typer's CliRunner (typer >= 0.29 vendors its click; like click >= 8.2 it has no
``mix_stderr``) always captures the two streams apart: ``result.stdout`` is the
product, ``result.stderr`` the diagnostics and ``result.output`` both
interleaved, as a terminal would show them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import argmap
from argmap import render
from argmap.cli import app
from argmap.errors import RenderError
from argmap.model import ArgumentMap, Role
from argmap.pipeline import analyze

runner = CliRunner()

PIECE = (
    "Our town should light its bike paths at night, because riders feel unsafe in the dark.\n"
    "\n"
    "Lamps are cheap. Some say they waste power, but solar lamps need no cables.\n"
)
OTHER = "Schools should start later. Teenagers who sleep longer learn more.\n"


def invoke(*args: str | Path, stdin: str | bytes | None = None) -> Result:
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def ok(result: Result) -> str:
    """Assert success with nothing on stderr; return stdout."""
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == ""
    return result.stdout


def failed(result: Result, *needles: str) -> str:
    """Assert exit 2 with exactly one ``error:`` line and no traceback; return it."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


# --- help and version -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "example"),
    [
        ([], "argmap analyze op-ed.txt"),
        (["analyze"], "argmap analyze draft.md -f outline"),
        (["render"], "argmap render op-ed.txt -o op-ed.svg"),
        (["schema"], "argmap schema > argmap.schema.json"),
        (["eval"], "argmap eval microtexts.jsonl --gold-segments"),
    ],
)
def test_help_has_an_example(args: list[str], example: str) -> None:
    out = ok(invoke(*args, "--help"))
    assert out.startswith("Usage: argmap")
    assert "Examples:" in out or "Example:" in out
    assert example in out


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_help_examples_cover_every_command() -> None:
    assert {"analyze", "render", "schema"} <= set(command_names())
    for name in command_names():
        out = ok(invoke(name, "--help"))
        assert "Example" in out, name
        assert f"argmap {name}" in out.split("Example", 1)[1], name


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "Usage: argmap" in result.output
    assert "analyze" in result.output
    assert "Traceback" not in result.output


def test_version() -> None:
    assert ok(invoke("--version")) == f"argmap {argmap.__version__}\n"


def test_python_dash_m_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "argmap", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout == f"argmap {argmap.__version__}\n"
    assert proc.stderr == ""


def test_python_dash_m_bad_input_is_one_error_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "argmap", "analyze", str(tmp_path / "gone.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == f"error: {tmp_path / 'gone.txt'}: no such file\n"


def test_schema_is_the_map_json_schema() -> None:
    schema = json.loads(ok(invoke("schema")))
    assert schema == ArgumentMap.model_json_schema()
    assert set(schema["properties"]) >= {"thesis", "units", "relations", "unattached", "skipped"}


# --- analyze --------------------------------------------------------------------------


def test_analyze_json_is_the_map(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    out = ok(invoke("analyze", path))
    m = ArgumentMap.model_validate_json(out)
    assert m == analyze(PIECE)
    assert out == render.to_json(m)
    assert [u.id for u in m.units] == [f"u{i}" for i in range(1, len(m.units) + 1)]
    for unit in m.units:
        assert PIECE[unit.start : unit.end] == unit.text
    data = json.loads(out)
    assert set(data) == {
        "argmap_version",
        "thesis",
        "units",
        "relations",
        "unattached",
        "skipped",
    }
    assert set(data["units"][0]) == {
        "id",
        "role",
        "text",
        "start",
        "end",
        "line",
        "evidence_type",
        "confidence",
        "cues",
        "rule",
        "calls_for_action",
        "score",
        "rivals",
    }
    cue = data["units"][0]["cues"][0]
    assert set(cue) == {"kind", "words", "start", "end", "weight", "rule", "description"}
    relation = data["relations"][0]
    assert {"cue", "rule", "fallback"} <= set(relation)


def test_analyze_outline(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    assert ok(invoke("analyze", path, "-f", "outline")) == render.to_outline(analyze(PIECE))


def test_analyze_dot(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    out = ok(invoke("analyze", path, "--format", "dot"))
    assert out == render.to_dot(analyze(PIECE))
    assert out.startswith("digraph")


def test_analyze_to_output_file(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    target = tmp_path / "lamps.json"
    assert ok(invoke("analyze", path, "-o", target)) == ""
    assert ArgumentMap.model_validate_json(target.read_text()) == analyze(PIECE)


def test_analyze_dash_output_is_stdout(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    assert ArgumentMap.model_validate_json(ok(invoke("analyze", path, "-o", "-"))).units


def test_analyze_stdin() -> None:
    out = ok(invoke("analyze", "-", stdin=PIECE))
    assert ArgumentMap.model_validate_json(out) == analyze(PIECE)


def test_analyze_markdown_by_extension_and_by_flag(tmp_path: Path) -> None:
    text = "# Light the Paths\n\n" + PIECE
    by_ext = ArgumentMap.model_validate_json(ok(invoke("analyze", write(tmp_path, "a.md", text))))
    txt = write(tmp_path, "a.txt", text)
    by_flag = ArgumentMap.model_validate_json(ok(invoke("analyze", txt, "--markdown")))
    assert by_ext == by_flag == analyze(text, markdown=True)
    assert by_ext.skipped[0].reason == "title"
    assert all("#" not in u.text for u in by_ext.units)
    plain = ArgumentMap.model_validate_json(
        ok(invoke("analyze", write(tmp_path, "b.md", "> " + OTHER), "--plain"))
    )
    assert plain == analyze("> " + OTHER)


def test_analyze_encoding_option(tmp_path: Path) -> None:
    path = write(
        tmp_path, "cafe.txt", "Every café should offer free water to walkers.".encode("latin-1")
    )
    failed(invoke("analyze", path), "cafe.txt", "not valid utf-8", "byte 0xe9 at line 1")
    m = ArgumentMap.model_validate_json(ok(invoke("analyze", path, "--encoding", "latin-1")))
    assert "café" in m.units[0].text


def test_analyze_crlf_offsets_point_into_the_file(tmp_path: Path) -> None:
    text = PIECE.replace("\n", "\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode())
    m = ArgumentMap.model_validate_json(ok(invoke("analyze", path)))
    assert m.units
    for unit in m.units:
        assert text[unit.start : unit.end] == unit.text
    assert m.units[-1].line == 3


def test_analyze_saved_json_round_trips(tmp_path: Path) -> None:
    saved = write(tmp_path, "map.json", render.to_json(analyze(PIECE)))
    assert ok(invoke("analyze", saved)) == saved.read_text()


def test_missing_model_is_one_error_line(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    failed(invoke("analyze", path, "--model", "xx_no_such_model"), "xx_no_such_model", "install")


# --- render ---------------------------------------------------------------------------


def test_render_dot_to_file(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    target = tmp_path / "lamps.dot"
    assert ok(invoke("render", path, "-o", target)) == ""
    assert target.read_text() == render.to_dot(analyze(PIECE))


def test_render_options_reach_the_renderer(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    target = tmp_path / "lamps.gv"
    args = ("--grayscale", "--direction", "LR", "--width", "20")
    ok(invoke("render", path, "-o", target, "-f", "dot", *args))
    expected = render.to_dot(analyze(PIECE), grayscale=True, direction="LR", width=20)
    assert target.read_text() == expected
    assert "rankdir=LR" in expected


@pytest.mark.needs_dot
def test_render_svg(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    target = tmp_path / "lamps.svg"
    ok(invoke("render", path, "-o", target))
    svg = target.read_text()
    assert "<svg" in svg
    assert svg.rstrip().endswith("</svg>")
    m = analyze(PIECE)
    for unit in m.units:
        assert f"<title>{unit.id}</title>" in svg


@pytest.mark.needs_dot
@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("pdf", b"%PDF-")])
def test_render_format_from_suffix(tmp_path: Path, fmt: str, magic: bytes) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    target = tmp_path / f"lamps.{fmt}"
    ok(invoke("render", path, "-o", target))
    assert target.read_bytes().startswith(magic)


def test_render_unknown_suffix_needs_format(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    failed(invoke("render", path, "-o", tmp_path / "lamps.txt2"), "add -f svg|png|pdf|dot")
    assert not (tmp_path / "lamps.txt2").exists()


def test_render_saved_and_corrected_json_map(tmp_path: Path) -> None:
    m = analyze(PIECE)
    last = m.units[-1]
    corrected = m.model_copy(
        update={"units": [*m.units[:-1], last.model_copy(update={"role": Role.OBJECTION})]}
    )
    saved = write(tmp_path, "map.json", render.to_json(corrected))
    target = tmp_path / "map.dot"
    ok(invoke("render", saved, "-o", target))
    assert target.read_text() == render.to_dot(corrected)
    assert target.read_text() != render.to_dot(m)


def test_render_json_map_from_stdin(tmp_path: Path) -> None:
    m = analyze(OTHER)
    out = ok(invoke("render", "-", "-f", "dot", stdin=render.to_json(m)))
    assert out == render.to_dot(m)


def test_render_failure_leaves_existing_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(dot: str, fmt: str = "svg") -> bytes:
        raise RenderError("Graphviz 'dot' failed: simulated")

    monkeypatch.setattr(render, "render_image", broken, raising=False)
    path = write(tmp_path, "lamps.txt", PIECE)
    target = write(tmp_path, "lamps.svg", "<svg>previous diagram</svg>")
    failed(invoke("render", path, "-o", target), "simulated")
    assert target.read_text() == "<svg>previous diagram</svg>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lamps.svg", "lamps.txt"]


# --- batches --------------------------------------------------------------------------


def test_several_files_with_output_dir(tmp_path: Path) -> None:
    a = write(tmp_path, "lamps.txt", PIECE)
    b = write(tmp_path, "school.md", OTHER)
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", a, b, "--output-dir", out, "-f", "outline")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "2 mapped, 0 failed\n"
    assert sorted(p.name for p in out.iterdir()) == ["lamps.md", "school.md"]
    assert (out / "lamps.md").read_text() == render.to_outline(analyze(PIECE))
    assert (out / "school.md").read_text() == render.to_outline(analyze(OTHER, markdown=True))


def test_render_several_files_with_output_dir(tmp_path: Path) -> None:
    a = write(tmp_path, "lamps.txt", PIECE)
    b = write(tmp_path, "school.txt", OTHER)
    out = tmp_path / "diagrams"
    out.mkdir()
    result = invoke("render", a, b, "--output-dir", out, "-f", "dot")
    assert result.exit_code == 0, result.output
    assert (out / "lamps.dot").read_text() == render.to_dot(analyze(PIECE))
    assert (out / "school.dot").read_text() == render.to_dot(analyze(OTHER))


@pytest.mark.parametrize("extra", [[], ["-o", "-"], ["-o", "both.json"]])
def test_several_files_without_output_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    a = write(tmp_path, "lamps.txt", PIECE)
    b = write(tmp_path, "school.txt", OTHER)
    failed(invoke("analyze", a, b, *extra), "--output-dir")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lamps.txt", "school.txt"]


def test_output_dir_that_does_not_exist(tmp_path: Path) -> None:
    a = write(tmp_path, "lamps.txt", PIECE)
    failed(invoke("analyze", a, "--output-dir", tmp_path / "nowhere"), "nowhere", "does not exist")
    assert not (tmp_path / "nowhere").exists()


def test_two_inputs_with_the_same_name_would_collide(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    a = write(tmp_path / "x", "piece.txt", PIECE)
    b = write(tmp_path / "y", "piece.txt", OTHER)
    out = tmp_path / "out"
    out.mkdir()
    failed(invoke("analyze", a, b, "--output-dir", out), "piece.json")
    assert list(out.iterdir()) == []


def test_failure_in_a_batch_keeps_the_other_outputs(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", PIECE)
    empty = write(tmp_path, "empty.txt", "")
    also = write(tmp_path, "also.txt", OTHER)
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("analyze", good, empty, also, "--output-dir", out)
    assert result.exit_code == 1  # a batch with failures; a single bad input is exit 2
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"error: {empty}: the text is empty: there is nothing to map",
        f"2 mapped, 1 failed: {empty}",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["also.json", "good.json"]
    assert ArgumentMap.model_validate_json((out / "good.json").read_text()) == analyze(PIECE)


# --- bad input ------------------------------------------------------------------------

BAD_INPUTS: list[tuple[str, str | bytes | None, str]] = [
    ("missing.txt", None, "no such file"),
    ("empty.txt", "", "the text is empty"),
    ("blank.txt", "  \n\n\t \n", "the text is empty"),
    ("binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00", "looks like a binary file"),
    ("latin.txt", b"Riders want lamps.\nCaf\xe9 owners agree.\n", "byte 0xe9 at line 2"),
    ("folder.txt", "DIRECTORY", "is a directory"),
    ("broken.json", '{"units": [', "not a valid argmap JSON map"),
    ("wrong.json", '{"units": [{"id": "u1"}]}', "not a valid argmap JSON map (units.0.role"),
    ("dangling.json", '{"thesis": "u9"}', "not a valid argmap JSON map"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
@pytest.mark.parametrize("command", ["analyze", "render"])
def test_bad_input_is_one_error_line(
    tmp_path: Path, command: str, name: str, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content == "DIRECTORY":
        path.mkdir()
    elif content is not None:
        write(tmp_path, name, content)
    before = path.read_bytes() if path.is_file() else None
    target = tmp_path / "out.dot"
    line = failed(invoke(command, path, "-o", target, "-f", "dot"), message)
    assert str(path) in line
    assert not target.exists()
    assert (path.read_bytes() if path.is_file() else None) == before


def test_output_into_missing_directory(tmp_path: Path) -> None:
    path = write(tmp_path, "lamps.txt", PIECE)
    target = tmp_path / "missing" / "lamps.json"
    failed(invoke("analyze", path, "-o", target), "does not exist")
    assert not target.parent.exists()


def test_empty_stdin_is_one_error_line() -> None:
    failed(invoke("analyze", "-", stdin=""), "<stdin>", "the text is empty")


def test_invalid_json_on_stdin_names_stdin() -> None:
    failed(invoke("render", "-", "-f", "dot", stdin='{"units": 5}'), "<stdin>", "units")


@pytest.mark.parametrize(
    "args",
    [
        ["analyze"],
        ["analyze", "x.txt", "-f", "xml"],
        ["render", "x.txt", "--width", "3"],
        ["render", "x.txt", "--direction", "UP"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if "Error" in line]
    assert len(errors) == 1
    assert errors[0].startswith("Error: ")


@pytest.mark.parametrize(
    "args",
    [
        ["render"],
        ["analyze", "piece.txt", "-f", "nonsense"],
        ["render", "piece.txt", "--width", "3"],
        ["no-such-command"],
    ],
)
def test_usage_errors_from_the_real_entry_point_are_one_error_line(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "argmap", *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_no_arguments_prints_help() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "argmap"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert "Usage:" in proc.stdout and "analyze" in proc.stdout
