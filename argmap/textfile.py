"""Read a file as text: decoding, size limits, and one clear error for each bad input.

Kept apart from the reader (text -> blocks) because it is the only code that
touches the file system on the way in, and every way a file can be unusable
(missing, a directory, unreadable, binary, not in the encoding, too long) must
become an InputError that names the file and says what to do.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from argmap.errors import InputError

__all__ = ["decode_bytes", "read_path", "too_long"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_path(
    path: str | Path, *, encoding: str | None = None, max_chars: int | None = None
) -> str:
    """Read a file (or ``-`` for stdin) as text, with clear errors for bad input.

    ``max_chars`` refuses texts longer than that, checked against the file's
    size before reading so that a huge file is never read into memory (4 bytes
    is the most one character can take in any encoding argmap decodes).

    Raises:
        InputError: missing, a directory, unreadable, binary, undecodable or too long.
    """
    import sys

    name = str(path)
    limit = None if max_chars is None else 4 * max_chars
    if name == "-":
        data = sys.stdin.buffer.read() if limit is None else sys.stdin.buffer.read(limit + 1)
        name = "<stdin>"
    else:
        p = Path(path)
        try:
            size = p.stat().st_size
            if p.is_dir():
                raise InputError(f"{name}: is a directory, not a text file")
            if limit is not None and size > limit:
                raise InputError(too_long(name, f"{size:,} bytes", max_chars))
            data = p.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if limit is not None and len(data) > limit:
        raise InputError(too_long(name, f"more than {limit:,} bytes", max_chars))
    text = decode_bytes(data, name=name, encoding=encoding)
    if max_chars is not None and len(text) > max_chars:
        raise InputError(too_long(name, f"{len(text):,} characters", max_chars))
    return text


def too_long(name: str, size: str, max_chars: int | None) -> str:
    """The message for an input over the ``--max-chars`` limit."""
    return (
        f"{name}: too long to map ({size}; the limit is {max_chars:,} characters); "
        "raise it with --max-chars N"
    )


def decode_bytes(data: bytes, *, name: str = "<input>", encoding: str | None = None) -> str:
    """Decode bytes as UTF-8 (or a BOM-declared UTF-16/32, or ``encoding``).

    Binary files and undecodable bytes become an InputError that says where.
    """
    if encoding is None:
        for bom, codec in (
            (codecs.BOM_UTF32_LE, "utf-32"),
            (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF8, "utf-8-sig"),
            (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"),
        ):
            if data.startswith(bom):
                encoding = codec
                break
    if encoding is None and b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data[:8192])
        if utf16 is not None:
            raise InputError(
                f"{name}: looks like UTF-16 text without a byte-order mark; pass --encoding {utf16}"
            )
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode(encoding or "utf-8")
    except LookupError as exc:
        raise InputError(f"{name}: unknown encoding {encoding!r}") from exc
    except UnicodeDecodeError as exc:
        line = len(_LINE_BREAK.findall(data[: exc.start].decode("latin-1"))) + 1
        raise InputError(
            f"{name}: not valid {exc.encoding} (byte 0x{data[exc.start]:02x} at line {line}); "
            "pass --encoding (e.g. --encoding latin-1) if the file uses another encoding"
        ) from exc
    except ValueError as exc:  # other codec failures (e.g. idna), which give no position
        raise InputError(f"{name}: not valid {encoding} ({exc})") from exc


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when zero bytes fill every other byte, as in UTF-16 English."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if odd > pairs / 2 and even < pairs / 10:
        return "utf-16-le"
    if even > pairs / 2 and odd < pairs / 10:
        return "utf-16-be"
    return None
