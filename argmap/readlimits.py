"""Bounds on what the reader hands to the parser, so no input shape is slow to read.

spaCy's tokenizer peels punctuation off a whitespace-free stretch one
character at a time, re-examining the rest each time: its cost grows with the
square of the stretch's length (8,000 closing brackets take 6 s, 80 KB of them
minutes). Prose never has such stretches, but pasted markup, ASCII art or a
long run of symbols does, so the reader breaks every run longer than
``MAX_RUN`` characters in ``clean`` (the copy the parser reads) with a space
every ``MAX_RUN`` characters. Offsets are kept (one character for one) and the
original text, which units quote, is untouched.
"""

from __future__ import annotations

import re

__all__ = ["MAX_RUN", "break_long_runs"]

MAX_RUN = 100
"""The longest stretch without whitespace the parser is given (long URLs are cut too)."""

_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")


def break_long_runs(clean: str) -> str:
    """``clean`` with a space after every ``MAX_RUN`` characters of a longer run."""
    runs = list(_LONG_RUN.finditer(clean))
    if not runs:
        return clean
    chars = list(clean)
    for run in runs:
        for cut in range(run.start() + MAX_RUN, run.end(), MAX_RUN + 1):
            chars[cut] = " "
    return "".join(chars)
