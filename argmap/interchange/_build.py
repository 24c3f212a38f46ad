"""Turn what an importer read (units, relations, maybe roles) into an ArgumentMap.

Argdown and AIF documents carry less than an argmap map: AIF has no roles and
no thesis, hand-written Argdown has no unit order or source offsets. Both
importers hand their findings to :func:`build_map`, which fills the gaps the
same way for every format, and records in each unit's ``cues`` and ``rule``
how its role was decided (the file said so, or the structure did), so that
"why is this an objection?" has an answer after import.

Imported maps have no source text. Their offsets point into a virtual text:
the units' texts joined by newlines, one unit per line (``line`` is the unit's
position, ``text == virtual[start:end]``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from argmap.model import (
    ArgumentMap,
    Cue,
    CueKind,
    EvidenceType,
    Relation,
    RelationKind,
    Role,
    Unit,
)

__all__ = [
    "STRUCTURE_RULE",
    "ImportedRelation",
    "ImportedUnit",
    "build_map",
    "import_rule",
    "pick_thesis",
    "structural_roles",
]

STRUCTURE_RULE = "structural_roles"
"""The ``rule`` of a role read off an imported map's structure (see ``structural_roles``)."""


def import_rule(fmt: str) -> str:
    """The ``rule`` of what an imported file itself says (``argdown_import``, ``aif_import``)."""
    return f"{fmt.lower()}_import"


_UNIT_ID = re.compile(r"^u([1-9][0-9]*)$")


@dataclass
class ImportedUnit:
    """One element read from a file, keyed by whatever the format names it by."""

    key: str
    text: str
    role: Role | None = None
    evidence_type: EvidenceType | None = None
    role_cue: str | None = None
    preferred_id: str | None = None
    calls_for_action: bool = False


@dataclass(frozen=True)
class ImportedRelation:
    """A support or attack between two imported units (by key)."""

    source: str
    target: str
    kind: RelationKind
    cue: str


def _descendants(
    roots: Sequence[str], incoming: dict[str, list[str]], budget: int
) -> dict[str, int] | None:
    """Count, for each root, the units that reach it through relations (each once).

    None when that takes more than ``budget`` steps: roots that share most of
    what lies under them (one unit bearing on thousands of roots) make the
    exact count quadratic.
    """
    sizes: dict[str, int] = {}
    for root in roots:
        seen = {root}
        stack = [root]
        while stack:
            children = incoming.get(stack.pop(), [])
            budget -= len(children) + 1
            if budget < 0:
                return None
            for child in children:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        sizes[root] = len(seen) - 1
    return sizes


def _first_descendants(roots: Sequence[str], incoming: dict[str, list[str]]) -> dict[str, int]:
    """Like ``_descendants``, but a unit under several roots counts for the first only: linear."""
    seen = set(roots)
    sizes: dict[str, int] = {}
    for root in roots:
        stack, count = [root], 0
        while stack:
            for child in incoming.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
                    count += 1
        sizes[root] = count
    return sizes


def pick_thesis(
    ids: Sequence[str], relations: Sequence[tuple[str, str, RelationKind]]
) -> str | None:
    """The root (no outgoing relation) with the most units under it; ties go to the first.

    Neither AIF nor a bare pro/con tree marks a main claim; the conclusion that
    everything else argues towards is the best reading of "thesis". A unit
    under several roots counts for each of them, unless counting so would take
    more than a few steps per unit and relation (only heavily shared
    structures); then it counts for the first root that reaches it, so the
    choice stays linear in the map.
    """
    if not ids:
        return None
    sources = {s for s, _, _ in relations}
    incoming: dict[str, list[str]] = {}
    for source, target, _ in relations:
        incoming.setdefault(target, []).append(source)
    roots = [uid for uid in ids if uid not in sources] or list(ids)
    budget = 4 * (len(ids) + len(relations)) + 10_000
    sizes = _descendants(roots, incoming, budget)
    if sizes is None:
        sizes = _first_descendants(roots, incoming)
    return max(roots, key=sizes.__getitem__)  # max keeps the first of equals: document order


def structural_roles(
    ids: Sequence[str],
    relations: Sequence[tuple[str, str, RelationKind]],
    thesis: str | None,
) -> dict[str, tuple[Role, str]]:
    """Roles read off the structure alone, with the reason for each.

    The thesis side is the author's; an attack flips the side. A unit that
    attacks the author's side is an ``objection``; any other unit that
    something supports is a ``claim``, the rest are ``premise``. This is what
    a format without roles (AIF, an untagged Argdown tree) can tell us. The
    result does not depend on the order the relations are listed in.
    """
    outgoing: dict[str, list[tuple[str, RelationKind]]] = {}
    incoming: dict[str, list[tuple[str, RelationKind]]] = {}
    neighbours: dict[str, list[tuple[str, RelationKind]]] = {}
    position = {uid: i for i, uid in enumerate(ids)}
    ordered = sorted(relations, key=lambda r: (position[r[0]], position[r[1]], r[2].value))
    for source, target, kind in ordered:
        outgoing.setdefault(source, []).append((target, kind))
        incoming.setdefault(target, []).append((source, kind))
        neighbours.setdefault(source, []).append((target, kind))
        neighbours.setdefault(target, []).append((source, kind))
    side: dict[str, bool] = {}  # True: the author's side; support keeps it, attack flips it
    roots = ([thesis] if thesis is not None else []) + [u for u in ids if u not in outgoing]
    for root in [*roots, *ids]:
        if root in side:
            continue
        side[root] = True
        stack = [root]
        while stack:
            uid = stack.pop()
            for other, kind in neighbours.get(uid, []):
                if other not in side:
                    side[other] = side[uid] if kind is RelationKind.SUPPORT else not side[uid]
                    stack.append(other)
    roles: dict[str, tuple[Role, str]] = {}
    for uid in ids:
        attacks_author = any(
            kind is RelationKind.ATTACK and side[target] for target, kind in outgoing.get(uid, [])
        )
        supported = any(kind is RelationKind.SUPPORT for _, kind in incoming.get(uid, []))
        if uid == thesis:
            roles[uid] = (Role.THESIS, "thesis: the conclusion the other units argue towards")
        elif attacks_author and not side[uid]:
            roles[uid] = (Role.OBJECTION, "objection: it attacks the author's side")
        elif supported:
            roles[uid] = (Role.CLAIM, "claim: other units support it")
        else:
            roles[uid] = (Role.PREMISE, "premise: nothing supports it")
    return roles


