"""A read-only view of a map for the check rules: who supports whom, and where.

The rules ask the same questions over and over (what supports this unit, is
this link only argmap's fallback, which paragraph is this in), so the answers
are computed once here. Everything is derived from the map and, when there is
one, the source text; nothing here runs the language model.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from argmap.model import ArgumentMap, Relation, RelationKind, Role, Unit

__all__ = [
    "MapView",
    "checkable_figure",
    "find_phrase",
    "lexicon",
    "quote",
]

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_REASON_ROLES = frozenset({Role.PREMISE, Role.CLAIM, Role.EVIDENCE})


@cache
def lexicon() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The check lexicon (``argmap/check/lexicon.json``) as word tuples, longest first."""
    raw = resources.files(__package__).joinpath("lexicon.json").read_text(encoding="utf-8")
    data: dict[str, list[str]] = json.loads(raw)
    return {
        key: tuple(sorted({_words(v) for v in values}, key=lambda w: (-len(w), w)))
        for key, values in data.items()
        if not key.startswith("_")
    }


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower().replace("’", "'")))


def find_phrase(text: str, category: str) -> str | None:
    """The first lexicon phrase of ``category`` that occurs in ``text`` as whole words."""
    words = _words(text)
    for i in range(len(words)):
        for entry in lexicon()[category]:
            if words[i : i + len(entry)] == entry:
                return " ".join(entry)
    return None


def quote(text: str, limit: int = 60) -> str:
    """A unit's text as a short quotation for a message: one line, at most ``limit`` chars."""
    flat = " ".join(text.split()).rstrip(" ,;:")
    if len(flat) > limit:
        flat = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-") + "…"
    return f'"{flat}"'


@dataclass
class MapView:
    """The map plus its source text, indexed for the rules."""

    map: ArgumentMap
    text: str | None = None
    paragraph_starts: Sequence[int] | None = None
    """Where the reader's prose blocks (paragraphs, list items) start, in order."""
    _order: dict[str, int] = field(init=False, repr=False)
    _incoming: dict[str, list[Relation]] = field(init=False, repr=False)
    _outgoing: dict[str, list[Relation]] = field(init=False, repr=False)
    _line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._order = {u.id: i for i, u in enumerate(self.map.units)}
        self._incoming = {u.id: [] for u in self.map.units}
        self._outgoing = {u.id: [] for u in self.map.units}
        for rel in self.map.relations:
            self._incoming[rel.target].append(rel)
            self._outgoing[rel.source].append(rel)
        text = self.text or ""
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    @property
    def units(self) -> list[Unit]:
        return self.map.units

    @property
    def thesis(self) -> Unit | None:
        return self.map.unit(self.map.thesis) if self.map.thesis else None

    def unit(self, unit_id: str) -> Unit:
        return self.map.unit(unit_id)

    def index(self, unit: Unit) -> int:
        return self._order[unit.id]

    def incoming(self, unit: Unit) -> list[Relation]:
        return self._incoming[unit.id]

    def outgoing(self, unit: Unit) -> list[Relation]:
        return self._outgoing[unit.id]

    def is_default(self, rel: Relation) -> bool:
        """Whether argmap made this link only because it had to attach the unit somewhere.

        The linker says so itself (``Relation.fallback``): it found no cue and
        hung the unit on the thesis, or evidence had no claim near it.
        """
        return rel.fallback

    def reasons_for(self, unit: Unit) -> list[Unit]:
        """Premises, claims and evidence that support ``unit`` through a real (cued) link."""
        return [
            self.unit(rel.source)
            for rel in self.incoming(unit)
            if rel.kind is RelationKind.SUPPORT
            and not self.is_default(rel)
            and self.unit(rel.source).role in _REASON_ROLES
        ]

    def attackers(self, unit: Unit) -> list[Unit]:
        return [self.unit(r.source) for r in self.incoming(unit) if r.kind is RelationKind.ATTACK]

    def primary(self, unit: Unit) -> Relation | None:
        """The unit's most confident outgoing relation (the one outlines number it by)."""
        rels = self.outgoing(unit)
        return max(rels, key=lambda r: (r.confidence, -self._order[r.target])) if rels else None

    def paragraph(self, unit: Unit) -> int:
        """The paragraph (reader block) a unit starts in; without blocks, its line."""
        if not self.paragraph_starts:
            return unit.line
        return bisect.bisect_right(self.paragraph_starts, unit.start)

    def same_sentence(self, first: Unit, second: Unit) -> bool:
        """Whether ``second`` continues the sentence ``first`` is part of (adjacent units)."""
        if self._order[second.id] != self._order[first.id] + 1:
            return False
        if self.paragraph(first) != self.paragraph(second):
            return False
        return not _SENTENCE_END.search(first.text.rstrip())

    def sentence_text(self, unit: Unit) -> str:
        """The unit's text together with the units that share its sentence."""
        i = self._order[unit.id]
        units = self.map.units
        lo, hi = i, i
        while lo > 0 and self.same_sentence(units[lo - 1], units[lo]):
            lo -= 1
        while hi + 1 < len(units) and self.same_sentence(units[hi], units[hi + 1]):
            hi += 1
        return " ".join(u.text for u in units[lo : hi + 1])

    def column(self, unit: Unit) -> int:
        """1-based column of the unit's start in its line (1 without the source text)."""
        if self.text is None or unit.start > len(self.text):
            return 1
        line_start = self._line_starts[bisect.bisect_right(self._line_starts, unit.start) - 1]
        return unit.start - line_start + 1

    def support_cycles(self) -> list[list[str]]:
        """One shortest cycle per group of units that support each other in a circle."""
        edges: dict[str, list[str]] = {u.id: [] for u in self.units}
        for rel in self.map.relations:
            if rel.kind is RelationKind.SUPPORT:
                edges[rel.source].append(rel.target)
        cycles: list[list[str]] = []
        covered: set[str] = set()
        for unit in self.units:
            if unit.id in covered:
                continue
            path = _shortest_path_back(edges, unit.id)
            if path is not None:
                cycles.append(path)
                covered.update(path)
        return cycles


def _shortest_path_back(edges: dict[str, list[str]], start: str) -> list[str] | None:
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in edges[node]:
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return path[::-1]
                if nxt not in parents:
                    parents[nxt] = node
                    following.append(nxt)
        frontier = following
    return None


_NUMBER = re.compile(r"(?<![\w.])[$€£]?(\d[\d,.]*\d|\d)(%|[a-z]+)?", re.IGNORECASE)
_YEAR = re.compile(r"^(1[5-9]|20)\d\d$")
_FIGURE_WORD = re.compile(r"[a-z'.]+")


def checkable_figure(text: str) -> str | None:
    """A count, share, rate or amount in ``text`` that a reader would want sourced.

    Years, times of day, durations and ages ("at 63", "six days a week") are
    figures of speech more than of fact, so they do not count.
    """
    lowered = text.lower()
    for match in _NUMBER.finditer(lowered):
        digits, suffix = match.group(1), (match.group(2) or "")
        if _YEAR.match(digits) and not suffix:
            continue
        before = _FIGURE_WORD.findall(lowered[: match.start()])[-1:] or [""]
        after = _FIGURE_WORD.findall(lowered[match.end() : match.end() + 20])[:1] or [""]
        unit_word = suffix if suffix and suffix != "%" else after[0]
        if find_phrase(unit_word, "duration_units") or find_phrase(before[0], "age_markers"):
            continue
        quantity = find_phrase(after[0], "quantity_phrases")
        return f"{match.group(0)} {quantity}" if quantity else match.group(0)
    return find_phrase(text, "quantity_phrases")
