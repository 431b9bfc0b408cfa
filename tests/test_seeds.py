"""Snapshots of the diagnostics on the five real seeds (pytest-regressions).

Any change in what govlint finds on real text shows up as a diff of these files;
review it line by line before regenerating with ``pytest --force-regen``. The README
says what a reviewer would say of each seed, and these snapshots must agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.engine import lint_path
from checker.report.machine import records
from checker.selection import Options
from conftest import ROOT, SEEDS

SEED_IDS = [p.name[:3] for p in SEEDS]


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_seed_snapshot(ruleset, file_regression, seed: Path) -> None:
    result = lint_path(seed.relative_to(ROOT), ruleset, Options())
    text = json.dumps(records([result]), ensure_ascii=False, indent=2)
    file_regression.check(text + "\n", extension=".json", basename=f"seed_{seed.name[:3]}")


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_no_numeric_or_false_errors_in_summary_profile(ruleset, seed: Path) -> None:
    """Under --profile summary no structural rule applies; the errors left are debris
    (placeholders, pinyin, mojibake) that a reviewer would confirm."""
    result = lint_path(seed.relative_to(ROOT), ruleset, Options(profile="summary"))
    errors = {d.code for d in result.diagnostics if d.severity == "error"}
    assert errors <= {"T401", "T403", "T404"}


def test_seeds_are_the_users_copies() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for seed in SEEDS:
        assert seed.read_bytes() == (shared / seed.name).read_bytes()
