"""Apply resolved corrections to a map, in a fixed order, refusing what would break it.

Entries arrive with their quotes already turned into unit ids (against the
map as analysed), so one entry's effect never changes what another names.
They apply by kind, in an order where each step's result is what the next
one expects: thesis, roles, attachments and kinds, merges, drops. A change
that would break the map (a cycle, attaching the thesis, a unit merged away
earlier) is refused with a reason instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from argmap.corrections.model import Correction
from argmap.model import (
    ArgumentMap,
    Cue,
    CueKind,
    EvidenceType,
    Relation,
    RelationKind,
    Rival,
    Role,
    Unit,
)

__all__ = ["CORRECTION_RULE", "Resolved", "apply_entries"]

CORRECTION_RULE = "correction"
"""The ``rule`` of every role, relation and cue a correction sets."""

_S, _A = RelationKind.SUPPORT, RelationKind.ATTACK


@dataclass(frozen=True)
class Resolved:
    """A correction with its quotes resolved to unit ids (None: did not resolve)."""

    index: int
    entry: Correction
    unit: str
    attach_to: str | None
    merge_with: str | None


def _cue(description: str) -> Cue:
    return Cue(kind=CueKind.CORRECTION, rule=CORRECTION_RULE, description=description)


def _mark(unit: Unit, description: str, **changes: object) -> Unit:
    """The unit changed by hand: certain, decided by the correction, and saying so."""
    data = unit.model_dump()
    data.update(changes, confidence=1.0, rule=CORRECTION_RULE)
    data["cues"] = [*data["cues"], _cue(description).model_dump()]
    return Unit.model_validate(data)


def _fix(source: str, target: str, kind: RelationKind, description: str) -> Relation:
    return Relation(
        source=source,
        target=target,
        kind=kind,
        confidence=1.0,
        cue=_cue(description),
        rule=CORRECTION_RULE,
    )


class _Editor:
    """The map under correction: plain mutable state, rebuilt into a model at the end."""

    def __init__(self, m: ArgumentMap, source_text: str | None) -> None:
        self.units = {u.id: u for u in m.units}
        self.order = [u.id for u in m.units]
        self.relations = list(m.relations)
        self.thesis = m.thesis
        self.source_text = source_text
        self.problems: list[tuple[int, str]] = []

    def gone(self, r: Resolved, *ids: str | None) -> bool:
        missing = [uid for uid in ids if uid is not None and uid not in self.units]
        if missing:
            self.problems.append((r.index, "the unit was merged or dropped by an earlier entry"))
        return bool(missing)

    def outgoing(self, uid: str) -> list[Relation]:
        return [rel for rel in self.relations if rel.source == uid]

    def reaches(self, start: str, goal: str) -> bool:
        seen, stack = {start}, [start]
        while stack:
            uid = stack.pop()
            if uid == goal:
                return True
            for rel in self.outgoing(uid):
                if rel.target not in seen:
                    seen.add(rel.target)
                    stack.append(rel.target)
        return False

    def make_thesis(self, r: Resolved) -> None:
        uid, old = r.unit, self.thesis
        if uid == old or self.gone(r, uid):
            return
        self.relations = [rel for rel in self.relations if rel.source != uid]
        self.units[uid] = _mark(
            self.units[uid],
            "correction: made the thesis",
            role=Role.THESIS,
            evidence_type=None,
            score=None,
            rivals=[],
        )
        self.thesis = uid
        if old is not None:
            supported = any(rel.target == old and rel.kind is _S for rel in self.relations)
            role = Role.CLAIM if supported else Role.PREMISE
            self.units[old] = _mark(
                self.units[old], "correction: no longer the thesis", role=role, rivals=[]
            )
            self.relations.append(_fix(old, uid, _S, "correction: the former thesis supports it"))

    def set_role(self, r: Resolved) -> None:
        uid, entry = r.unit, r.entry
        if self.gone(r, uid):
            return
        if uid == self.thesis:
            self.problems.append((r.index, "it is the thesis; give another unit 'thesis: true'"))
            return
        unit = self.units[uid]
        role = entry.role or Role.EVIDENCE
        kept = unit.evidence_type if unit.role is Role.EVIDENCE else None
        evidence: EvidenceType | None = (
            (entry.evidence_type or kept) if role is Role.EVIDENCE else None
        )
        if (role, evidence) != (unit.role, unit.evidence_type):
            cue = f"correction: role set to {role.value}"
            calls = role is Role.RECOMMENDATION  # the reader's verdict on whether it calls
            self.units[uid] = _mark(
                unit, cue, role=role, evidence_type=evidence, calls_for_action=calls
            )

    def attach(self, r: Resolved) -> None:
        uid, entry, target = r.unit, r.entry, r.attach_to
        if entry.attach_to is not None and target is None:
            return  # the quote did not resolve; already reported
        if self.gone(r, uid, target):
            return
        if uid == self.thesis:
            self.problems.append(
                (r.index, "the thesis bears on nothing; make another unit the thesis first")
            )
            return
        current = self.outgoing(uid)
        if target is None:  # kind only
            if not current:
                self.problems.append(
                    (r.index, "it has no relation whose kind could change; add attach-to")
                )
                return
            if entry.kind is not None and any(rel.kind is not entry.kind for rel in current):
                changed = [
                    _fix(rel.source, rel.target, entry.kind, "correction: kind set by hand")
                    for rel in current
                ]
                self.relations = [rel for rel in self.relations if rel.source != uid] + changed
            return
        if target == uid or self.reaches(target, uid):
            self.problems.append(
                (r.index, "attach-to would make a cycle (that unit already bears on this one)")
            )
            return
        default = (
            current[0].kind if current else (_A if self.units[uid].role is Role.OBJECTION else _S)
        )
        kind = entry.kind or default
        if [(rel.target, rel.kind) for rel in current] == [(target, kind)]:
            return
        self.relations = [rel for rel in self.relations if rel.source != uid]
        self.relations.append(_fix(uid, target, kind, "correction: attached by hand"))

    def merge(self, r: Resolved) -> None:
        absorbed, survivor = r.unit, r.merge_with
        if survivor is None or self.gone(r, absorbed, survivor):
            return
        if absorbed == survivor:
            self.problems.append((r.index, "merge-with names the unit itself"))
            return
        if absorbed == self.thesis:  # the thesis always survives a merge
            absorbed, survivor = survivor, absorbed
        a, b = sorted((absorbed, survivor), key=self.order.index)
        first, second = self.units[a], self.units[b]
        update: dict[str, object] = {}
        if self.order.index(b) == self.order.index(a) + 1:  # neighbours: one span of text
            text = f"{first.text} {second.text}"
            if (
                self.source_text is not None
                and self.source_text[first.start : first.end] == first.text
            ):
                text = self.source_text[first.start : second.end]
            update = {"text": text, "start": first.start, "end": second.end, "line": first.line}
        kept = self.units[survivor]
        update["calls_for_action"] = kept.calls_for_action or self.units[absorbed].calls_for_action
        cue = f"correction: merged with {self.units[absorbed].text[:40]!r}"
        self.units[survivor] = _mark(kept, cue, **update)
        had_own = bool(self.outgoing(survivor))
        moved: list[Relation] = []
        for rel in self.relations:
            ends = {rel.source, rel.target}
            if ends == {absorbed, survivor}:
                continue
            if rel.target == absorbed:
                rel = rel.model_copy(update={"target": survivor})
            if rel.source == absorbed:
                if had_own:
                    continue
                rel = rel.model_copy(update={"source": survivor})
            moved.append(rel)
        self.relations = moved
        self.remove(absorbed)

    def drop(self, r: Resolved) -> None:
        uid = r.unit
        if self.gone(r, uid):
            return
        if uid == self.thesis:
            self.problems.append((r.index, "the map has no thesis now; give a unit 'thesis: true'"))
            self.thesis = None
        parent = max(self.outgoing(uid), key=lambda rel: rel.confidence, default=None)
        kept: list[Relation] = []
        for rel in self.relations:
            if rel.source == uid:
                continue
            if rel.target == uid:
                if parent is None or parent.target == rel.source:
                    continue
                kind = _S if (rel.kind is _S) == (parent.kind is _S) else _A
                rel = _fix(
                    rel.source, parent.target, kind, "correction: moved up from a dropped unit"
                )
            kept.append(rel)
        self.relations = kept
        self.remove(uid)

    def remove(self, uid: str) -> None:
        del self.units[uid]
        self.order.remove(uid)

    def result(self) -> ArgumentMap:
        """Renumber ``u1..uN`` in text order and rebuild a valid, sorted map."""
        new_id = {old: f"u{i}" for i, old in enumerate(self.order, start=1)}
        units = [
            self.units[old].model_copy(
                update={
                    "id": new_id[old],
                    "rivals": [
                        Rival(unit=new_id[r.unit], score=r.score)
                        for r in self.units[old].rivals
                        if r.unit in new_id
                    ],
                }
            )
            for old in self.order
        ]
        seen: set[tuple[str, str, RelationKind]] = set()
        relations: list[Relation] = []
        for rel in self.relations:
            key = (new_id[rel.source], new_id[rel.target], rel.kind)
            if key[0] == key[1] or key in seen:
                continue
            seen.add(key)
            relations.append(rel.model_copy(update={"source": key[0], "target": key[1]}))
        position = {f"u{i}": i for i in range(1, len(units) + 1)}
        relations.sort(key=lambda rel: (position[rel.source], position[rel.target], rel.kind.value))
        thesis = new_id[self.thesis] if self.thesis is not None else None
        linked = {rel.source for rel in relations}
        return ArgumentMap(
            thesis=thesis,
            units=units,
            relations=relations,
            unattached=[u.id for u in units if u.id != thesis and u.id not in linked],
            skipped=[],
        )


def apply_entries(
    m: ArgumentMap, resolved: Sequence[Resolved], *, source_text: str | None = None
) -> tuple[ArgumentMap, list[tuple[int, str]]]:
    """Apply resolved entries; return the new map and (entry index, problem) pairs."""
    editor = _Editor(m, source_text)
    steps: list[tuple[Callable[[Correction], bool], Callable[[Resolved], None]]] = [
        (lambda e: e.makes_thesis, editor.make_thesis),
        (lambda e: not e.makes_thesis and (e.role or e.evidence_type) is not None, editor.set_role),
        (lambda e: e.attach_to is not None or e.kind is not None, editor.attach),
        (lambda e: e.merge_with is not None, editor.merge),
        (lambda e: e.drop, editor.drop),
    ]
    for wanted, step in steps:
        for r in resolved:
            if wanted(r.entry):
                step(r)
    corrected = editor.result().model_copy(update={"skipped": list(m.skipped)})
    return corrected, sorted(editor.problems)
