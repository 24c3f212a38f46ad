"""Lint the logic of a draft: unsupported claims, unanswered objections, orphan figures.

>>> from argmap.check import check_text
>>> [f.name for f in check_text("We should plant trees.")]  # doctest: +SKIP
['unsupported-claim', 'no-evidence']

``check`` runs the rules of ``argmap.check.rules`` over a map, in order, and
returns ``Finding``s sorted by position. It is pure: it reads the map and the
source text (the thesis's close rivals are a field of the thesis), and only
``check_text`` runs the language model. Library code never prints; the CLI
formats findings.
"""

from __future__ import annotations

import json
import textwrap
from functools import cache
from importlib import resources

from argmap.check.config import (
    CheckConfig,
    RuleInfo,
    find_config,
    inline_disables,
    load_config,
    resolve_rules,
    silenced,
)
from argmap.check.findings import Finding, Severity
from argmap.check.rules import RULES, Rule
from argmap.check.view import MapView
from argmap.errors import InputError
from argmap.model import ArgumentMap
from argmap.reader import parse_text

__all__ = [
    "RULES",
    "CheckConfig",
    "Finding",
    "Rule",
    "Severity",
    "check",
    "check_text",
    "explain",
    "find_config",
    "find_rule",
    "load_config",
    "rule_infos",
    "rule_texts",
]


def rule_infos() -> list[RuleInfo]:
    """Code, name and default severity of every rule, in order."""
    return [RuleInfo(code=r.code, name=r.name, severity=r.severity) for r in RULES]


def check(
    m: ArgumentMap,
    text: str | None = None,
    *,
    markdown: bool = False,
    config: CheckConfig | None = None,
    file: str | None = None,
) -> list[Finding]:
    """Run the enabled rules over a map and return their findings in text order.

    Args:
        m: the argument map (from ``argmap.analyze`` or a saved JSON map).
        text: the source the map was made from; it gives columns, paragraphs
            and inline ``<!-- argmap: disable=... -->`` comments. Without it,
            columns are 1 and each line counts as a paragraph.
        markdown: read ``text`` as Markdown when finding its paragraphs.
        config: rule selection and severities (default: every rule, default severity).
        file: the name findings report as their file.

    Raises:
        InputError: the configuration names a rule that does not exist.
    """
    config = config or CheckConfig()
    infos = rule_infos()
    active = resolve_rules(config, infos)
    starts = [b.start for b in parse_text(text, markdown=markdown).blocks] if text else None
    view = MapView(m, text, starts)
    disables = inline_disables(text) if text else []
    findings: list[Finding] = []
    for rule in RULES:
        if rule.code not in active:
            continue
        for hit in rule.check(view):
            finding = Finding(
                code=rule.code,
                name=rule.name,
                severity=active[rule.code],
                message=hit.message,
                fix=hit.fix,
                unit=hit.unit.id if hit.unit else None,
                line=hit.unit.line if hit.unit else 1,
                column=view.column(hit.unit) if hit.unit else 1,
                file=file,
                related=hit.related,
            )
            if not silenced(finding, hit.unit.start if hit.unit else None, disables, infos):
                findings.append(finding)
    return sorted(findings, key=lambda f: (f.line, f.column, f.code))


def check_text(
    text: str,
    *,
    markdown: bool = False,
    model: str | None = None,
    config: CheckConfig | None = None,
    file: str | None = None,
) -> list[Finding]:
    """Map ``text`` and check it.

    Raises:
        InputError: the text is empty or the configuration is invalid.
        ModelError: the language model cannot be loaded.
    """
    from argmap.pipeline import analyze

    m = analyze(text, markdown=markdown, model=model)
    return check(m, text, markdown=markdown, config=config, file=file)


@cache
def rule_texts() -> dict[str, dict[str, str]]:
    """The explanation of every rule (``rules.json``): summary, why, fix, bad, good."""
    raw = resources.files(__package__).joinpath("rules.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = json.loads(raw)
    return {code: texts for code, texts in data.items() if not code.startswith("_")}


def find_rule(selector: str) -> Rule:
    """The rule with this code (``AM201``, any case) or name (``unsupported-claim``).

    Raises:
        InputError: no rule has that code or name.
    """
    for rule in RULES:
        if selector.strip().upper() == rule.code or selector.strip() == rule.name:
            return rule
    known = ", ".join(f"{r.code} {r.name}" for r in RULES)
    raise InputError(f"unknown rule {selector!r} (rules: {known})")


def explain(selector: str) -> str:
    """What a rule means, why it matters, how to fix it, with an example (plain text).

    Raises:
        InputError: no rule has that code or name.
    """
    rule = find_rule(selector)
    texts = rule_texts()[rule.code]

    def block(title: str, body: str) -> list[str]:
        wrapped = [
            textwrap.fill(p, 88, initial_indent="  ", subsequent_indent="  ")
            for p in body.split("\n\n")
        ]
        return [title, *wrapped, ""]

    silence = [
        "Silence it:",
        f"  argmap check --ignore {rule.code} ...",
        f'  ignore = ["{rule.code}"] in [tool.argmap] (pyproject.toml) or .argmap.toml',
        f"  <!-- argmap: disable={rule.code} --> on the line before a paragraph (Markdown)",
    ]
    return (
        "\n".join(
            [
                f"{rule.code} {rule.name} (default severity: {rule.severity.value})",
                "",
                textwrap.fill(texts["summary"], 88),
                "",
                *block("Why it matters:", texts["why"]),
                *block("How to fix it:", texts["fix"]),
                *block("Flagged:", texts["bad"]),
                *block("Better:", texts["good"]),
                *silence,
            ]
        ).rstrip()
        + "\n"
    )
