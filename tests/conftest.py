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


def user_rule(
    message: str = "“{match}”是错别字,应为“法治政府”", message_en: str = "“{match}” is a typo for 法治政府"
) -> str:
    """A rule file with one rule of the user's own, X901 (法制政府 for 法治政府), whose
    messages a test may choose (a changed rule file is read again)."""
    return _USER_RULE.replace("{message}", message).replace("{message_en}", message_en)


_USER_RULE = """
[[rule]]
code = "X901"
name = "old-outline-name"
kind = "pattern"
severity = "error"
summary = "旧纲要名称"
summary_en = "outdated outline name"
message = "{message}"
message_en = "{message_en}"
explanation = "法制政府是常见错别字。"
source = "《法治政府建设实施纲要(2021—2025年)》"
example = { fail = "建设法制政府", pass = "建设法治政府" }
[rule.params]
patterns = [{ regex = "法制政府", label = { zh = "错别字", en = "typo" } }]
"""
