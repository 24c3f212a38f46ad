"""Read a file as text: decoding, size limits, and one clear error for each bad input.

Kept apart from the reader (text -> blocks) because it is the only code that
touches the file system on the way in, and every way a file can be unusable
(missing, a directory, unreadable, binary, not in the encoding, too long) must
become an InputError that names the file and says what to do.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from argmap.errors import InputError

__all__ = ["decode_bytes", "read_bytes", "read_path", "too_long"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_path(
    path: str | Path, *, encoding: str | None = None, max_chars: int | None = None
) -> str:
    """Read a file (or ``-`` for stdin) as text, with clear errors for bad input.

    ``max_chars`` refuses texts longer than that. At most ``4 * max_chars + 1``
    bytes are ever read (4 bytes is the most one character takes in any
    encoding argmap decodes), so a huge file or an endless stream never fills
    memory.

    Raises:
        InputError: missing, a directory, not a regular file, unreadable,
            binary, undecodable or too long.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    limit = None if max_chars is None else 4 * max_chars
    size = _regular_file_size(path)
    if limit is not None and size is not None and size > limit:
        raise InputError(too_long(name, f"{size:,} bytes", max_chars))
    data = read_bytes(path, limit=limit)
    if limit is not None and len(data) > limit:
        raise InputError(too_long(name, f"more than {limit:,} bytes", max_chars))
    text = decode_bytes(data, name=name, encoding=encoding)
    if max_chars is not None and len(text) > max_chars:
        raise InputError(too_long(name, f"{len(text):,} characters", max_chars))
    return text


def read_bytes(path: str | Path, *, limit: int | None) -> bytes:
    """The bytes of a regular file or of stdin (``-``): at most ``limit + 1`` of them.

    Only regular files are opened for reading: a FIFO would block until a
    writer comes, and a device such as /dev/zero never ends. The file is
    opened without blocking and checked on its descriptor, so nothing can be
    swapped in between the check and the read.

    Raises:
        InputError: missing, a directory, not a regular file, or unreadable.
    """
    import sys

    cap = -1 if limit is None else limit + 1
    if str(path) == "-":
        try:
            return sys.stdin.buffer.read(cap)
        except (OSError, ValueError, AttributeError) as exc:
            raise InputError(f"<stdin>: cannot read ({_reason(exc)})") from exc
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a text file") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{name}: cannot read ({_reason(exc)})") from exc
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{name}: is a directory, not a text file")
        if not stat.S_ISREG(mode):
            raise InputError(
                f"{name}: is not a regular file (a device, FIFO or socket); "
                "save it to a file, or pipe it in and pass '-'"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(cap)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({_reason(exc)})") from exc
    finally:
        os.close(fd)


def _regular_file_size(path: str | Path) -> int | None:
    """The size of a regular file, to name it in a message (None for anything else)."""
    if str(path) == "-":
        return None
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


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
        if encoding == "utf-32" and not _is_utf32(data):
            encoding = "utf-16"  # FF FE 00 00: a UTF-16 BOM before U+0000, not UTF-32
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


def _is_utf32(data: bytes) -> bool:
    if len(data) % 4:
        return False
    try:
        data.decode("utf-32")
    except UnicodeDecodeError:
        return False
    return True


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
