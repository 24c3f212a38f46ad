"""``argmap check`` on the command line: exit codes, formats, settings, the pre-commit hook.

Exit codes are the contract CI and pre-commit rely on: 0 nothing at or above
``--fail-on``, 1 findings at or above it, 2 bad usage or input (one ``error:``
line on stderr, never a traceback).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from argmap.check import RULES
from argmap.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "check"
ROOT = Path(__file__).parent.parent


def invoke(*args: str | Path, stdin: str | None = None) -> Result:
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def one_error(result: Result, needle: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert needle in lines[0]


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    """Copies of fixture drafts in a folder of their own (no settings file above it)."""
    for name in ("clean-bike-lanes.md", "unsourced-statistic.md", "no-thesis.md"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def test_a_clean_draft_exits_0_with_a_summary(drafts: Path) -> None:
    result = invoke("check", drafts / "clean-bike-lanes.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == "no problems\n"
    assert result.stderr == ""


def test_findings_are_compiler_style_lines_and_warnings_pass_by_default(drafts: Path) -> None:
    path = drafts / "unsourced-statistic.md"
    result = invoke("check", path)
    assert result.exit_code == 0, result.output
    first, summary = result.stdout.splitlines()
    assert re.match(rf"{re.escape(str(path))}:6:1: AM401 unsourced-statistic: .+ Say where", first)
    assert summary == "1 problem: 1 warning"


def test_fail_on_sets_the_threshold_for_exit_1(drafts: Path) -> None:
    path = drafts / "unsourced-statistic.md"
    assert invoke("check", path, "--fail-on", "warning").exit_code == 1
    assert invoke("check", path, "--fail-on", "info").exit_code == 1
    error = invoke("check", drafts / "no-thesis.md")
    assert error.exit_code == 1
    assert "AM101 no-thesis" in error.stdout


def test_select_and_ignore(drafts: Path) -> None:
    path = drafts / "no-thesis.md"
    assert invoke("check", path, "--ignore", "AM101").stdout == "no problems\n"
    assert invoke("check", path, "--select", "AM4,AM5").exit_code == 0
    assert invoke("check", path, "--select", "AM1", "--select", "AM2").exit_code == 1
    one_error(invoke("check", path, "--ignore", "AM999"), "unknown rule 'AM999'")


def test_several_files_one_summary(drafts: Path) -> None:
    result = invoke("check", drafts / "clean-bike-lanes.md", drafts / "unsourced-statistic.md")
    assert result.stdout.splitlines()[-1] == "1 problem: 1 warning"


def test_json_format(drafts: Path) -> None:
    result = invoke("check", drafts / "unsourced-statistic.md", "-f", "json")
    data = json.loads(result.stdout)
    assert data["summary"]["warning"] == 1
    (finding,) = data["findings"]
    assert finding["code"] == "AM401"
    assert finding["file"] == str(drafts / "unsourced-statistic.md")
    assert (finding["line"], finding["column"]) == (6, 1)
    assert finding["unit"].startswith("u")


def test_github_format(drafts: Path) -> None:
    result = invoke("check", drafts / "no-thesis.md", "-f", "github")
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"::error file={drafts / 'no-thesis.md'},line=3,col=1,title=AM101")


def test_a_saved_json_map_is_checked_too() -> None:
    result = invoke("check", FIXTURES / "circular-support.json", "--select", "circular-support")
    assert result.exit_code == 1
    assert ":2:1: AM502 circular-support:" in result.stdout


def test_stdin() -> None:
    text = (FIXTURES / "unsourced-statistic.md").read_text(encoding="utf-8")
    result = invoke("check", "-", "--markdown", stdin=text)
    assert result.stdout.startswith("<stdin>:6:1: AM401")


def test_input_errors_exit_2_but_other_files_are_still_checked(drafts: Path) -> None:
    result = invoke("check", drafts / "gone.md", drafts / "unsourced-statistic.md")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "gone.md" in result.stderr
    assert "AM401" in result.stdout
    one_error(invoke("check"), "at least one FILE")
    one_error(invoke("check", drafts / "a.md", "--config", drafts / "none.toml"), "none.toml")


def test_explain() -> None:
    result = invoke("check", "--explain", "AM201")
    assert result.exit_code == 0
    assert result.stdout.startswith("AM201 unsupported-claim (default severity: warning)")
    assert "How to fix it:" in result.stdout
    one_error(invoke("check", "--explain", "nonsense"), "unknown rule 'nonsense'")


def test_settings_from_argmap_toml_and_pyproject(drafts: Path) -> None:
    path = drafts / "unsourced-statistic.md"
    (drafts / "pyproject.toml").write_text(
        '[project]\nname = "essays"\n\n[tool.argmap]\nfail-on = "warning"\n', encoding="utf-8"
    )
    assert invoke("check", path).exit_code == 1
    (drafts / ".argmap.toml").write_text(  # wins over pyproject.toml in the same folder
        'ignore = ["unsourced-statistic"]\nseverity = { AM101 = "info" }\n', encoding="utf-8"
    )
    assert invoke("check", path).stdout == "no problems\n"
    no_thesis = invoke("check", drafts / "no-thesis.md")
    assert no_thesis.exit_code == 0 and "1 problem: 1 info" in no_thesis.stdout
    (drafts / ".argmap.toml").write_text('select = ["AM9"]\n', encoding="utf-8")
    one_error(invoke("check", path), "unknown rule 'AM9'")
    (drafts / ".argmap.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    one_error(invoke("check", path), ".argmap.toml")


def test_an_inline_comment_silences_the_next_paragraph(drafts: Path) -> None:
    path = drafts / "unsourced-statistic.md"
    text = path.read_text(encoding="utf-8")
    marked = text.replace("Crashes on", "<!-- argmap: disable=AM401 -->\nCrashes on")
    path.write_text(marked, encoding="utf-8")
    assert invoke("check", path).stdout == "no problems\n"


def test_check_and_diff_are_in_the_help() -> None:
    out = invoke("--help").stdout
    assert "check" in out and "diff" in out
    assert "argmap check --explain AM201" in invoke("check", "--help").stdout
    assert "argmap diff" in invoke("diff", "--help").stdout


def test_the_readme_documents_the_commands_and_every_rule() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("argmap check", "argmap diff", "--fail-on", ".pre-commit-hooks.yaml"):
        assert needle in readme
    for rule in RULES:
        assert rule.code in readme


# --- the pre-commit hook: validated and run the way pre-commit runs it ------------------


def test_pre_commit_hook_file_is_valid() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    (hook,) = hooks
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["id"] == "argmap-check"
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["entry"].split()[0] == "argmap"  # the console script from pyproject.toml
    assert re.search(hook["files"], "essays/draft.md")
    assert re.search(hook["files"], "notes.txt")
    assert not re.search(hook["files"], "argmap/cli/check.py")


def test_pre_commit_runs_the_entry_with_the_staged_files(drafts: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    command = shlex.split(hook["entry"])
    assert command[0] == "argmap"
    staged = [drafts / "clean-bike-lanes.md", drafts / "no-thesis.md"]
    passing = invoke(*command[1:], staged[0])
    assert passing.exit_code == 0  # pre-commit: "Passed"
    failing = invoke(*command[1:], *staged)
    assert failing.exit_code == 1  # pre-commit: "Failed", and it shows stdout
    assert "AM101 no-thesis" in failing.stdout
