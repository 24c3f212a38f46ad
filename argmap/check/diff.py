"""What changed in the argument between two drafts: units and findings.

Units are matched first by identical text, then by similarity (difflib's
ratio, at least ``MATCH_THRESHOLD``), best pairs first, so a re-worded
sentence is recognised as the same unit. A matched pair is "changed" when its
wording, its role or its attachment (what it supports or attacks) differs.
Findings are compared by rule and by unit, through the same matching, so a
finding that merely moved with its sentence is neither new nor resolved.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Literal

from pydantic import BaseModel, ConfigDict

from argmap.check.findings import Finding
from argmap.check.format import finding_line
from argmap.check.view import quote
from argmap.model import ArgumentMap, RelationKind, Role, Unit
from argmap.render.numbering import primary_relations

__all__ = [
    "MATCH_THRESHOLD",
    "Attachment",
    "FindingChange",
    "MapDiff",
    "UnitChange",
    "UnitRef",
    "diff_maps",
    "format_diff_json",
    "format_diff_text",
    "match_units",
]

MATCH_THRESHOLD = 0.6
"""Below this similarity two sentences are different units, not one re-worded."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UnitRef(_Frozen):
    """A unit as a diff shows it: id, role, line and text."""

    id: str
    role: Role
    line: int
    text: str


class Attachment(_Frozen):
    """What a unit bears on: support or attack, and the target unit."""

    kind: RelationKind
    target: UnitRef


class UnitChange(_Frozen):
    """A unit added, removed, or changed (re-worded, new role, new attachment)."""

    kind: Literal["added", "removed", "changed"]
    old: UnitRef | None = None
    new: UnitRef | None = None
    similarity: float | None = None
    reworded: bool = False
    role: tuple[Role, Role] | None = None
    attachment: tuple[Attachment | None, Attachment | None] | None = None
    """(before, after) when what the unit bears on changed; None stands for nothing."""


class FindingChange(_Frozen):
    """A finding that appeared in the new draft or was resolved since the old one."""

    kind: Literal["appeared", "resolved"]
    finding: Finding


class MapDiff(_Frozen):
    """Everything that changed, in document order of the new draft."""

    old: str
    new: str
    units: list[UnitChange]
    findings: list[FindingChange]


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def match_units(old: Sequence[Unit], new: Sequence[Unit]) -> dict[str, tuple[str, float]]:
    """Old unit id -> (new unit id, similarity) for units that are the same sentence."""
    matched: dict[str, tuple[str, float]] = {}
    taken: set[str] = set()
    by_text: dict[str, list[Unit]] = {}
    for u in new:
        by_text.setdefault(_normal(u.text), []).append(u)
    for u in old:
        same = [n for n in by_text.get(_normal(u.text), []) if n.id not in taken]
        if same:
            matched[u.id] = (same[0].id, 1.0)
            taken.add(same[0].id)
    pairs: list[tuple[float, int, int, str, str]] = []
    for i, u in enumerate(old):
        if u.id in matched:
            continue
        for j, n in enumerate(new):
            if n.id in taken:
                continue
            matcher = SequenceMatcher(None, _normal(u.text), _normal(n.text), autojunk=False)
            if matcher.real_quick_ratio() < MATCH_THRESHOLD:
                continue
            if matcher.quick_ratio() < MATCH_THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio >= MATCH_THRESHOLD:
                pairs.append((-ratio, abs(i - j), i, u.id, n.id))
    for neg_ratio, _distance, _i, old_id, new_id in sorted(pairs):
        if old_id not in matched and new_id not in taken:
            matched[old_id] = (new_id, round(-neg_ratio, 3))
            taken.add(new_id)
    return matched


def _ref(u: Unit) -> UnitRef:
    return UnitRef(id=u.id, role=u.role, line=u.line, text=u.text)


def _attachment(m: ArgumentMap, unit_id: str) -> Attachment | None:
    """The unit's primary relation (the one outlines number it by), or None."""
    rel = primary_relations(m).get(unit_id)
    return Attachment(kind=rel.kind, target=_ref(m.unit(rel.target))) if rel else None


def _describe(attachment: Attachment | None) -> str:
    if attachment is None:
        return "nothing"
    verb = "supports" if attachment.kind is RelationKind.SUPPORT else "attacks"
    return f"{verb} {quote(attachment.target.text, 40)}"


