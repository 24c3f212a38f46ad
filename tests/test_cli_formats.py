"""CLI wiring of the report, presets, interchange formats and corrections.

The libraries behind these are tested on their own (test_render_html,
test_presets, test_interchange, test_corrections); these tests check that the
commands reach them and that their errors come out as one line.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app

runner = CliRunner()
PIECE = (
    "The town should keep the pool open all year.\n\n"
    "Critics argue that the pool costs too much. But families swim there every day.\n\n"
    "According to the council, 40 percent of children cannot swim.\n"
)
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")


@pytest.fixture
def piece(tmp_path: Path) -> Path:
    path = tmp_path / "pool.txt"
    path.write_text(PIECE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("argdown", "#thesis"), ("aif", '"nodes"'), ("mermaid", "flowchart")],
)
def test_analyze_writes_interchange_formats(piece: Path, fmt: str, marker: str) -> None:
    result = runner.invoke(app, ["analyze", str(piece), "-f", fmt])
    assert result.exit_code == 0, result.stderr
    assert marker in result.stdout


@pytest.mark.parametrize("name", ["pool.argdown", "pool.aif.json"])
def test_render_reads_a_saved_interchange_map_back(piece: Path, name: str) -> None:
    saved = piece.parent / name
    fmt = "argdown" if name.endswith(".argdown") else "aif"
    assert runner.invoke(app, ["analyze", str(piece), "-f", fmt, "-o", str(saved)]).exit_code == 0
    result = runner.invoke(app, ["analyze", str(saved)])
    assert result.exit_code == 0, result.stderr
    m = json.loads(result.stdout)
    assert len(m["units"]) >= 3 and m["thesis"] is not None


def test_the_output_name_picks_the_interchange_format(piece: Path) -> None:
    out = piece.parent / "map.aif.json"
    assert runner.invoke(app, ["render", str(piece), "-o", str(out)]).exit_code == 0
    assert "nodes" in json.loads(out.read_text(encoding="utf-8"))


@needs_dot
def test_render_html_report_has_the_text_the_map_and_findings(piece: Path) -> None:
    out = piece.parent / "report.html"
    result = runner.invoke(app, ["render", str(piece), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "Content-Security-Policy" in html
    assert "keep the pool open" in html


@needs_dot
@pytest.mark.parametrize("options", [["--style", "classroom"], ["--style", "print"], ["--blank"]])
def test_render_presets(piece: Path, options: list[str]) -> None:
    result = runner.invoke(app, ["render", str(piece), "-f", "dot", *options])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("digraph")
    if options == ["--blank"]:
        assert "keep the pool open" not in result.stdout


def test_max_depth_collapses_deeper_units(piece: Path) -> None:
    full = runner.invoke(app, ["render", str(piece), "-f", "dot"]).stdout
    collapsed = runner.invoke(app, ["render", str(piece), "-f", "dot", "--max-depth", "1"])
    assert collapsed.exit_code == 0, collapsed.stderr
    assert "more" in collapsed.stdout and collapsed.stdout != full


def test_corrections_change_the_thesis_and_report_stale_entries(piece: Path) -> None:
    fixes = piece.parent / "fixes.yaml"
    fixes.write_text(
        "- unit: families swim there\n  thesis: true\n"
        "- unit: a sentence that is not there\n  drop: true\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["analyze", str(piece), "--corrections", str(fixes)])
    assert result.exit_code == 0, result.stderr
    m = json.loads(result.stdout)
    thesis = next(u for u in m["units"] if u["id"] == m["thesis"])
    assert "families swim there" in thesis["text"]
    assert "not there" in result.stderr


def test_a_broken_corrections_file_is_one_error_line(piece: Path) -> None:
    fixes = piece.parent / "fixes.yaml"
    fixes.write_text("- unit: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(piece), "--corrections", str(fixes)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and len(result.stderr.strip().splitlines()) == 1
