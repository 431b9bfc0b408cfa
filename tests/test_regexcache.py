"""The compiled-regex cache: saved patterns come back equal to what re compiles, and
anything unexpected falls back to compiling."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

from checker import regexcache
from conftest import ROOT, SEEDS

PATTERNS = [
    r"(?P<number>[0-9〇一二]+)(?P<unit>件|人次)?",  # named groups
    r"(?m)^\s*(?:分享|收藏)[::]?$",  # inline flags
    "[" + "".join(map(chr, range(0x4E00, 0x4E80))) + "]",  # a big class
    r"(?i)abc(?<=c)\b",
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regexcache, "_loaded", {})
    return tmp_path


def test_saved_parts_rebuild_the_pattern_re_compiles(cache_dir: Path) -> None:
    for pattern in PATTERNS:
        re.compile(pattern)
    assert regexcache.save() > 0
    assert regexcache.save() == 0  # nothing new the second time
    saved = regexcache.cache.read(regexcache._cache_file(), dict)
    assert saved is not None
    for pattern in PATTERNS:
        compiled = re._compiler.compile(pattern, 0)  # type: ignore[attr-defined]
        assert regexcache._rebuild(pattern, saved[pattern, 0]) == compiled


def test_preloaded_patterns_are_what_re_compile_returns(cache_dir: Path) -> None:
    for pattern in PATTERNS:
        re.compile(pattern)
    regexcache.save()
    re.purge()
    assert regexcache.preload() >= len(PATTERNS)
    for pattern in PATTERNS:
        preloaded = re._cache[str, pattern, 0]  # type: ignore[attr-defined]
        assert re.compile(pattern) is preloaded
        assert preloaded == re._compiler.compile(pattern, 0)  # type: ignore[attr-defined]
    assert re.compile(PATTERNS[0]).match("12件").group("unit") == "件"


def test_a_pattern_that_does_not_rebuild_equal_is_not_saved(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    re.purge()
    re.compile("某某")
    real_parts = regexcache._parts

    def wrong_code(pattern: str, flags: int) -> regexcache.Parts | None:
        final, _code, groups, groupindex, indexgroup = real_parts(pattern, flags)  # type: ignore[misc]
        # The code of another pattern: valid for the engine, not equal to what re made.
        return final, real_parts("某甲", 0)[1], groups, groupindex, indexgroup  # type: ignore[index]

    monkeypatch.setattr(regexcache, "_parts", wrong_code)
    regexcache.save()
    saved = regexcache.cache.read(regexcache._cache_file(), dict) or {}
    assert ("某某", 0) not in saved


def _compiles_noted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The patterns re compiles itself from now on (rather than finding them rebuilt)."""
    compiled_by_re: list[str] = []
    real_compile = re._compiler.compile  # type: ignore[attr-defined]
    monkeypatch.setattr(
        re._compiler,  # type: ignore[attr-defined]
        "compile",
        lambda pattern, flags=0: compiled_by_re.append(pattern) or real_compile(pattern, flags),
    )
    return compiled_by_re


def test_every_pattern_of_a_run_is_saved_and_rebuilt_also_past_res_own_cache(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Validating the rule files compiles more patterns than re keeps (512): re drops the
    # oldest, and the next run must still find every one of them saved.
    many = [f"第{i}条(?:规定)?" for i in range(re._MAXCACHE + 100)]  # type: ignore[attr-defined]
    for pattern in many:
        re.compile(pattern)
    assert regexcache.save() >= len(many)
    re.purge()
    assert regexcache.preload() >= len(many)
    compiled_by_re = _compiles_noted(monkeypatch)
    for pattern in many:
        assert re.compile(pattern).pattern == pattern
    assert compiled_by_re == []


def test_a_pattern_unpickled_with_the_unicode_flag_is_rebuilt_from_the_one_saved_without(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Validation compiles a rule's pattern without flags; the cached rule set pickles it
    # with the UNICODE flag re adds to every str pattern: one code, one saved entry.
    compiled = re.compile(PATTERNS[0])
    pickled = pickle.dumps(compiled)
    regexcache.save()
    re.purge()
    regexcache.preload()
    compiled_by_re = _compiles_noted(monkeypatch)
    unpickled = pickle.loads(pickled)
    assert compiled_by_re == []
    assert unpickled == compiled and unpickled.flags == re.UNICODE
    assert regexcache.save() == 0  # nothing new to save


def test_saved_parts_the_engine_refuses_are_compiled_as_usual(cache_dir: Path) -> None:
    regexcache.cache.write(regexcache._cache_file(), {("某乙+", 0): (0, array("I", [999_999]), 0, {}, (None,))})
    re.purge()
    assert regexcache.preload() == 1
    assert re.compile("某乙+").search("甲某乙乙") is not None


@pytest.mark.parametrize("content", [b"not a pickle", b""])
def test_a_corrupt_cache_file_preloads_nothing(cache_dir: Path, content: bytes) -> None:
    regexcache._cache_file().write_bytes(content)
    assert regexcache.preload() == 0
    assert re.compile("锟斤拷").search("文字锟斤拷") is not None


def test_the_cli_saves_new_patterns_and_a_warm_run_only_reads(tmp_path: Path) -> None:
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "checker.cli", "--format", "concise", str(SEEDS[0])]

    def run() -> tuple[int, str, int]:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        (saved,) = (tmp_path / "cache").glob("regex-*.pickle")
        return done.returncode, done.stdout, saved.stat().st_mtime_ns

    # The first run validates the rule files (patterns of pydantic and lark), the second
    # loads the rule cache (a few patterns of its own); from then on nothing is new.
    first, second, warm = run(), run(), run()
    assert first[:2] == second[:2] == warm[:2]
    assert warm[2] == second[2]
