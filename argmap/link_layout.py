"""Where each unit's neighbours of interest are, for the link rules, in linear time.

The link rules ask, for every unit, "the first unit of its paragraph", "the
nearest claim before it", "the last enumerated reason" and whether a link
would close a cycle. Scanning the units for each answer made linking quadratic
in a long paragraph or a long chain; here each answer is found for all units
in one pass, and the cycle check follows a compressed path to the chain's root.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argmap.model import Role

if TYPE_CHECKING:
    from argmap.classify import Classified

__all__ = ["Layout", "Roots", "layout"]


@dataclass(frozen=True)
class Layout:
    """Each unit's neighbours of interest, as lists by unit index.

    "Claim-like" means neither evidence nor an objection: a unit others can hang on.
    """

    heads: dict[int, int]
    """Block -> the first unit in that block."""
    claim_before: list[int | None]
    """The nearest earlier claim-like unit in the same run of its block."""
    claim_after: list[int | None]
    """The nearest later claim-like unit in the same run of its block."""
    claim_near_before: list[int | None]
    """The nearest earlier claim-like unit not behind a unit of a block before the one before."""
    enumeration_before: list[int | None]
    """The nearest earlier unit, not the thesis, that opens with an enumeration marker."""


def _is_claim_like(unit: Classified) -> bool:
    return unit.decision.role not in {Role.EVIDENCE, Role.OBJECTION}


def layout(units: Sequence[Classified], thesis: int) -> Layout:
    """Each unit's neighbours of interest, in a few linear passes (see ``Layout``)."""
    blocks = [u.segment.block for u in units]
    claims = [_is_claim_like(u) for u in units]
    heads: dict[int, int] = {}
    before: list[int | None] = []
    enumeration: list[int | None] = []
    last_claim = last_enumeration = None
    for i, block in enumerate(blocks):
        heads.setdefault(block, i)
        if i and block != blocks[i - 1]:
            last_claim = None
        before.append(last_claim)
        enumeration.append(last_enumeration)
        last_claim = i if claims[i] else last_claim
        opener = units[i].features.opener
        if opener and opener[0] == "enumeration" and i != thesis:
            last_enumeration = i
    after: list[int | None] = [None] * len(units)
    next_claim: int | None = None
    for i in range(len(units) - 1, -1, -1):
        if i + 1 < len(units) and blocks[i + 1] != blocks[i]:
            next_claim = None
        after[i] = next_claim
        next_claim = i if claims[i] else next_claim
    return Layout(heads, before, after, _claims_near_before(blocks, claims), enumeration)


def _claims_near_before(blocks: Sequence[int], claims: Sequence[bool]) -> list[int | None]:
    """Per unit: the nearest earlier claim with no unit of an older paragraph in between.

    For unit ``i`` of block ``b`` that is the nearest claim ``j < i`` such that no
    unit from ``j`` on lies in a block before ``b - 1``. ``lows`` keeps the units
    no later unit undercuts (their blocks rise along the list), so the last unit
    of a block below ``b - 1`` is found by bisection.
    """
    lows: list[int] = []
    low_blocks: list[int] = []
    nearest: list[int | None] = []
    last_claim: int | None = None
    for i, block in enumerate(blocks):
        cut = bisect_left(low_blocks, block - 1) - 1
        barrier = lows[cut] if cut >= 0 else -1
        nearest.append(last_claim if last_claim is not None and last_claim > barrier else None)
        while low_blocks and low_blocks[-1] >= block:
            lows.pop()
            low_blocks.pop()
        lows.append(i)
        low_blocks.append(block)
        last_claim = i if claims[i] else last_claim
    return nearest


class Roots:
    """The root of each unit's chain of links, for the cycle check in near-constant time.

    Walking a chain from the proposed target made linking quadratic on a long
    chain (each unit developing the one before). A unit still being linked has
    no link of its own, so it is the root of its tree, and a link to ``target``
    closes a cycle exactly when ``target``'s root is the unit itself.
    """

    def __init__(self) -> None:
        self._up: dict[int, int] = {}

    def root(self, node: int) -> int:
        path = []
        while node in self._up:
            path.append(node)
            node = self._up[node]
        for step in path:
            self._up[step] = node
        return node

    def join(self, source: int, target: int) -> None:
        self._up[source] = self.root(target)
