"""Findings as text (one line each, like a compiler), JSON for tools, GitHub annotations.

The text form is the one editors and CI logs already understand:
``FILE:LINE:COL: CODE name: message fix``, then a summary line. The
GitHub form prints workflow commands, which GitHub turns into annotations on
the changed lines of a pull request.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from argmap._version import __version__
from argmap.check.findings import Finding, Severity

__all__ = ["finding_line", "format_github", "format_json", "format_text", "summarize"]

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def finding_line(finding: Finding) -> str:
    """``draft.md:12:5: AM201 unsupported-claim: message fix`` (one line)."""
    where = f"{finding.file or '-'}:{finding.line}:{finding.column}"
    return f"{where}: {finding.code} {finding.name}: {finding.message} {finding.fix}"


def summarize(findings: Sequence[Finding]) -> str:
    """``3 problems: 1 error, 2 warnings``, or ``no problems`` when there are none."""
    if not findings:
        return "no problems"
    counts = Counter(f.severity for f in findings)
    parts = []
    for severity, singular, plural in (
        (Severity.ERROR, "error", "errors"),
        (Severity.WARNING, "warning", "warnings"),
        (Severity.INFO, "info", "info"),
    ):
        if counts[severity]:
            parts.append(f"{counts[severity]} {singular if counts[severity] == 1 else plural}")
    noun = "problem" if len(findings) == 1 else "problems"
    return f"{len(findings)} {noun}: {', '.join(parts)}"


def format_text(findings: Sequence[Finding]) -> str:
    """One line per finding, then the summary line."""
    return "".join(f"{finding_line(f)}\n" for f in findings) + summarize(findings) + "\n"


def format_json(findings: Sequence[Finding]) -> str:
    """``{"argmap_version", "findings": [...], "summary": {...}}``, for tools."""
    counts = Counter(f.severity.value for f in findings)
    summary = {s.value: counts.get(s.value, 0) for s in Severity} | {"total": len(findings)}
    document = {
        "argmap_version": __version__,
        "findings": [f.model_dump(mode="json") for f in findings],
        "summary": summary,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands: ``::warning file=…,line=…,col=…,title=…::…``."""
    lines = []
    for f in findings:
        properties = ",".join(
            [
                f"file={_escape_property(f.file or '-')}",
                f"line={f.line}",
                f"col={f.column}",
                f"title={_escape_property(f'{f.code} {f.name}')}",
            ]
        )
        message = _escape_data(f"{f.message} {f.fix}")
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {properties}::{message}\n")
    return "".join(lines)
