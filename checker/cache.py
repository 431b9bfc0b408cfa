"""The on-disk cache of validated rule sets and config files (pickles keyed by content).

Only govlint writes here: ``$GOVLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/govlint``, else
``~/.cache/govlint`` (docs/security.md says why a user's own cache is trusted).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TypeVar

from checker import atomic

T = TypeVar("T")


def cache_dir() -> Path:
    if env := os.environ.get("GOVLINT_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "govlint"


def read(cache_file: Path, kind: type[T]) -> T | None:
    """The cached object, or None when it is missing, stale or corrupt (then it is rebuilt)."""
    try:
        with cache_file.open("rb") as f:
            cached = pickle.load(f)
    except Exception:
        return None
    return cached if isinstance(cached, kind) else None


def write(cache_file: Path, value: object) -> None:
    """Write atomically (a concurrent run never reads half a file); a read-only cache
    only costs validation time next run."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        # Private: a pickle is code to whoever loads it. No fsync: an entry lost in a
        # crash is rebuilt, and one cut short fails to unpickle and is rebuilt too.
        with atomic.open_binary(cache_file, mode=0o600, durable=False) as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass
