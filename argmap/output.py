"""Write products safely: atomically, or to stdout for ``-``.

A crash, a full disk or a failed render must never leave a half-written file
or touch an existing one: data goes to a temporary file beside the target,
which is renamed over it only when complete.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from argmap.errors import InputError

__all__ = ["write_output"]


def _file_mode(path: Path) -> int:
    """Keep an existing file's mode; new files get the usual 0o666 minus umask."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_output(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically, or to stdout when target is ``-``.

    Raises:
        InputError: the directory is missing or the file cannot be written.
    """
    if str(target) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{path}: the directory {directory} does not exist")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    try:
        os.chmod(tmp, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
