"""Read maps saved before reasons were data: prose cues become ``Cue`` records.

Until argmap 0.1 a unit's ``cues`` were sentences ("thesis: a call to action
(+2.0)", "hedge 'perhaps'") and a relation's ``cue`` one sentence; the thesis's
close rivals travelled in its cues ("thesis: close rival u7 (2.0 vs 2.3)") and
a link the linker made without a cue was told apart only by its confidence.
This module is the ONE place that reads that wording: the model's loaders call
it on raw dicts, so every consumer sees structured fields, whatever the map's
age. It works on plain dicts and kind names (it must not import the model,
which imports it).

What it recognises, it converts to the cue kind the pipeline now emits
(so ``argmap check`` reads an old map as it read it before); anything else
becomes kind ``legacy`` with the sentence as its description. One heuristic
lives here and nowhere else: an old relation at confidence 0.3 or less whose
cue says it found none ("no cue found"), or evidence hung on the thesis at 0.4
or less "with no claim near it", is a fallback link.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["legacy_cue", "upgrade_relation", "upgrade_unit"]

LEGACY_RULE = "legacy"

_THESIS = re.compile(r"^thesis: (.*) \(([+-]\d+(?:\.\d+)?)\)$", re.S)
_RIVAL = re.compile(r"^thesis: close rival (u[1-9]\d*) \((-?\d+(?:\.\d+)?) vs (-?\d+(?:\.\d+)?)\)$")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
_OPENER_KINDS = {
    "conclusion": "conclusion_marker",
    "reason": "reason_connective",
    "contrast": "contrast",
    "concession": "concession",
    "enumeration": "enumeration",
    "addition": "addition",
    "restatement": "restatement",
    "example": "example_marker",
}
# Old wording (a prefix) -> kind, first match wins; longer prefixes first where they overlap.
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("a call to action", "call_to_action"),
    ("is evidence", "evidence_role"),
    ("is objection", "objection_role"),
    ("stance", "stance"),
    ("evaluative", "evaluative"),
    ("opens the piece", "position"),
    ("closes the piece", "position"),
    ("in the opening paragraph", "position"),
    ("in the closing paragraph", "position"),
    ("shares ", "title_overlap"),
    ("repeats ", "title_overlap"),
    ("central vocabulary", "centrality"),
    ("a question", "question"),
    ("question", "question"),
    ("subordinate to", "subordinate"),
    ("hedged by", "hedge"),
    ("hedged ", "answered_next"),
    ("hedge ", "hedge"),
    ("very short", "short"),
    ("claim: other units support it", "supported"),
    ("opponent view", "opponent_view"),
    ("concessive clause", "concession"),
    ("answered by", "answered_next"),
    ("continues the objection", "continuation"),
    ("attribution", "attribution"),
    ("number ", "statistic"),
    ("quotation", "quotation"),
    ("block quote", "block_quote"),
    ("rhetorical question", "rhetorical_question"),
    ("deontic modal", "deontic_modal"),
    ("prohibition", "prohibition"),
    ("imperative", "imperative"),
    ("example marker", "example_marker"),
    ("assertion (no stronger cue)", "default"),
    ("correction:", "correction"),
    ("imported from", "imported"),
)


def _kind_of(text: str) -> str:
    opener = re.match(r"^(?:opens with )?(\w+) marker\b", text)
    if opener and opener.group(1) in _OPENER_KINDS:
        return _OPENER_KINDS[opener.group(1)]
    if text.startswith("conclusion marker"):
        return "conclusion_marker"
    return next((kind for prefix, kind in _PREFIXES if text.startswith(prefix)), "legacy")


def _words_in(text: str) -> str:
    found = _QUOTED.search(text)
    if found is None:
        return ""
    return (found.group(1) if found.group(1) is not None else found.group(2)) or ""


def legacy_cue(text: str) -> dict[str, Any]:
    """A prose cue of an old map as the fields of a ``Cue`` (kind, words, weight, description)."""
    weight, body = 1.0, text
    scored = _THESIS.match(text)
    if scored is not None:
        body, weight = scored.group(1), float(scored.group(2))
    rival = _RIVAL.match(text)
    if rival is not None:
        return {
            "kind": "rival",
            "weight": float(rival.group(2)),
            "rule": LEGACY_RULE,
            "description": text,
        }
    return {
        "kind": _kind_of(body),
        "words": _words_in(body),
        "weight": weight,
        "rule": LEGACY_RULE,
        "description": text,
    }


def upgrade_unit(data: dict[str, Any]) -> dict[str, Any]:
    """A unit dict with any prose cues turned into cue records, rivals and flags.

    New-schema dicts pass through unchanged (apart from ``calls_for_action``,
    which a recommendation always has).
    """
    cues = data.get("cues")
    if isinstance(cues, list) and any(isinstance(c, str) for c in cues):
        data = dict(data)
        rivals: list[dict[str, Any]] = []
        score: float | None = None
        upgraded: list[Any] = []
        for cue in cues:
            if not isinstance(cue, str):
                upgraded.append(cue)
                continue
            rival = _RIVAL.match(cue)
            if rival is not None:
                rivals.append({"unit": rival.group(1), "score": float(rival.group(2))})
                score = float(rival.group(3))
            upgraded.append(legacy_cue(cue))
        data["cues"] = upgraded
        data.setdefault("rule", LEGACY_RULE)
        if rivals and "rivals" not in data:
            data["rivals"] = sorted(rivals, key=lambda r: -float(r["score"]))
            data.setdefault("score", score)
        if "calls_for_action" not in data:
            data["calls_for_action"] = any(
                isinstance(c, dict) and c.get("kind") == "call_to_action" for c in upgraded
            )
    if _value(data.get("role")) == "recommendation" and not data.get("calls_for_action"):
        data = {**data, "calls_for_action": True}
    return data


def _value(role: object) -> object:
    return getattr(role, "value", role)


def upgrade_relation(data: dict[str, Any]) -> dict[str, Any]:
    """A relation dict with a prose cue turned into a cue record and the fallback flag."""
    cue = data.get("cue")
    if not isinstance(cue, str):
        return data
    confidence = data.get("confidence")
    level = float(confidence) if isinstance(confidence, int | float) else 1.0
    fallback = (level <= 0.3 and "no cue" in cue) or (level <= 0.4 and "no claim near it" in cue)
    record = {
        "kind": "fallback" if fallback else "legacy",
        "rule": LEGACY_RULE,
        "description": cue,
        "words": _words_in(cue),
    }
    return {
        **data,
        "cue": record,
        "rule": data.get("rule", LEGACY_RULE),
        "fallback": data.get("fallback", fallback),
    }
