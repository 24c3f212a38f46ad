"""Choose every unit's head at once: the tree that the attachment scorer likes best.

Each unit gets one outgoing relation. The heads are chosen together rather
than unit by unit in text order: pairs are taken from the most to the least
probable (the greedy spanning arborescence), a pair that would close a cycle
or give a unit a second head is skipped, and so the surest links are never
bent to fit a doubtful one made earlier. The thesis is the root. For each
unit the best head it did not get is kept as its runner-up, with its
probability, so a reader can see the alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from argmap.features.pairs import PairFeatures
from argmap.scoring.weights import Contribution, LinearScorer

__all__ = ["Attachment", "choose_heads"]


@dataclass(frozen=True)
class Attachment:
    """A unit's chosen head, how it bears on it, and the runner-up head."""

    source: int
    target: int
    probability: float
    attack: bool
    attack_probability: float
    contributions: tuple[Contribution, ...]
    runner_up: tuple[int, float] | None


def _p(scorer: LinearScorer, row: PairFeatures) -> float:
    return scorer.probabilities(row)[scorer.classes[0]]


class _Forest:
    """Trees under construction: which tree a unit is in, and that tree's root.

    A unit that has no head yet is the root of its tree; giving it a head
    ``j`` closes a cycle exactly when ``j``'s tree is rooted at the unit
    itself. Union-find keeps that test near constant time, so choosing the
    heads stays O(pairs log pairs) even for long chains.
    """

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.root = list(range(size))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def tree_root(self, x: int) -> int:
        return self.root[self.find(x)]

    def attach(self, child: int, head: int) -> None:
        """``child`` (a root) now hangs under ``head``: its tree joins head's tree."""
        top = self.find(head)
        self.parent[self.find(child)] = top


def choose_heads(
    pairs: Sequence[Sequence[tuple[int, PairFeatures]]],
    thesis: int,
    attach: LinearScorer,
    attack: LinearScorer | None,
) -> list[Attachment]:
    """One head per unit except the thesis, as a tree rooted at the thesis."""
    scored = [
        (p, i, j, row)
        for i, candidates in enumerate(pairs)
        if i != thesis
        for j, row in candidates
        for p in (_p(attach, row),)
    ]
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    heads: dict[int, int] = {}
    chosen: dict[int, tuple[float, PairFeatures]] = {}
    forest = _Forest(len(pairs))
    for p, i, j, row in scored:
        if i in heads or forest.tree_root(j) == i:
            continue
        heads[i] = j
        chosen[i] = (p, row)
        forest.attach(i, j)
    for i in range(len(pairs)):
        if i != thesis and i not in heads:  # no candidate at all: hang on the thesis
            heads[i], chosen[i] = thesis, (0.0, {})
    out: list[Attachment] = []
    for i in sorted(heads):
        p, row = chosen[i]
        others = [(j, _p(attach, r)) for j, r in pairs[i] if j != heads[i]]
        runner = max(others, key=lambda o: (o[1], -o[0])) if others else None
        pa = _p(attack, row) if attack is not None and row else 0.0
        threshold = attack.threshold if attack is not None else 1.0
        out.append(
            Attachment(
                i,
                heads[i],
                round(p, 3),
                pa >= threshold,
                round(pa, 3),
                tuple(attach.contributions(attach.classes[0], row)),
                (runner[0], round(runner[1], 3)) if runner else None,
            )
        )
    return out