def _assign_ids(units: Sequence[ImportedUnit]) -> list[tuple[str, ImportedUnit]]:
    """Keep the file's own ``u<N>`` ids (and their order) when they are complete and unique."""
    numbers: list[int] = []
    for unit in units:
        found = _UNIT_ID.match(unit.preferred_id or "")
        if found is None:
            break
        numbers.append(int(found.group(1)))
    if units and len(numbers) == len(units) and len(set(numbers)) == len(numbers):
        order = sorted(range(len(units)), key=numbers.__getitem__)
        return [(f"u{numbers[i]}", units[i]) for i in order]
    return [(f"u{i}", unit) for i, unit in enumerate(units, start=1)]


def build_map(
    units: Sequence[ImportedUnit],
    relations: Sequence[ImportedRelation],
    *,
    fmt: str,
    thesis_key: str | None = None,
    find_thesis: bool = True,
) -> ArgumentMap:
    """Assemble a valid map: ids, virtual offsets, thesis, roles and relations.

    Args:
        units: Elements in the order the file gives them.
        relations: Relations between element keys; duplicates and self-loops
            are dropped.
        fmt: The format's name, for the cues (``"Argdown"``, ``"AIF"``).
        thesis_key: The element the file marks as the thesis, if it does.
        find_thesis: Without ``thesis_key``, pick the root with the most units
            under it; False when the file says there is no thesis.

    Returns:
        The map; roles the file gave are kept (confidence 1.0), the others are
        read off the structure (confidence 0.5).
    """
    ordered = _assign_ids(units)
    id_of = {unit.key: uid for uid, unit in ordered}
    rels: list[tuple[str, str, RelationKind, str]] = []
    seen: set[tuple[str, str, RelationKind]] = set()
    for rel in relations:
        source, target = id_of[rel.source], id_of[rel.target]
        if source == target or (source, target, rel.kind) in seen:
            continue
        seen.add((source, target, rel.kind))
        rels.append((source, target, rel.kind, rel.cue))
    ids = [uid for uid, _ in ordered]
    triples = [(s, t, k) for s, t, k, _ in rels]
    thesis = id_of.get(thesis_key) if thesis_key is not None else None
    if thesis is None and find_thesis:
        thesis = pick_thesis(ids, triples)
    derived = structural_roles(ids, triples, thesis)

    built: list[Unit] = []
    offset = 0
    given = import_rule(fmt)
    for line, (uid, unit) in enumerate(ordered, start=1):
        text = " ".join(unit.text.split())
        role, said = derived[uid]
        confidence, rule = 0.5, STRUCTURE_RULE
        kind = CueKind.SUPPORTED if role is Role.CLAIM else CueKind.IMPORTED
        if uid != thesis and unit.role is not None and unit.role is not Role.THESIS:
            role, said, confidence = unit.role, unit.role_cue or f"{fmt}: role given", 1.0
            rule, kind = given, CueKind.IMPORTED
        elif uid == thesis and unit.role is Role.THESIS:
            said, confidence = unit.role_cue or f"{fmt}: marked as the thesis", 1.0
            rule, kind = given, CueKind.IMPORTED
        evidence_type = unit.evidence_type if role is Role.EVIDENCE else None
        origin = Cue(kind=CueKind.IMPORTED, rule=given, description=f"imported from {fmt}")
        built.append(
            Unit(
                id=uid,
                role=role,
                text=text,
                start=offset,
                end=offset + len(text),
                line=line,
                evidence_type=evidence_type,
                confidence=confidence,
                cues=[origin, Cue(kind=kind, rule=rule, description=said)],
                rule=rule,
                calls_for_action=unit.calls_for_action or role is Role.RECOMMENDATION,
            )
        )
        offset += len(text) + 1
    order = {uid: i for i, uid in enumerate(ids)}
    relation_models = [
        Relation(
            source=s,
            target=t,
            kind=k,
            confidence=1.0,
            cue=Cue(kind=CueKind.IMPORTED, rule=given, description=said),
            rule=given,
        )
        for s, t, k, said in sorted(rels, key=lambda r: (order[r[0]], order[r[1]], r[2].value))
    ]
    linked = {s for s, _, _ in triples}
    return ArgumentMap(
        thesis=thesis,
        units=built,
        relations=relation_models,
        unattached=[uid for uid in ids if uid != thesis and uid not in linked],
    )
