"""Every rule's pass/fail cases, run by one parametrised test (SQLFluff's layout).

Cases live in ``tests/rules/<CODE>.toml``; the examples each rule file ships for
``govlint explain`` are run too, so the documentation cannot drift from the behaviour.
A case: ``text``; ``fails`` (does the rule fire?); optional ``at`` (the exact original
characters its first finding points at), ``count`` (how many findings), ``profile``,
``message`` (a substring of the first message).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from checker.ruleschema import compile_rule_files
from checker.ruleset import builtin_rules_dir, rule_files

CASES_DIR = Path(__file__).parent / "rules"


def _rule_codes() -> list[str]:
    files = [(p, p.read_bytes()) for p in rule_files([builtin_rules_dir()])]
    rules, _ = compile_rule_files(files)
    return sorted(r.code for r in rules if r.kind != "builtin")


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        code = path.stem
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            params.append(pytest.param(code, case, id=f"{code}-{case['name']}"))
    return params


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(lint, code: str, case: dict[str, Any]) -> None:
    result = lint(case["text"], select=(code,), profile=case.get("profile", "annual"))
    found = [d for d in result.diagnostics if d.code == code]
    assert bool(found) == case["fails"], [d.message for d in result.diagnostics]
    if "count" in case:
        assert len(found) == case["count"]
    if "at" in case:
        span = found[0].span
        assert span is not None
        assert case["text"][span.start : span.end] == case["at"]
    if "message" in case:
        assert case["message"] in found[0].message


def test_every_rule_has_cases_both_ways() -> None:
    for code in _rule_codes():
        path = CASES_DIR / f"{code}.toml"
        assert path.exists(), f"{code} has no case file"
        cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
        assert any(c["fails"] for c in cases), f"{code}: no failing case"
        assert any(not c["fails"] for c in cases), f"{code}: no passing case"


@pytest.mark.parametrize("code", _rule_codes())
def test_shipped_examples(lint, ruleset, code: str) -> None:
    rule = ruleset.by_code[code]
    assert any(d.code == code for d in lint(rule.example_fail, select=(code,)).diagnostics), "example.fail passes"
    assert not any(d.code == code for d in lint(rule.example_pass, select=(code,)).diagnostics), "example.pass fails"
