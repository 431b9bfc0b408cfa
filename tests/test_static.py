"""Static checks as part of the test run: mypy on checker/ and ruff on the code, so that the
README's test command (which CI runs) fails on a type error or a lint finding.

Both take their settings from pyproject.toml ([tool.mypy], [tool.ruff]) and come with the
``test`` extra. mypy keeps its cache in pytest's cache folder (.pytest_cache, ignored by git):
~10 s on the first run, ~1 s after.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_mypy_finds_no_error(pytestconfig: pytest.Config) -> None:
    cache = getattr(pytestconfig, "cache", None)  # absent under -p no:cacheprovider
    cache_dir = cache.mkdir("mypy") if cache is not None else None
    cache_args = ("--cache-dir", str(cache_dir)) if cache_dir is not None else ()
    proc = _run("mypy", *cache_args, "checker")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_finds_nothing() -> None:
    proc = _run("ruff", "check", "--no-cache", "checker", "tests", "bench", "fuzz")
    assert proc.returncode == 0, proc.stdout + proc.stderr
