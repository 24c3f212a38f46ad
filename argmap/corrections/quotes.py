"""Name units by quotes: matching a quote to its unit, and choosing a quote for one.

Quotes, not ids, are what make a corrections file outlive re-analysis. They
match loosely enough to survive retyping (case, runs of spaces, straight vs
typographic quotes and dashes, ``...`` for any text) and strictly enough to
name one unit: a quote found in two units names neither.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from argmap.model import ArgumentMap

__all__ = ["choose_quote", "explain_in_source", "find_unit", "normalize"]

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


def _pattern(quote: str) -> re.Pattern[str]:
    parts = [re.escape(p.strip()) for p in normalize(quote).split("...")]
    return re.compile(".*?".join(p for p in parts if p) or re.escape(normalize(quote)))


def find_unit(m: ArgumentMap, quote: str) -> tuple[str | None, str]:
    """The one unit whose text contains ``quote``, or None and why not.

    A unit whose whole text equals the quote wins over units that merely
    contain it, so that a short unit can always be named.

    Returns:
        ``(unit id, "")`` or ``(None, reason)``.
    """
    pattern, whole = _pattern(quote), normalize(quote)
    hits = [u for u in m.units if pattern.search(normalize(u.text))]
    exact = [u for u in hits if normalize(u.text) == whole]
    if len(exact) == 1 or len(hits) == 1:
        return (exact or hits)[0].id, ""
    if hits:
        from argmap.render.numbering import number_units

        numbers = number_units(m)
        listed = ", ".join(numbers[u.id] for u in hits[:5])
        return None, f"matches {len(hits)} units ({listed}); quote more words"
    return None, "matches no unit" + _suggest(m, quote)


def _suggest(m: ArgumentMap, quote: str) -> str:
    """A hint for a quote that no longer matches: the most similar words in a unit."""
    words = normalize(quote).split()
    wanted = " ".join(words)
    best, best_score = "", 0.0
    for unit in m.units:
        text = normalize(unit.text).split()
        for i in range(max(1, len(text) - len(words) + 1)):
            window = " ".join(text[i : i + len(words)])
            score = difflib.SequenceMatcher(None, wanted, window).ratio()
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
    found = _pattern(quote).search(folded)
    if found is None or found.end() <= found.start():
        return ""
    start, end = where[found.start()], where[found.end() - 1] + 1
    overlapping = [u for u in m.units if u.start < end and u.end > start]
    if len(overlapping) > 1:
        from argmap.render.numbering import number_units

        numbers = number_units(m)
        both = " and ".join(numbers[u.id] for u in overlapping[:3])
        return f" (in the text it spans units {both}; quote words from one of them)"
    skipped = [s for s in m.skipped if s.start < end and s.end > start]
    if skipped:
        return f" (in the text it is in a part argmap set aside: {skipped[0].reason})"
    return ""


def choose_quote(m: ArgumentMap, unit_id: str, *, min_words: int = 3, max_words: int = 5) -> str:
    """A short quote that names exactly this unit, for a starter corrections file.

    The earliest window of ``min_words``..``max_words`` words that no other
    unit contains; failing that, a longer window, then the whole text.
    """
    words = m.unit(unit_id).text.split()
    limit = max(max_words, len(words))
    for size in range(min(min_words, len(words)), limit + 1):
        for start in range(0, len(words) - size + 1):
            quote = " ".join(words[start : start + size])
            if "..." in quote or "\u2026" in quote:
                continue
            if find_unit(m, quote)[0] == unit_id:
                return quote
    return " ".join(words)