def diff_maps(
    old: ArgumentMap,
    new: ArgumentMap,
    *,
    old_findings: Sequence[Finding] = (),
    new_findings: Sequence[Finding] = (),
    old_name: str = "old",
    new_name: str = "new",
) -> MapDiff:
    """Compare two maps (and their findings) unit by unit."""
    matched = match_units(old.units, new.units)
    new_of = {old_id: new_id for old_id, (new_id, _) in matched.items()}
    changes: list[tuple[tuple[int, int], UnitChange]] = []
    new_order = {u.id: i for i, u in enumerate(new.units)}
    old_order = {u.id: i for i, u in enumerate(old.units)}
    for u in old.units:
        if u.id not in matched:
            changes.append(((-1, old_order[u.id]), UnitChange(kind="removed", old=_ref(u))))
    for u in old.units:
        if u.id not in matched:
            continue
        new_id, similarity = matched[u.id]
        n = new.unit(new_id)
        before, after = _attachment(old, u.id), _attachment(new, n.id)
        translated = (before.kind, new_of.get(before.target.id)) if before else None
        moved = translated != ((after.kind, after.target.id) if after else None)
        change = UnitChange(
            kind="changed",
            old=_ref(u),
            new=_ref(n),
            similarity=similarity,
            reworded=_normal(u.text) != _normal(n.text),
            role=(u.role, n.role) if u.role is not n.role else None,
            attachment=(before, after) if moved else None,
        )
        if change.reworded or change.role or change.attachment:
            changes.append(((new_order[n.id], 0), change))
    for n in new.units:
        if n.id not in new_of.values():
            changes.append(((new_order[n.id], 0), UnitChange(kind="added", new=_ref(n))))
    return MapDiff(
        old=old_name,
        new=new_name,
        units=[c for _, c in sorted(changes, key=lambda pair: pair[0])],
        findings=_finding_changes(old_findings, new_findings, new_of),
    )


def _finding_changes(
    old: Sequence[Finding], new: Sequence[Finding], new_of: dict[str, str]
) -> list[FindingChange]:
    def old_key(f: Finding) -> tuple[str, str | None]:
        if f.unit is None:
            return f.code, None
        return f.code, new_of.get(f.unit, f"old:{f.unit}")

    old_keys = {old_key(f) for f in old}
    new_keys = {(f.code, f.unit) for f in new}
    resolved = [
        FindingChange(kind="resolved", finding=f) for f in old if old_key(f) not in new_keys
    ]
    appeared = [
        FindingChange(kind="appeared", finding=f) for f in new if (f.code, f.unit) not in old_keys
    ]
    return appeared + resolved


def _changed_words(old: str, new: str, context: int = 2) -> tuple[str, str]:
    """The part of a re-worded sentence that changed, with a little context either side."""
    a, b = old.split(), new.split()
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)

    def excerpt(words: list[str]) -> str:
        end = min(len(words), len(words) - suffix + context)
        inner = " ".join(words[start:end])
        text = ("…" if start else "") + inner + ("…" if end < len(words) else "")
        return quote(text, 70)

    return excerpt(a), excerpt(b)


def format_diff_text(d: MapDiff) -> str:
    """A readable summary: unit changes, then findings that appeared or were resolved."""
    lines = [f"--- {d.old}", f"+++ {d.new}"]
    counts = {k: sum(1 for c in d.units if c.kind == k) for k in ("added", "removed", "changed")}
    lines.append(
        f"units: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"
    )
    for c in d.units:
        if c.kind == "added" and c.new:
            lines.append(f"  + {d.new}:{c.new.line} {c.new.role.value} {quote(c.new.text, 70)}")
        elif c.kind == "removed" and c.old:
            lines.append(f"  - {d.old}:{c.old.line} {c.old.role.value} {quote(c.old.text, 70)}")
        elif c.old and c.new:
            where = f"  ~ {d.old}:{c.old.line} -> {d.new}:{c.new.line}"
            if c.reworded:
                similar = f"{round((c.similarity or 0) * 100)}% similar"
                before, after = _changed_words(c.old.text, c.new.text)
                lines.append(f"{where} reworded ({similar}): {before} -> {after}")
            if c.role:
                lines.append(
                    f"{where} role: {c.role[0].value} -> {c.role[1].value} {quote(c.new.text, 50)}"
                )
            if c.attachment:
                before, after = (_describe(a) for a in c.attachment)
                lines.append(f"{where} attachment: {before} -> {after}")
    appeared = [c.finding for c in d.findings if c.kind == "appeared"]
    resolved = [c.finding for c in d.findings if c.kind == "resolved"]
    lines.append(f"findings: {len(appeared)} appeared, {len(resolved)} resolved")
    lines += [f"  + {finding_line(f)}" for f in appeared]
    lines += [f"  - {finding_line(f)}" for f in resolved]
    return "\n".join(lines) + "\n"


def format_diff_json(d: MapDiff) -> str:
    """The diff as JSON (``MapDiff``'s fields), for tools."""
    return d.model_dump_json(indent=2) + "\n"
