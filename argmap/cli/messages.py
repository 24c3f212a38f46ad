"""Diagnostics as the CLI prints them: always one line each."""

from __future__ import annotations

__all__ = ["one_line"]


def one_line(message: str) -> str:
    """A message as one line: control characters (a newline in a file name) escaped.

    Tools that read argmap's stderr count one line per diagnostic; a file
    name may hold any character but "/" and NUL.
    """
    return "".join(
        ch if ch.isprintable() or ch == "\t" else ch.encode("unicode_escape").decode("ascii")
        for ch in message
    )
