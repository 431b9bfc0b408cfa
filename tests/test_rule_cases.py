"""Every rule's pass/fail cases, run by one parametrised test (SQLFluff's layout).

Cases live in ``tests/rules/<CODE>.toml`` and are validated by ``CaseFile`` below; the
examples each rule file ships for ``govlint explain`` are run too, so the documentation
cannot drift from the behaviour. A case fails whenever a rule crashed (E002), whatever it
expects: a crashing rule would otherwise pass every "must not fire" case.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from checker.checks import Settings
from checker.checks.registry import kinds
from checker.crossfile import across_reports
from checker.engine import lint_text
from checker.model import INTERNAL_ERROR, FileResult
from checker.ruleschema import params_model
from checker.ruleset import RuleSet, load_rules
from checker.selection import Options

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).parent / "rules"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CaseOptions(_Strict):
    """How the case is linted (the command line's --profile, --lang, --publication-deadline)."""

    profile: Literal["annual", "summary", "disclosure"] | None = None  # None: the title chooses (else annual)
    lang: Literal["zh", "en"] = "zh"
    deadline_month: int = Field(Settings().deadline_month, ge=1, le=12)
    deadline_day: int = Field(Settings().deadline_day, ge=1, le=31)

    def options(self, code: str) -> Options:
        settings = Settings(self.deadline_month, self.deadline_day)
        return Options(select=(code,), profile=self.profile, lang=self.lang, settings=settings)


class Case(_Strict):
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    text: str
    fails: bool  # does the rule fire?
    at: str | None = None  # the original characters its first finding points at
    count: int | None = Field(None, ge=0)  # how many findings
    message: str | None = None  # a substring of the first message
    params: dict[str, Any] = {}  # overrides of the rule's params, key by key
    options: CaseOptions = CaseOptions()
    # Reserved: the text after --fix, checked once findings carry their edits.
    fixed: str | None = None

    @model_validator(mode="after")
    def _expectations_fit(self) -> Case:
        if not self.fails and (self.at is not None or self.message is not None or self.count):
            raise ValueError("a passing case (fails = false) has no finding to describe: drop at, message, count")
        return self


class CaseFile(_Strict):
    case: list[Case] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> CaseFile:
        names = [c.name for c in self.case]
        if duplicate := next((n for n in names if names.count(n) > 1), None):
            raise ValueError(f"two cases are named {duplicate!r}")
        return self


def _problem(path: Path, data: dict[str, Any], e: ValidationError) -> str:
    """One line: the file, the case (name and number) and the field at fault."""
    err = e.errors()[0]
    loc = list(err["loc"])
    where = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    if loc[:1] == ["case"] and len(loc) > 1 and isinstance(loc[1], int):
        index = loc[1]
        cases = data.get("case", [])
        name = cases[index].get("name", "?") if isinstance(cases[index], dict) else "?"
        where += f": case {name!r} (#{index + 1})"
        loc = loc[2:]
    field = ".".join(str(p) for p in loc)
    return f"{where}: {'field ' + repr(field) + ': ' if field else ''}{err['msg']}"


def load_cases(path: Path) -> CaseFile:
    """The validated cases of ``path``; a malformed file raises ValueError with one line."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        return CaseFile.model_validate(data)
    except ValidationError as e:
        raise ValueError(_problem(path, data, e)) from None


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        code = path.stem
        try:
            cases = load_cases(path).case
        except ValueError as e:  # reported by the test of this id, in one line
            params.append(pytest.param(code, str(e), id=f"{code}-malformed"))
            continue
        params.extend(pytest.param(code, case, id=f"{code}-{case.name}") for case in cases)
    return params


def with_params(ruleset: RuleSet, code: str, overrides: dict[str, Any]) -> RuleSet:
    """``ruleset`` with the params of rule ``code`` overridden key by key, validated and
    compiled as the rule file's own would be."""
    rule = ruleset.by_code[code]
    raw_rules = tomllib.loads(Path(rule.file).read_text(encoding="utf-8"))["rule"]
    raw = next(r for r in raw_rules if r["code"] == code).get("params", {})
    params = params_model(kinds()[rule.kind]).model_validate({**raw, **overrides}).compile()
    changed = rule._replace(params=params)
    return RuleSet.of([changed if r.code == code else r for r in ruleset.rules], ruleset.vocabulary)


REPORTS_SEPARATOR = "\n---\n"


def _linted(ruleset: RuleSet, code: str, case: Case) -> tuple[str, FileResult]:
    """The text the case's findings are in, and its result. A rule across reports reads
    several: the case's reports are separated by a line ``---`` (as rules/crossyear.toml's
    examples), linted as one run; the last one is the report checked."""
    options = case.options.options(code)
    if kinds()[ruleset.by_code[code].kind].across is None:
        return case.text, lint_text("report.txt", case.text, ruleset, options)
    texts = case.text.split(REPORTS_SEPARATOR)
    options = options._replace(compare_reports=True)  # as lint_run sets it for a run of several reports
    results = [lint_text(f"report{i}.txt", text, ruleset, options) for i, text in enumerate(texts)]
    return texts[-1], across_reports(results, [(ruleset, options)] * len(results))[-1]


def _crashes(result: FileResult) -> list[str]:
    return [d.message for d in result.diagnostics if d.code == INTERNAL_ERROR]


def check_case(ruleset: RuleSet, code: str, case: Case) -> None:
    if case.fixed is not None:
        pytest.fail("field 'fixed' is reserved: checking --fix results comes with findings that carry edits")
    if case.params:
        ruleset = with_params(ruleset, code, case.params)
    text, result = _linted(ruleset, code, case)
    assert not _crashes(result), _crashes(result)
    found = [d for d in result.diagnostics if d.code == code]
    assert bool(found) == case.fails, [d.message for d in result.diagnostics]
    if case.count is not None:
        assert len(found) == case.count
    if case.at is not None:
        span = found[0].span
        assert span is not None
        assert text[span.start : span.end] == case.at
    if case.message is not None:
        assert case.message in found[0].message


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(ruleset: RuleSet, code: str, case: Case | str) -> None:
    if isinstance(case, str):  # a malformed case file
        pytest.fail(case, pytrace=False)
    check_case(ruleset, code, case)


def _rule_codes() -> list[str]:
    return [r.code for r in load_rules().rules if r.kind != "builtin"]


def test_every_rule_has_cases_both_ways() -> None:
    for code in _rule_codes():
        path = CASES_DIR / f"{code}.toml"
        assert path.exists(), f"{code} has no case file"
        cases = load_cases(path).case
        assert any(c.fails for c in cases), f"{code}: no failing case"
        assert any(not c.fails for c in cases), f"{code}: no passing case"


@pytest.mark.parametrize("code", _rule_codes())
def test_shipped_examples(ruleset: RuleSet, code: str) -> None:
    rule = ruleset.by_code[code]
    # Under a profile the rule applies to: annual, where it does (the examples have no title to choose one).
    options = CaseOptions.model_validate({"profile": "annual" if "annual" in rule.profiles else min(rule.profiles)})
    check_case(ruleset, code, Case(name="example-fail", text=rule.example_fail, fails=True, options=options))
    check_case(ruleset, code, Case(name="example-pass", text=rule.example_pass, fails=False, options=options))


def test_a_pattern_needs_what_each_of_its_matches_holds(ruleset: RuleSet) -> None:
    """``needs`` skips the search of a text without those characters: every match, in every
    case, example and seed, must hold one, or a match would be lost."""
    from conftest import SEEDS

    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    for path in sorted(CASES_DIR.glob("*.toml")):
        texts += [case.text for case in load_cases(path).case]
    texts += [text for rule in ruleset.rules for text in (rule.example_fail, rule.example_pass)]
    needing = [(r.code, item) for r in ruleset.rules if r.kind == "pattern" for item in r.params.patterns if item.needs]
    assert needing, "no shipped pattern uses needs: this test tests nothing"
    for code, item in needing:
        matches = [m.group() for text in texts for m in item.regex.finditer(text)]
        assert matches, f"{code}: {item.regex.pattern!r} matches no text here"
        for match in matches:
            assert any(char in match for char in item.needs), f"{code}: {match!r} holds none of {item.needs!r}"


# --------------------------------------------------------------------------- the runner itself


def test_a_rule_that_crashes_fails_its_passing_cases(ruleset: RuleSet) -> None:
    """A kind that raises (here: the pattern check handed params it cannot read) turns into
    E002; the case "must not fire" then fails instead of passing quietly."""
    broken = RuleSet.of([r._replace(params=None) if r.code == "T401" else r for r in ruleset.rules], ruleset.vocabulary)
    passing = Case(name="clean", text="全年共召开常务会议12次。", fails=False)
    check_case(ruleset, "T401", passing)
    with pytest.raises(AssertionError, match="rule T401 failed"):
        check_case(broken, "T401", passing)


def test_a_rule_that_crashes_fails_under_monkeypatch(ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with the kind's own code made to raise."""
    from checker.checks import structure

    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(structure, "find_part", boom)
    fresh = RuleSet.of(list(ruleset.rules), ruleset.vocabulary)  # not a plan made before the patch
    with pytest.raises(AssertionError, match="RuntimeError: boom"):
        check_case(fresh, "S101", Case(name="clean", text="一、主要举措和成效\n", fails=False))


def test_per_case_params_override_the_rules(ruleset: RuleSet) -> None:
    text = "2023年法治政府建设年度报告\n一、主要举措和成效\n(一)甲\n(三)乙\n"
    check_case(ruleset, "S106", Case(name="gap", text=text, fails=True))
    check_case(ruleset, "S106", Case(name="level-2-off", text=text, fails=False, params={"levels": [1]}))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '[[case]]\nname = "a"\ntext = "x"\nfails = true\nfials = false\n',
            "case 'a' (#1): field 'fials': Extra inputs",
        ),
        ('[[case]]\nname = "a"\ntext = "x"\n', "case 'a' (#1): field 'fails': Field required"),
        ('[[case]]\nname = "a"\ntext = "x"\nfails = false\nat = "x"\n', "case 'a' (#1): Value error, a passing case"),
        ('[[case]]\nname = "a"\ntext = "x"\nfails = true\noptions = { profile = "x" }\n', "field 'options.profile'"),
        (
            '[[case]]\nname = "a"\ntext = "x"\nfails = true\n[[case]]\nname = "a"\ntext = "y"\nfails = false\n',
            "named 'a'",
        ),
    ],
)
def test_a_malformed_case_file_is_one_line_naming_file_and_case(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "X999.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_cases(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message, message
