"""Rule files: every malformed file gives one clear line naming file, line, rule and field;
valid files compile; the cache keeps pydantic and lark off a clean run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checker.ruleschema import compile_rule_files
from checker.ruleset import RuleFileError, builtin_rules_dir, fill, rule_files
from conftest import ROOT

VALID = """
[[rule]]
code = "X901"
name = "my-rule"
kind = "pattern"
severity = "warning"
summary = "s"
summary_en = "s"
message = "m {match}"
message_en = "m {match}"
explanation = "e"
source = "src"
example = { fail = "法制政府", pass = "法治政府" }
[rule.params]
patterns = [{ regex = "法制政府", label = { zh = "l", en = "l" } }]
"""


def compile_text(text: str, name: str = "x.toml") -> None:
    builtin = [(p, p.read_bytes()) for p in rule_files([builtin_rules_dir()])]
    compile_rule_files(builtin + [(Path(name), textwrap.dedent(text).encode())])


def test_valid_user_rule_compiles() -> None:
    compile_text(VALID)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace('kind = "pattern"', 'kind = "magic"'), "x.toml:3: rule X901: field 'kind'"),
        (lambda t: t.replace('regex = "法制政府"', 'regex = "法制("'), "does not compile"),
        (lambda t: t.replace('severity = "warning"', 'severity = "fatal"'), "field 'severity'"),
        (lambda t: t.replace('source = "src"\n', ""), "field 'source': Field required"),
        (lambda t: t.replace('source = "src"', 'source = "src"\nsauce = 1'), "field 'sauce': Extra inputs"),
        (lambda t: t.replace("m {match}", "m {__class__}", 1), "unknown placeholder {__class__}"),
        (lambda t: t.replace('code = "X901"', 'code = "S101"'), "duplicate code 'S101'"),
        (lambda t: t.replace('[rule.params]', '[rule.params]\ntarget = "everywhere"'), "field 'params.target'"),
        (lambda t: t.replace("[rule.params]", '[rule.params]\nfix = "rewrite"'), "field 'params.fix'"),
        (lambda t: t.replace("[rule.params]", '[rule.params]\nline_debris = ["T401"]'), 'needs fix = "delete-line"'),
        (
            lambda t: t.replace("[rule.params]", '[rule.params]\nfix = "delete-line"\nline_debris = ["S101"]'),
            "field 'params.line_debris': 'S101' is not a pattern rule",
        ),
        (lambda t: t + "\n[[rule]]\ncode = ", "invalid TOML"),
    ],
)
def test_malformed_rules(change, expected: str) -> None:
    with pytest.raises(RuleFileError) as info:
        compile_text(change(VALID))
    message = str(info.value)
    assert expected in message and "\n" not in message


CONDITION_RULE = """
[[rule]]
code = "X902"
name = "my-date-rule"
kind = "date-relation"
severity = "warning"
summary = "s"
summary_en = "s"
message = "m"
message_en = "m"
explanation = "e"
source = "src"
example = { fail = "f", pass = "p" }
[rule.params]
roles = ["publication"]
condition = "CONDITION"
"""


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("date <= date(report_year + 1, 3, 31)", None),
        ("date <= date(report_yaer + 1, 3, 31)", "unknown name 'report_yaer'"),
        ("date <=", "condition"),
        ("__import__('os').system('true')", "condition"),
        ("open(date)", "condition"),
    ],
)
def test_conditions_are_checked_at_load(condition: str, expected: str | None) -> None:
    text = CONDITION_RULE.replace("CONDITION", condition)
    if expected is None:
        compile_text(text)
        return
    with pytest.raises(RuleFileError) as info:
        compile_text(text)
    assert expected in str(info.value) and "X902" in str(info.value)


def test_part_reference_must_be_a_section_rule() -> None:
    text = VALID.replace('kind = "pattern"', 'kind = "section-content"').replace("m {match}", "m").replace(
        "[rule.params]\npatterns", '[rule.params]\npart = "T401"\nrequire = ["x"]\n#'
    )
    with pytest.raises(RuleFileError, match="'T401' is not a section rule"):
        compile_text(text)


def test_fill_substitutes_names_only() -> None:
    assert fill("{a} and {b.__class__} and {c}", {"a": 1}) == "1 and {b.__class__} and {c}"


def test_warm_cache_keeps_pydantic_and_lark_off_the_clean_path(tmp_path: Path) -> None:
    code = (
        "import sys; from checker.cli import main; "
        "main(['seeds/003_e2cb0b1e9b765e18.txt', '--select', 'D']); "
        "print(sorted(m for m in ('pydantic', 'lark', 'rich') if m in sys.modules))"
    )
    env = {"GOVLINT_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert "pydantic" in cold.stdout
    assert warm.stdout.strip().splitlines()[-1] == "[]", warm.stdout + warm.stderr
