"""Shared fixtures: the built-in rule set, loaded once, with a private rule cache."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Tests never read or write the user's rule cache.
os.environ["GOVLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="govlint-test-cache-")
# The tests read the interface's English messages (findings stay Chinese by default);
# tests/test_first_hour.py checks the Chinese interface with GOVLINT_LANG=zh.
os.environ["GOVLINT_LANG"] = "en"

from checker.engine import lint_text
from checker.model import FileResult
from checker.ruleset import RuleSet, load_rules
from checker.selection import Options

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_rules(use_cache=False)


@pytest.fixture(scope="session")
def lint(ruleset: RuleSet):
    def run(text: str, *, path: str = "report.txt", **options: object) -> FileResult:
        return lint_text(path, text, ruleset, Options(**options))  # type: ignore[arg-type]

    return run
