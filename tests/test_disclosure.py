"""The disclosure profile (政府信息公开工作年度报告): how a report gets it, and its rules."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from checker.engine import lint_text
from checker.rule import PROFILES, RuleFileError
from checker.ruleschema import Profile, compile_rule_files
from checker.ruleset import RuleSet, builtin_rules_dir, rule_files
from checker.selection import Options

DISCLOSURE_TITLE = "青山区交通运输局2023年政府信息公开工作年度报告"
ANNUAL_TITLE = "青山区交通运输局2023年法治政府建设年度报告"
# Only the overview: the other five parts of each profile are missing.
BODY = "一、总体情况\n2023年,我局共主动公开政府信息86条。\n"


def codes(ruleset: RuleSet, text: str, profile: str | None = None) -> set[str]:
    return {d.code for d in lint_text("report.txt", text, ruleset, Options(profile=profile)).diagnostics}


def test_the_profile_names_agree() -> None:
    assert get_args(Profile) == PROFILES


def test_the_title_chooses_the_disclosure_profile(ruleset: RuleSet) -> None:
    found = codes(ruleset, f"{DISCLOSURE_TITLE}\n{BODY}")
    assert {"P102", "P106"} <= found and not {c for c in found if c.startswith(("S10", "D3"))}


def test_any_other_title_keeps_the_annual_profile(ruleset: RuleSet) -> None:
    for text in (f"{ANNUAL_TITLE}\n{BODY}", BODY):
        found = codes(ruleset, text)
        assert "S102" in found and not {c for c in found if c.startswith("P")}


@pytest.mark.parametrize("profile", ["annual", "summary"])
def test_a_profile_named_wins_over_the_title(ruleset: RuleSet, profile: str) -> None:
    found = codes(ruleset, f"{DISCLOSURE_TITLE}\n{BODY}", profile)
    assert not {c for c in found if c.startswith("P")}


def test_the_disclosure_profile_named_applies_without_a_title(ruleset: RuleSet) -> None:
    assert "P102" in codes(ruleset, BODY, "disclosure")


def _compile(tmp_path: Path, text: str) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(text, encoding="utf-8")
    files = [*rule_files([builtin_rules_dir()]), extra]
    compile_rule_files([(path, path.read_bytes()) for path in files])


def test_a_profile_is_chosen_by_one_rule_file_only(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match=r"extra.toml: \[profile.disclosure\] is also defined in .*disclosure.toml"):
        _compile(tmp_path, "[profile.disclosure]\ntitle = ['公开年报']\n")


def test_a_profile_title_names_a_known_profile(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match=r"profile\.yearly"):
        _compile(tmp_path, "[profile.yearly]\ntitle = ['年报']\n")
