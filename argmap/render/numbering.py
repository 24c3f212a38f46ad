"""Outline numbers ("1", "1.2", "1.2.1") for the units of a map.

Every human-facing render (diagram labels, Markdown outline) refers to units by
these numbers, so that a reader can say "1.2 does not support 1" while looking
at either. The numbers follow a *tree*: the map itself is a graph (a unit may
bear on several others, cycles are possible), so each unit hangs under exactly
one parent, its primary relation's target.
"""

from __future__ import annotations

import re

from argmap.model import ArgumentMap, Relation

__all__ = ["MAX_PARTS", "collapse", "depth", "number_units", "primary_relations"]


def primary_relations(m: ArgumentMap) -> dict[str, Relation]:
    """Pick, for each unit with outgoing relations, the one it is numbered under.

    A unit is drawn under the target it most confidently bears on; ties go to
    the target that comes first in the document, then to the relation listed
    first, so the choice never depends on anything but the map.

    Args:
        m: The argument map.

    Returns:
        Unit id -> its primary outgoing relation (units without one are absent).
    """
    order = {u.id: i for i, u in enumerate(m.units)}
    best: dict[str, tuple[tuple[float, int, int], Relation]] = {}
    for index, rel in enumerate(m.relations):
        key = (-rel.confidence, order[rel.target], index)
        current = best.get(rel.source)
        if current is None or key < current[0]:
            best[rel.source] = (key, rel)
    return {uid: rel for uid, (_, rel) in best.items()}


MAX_PARTS = 12
"""The most parts an outline number shows in full (a chain twelve units deep)."""
_HEAD, _TAIL = 4, 4
_ELIDED = re.compile(r"\((\d+) levels\)")


def _shown(first: tuple[int, ...], last: tuple[int, ...], parts: int) -> str:
    """A number of ``parts`` parts; beyond ``MAX_PARTS`` the middle ones are counted, not shown."""
    if parts <= MAX_PARTS:
        return ".".join(map(str, first))
    hidden = parts - _HEAD - _TAIL
    return ".".join([*map(str, first[:_HEAD]), f"({hidden} levels)", *map(str, last)])


def number_units(m: ArgumentMap) -> dict[str, str]:
    """Number the units by the support/attack tree, in reading order.

    The thesis is "1" and its direct children (units whose primary relation
    targets it, in document order) are "1.1", "1.2", ... Everything not reached
    from the thesis continues at top level ("2", "3", ...), one number per
    remaining root (a unit with no outgoing relation), roots in document order.
    Units caught in a cycle that no root reaches start a new top-level number at
    their earliest unit. Each unit is visited once, so cycles terminate.

    A number has at most ``MAX_PARTS`` parts: deeper in a long chain the
    middle levels are counted instead, "1.2.1.1.(40 levels).3.1.2.1" (the
    first four parts, how many levels are left out, the last four), so a
    label stays short however deep the unit sits and numbering is linear in
    the map (in full, a 5,000-unit chain's last number alone was 10 KB). The
    full path is the chain of relations in the map itself. ``depth`` reads
    both forms.

    Args:
        m: The argument map.

    Returns:
        Unit id -> number, inserted in pre-order (the order of an outline).
    """
    order = {u.id: i for i, u in enumerate(m.units)}
    primary = primary_relations(m)
    children: dict[str, list[str]] = {u.id: [] for u in m.units}
    for uid, rel in primary.items():
        children[rel.target].append(uid)
    for kids in children.values():
        kids.sort(key=order.__getitem__)

    numbers: dict[str, str] = {}

    def visit(root: str, top: int) -> None:
        # Each entry: unit, its first MAX_PARTS parts, its last _TAIL parts, its part count.
        stack: list[tuple[str, tuple[int, ...], tuple[int, ...], int]] = [(root, (top,), (top,), 1)]
        while stack:
            uid, first, last, parts = stack.pop()
            numbers[uid] = _shown(first, last, parts)
            # Each unit is in one parent's list only, so "not numbered yet"
            # merely skips the way back round a cycle.
            kids = [k for k in children[uid] if k not in numbers]
            for i, k in reversed(list(enumerate(kids, start=1))):
                head = first if len(first) == MAX_PARTS else (*first, i)
                stack.append((k, head, (*last, i)[-_TAIL:], parts + 1))

    top = 0
    roots: list[str] = []
    if m.thesis is not None:
        roots.append(m.thesis)
    roots += [u.id for u in m.units if u.id not in primary and u.id != m.thesis]
    roots += [u.id for u in m.units]  # leftovers: units on unrooted cycles
    for uid in roots:
        if uid in numbers:
            continue
        top += 1
        visit(uid, top)
    return numbers


def depth(number: str) -> int:
    """How deep a numbered unit sits: "1" and "2" are 0, "1.2" is 1, "1.2.3" is 2.

    A number with counted levels ("1.2.1.1.(40 levels).3.1.2.1") is as deep
    as it would be in full (here 47).
    """
    elided = _ELIDED.search(number)
    return number.count(".") + (int(elided.group(1)) - 1 if elided else 0)


def collapse(numbers: dict[str, str], max_depth: int | None) -> tuple[list[str], dict[str, int]]:
    """Which units to show when levels below ``max_depth`` are folded away.

    Args:
        numbers: Unit id -> number, from :func:`number_units`.
        max_depth: The deepest level shown (0: only the roots); None shows all.

    Returns:
        The shown unit ids (in numbering order), and for each shown unit at
        the cut-off depth that had units below it, how many were hidden.
    """
    if max_depth is None:
        return list(numbers), {}
    shown: list[str] = []
    hidden: dict[str, int] = {}
    for uid, number in numbers.items():  # pre-order: a hidden unit's ancestor is the last shown
        if depth(number) <= max_depth:
            shown.append(uid)
        else:
            hidden[shown[-1]] = hidden.get(shown[-1], 0) + 1
    return shown, hidden
