"""Write products safely: atomically, only to regular files, never over an input.

A crash, a full disk or a failed render must never leave a half-written file
or touch an existing one: data goes to a temporary file beside the target,
which is renamed over it only when complete. Renaming over a device
(``/dev/null`` as root) or over the file being read would destroy something
the user did not mean to give up, so those targets are refused before any
work is written.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from argmap.errors import InputError

__all__ = ["file_identity", "output_problem", "write_output"]

_SYSTEM_TREES = ("/dev", "/proc", "/sys")


def file_identity(path: str | Path) -> tuple[int, int] | None:
    """``(device, inode)`` of an existing file (following links), else None.

    Two names are the same file exactly when their identities match, whatever
    links, ``..`` or hard links lie between them.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def output_problem(target: str | Path, inputs: Iterable[str | Path] = ()) -> str | None:
    """Why ``target`` must not be written, or None when it is a safe output path.

    Safe means a new path or an existing regular file that is not one of
    ``inputs``. Devices, FIFOs, sockets and anything under /dev, /proc or
    /sys are refused: an atomic rename would replace the device node itself.
    """
    path = Path(target)
    named, resolved = os.path.abspath(path), os.path.realpath(path)
    if any(
        p == tree or p.startswith(tree + "/") for p in (named, resolved) for tree in _SYSTEM_TREES
    ):
        return f"{path}: is a system file, not a regular file; use -o - to write to standard output"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: cannot write ({exc.strerror or exc})"
    if stat.S_ISDIR(st.st_mode):
        return f"{path}: is a directory; give a file name"
    if not stat.S_ISREG(st.st_mode):
        return (
            f"{path}: is not a regular file (a device, FIFO or socket); "
            "argmap writes only regular files; use -o - to write to standard output"
        )
    identity = (st.st_dev, st.st_ino)
    for source in inputs:
        if str(source) != "-" and file_identity(source) == identity:
            return f"{path}: is an input of this run; refusing to overwrite it (choose another -o)"
    return None


def write_output(target: str | Path, data: bytes, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write ``data`` to ``target`` atomically, or to stdout when target is ``-``.

    ``inputs`` are the files this run reads: an output that would replace
    one of them is refused.

    Raises:
        InputError: the target is unsafe (see ``output_problem``), its directory
            is missing, or it cannot be written (disk full, permissions, a
            closed standard output).
    """
    if str(target) == "-":
        _write_stdout(data)
        return
    path = Path(target)
    problem = output_problem(path, inputs)
    if problem is not None:
        raise InputError(problem)
    real = Path(os.path.realpath(path))
    directory = real.parent
    if not directory.is_dir():
        raise InputError(f"{path}: the directory {path.parent} does not exist")
    unnamed = _unnamed_file(directory)
    tmp: str | None = None
    try:
        if unnamed is None:
            fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=directory)
        else:
            fd = unnamed
        os.fchmod(fd, _file_mode(real))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if tmp is None:
                tmp = _give_name(handle.fileno(), directory, real.name)
        os.replace(tmp, real)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def _unnamed_file(directory: Path) -> int | None:
    """A file in ``directory`` with no name yet (Linux ``O_TMPFILE``), or None where unsupported.

    A process killed while writing (``kill -9``, a power cut) runs no clean-up:
    a named temporary file would stay behind, hidden. An unnamed one vanishes
    with the process; it gets a name only once its data is on disk.
    """
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(directory, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:  # a file system without O_TMPFILE; mkstemp will say what else is wrong
        return None


def _give_name(fd: int, directory: Path, name: str) -> str:
    """Link the unnamed file ``fd`` into ``directory`` under a fresh hidden name.

    The name is reserved with ``mkstemp`` (which also says when the folder
    cannot be written) and taken over at once, so it exists only for the few
    system calls before the rename over the target.
    """
    folder = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for _ in range(10):
            reserved, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            os.close(reserved)
            os.unlink(tmp)
            try:  # with a dir_fd, os.link is linkat(AT_SYMLINK_FOLLOW): the file, not /proc's link
                os.link(f"/proc/self/fd/{fd}", os.path.basename(tmp), dst_dir_fd=folder)
            except FileExistsError:  # taken in between by another writer: reserve another
                continue
            return tmp
    finally:
        os.close(folder)
    raise OSError(errno.EEXIST, "no free temporary name")


def _write_stdout(data: bytes) -> None:
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except (OSError, ValueError, AttributeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is closed"
        raise InputError(f"cannot write to standard output ({reason})") from exc


def _file_mode(path: Path) -> int:
    """Keep an existing file's mode; new files get the usual 0o666 minus umask."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
