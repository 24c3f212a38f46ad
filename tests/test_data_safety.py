"""Outputs never destroy inputs, devices are never replaced, reads are bounded.

Each test names the bug it guards (issue "Never lose a draft"): a batch whose
``--output-dir`` is its inputs' folder, ``-o`` naming the input, ``-o
/dev/null`` as root, a FIFO or an endless device as input, saved maps and
settings read without a limit, and the failures that used to escape as
tracebacks (a closed or full stdout, ``tool = "argmap"``, deep nesting).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.errors import InputError
from argmap.output import output_problem, write_output
from argmap.textfile import read_bytes, read_path

runner = CliRunner()

DRAFT = "Our town should plant more trees, because shade cools the streets in summer.\n"
OTHER = "The school should start later, because teenagers need more sleep.\n"


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "a.md").write_text(DRAFT)
    (folder / "b.md").write_text(OTHER)
    return folder


def test_output_dir_that_is_the_input_folder_is_refused_and_nothing_changes(
    drafts: Path,
) -> None:
    before = {p.name: p.read_bytes() for p in drafts.iterdir()}
    result = runner.invoke(
        app, ["analyze", str(drafts), "-f", "outline", "--output-dir", str(drafts)]
    )
    assert result.exit_code == 2
    line = _one_error_line(result.stderr)
    assert "input" in line and "nothing was written" in line
    assert {p.name: p.read_bytes() for p in drafts.iterdir()} == before


def test_output_dir_beside_the_inputs_with_another_suffix_still_works(drafts: Path) -> None:
    result = runner.invoke(app, ["analyze", str(drafts), "-f", "json", "--output-dir", str(drafts)])
    assert result.exit_code == 0, result.stderr
    assert (drafts / "a.json").is_file()
    assert (drafts / "a.md").read_text() == DRAFT


@pytest.mark.parametrize("command", ["analyze", "render"])
def test_dash_o_naming_the_input_is_refused(drafts: Path, command: str) -> None:
    draft = drafts / "a.md"
    args = [command, str(draft), "-o", str(draft)]
    if command == "render":
        args += ["-f", "dot"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "is an input" in _one_error_line(result.stderr)
    assert draft.read_text() == DRAFT


def test_dash_o_naming_the_input_through_a_symlink_is_refused(drafts: Path) -> None:
    link = drafts / "link.md"
    link.symlink_to(drafts / "a.md")
    result = runner.invoke(app, ["analyze", str(drafts / "a.md"), "-o", str(link)])
    assert result.exit_code == 2
    assert (drafts / "a.md").read_text() == DRAFT


def test_corrections_file_is_an_input_too(drafts: Path) -> None:
    fixes = drafts / "fixes.yaml"
    fixes.write_text("corrections: []\n")
    draft = str(drafts / "a.md")
    result = runner.invoke(app, ["analyze", draft, "--corrections", str(fixes), "-o", str(fixes)])
    assert result.exit_code == 2
    assert fixes.read_text() == "corrections: []\n"


def test_corrections_init_and_stats_never_overwrite_their_input(drafts: Path) -> None:
    draft = drafts / "a.md"
    for args in (
        ["corrections", "init", str(draft), "-o", str(draft)],
        ["stats", str(draft), "-o", str(draft)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        _one_error_line(result.stderr)
        assert draft.read_text() == DRAFT


@pytest.mark.parametrize("device", ["/dev/null", "/dev/stdout", "/dev/full"])
def test_devices_are_refused_as_outputs_and_left_as_devices(drafts: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    before = os.lstat(device)
    result = runner.invoke(app, ["analyze", str(drafts / "a.md"), "-o", device])
    assert result.exit_code == 2
    assert "-o -" in _one_error_line(result.stderr)
    after = os.lstat(device)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_write_output_refuses_a_fifo_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        write_output(fifo, b"data")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_output_problem_allows_new_and_regular_files(tmp_path: Path) -> None:
    existing = tmp_path / "old.svg"
    existing.write_text("x")
    assert output_problem(tmp_path / "new.svg") is None
    assert output_problem(existing, [tmp_path / "draft.md"]) is None
    assert output_problem(existing, [existing]) is not None
    assert output_problem(tmp_path) is not None


def test_write_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_output(link, b"new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_a_fifo_input_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_path(fifo, max_chars=100)
    result = runner.invoke(app, ["analyze", str(fifo)])
    assert result.exit_code == 2
    assert "not a regular file" in _one_error_line(result.stderr)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_are_refused_not_read(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    with pytest.raises(InputError, match="not a regular file"):
        read_path(device, max_chars=10)
    result = runner.invoke(app, ["analyze", device])
    assert result.exit_code == 2
    _one_error_line(result.stderr)


def test_read_bytes_reads_at_most_the_limit_plus_one(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 10_000)
    assert len(read_bytes(big, limit=99)) == 100
    with pytest.raises(InputError, match="too long"):
        read_path(big, max_chars=1_000)


def test_saved_maps_are_bounded_by_max_chars(tmp_path: Path) -> None:
    saved = tmp_path / "map.json"
    saved.write_text('{"units": [], "relations": [], "padding": "' + "x" * 5_000 + '"}')
    result = runner.invoke(app, ["render", str(saved), "-f", "dot", "--max-chars", "100"])
    assert result.exit_code == 2
    assert "too long" in _one_error_line(result.stderr)


def test_a_symlink_loop_is_one_error_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    for args in (["analyze", str(loop)], ["check", str(loop)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        _one_error_line(result.stderr)


def test_pyproject_whose_tool_is_a_string_is_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "argmap"\n')
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT)
    result = runner.invoke(app, ["check", str(draft)])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.stderr


def test_deeply_nested_corrections_and_settings_are_one_error_line(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT)
    fixes = tmp_path / "fixes.yaml"
    fixes.write_text("[" * 5_000 + "]" * 5_000)
    result = runner.invoke(app, ["analyze", str(draft), "--corrections", str(fixes)])
    assert result.exit_code == 2
    _one_error_line(result.stderr)
    settings = tmp_path / ".argmap.toml"
    settings.write_text("x = " + "[" * 5_000 + "]" * 5_000 + "\n")
    result = runner.invoke(app, ["check", str(draft), "--config", str(settings)])
    assert result.exit_code == 2
    _one_error_line(result.stderr)


def test_deeply_nested_saved_map_is_one_error_line(tmp_path: Path) -> None:
    saved = tmp_path / "map.json"
    saved.write_text('{"units": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = runner.invoke(app, ["render", str(saved), "-f", "dot"])
    assert result.exit_code == 2
    _one_error_line(result.stderr)


@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_a_full_or_closed_stdout_is_one_error_line(stdout: str) -> None:
    """Run as a real process: CliRunner cannot fake a file descriptor."""
    code = "import sys; sys.argv = ['argmap', 'schema']; from argmap.cli import main; main()"
    if stdout == "full":
        if not os.path.exists("/dev/full"):
            pytest.skip("no /dev/full here")
        with open("/dev/full", "wb") as full:
            proc = subprocess.run(
                [sys.executable, "-c", code], stdout=full, stderr=subprocess.PIPE, timeout=120
            )
        assert proc.returncode == 2
    else:
        proc = subprocess.run(
            [sys.executable, "-c", "import os; os.close(1); " + code],
            stderr=subprocess.PIPE,
            timeout=120,
        )
        assert proc.returncode in (0, 2)
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr
    if proc.returncode == 2:
        _one_error_line(stderr)


def test_a_file_name_with_a_newline_is_still_one_error_line(tmp_path: Path) -> None:
    odd = tmp_path / "two\nlines.md"
    odd.write_text(DRAFT)
    result = runner.invoke(app, ["analyze", str(odd), "-o", str(odd)])
    assert result.exit_code == 2
    assert "\\n" in _one_error_line(result.stderr)


@pytest.mark.parametrize("text", ["\x00We should act.", "\x00We should act now, please."])
def test_utf16_with_bom_starting_with_nul_is_not_read_as_utf32(text: str) -> None:
    from argmap.textfile import decode_bytes

    assert decode_bytes(text.encode("utf-16")) == text


def test_parsed_docs_drop_their_tensor() -> None:
    from argmap.nlp import load_model, parse_texts

    (doc,) = parse_texts(load_model(), ["We should plant trees, because shade cools streets."])
    assert doc.tensor.size == 0
    assert [t.pos_ for t in doc][:2] == ["PRON", "AUX"]
