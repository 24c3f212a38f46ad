"""JSON documents read with one clear error for every way they can be broken.

``json.loads`` fails in more ways than ``JSONDecodeError``: a RecursionError
for deep nesting, a plain ValueError for an integer of more than 4,300 digits
(Python's guard against slow conversions), and it accepts escaped lone
surrogates (``"\\ud800"``) that later fail when the text is written as UTF-8.
Every reader of hand-made JSON (AIF maps, gold files) goes through
:func:`parse_json`, so each of these is one InputError that says where.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from argmap.errors import InputError

__all__ = ["parse_json"]


def parse_json(text: str | bytes, where: str, *, what: str = "valid JSON", hint: str = "") -> Any:
    """Parse a JSON document; every failure is an InputError starting with ``where``.

    Args:
        text: The document (bytes are decoded as JSON's UTF-8/16/32).
        where: How the message names it (``file``, ``file:LINE``).
        what: What it is not, in the message (``{where}: not {what} (...)``).
        hint: Appended to the message of a document that is not valid JSON.

    Raises:
        InputError: not valid JSON, not UTF-8, nested too deeply, a number
            too long to convert, or a string holding a lone surrogate.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno} column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        reason = f"{exc.msg}, {at}"
    except UnicodeDecodeError as exc:
        reason = f"not {exc.encoding}: byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
    except RecursionError:
        reason = "nested too deeply"
    except ValueError:  # the only other failure: an integer over the digit limit
        reason = f"a number of more than {sys.get_int_max_str_digits():,} digits"
    else:
        _refuse_lone_surrogates(data, where)
        return data
    raise InputError(f"{where}: not {what} ({reason}){hint}")


def _refuse_lone_surrogates(data: Any, where: str) -> None:
    """Strings must be valid Unicode: a lone surrogate cannot be written as UTF-8."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(exc.object[exc.start])
        raise InputError(
            f"{where}: a string holds a lone surrogate (\\u{code:04x}), which is not text; "
            "fix the escape or remove it"
        ) from None
    except (RecursionError, ValueError):
        raise InputError(f"{where}: not valid JSON (nested too deeply)") from None
