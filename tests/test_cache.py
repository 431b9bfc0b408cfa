"""The cache's trust model (docs/security.md): a pickle is code, so only a private folder of
this user's is read, and never one placed relative to the working directory."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker import cache


class _RunsCode:
    """Unpickling this would create the file named: the attack a cache must not allow."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    cache._safe_folder.cache_clear()
    for name in ("GOVLINT_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    cache._safe_folder.cache_clear()


def test_without_a_home_there_is_no_cache(fresh: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # HOME unset and no passwd entry: "~" stays "~"; the cache went to ./~/.cache/govlint,
    # inside the linted repository.
    fresh.chdir(tmp_path)
    fresh.setattr(os.path, "expanduser", lambda path: path)
    assert cache.cache_dir() is None
    assert cache.entry("rules-x.pickle") is None
    cache.write(cache.entry("rules-x.pickle"), {"a": 1})
    assert not any(tmp_path.iterdir())


def test_a_relative_xdg_cache_home_is_ignored(fresh: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh.setenv("XDG_CACHE_HOME", "relative/cache")
    fresh.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / ".cache" / "govlint"


def test_a_pickle_others_can_write_is_never_loaded(fresh: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh.setenv("GOVLINT_CACHE_DIR", str(tmp_path / "c"))
    entry = cache.entry("rules-x.pickle")
    cache.write(entry, {"ok": True})
    assert cache.read(entry, dict) == {"ok": True}
    assert entry is not None and entry.stat().st_mode & 0o777 == 0o600
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_RunsCode(marker)))
    entry.chmod(0o666)  # writable by others: someone else may have put it there
    assert cache.read(entry, dict) is None
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_pickle_another_user_owns_is_never_loaded(fresh: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh.setenv("GOVLINT_CACHE_DIR", str(tmp_path / "c"))
    entry = cache.entry("rules-x.pickle")
    assert entry is not None
    marker = tmp_path / "ran"
    cache.write(entry, _RunsCode(marker))
    marker.unlink(missing_ok=True)
    os.chown(entry, 12345, 12345)
    assert cache.read(entry, object) is None
    assert not marker.exists()


def test_a_folder_others_can_write_is_no_cache(fresh: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    fresh.setenv("GOVLINT_CACHE_DIR", str(shared))
    assert cache.cache_dir() is None
    assert not cache.usable(cache.entry("quantity-grammar.lark"))


def test_lark_tables_others_can_write_are_not_used(fresh: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh.setenv("GOVLINT_CACHE_DIR", str(tmp_path / "c"))
    tables = cache.entry("expression-grammar.lark")
    assert cache.usable(tables)  # absent: lark may write it
    assert tables is not None
    tables.write_bytes(b"x")
    assert cache.usable(tables)
    tables.chmod(0o664)
    assert not cache.usable(tables)
