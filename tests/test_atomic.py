"""checker.atomic: a file is replaced whole or not at all, with the permissions asked for."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from checker import atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_text_replaces_the_file_once_complete(tmp_path: Path) -> None:
    target = tmp_path / "报告.json"
    target.write_text("old", encoding="utf-8")
    with atomic.open_text(target) as out:
        out.write("新的内容\n")
        assert target.read_text(encoding="utf-8") == "old"  # not yet
    assert target.read_bytes() == "新的内容\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_binary_creates_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    with atomic.open_binary(target) as out:
        out.write(b"\x00\xff")
    assert target.read_bytes() == b"\x00\xff"


@pytest.mark.parametrize("durable", [True, False])
def test_an_error_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, durable: bool) -> None:
    target = tmp_path / "cache.pickle"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic.open_binary(target, durable=durable) as out:
        out.write(b"half")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError), atomic.open_text(tmp_path / "r.html") as out:
        out.write("x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        new = tmp_path / "new.txt"
        with atomic.open_text(new) as out:
            out.write("x")
        assert _mode(new) == 0o640  # as any new file: 0o666 less the umask
        kept = tmp_path / "kept.txt"
        with atomic.open_text(kept, mode=0o604) as out:  # a mode the umask would cut
            out.write("x")
        assert _mode(kept) == 0o604
        private = tmp_path / "private.pickle"
        with atomic.open_binary(private, mode=0o600, durable=False) as f:
            f.write(b"x")
        assert _mode(private) == 0o600
    finally:
        os.umask(umask)
