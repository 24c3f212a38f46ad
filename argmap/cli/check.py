"""The linting commands: check (the logic of a draft) and diff (two drafts).

Exit codes follow the linters writers already run in CI and pre-commit: 0 no
finding at or above ``--fail-on``, 1 such findings, 2 bad usage or input.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.common import (
    EncodingOpt,
    MarkdownOpt,
    ModelOpt,
    WeightsOpt,
    app,
    errors_as_messages,
    fail,
    load_input,
    one_line,
    read_weights,
)
from argmap.errors import ArgmapError

if TYPE_CHECKING:
    from argmap.check import CheckConfig, Finding
    from argmap.model import ArgumentMap
    from argmap.scoring import Weights


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class FailOn(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Settings file (.argmap.toml or pyproject.toml); default: the nearest one "
        "at or above each input's folder.",
        show_default=False,
    ),
]


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(s.strip() for v in values for s in v.split(",") if s.strip())


def _settings(
    path: str, explicit: Path | None, select: tuple[str, ...] | None, ignore: tuple[str, ...]
) -> CheckConfig:
    """The settings for one input: its settings file, then --select/--ignore on top."""
    from argmap.check import find_config, load_config

    if explicit is not None and not explicit.is_file():
        fail(f"{explicit}: no such settings file")
    start = Path.cwd() if path == "-" else Path(os.path.abspath(path)).parent
    config = load_config(explicit or find_config(start))
    update: dict[str, object] = {"ignore": (*config.ignore, *ignore)}
    if select is not None:
        update["select"] = select
    return config.model_copy(update=update)


def _check_file(
    path: str,
    config: CheckConfig,
    *,
    markdown: bool | None,
    model: str | None,
    encoding: str | None,
    weights: Weights | None = None,
) -> tuple[list[Finding], ArgumentMap]:
    """Map and check one input (text, Markdown or a saved JSON map)."""
    from argmap.check import check

    loaded = load_input(path, markdown=markdown, model=model, encoding=encoding, weights=weights)
    findings = check(
        loaded.map, loaded.text, markdown=loaded.markdown, config=config, file=loaded.name
    )
    return findings, loaded.map


@app.command("check")
def check_command(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="Drafts (.txt, .md) or saved argmap JSON maps; '-' reads stdin.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        CheckFormat,
        typer.Option("-f", "--format", help="text, json, or github (Actions annotations)."),
    ] = CheckFormat.TEXT,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 if a finding is at least this severe [default: settings, else error].",
            show_default=False,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="RULES",
            help="Rules to run (codes, prefixes like AM2, names, or ALL); comma-separated or "
            "repeated. Replaces the settings' selection.",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="RULES",
            help="Rules to skip, added to the settings' ignore list.",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            help="Explain a rule (e.g. AM201 or unsupported-claim) and exit.",
            metavar="RULE",
            show_default=False,
        ),
    ] = None,
    config_file: ConfigOpt = None,
    markdown: MarkdownOpt = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
    weights: WeightsOpt = None,
) -> None:
    """Lint the logic of a draft: unsupported claims, unanswered objections, ...

    One line per finding (FILE:LINE:COL: CODE name: what is wrong, how to fix
    it), then a summary. Exit 1 when a finding at or above --fail-on exists.

    Examples:

      argmap check draft.md

      argmap check essays/*.md --fail-on warning --ignore AM203

      argmap check draft.md -f github          # annotations in GitHub Actions

      argmap check --explain AM201
    """
    from argmap.check import Severity
    from argmap.check import explain as explain_rule
    from argmap.check.format import format_github, format_json, format_text

    if explain is not None:
        with errors_as_messages():
            typer.echo(explain_rule(explain), nl=False)
        return
    if not files:
        fail("give at least one FILE to check (or --explain RULE)")
    chosen = read_weights(weights)
    selected, ignored = _split(select), _split(ignore) or ()
    findings: list[Finding] = []
    failing = False
    broken = False
    for path in files:
        try:
            config = _settings(path, config_file, selected, ignored)
            threshold = Severity(fail_on.value) if fail_on else config.fail_on
            found, _ = _check_file(
                path, config, markdown=markdown, model=model, encoding=encoding, weights=chosen
            )
        except ArgmapError as exc:
            typer.echo(f"error: {one_line(str(exc))}", err=True)
            broken = True
            continue
        findings += found
        failing = failing or any(f.severity.rank >= threshold.rank for f in found)
    if fmt is CheckFormat.JSON:
        typer.echo(format_json(findings), nl=False)
    elif fmt is CheckFormat.GITHUB:
        typer.echo(format_github(findings), nl=False)
    else:
        typer.echo(format_text(findings), nl=False)
    if broken:
        raise typer.Exit(2)
    if failing:
        raise typer.Exit(1)


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="The earlier draft (or saved map).", metavar="OLD")],
    new: Annotated[str, typer.Argument(help="The later draft (or saved map).", metavar="NEW")],
    fmt: Annotated[DiffFormat, typer.Option("-f", "--format", help="text or json.")] = (
        DiffFormat.TEXT
    ),
    config_file: ConfigOpt = None,
    markdown: MarkdownOpt = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
    weights: WeightsOpt = None,
) -> None:
    """Compare two drafts: units added, removed, re-worded, re-cast or re-attached,
    and check findings that appeared or were resolved.

    Examples:

      argmap diff draft-v1.md draft-v2.md

      argmap diff old.txt new.txt -f json
    """
    from argmap.check.diff import diff_maps, format_diff_json, format_diff_text

    chosen = read_weights(weights)
    with errors_as_messages():
        old_findings, old_map = _check_file(
            old,
            _settings(old, config_file, None, ()),
            markdown=markdown,
            model=model,
            encoding=encoding,
            weights=chosen,
        )
        new_findings, new_map = _check_file(
            new,
            _settings(new, config_file, None, ()),
            markdown=markdown,
            model=model,
            encoding=encoding,
            weights=chosen,
        )
    d = diff_maps(
        old_map,
        new_map,
        old_findings=old_findings,
        new_findings=new_findings,
        old_name=old,
        new_name=new,
    )
    typer.echo(format_diff_json(d) if fmt is DiffFormat.JSON else format_diff_text(d), nl=False)
