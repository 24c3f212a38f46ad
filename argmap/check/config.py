"""Which rules run and how severe they are: settings files, options, inline comments.

Settings come from the nearest ``.argmap.toml`` (top level) or ``pyproject.toml``
(``[tool.argmap]``), searching upwards from a directory, so a project can agree
on its rules once. An inline ``<!-- argmap: disable=AM201 -->`` in a draft
silences rules for the paragraph after it, where one finding is a deliberate
choice rather than a slip.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from argmap.check.findings import Finding, Severity
from argmap.errors import InputError

__all__ = [
    "CONFIG_KEYS",
    "CheckConfig",
    "RuleInfo",
    "find_config",
    "inline_disables",
    "load_config",
    "resolve_rules",
    "silenced",
]

CONFIG_KEYS = ("select", "ignore", "severity", "fail-on")
_INLINE = re.compile(r"<!--\s*argmap:\s*disable\s*=\s*([A-Za-z0-9_,\s-]+?)\s*-->")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


class RuleInfo(BaseModel):
    """A rule's stable identity: code, name and default severity."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    severity: Severity


class CheckConfig(BaseModel):
    """Rule selection and severities; the defaults run every rule at its own severity."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    fail_on: Severity = Field(default=Severity.ERROR, alias="fail-on")


def _matches(selector: str, rule: RuleInfo) -> bool:
    s = selector.strip()
    return s.upper() == "ALL" or s == rule.name or rule.code.startswith(s.upper())


def _validate_selectors(selectors: Iterable[str], rules: Sequence[RuleInfo], where: str) -> None:
    for s in selectors:
        if not any(_matches(s, r) for r in rules):
            known = ", ".join(f"{r.code} {r.name}" for r in rules)
            raise InputError(f"{where}: unknown rule {s!r} (rules: {known})")


def resolve_rules(
    config: CheckConfig, rules: Sequence[RuleInfo], *, where: str = "settings"
) -> dict[str, Severity]:
    """The rules to run (code -> severity) after select, ignore and severity overrides.

    Raises:
        InputError: a selector or severity names no rule.
    """
    _validate_selectors([*config.select, *config.ignore, *config.severity], rules, where)
    chosen: dict[str, Severity] = {}
    for rule in rules:
        if not any(_matches(s, rule) for s in config.select):
            continue
        if any(_matches(s, rule) for s in config.ignore):
            continue
        severity = rule.severity
        for selector, override in config.severity.items():
            if _matches(selector, rule):
                severity = override
        chosen[rule.code] = severity
    return chosen


def find_config(start: Path) -> Path | None:
    """The nearest settings file at or above ``start``: ``.argmap.toml``, else a
    ``pyproject.toml`` that has a ``[tool.argmap]`` table."""
    for directory in [start, *start.parents]:
        own = directory / ".argmap.toml"
        if own.is_file():
            return own
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and isinstance(_tool_table(_read_toml(pyproject)), dict):
            return pyproject
    return None


_MAX_SETTINGS_CHARS = 1_000_000
"""Settings files are a few lines; anything this long is not one."""


def _tool_table(data: dict[str, Any]) -> object:
    """``[tool.argmap]`` of a pyproject.toml (None when absent, whatever ``tool`` is)."""
    tool = data.get("tool")
    return tool.get("argmap") if isinstance(tool, dict) else None


def _read_toml(path: Path) -> dict[str, Any]:
    from argmap.textfile import read_path

    text = read_path(path, max_chars=_MAX_SETTINGS_CHARS)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: cannot read settings ({exc})") from exc
    except ValueError:  # tomllib lets int()'s digit limit through
        raise InputError(f"{path}: cannot read settings (a number is too long)") from None
    except RecursionError:
        raise InputError(f"{path}: cannot read settings (nested too deeply)") from None


def load_config(path: Path | None) -> CheckConfig:
    """Read check settings from a ``.argmap.toml`` or ``pyproject.toml`` (None: defaults).

    Keys other than select, ignore, severity and fail-on are left to other
    argmap commands. Lists may also be given as comma-separated strings.

    Raises:
        InputError: the file cannot be read or a setting has the wrong type.
    """
    if path is None:
        return CheckConfig()
    data = _read_toml(path)
    table = _tool_table(data) if path.name == "pyproject.toml" else data
    if table is None:
        table = {}
    if not isinstance(table, dict):
        raise InputError(f"{path}: the argmap settings must be a table, not {type(table).__name__}")
    settings = {k: v for k, v in table.items() if k in CONFIG_KEYS}
    for key in ("select", "ignore"):
        if isinstance(settings.get(key), str):
            settings[key] = [s for s in settings[key].split(",") if s.strip()]
    try:
        return CheckConfig.model_validate(settings)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: setting {where}: {first['msg']}") from exc


def inline_disables(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, selectors)`` for each ``<!-- argmap: disable=... -->`` comment.

    The span covers the next paragraph: from the comment to the first blank
    line after the paragraph's text begins.
    """
    spans = []
    for match in _INLINE.finditer(text):
        selectors = tuple(s.strip() for s in match.group(1).split(",") if s.strip())
        begin = match.end()
        while begin < len(text) and text[begin].isspace():
            begin += 1
        blank = _BLANK_LINE.search(text, begin)
        spans.append((match.start(), blank.start() if blank else len(text), selectors))
    return spans


def silenced(
    finding: Finding,
    start: int | None,
    disables: Sequence[tuple[int, int, tuple[str, ...]]],
    rules: Sequence[RuleInfo],
) -> bool:
    """Whether an inline comment silences ``finding`` (about a unit starting at ``start``)."""
    if start is None:
        return False
    rule = next(r for r in rules if r.code == finding.code)
    return any(a <= start < b and any(_matches(s, rule) for s in sel) for a, b, sel in disables)
