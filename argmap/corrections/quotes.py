"""Name units by quotes: matching a quote to its unit, and choosing a quote for one.

Quotes, not ids, are what make a corrections file outlive re-analysis. They
match loosely enough to survive retyping (case, runs of spaces, straight vs
typographic quotes and dashes, ``...`` for any text) and strictly enough to
name one unit: a quote found in two units names neither.
"""

from __future__ import annotations

import difflib
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from argmap.model import ArgumentMap

__all__ = ["QuoteIndex", "choose_quote", "explain_in_source", "find_unit", "normalize"]

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)


def _fold(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).translate(_FOLD).casefold()


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` as :func:`normalize` does, keeping each output char's source index."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold(ch)
        if not folded.strip():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        for piece in folded:
            out.append(piece)
            where.append(i)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Fold text for matching: NFKC, casefold, plain quotes/dashes, single spaces."""
    return _normalize_with_offsets(text)[0]


def _pieces(quote: str) -> list[str]:
    """The folded quote's literal pieces, in order (``...`` stands for any text between)."""
    folded = normalize(quote)
    return [p.strip() for p in folded.split("...") if p.strip()] or [folded]


def _search(
    pieces: list[str], text: str, start: int = 0, end: int | None = None
) -> tuple[int, int] | None:
    """The leftmost span of ``text[start:end]`` holding the pieces in order, or None.

    The same span a regular expression ``a.*?b.*?c`` finds, without its
    backtracking (``a...a...z`` against a long text took time to the power of
    the wildcards): each piece's first occurrence after the one before is the
    best choice, so one forward pass decides.
    """
    stop = len(text) if end is None else end
    first = text.find(pieces[0], start, stop)
    if first < 0:
        return None
    at = first + len(pieces[0])
    for piece in pieces[1:]:
        found = text.find(piece, at, stop)
        if found < 0:
            return None
        at = found + len(piece)
    return first, at


class QuoteIndex:
    """A map's unit texts, folded once and joined, for many quote look-ups.

    A look-up is one forward pass over the joined texts (``str.find`` from one
    matching unit to the next), and a starter file asks once or twice per
    unit; building the index, or the outline numbers for a message, per
    look-up made ``corrections init`` quadratic in the number of units.
    """

    def __init__(self, m: ArgumentMap) -> None:
        self.map = m
        self.ids = [u.id for u in m.units]
        self.position = {uid: i for i, uid in enumerate(self.ids)}
        self.texts = [normalize(u.text) for u in m.units]
        self._joined = "\n".join(self.texts)  # folded texts have no line breaks
        self._ends = list(accumulate(len(t) + 1 for t in self.texts))
        self._whole: dict[str, list[int]] = {}
        for i, text in enumerate(self.texts):
            self._whole.setdefault(text, []).append(i)
        self._aligned: dict[int, dict[str, int]] = {}
        self._numbers: dict[str, str] | None = None

    def hits(self, quote: str) -> list[int]:
        """The units (by position) whose folded text holds the quote."""
        pieces, found, at = _pieces(quote), [], 0
        while (first := self._joined.find(pieces[0], at)) >= 0:
            unit = bisect_right(self._ends, first)
            end = self._ends[unit] - 1
            if _search(pieces, self._joined, first, end) is not None:
                found.append(unit)
            at = end + 1
        return found

    def whole(self, quote: str) -> list[int]:
        """The units (by position) whose whole folded text is the quote."""
        return self._whole.get(normalize(quote), [])

    def aligned(self, words: int) -> dict[str, int]:
        """Each run of ``words`` folded words -> how many units hold it (a lower bound on hits)."""
        if words not in self._aligned:
            counts: dict[str, int] = {}
            for text in self.texts:
                split = text.split(" ")
                runs = {" ".join(split[i : i + words]) for i in range(len(split) - words + 1)}
                for run in runs:
                    counts[run] = counts.get(run, 0) + 1
            self._aligned[words] = counts
        return self._aligned[words]

    def numbers(self) -> dict[str, str]:
        """The outline numbers, for messages (computed once)."""
        if self._numbers is None:
            from argmap.render.numbering import number_units

            self._numbers = number_units(self.map)
        return self._numbers


_last: list[QuoteIndex] = []


def _index_of(m: ArgumentMap) -> QuoteIndex:
    """The index of ``m``, kept for the next look-up in the same map (a corrections file)."""
    if not _last or _last[0].map is not m:
        _last[:] = [QuoteIndex(m)]
    return _last[0]


def find_unit(
    m: ArgumentMap, quote: str, *, index: QuoteIndex | None = None
) -> tuple[str | None, str]:
    """The one unit whose text contains ``quote``, or None and why not.

    A unit whose whole text equals the quote wins over units that merely
    contain it, so that a short unit can always be named.

    Returns:
        ``(unit id, "")`` or ``(None, reason)``.
    """
    index = index or _index_of(m)
    hits, exact = index.hits(quote), index.whole(quote)
    if len(exact) == 1 or len(hits) == 1:
        return index.ids[(exact or hits)[0]], ""
    if hits:
        numbers = index.numbers()
        listed = ", ".join(numbers[index.ids[i]] for i in hits[:5])
        return None, f"matches {len(hits)} units ({listed}); quote more words"
    return None, "matches no unit" + _suggest(m, quote)


_MAX_SUGGEST_WORDS = 40
"""A longer quote gets no "did you mean" (comparing it at every word would be slow)."""


def _suggest(m: ArgumentMap, quote: str) -> str:
    """A hint for a quote that no longer matches: the most similar words in a unit.

    Windows whose cheap upper bounds cannot beat the best so far (or reach
    the 0.75 a hint needs) are not scored in full.
    """
    words = normalize(quote).split()
    if len(words) > _MAX_SUGGEST_WORDS:
        return ""
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(" ".join(words))
    best, best_score = "", 0.0
    for unit in m.units:
        text = normalize(unit.text).split()
        for i in range(max(1, len(text) - len(words) + 1)):
            window = " ".join(text[i : i + len(words)])
            matcher.set_seq1(window)
            bound = min(matcher.real_quick_ratio(), matcher.quick_ratio())
            if bound < 0.75 or bound <= best_score:
                continue
            score = matcher.ratio()
            if score > best_score:
                best, best_score = window, score
    return f"; did you mean {best!r}?" if best_score >= 0.75 else ""


def explain_in_source(m: ArgumentMap, source_text: str | None, quote: str) -> str:
    """Say why a quote found in the source text names no unit ("" if it is not there).

    Either it spans two units (the sentence was split) or it lies in text argmap
    set aside (a title, a byline, boilerplate).
    """
    if not source_text:
        return ""
    folded, where = _normalize_with_offsets(source_text)
    found = _search(_pieces(quote), folded)
    if found is None or found[1] <= found[0]:
        return ""
    start, end = where[found[0]], where[found[1] - 1] + 1
    overlapping = [u for u in m.units if u.start < end and u.end > start]
    if len(overlapping) > 1:
        numbers = _index_of(m).numbers()
        both = " and ".join(numbers[u.id] for u in overlapping[:3])
        return f" (in the text it spans units {both}; quote words from one of them)"
    skipped = [s for s in m.skipped if s.start < end and s.end > start]
    if skipped:
        return f" (in the text it is in a part argmap set aside: {skipped[0].reason})"
    return ""


MAX_QUOTE_WORDS = 12
"""The longest window ``choose_quote`` tries; a longer unit falls back to "head ... tail"."""
_FULL_CHECKS = 5
_MAX_STARTS = 200
_ENDS_WORDS = 6


def _names(index: QuoteIndex, unit: int, quote: str, words: int) -> bool | None:
    """Whether ``quote`` names the unit, if the folded-word counts tell (None: look it up)."""
    exact = index.whole(quote)
    if exact:
        return exact == [unit]
    if index.aligned(words).get(normalize(quote), 0) > 1:
        return False  # two units hold these very words
    return None


def choose_quote(
    m: ArgumentMap,
    unit_id: str,
    *,
    min_words: int = 3,
    max_words: int = 5,
    index: QuoteIndex | None = None,
) -> str:
    """A short quote that names exactly this unit, for a starter corrections file.

    The earliest window of ``min_words``..``max_words`` words that no other
    unit contains; failing that, a longer window of up to ``MAX_QUOTE_WORDS``
    words, then the whole text, or for a longer unit its first and last six
    words joined by ``...`` (which may name more than this unit: a unit
    repeated word for word has no quote of its own). Windows start in the
    first 200 words; those two units hold word for word are skipped without
    a look-up, and at most five look-ups are made, so a starter file is
    linear in the map.
    """
    index = index or _index_of(m)
    unit = index.position[unit_id]
    words = m.units[unit].text.split()
    checks = 0
    limit = min(max(max_words, len(words)), MAX_QUOTE_WORDS)
    for size in range(min(min_words, len(words)), limit + 1):
        for start in range(0, min(len(words) - size + 1, _MAX_STARTS)):
            quote = " ".join(words[start : start + size])
            if "..." in quote or "\u2026" in quote:
                continue
            named = _names(index, unit, quote, len(normalize(quote).split(" ")))
            if named is None and checks < _FULL_CHECKS:
                checks += 1
                named = find_unit(m, quote, index=index)[0] == unit_id
            if named:
                return quote
    if len(words) <= MAX_QUOTE_WORDS:
        return " ".join(words)
    head, tail = words[:_ENDS_WORDS], words[-_ENDS_WORDS:]
    return " ".join([*head, "...", *tail])
