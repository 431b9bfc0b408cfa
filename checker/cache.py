"""The on-disk cache of validated rule sets, config files and lint results (pickles keyed
by content), and lark's parser tables.

A pickle is code to whoever loads it, so the cache must be a folder only this user can
write (docs/security.md): ``$GOVLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/govlint``, else
``~/.cache/govlint``, and only when that path is absolute — with HOME unset and no passwd
entry, ``~`` stays ``~`` and the cache would land inside the linted repository, where a
committed pickle would run. Then there is no cache. A folder or file that another user
owns, or that others may write, is never read.
"""

from __future__ import annotations

import functools
import os
import pickle
import stat
from pathlib import Path
from typing import TypeVar

from checker import atomic

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or None when there is no safe place for one."""
    if env := os.environ.get("GOVLINT_CACHE_DIR"):
        root = os.path.abspath(env)  # named by the user: theirs, wherever it is
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        # The XDG spec ignores a relative XDG_CACHE_HOME; a "~" left unexpanded is relative.
        base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):
            return None
        root = os.path.join(base, "govlint")
    return Path(root) if _safe_folder(root) else None


@functools.cache
def _safe_folder(root: str) -> bool:
    try:
        return _mine(os.stat(root))
    except FileNotFoundError:
        return True  # made private when the first entry is written
    except OSError:
        return False


def _mine(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (POSIX; Windows has neither notion here)."""
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def entry(*parts: str) -> Path | None:
    """The path of a cache entry, or None when there is no cache."""
    root = cache_dir()
    return None if root is None else root.joinpath(*parts)


def usable(path: Path | None) -> bool:
    """Whether a file another library loads itself (lark's tables, a pickle too) may be used:
    absent (it will be written) or this user's own."""
    if path is None:
        return False
    try:
        return _mine(os.stat(path))
    except FileNotFoundError:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
        return True
    except OSError:
        return False


def read(path: Path | None, kind: type[T]) -> T | None:
    """The cached object, or None when it is missing, stale, corrupt or not this user's own."""
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            if not _mine(os.fstat(f.fileno())):  # checked on the file opened: no swap in between
                return None
            cached = pickle.load(f)
    except Exception:
        return None
    return cached if isinstance(cached, kind) else None


def write(path: Path | None, value: object) -> None:
    """Write atomically (a concurrent run never reads half a file); a read-only cache
    only costs validation time next run."""
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Private: a pickle is code to whoever loads it. No fsync: an entry lost in a
        # crash is rebuilt, and one cut short fails to unpickle and is rebuilt too.
        with atomic.open_binary(path, mode=0o600, durable=False) as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass
