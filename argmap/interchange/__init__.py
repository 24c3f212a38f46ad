"""Move maps between argmap and other argument tools: Argdown, AIF, Mermaid.

* :func:`export` writes a map as ``argdown`` (argdown.org), ``aif`` (AIF JSON as
  AIFdb and OVA read it) or ``mermaid`` (a flowchart GitHub draws).
* :func:`import_map` reads an Argdown or AIF file (or a saved argmap JSON map)
  back into an :class:`~argmap.model.ArgumentMap`; :func:`detect_format` says
  which of them a file is, by its name and, for JSON, its content.

What each format cannot carry is listed in its module's docstring and in the
README; what survives a round trip (argmap -> format -> argmap) is tested.
"""

from __future__ import annotations

import json

from argmap.errors import InputError
from argmap.interchange.aif import AIF_TIMESTAMP, from_aif, to_aif
from argmap.interchange.argdown import from_argdown, to_argdown
from argmap.interchange.mermaid import to_mermaid
from argmap.model import ArgumentMap

__all__ = [
    "AIF_TIMESTAMP",
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "SUFFIXES",
    "detect_format",
    "export",
    "from_aif",
    "from_argdown",
    "import_map",
    "to_aif",
    "to_argdown",
    "to_mermaid",
]

EXPORT_FORMATS = ("argdown", "aif", "mermaid")
IMPORT_FORMATS = ("argdown", "aif", "argmap")
SUFFIXES = {"argdown": ".argdown", "aif": ".aif.json", "mermaid": ".mmd"}
_ARGDOWN_SUFFIXES = (".argdown", ".ad")
_AIF_SUFFIXES = (".aif.json", ".aif")


def export(m: ArgumentMap, fmt: str) -> str:
    """Write the map in an interchange format.

    Args:
        m: The argument map.
        fmt: ``"argdown"``, ``"aif"`` or ``"mermaid"``.

    Returns:
        The document as text, ending with a newline.

    Raises:
        ValueError: For any other format name.
    """
    if fmt == "argdown":
        return to_argdown(m)
    if fmt == "aif":
        return to_aif(m)
    if fmt == "mermaid":
        return to_mermaid(m)
    raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")


def _json_kind(text: str) -> str | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # import_map says what is wrong with it
        return None
    if isinstance(data, dict) and isinstance(data.get("AIF"), dict):
        return "aif"
    if isinstance(data, dict) and "nodes" in data and "edges" in data:
        return "aif"
    if isinstance(data, dict) and ("units" in data or "argmap_version" in data):
        return "argmap"
    return None


def detect_format(path_or_name: str, text: str) -> str | None:
    """Say whether a file is an importable map, and in which format.

    ``.argdown``/``.ad`` are Argdown and ``.aif.json``/``.aif`` AIF, by name.
    JSON (a ``.json`` file, or any input that starts with ``{``, such as
    stdin) is AIF when it has ``nodes`` and ``edges`` and an argmap map when it
    has ``units``. Argdown is never guessed from content: prose may start with
    ``[`` too.

    Returns:
        ``"argdown"``, ``"aif"``, ``"argmap"``, or None for a text to analyse.
    """
    lower = path_or_name.lower()
    if lower.endswith(_ARGDOWN_SUFFIXES):
        return "argdown"
    if lower.endswith(_AIF_SUFFIXES):
        return "aif"
    if lower.endswith(".json") or text.lstrip().startswith("{"):
        kind = _json_kind(text)
        if kind is None and lower.endswith(".json"):
            return "argmap"  # let the argmap reader say what is wrong with it
        return kind
    return None


def import_map(path_or_name: str, text: str, *, name: str | None = None) -> ArgumentMap:
    """Read a map from an Argdown, AIF or argmap JSON document.

    Args:
        path_or_name: The file's name (its extension picks the format; ``-``
            for standard input).
        text: The document.
        name: How error messages name the input (default: the path, or
            ``<stdin>``).

    Returns:
        The map.

    Raises:
        InputError: If the format cannot be told or the document is invalid;
            the message starts with the file name.
    """
    fmt = detect_format(path_or_name, text)
    if name is None:
        name = "<stdin>" if path_or_name == "-" else path_or_name
    if fmt == "argdown":
        return from_argdown(text, name=name)
    if fmt == "aif":
        return from_aif(text, name=name)
    if fmt == "argmap":
        from pydantic import ValidationError

        try:
            return ArgumentMap.model_validate_json(text)
        except RecursionError:
            raise InputError(f"{name}: not a valid argmap JSON map (nested too deeply)") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "document"
            raise InputError(
                f"{name}: not a valid argmap JSON map ({where}: {first['msg']})"
            ) from exc
    if text.lstrip().startswith("{"):
        from argmap.jsontext import parse_json

        parse_json(text, name)  # JSON of no known kind; if it is not JSON, say where
    raise InputError(
        f"{name}: not a map file argmap can read; use .argdown, .aif.json or argmap .json"
    )
