"""Rule files: every malformed file gives one clear line naming file, line, rule and field;
valid files compile; the cache keeps pydantic and lark off a clean run; the kind registry
and the JSON Schema derived from it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import jsonschema
import pytest

from checker.checks.registry import kinds
from checker.cli import main
from checker.rule import Rule, RuleFileError, fill
from checker.ruleschema import compile_rule_files, params_model, rule_file_schema
from checker.ruleset import builtin_rules_dir, rule_files
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


def compile_text(text: str, name: str = "x.toml") -> dict[str, Rule]:
    builtin = [(p, p.read_bytes()) for p in rule_files([builtin_rules_dir()])]
    rules, _, _ = compile_rule_files([*builtin, (Path(name), textwrap.dedent(text).encode())])
    return {rule.code: rule for rule in rules}


def test_valid_user_rule_compiles() -> None:
    rule = compile_text(VALID)["X901"]
    assert (rule.kind, rule.severity, rule.file) == ("pattern", "warning", "x.toml")
    assert [item.regex.pattern for item in rule.params.patterns] == ["法制政府"]
    assert rule.params.target == "view"  # a default the file left out
    assert rule.message("default", {"match": "法制政府"}, "zh") == "m 法制政府"


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
        (lambda t: t.replace('regex = "法制政府"', 'find = "gbk-out-of-step", needs = "法"'), "needs goes with regex"),
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
        assert compile_text(text)["X902"].params.roles == frozenset({"publication"})
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


# --------------------------------------------------------------------------- the kind registry


def test_every_kind_names_a_params_model_that_compiles_its_defaults() -> None:
    for spec in kinds().values():
        model = params_model(spec)
        if not any(field.is_required() for field in model.model_fields.values()):
            model().compile()  # a rule that leaves params out gets the defaults


def test_every_shipped_rule_kind_is_registered_and_numeric_kinds_read_facts(ruleset) -> None:
    used = {rule.kind for rule in ruleset.rules}
    assert used <= set(kinds())
    assert {name for name, spec in kinds().items() if spec.reads_facts} == {
        rule.kind for rule in ruleset.rules if rule.code.startswith("N")
    }


# --------------------------------------------------------------------------- JSON Schema of rule files


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = rule_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", rule_files([builtin_rules_dir()]), ids=lambda p: p.name)
def test_every_shipped_rule_file_matches_the_schema(validator, path: Path) -> None:
    errors = [e.message for e in validator.iter_errors(tomllib.loads(path.read_text(encoding="utf-8")))]
    assert not errors


def test_the_user_rule_example_matches_the_schema(validator) -> None:
    assert not list(validator.iter_errors(tomllib.loads(VALID)))


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("[rule.params]", '[rule.params]\ntarget = "everywhere"'),  # a value the param does not take
        lambda t: t.replace("[rule.params]", "[rule.params]\nheading = [\"x\"]"),  # another kind's param
        lambda t: t.replace("[rule.params]\npatterns = ", "[rule.params]\npatternz = "),  # a required param missing
        lambda t: t.replace('kind = "pattern"', 'kind = "magic"'),
        lambda t: t + '[rule.messages.mentioned]\nzh = "z"\nen = "e"\n',  # a message variant of another kind
    ],
)
def test_the_schema_rejects_what_loading_rejects(validator, change) -> None:
    text = change(VALID)
    assert list(validator.iter_errors(tomllib.loads(text)))
    with pytest.raises(RuleFileError):
        compile_text(text)


def test_schema_command_prints_the_schema(capsys) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(rule_file_schema()))


def test_docs_describe_every_kind_its_variants_and_placeholders() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for spec in kinds().values():
        name = f"`{spec.name}`"
        if (start := text.find(f"# {name}")) >= 0:  # a section of its own
            section = text[start : text.find("\n#", start)]
        else:  # a row of the numeric kinds' table
            start = text.find(f"| {name} |")
            assert start >= 0, f"docs/rules.md does not describe kind {spec.name}"
            section = text[start : text.find("\n", start)]
        for word in (*(f"`{v}`" for v in spec.variants), *(f"`{{{a}}}`" for a in spec.args)):
            assert word in section, f"docs/rules.md: kind {spec.name} does not mention {word}"
