"""write_output: atomic, mode-keeping, and clean on every kind of failure."""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from argmap.errors import InputError
from argmap.output import write_output


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_writes_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "map.json"
    write_output(target, b'{"units": []}\n')
    assert target.read_bytes() == b'{"units": []}\n'
    assert leftovers(tmp_path) == []


def test_new_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_output(tmp_path / "a.svg", b"<svg/>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.svg").stat().st_mode) == 0o640


def test_replaces_an_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "map.svg"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_output(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_relative_path_in_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_output("here.dot", b"digraph {}")
    assert (tmp_path / "here.dot").read_bytes() == b"digraph {}"


def test_dash_writes_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer))
    write_output("-", b"bytes \xe2\x80\x94 as given")
    assert buffer.getvalue() == b"bytes \xe2\x80\x94 as given"


def test_missing_directory_is_an_input_error(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "map.json"
    with pytest.raises(InputError, match="does not exist"):
        write_output(target, b"x")
    assert not (tmp_path / "no").exists()


def test_target_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        write_output(tmp_path / "maps", b"x")
    assert list((tmp_path / "maps").iterdir()) == []


def test_cannot_create_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied (simulated: tests may run as root, which ignores chmod)."""

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    target = tmp_path / "map.json"
    with pytest.raises(InputError, match=r"map\.json: cannot write \(Permission denied\)"):
        write_output(target, b"x")
    assert not target.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory(tmp_path: Path) -> None:  # pragma: no cover - not as root
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(InputError, match="cannot write"):
            write_output(locked / "map.json", b"x")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_disk_full_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "map.svg"
    target.write_bytes(b"old diagram")

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(InputError, match=r"cannot write \(No space left on device\)"):
        write_output(target, b"new diagram")
    assert target.read_bytes() == b"old diagram"
    assert leftovers(tmp_path) == []


def test_failed_fsync_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(InputError, match="Input/output error"):
        write_output(tmp_path / "map.json", b"x")
    assert list(tmp_path.iterdir()) == []


def test_interrupt_during_write_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output(tmp_path / "map.json", b"x")
    assert list(tmp_path.iterdir()) == []
