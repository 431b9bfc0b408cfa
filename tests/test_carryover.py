"""P401 across the layouts a disclosure report comes in: last year's table 三 from a .docx,
this year's from a web page, paired by organisation, year and profile (also with
--previous); the rows are kept in the digest only when P401 runs. The rule's cases (text
tables, both ways, blank cells) are in tests/rules/P401.toml."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from disclosure_forms import RESULT_GROUPS_2021, Block, applications, as_docx, as_html, as_text, blocks

from checker.cli import main
from checker.crossfile import across_reports
from checker.engine import lint_path
from checker.model import FileResult
from checker.rule import RuleFileError
from checker.ruleschema import compile_rule_files
from checker.ruleset import RuleSet, builtin_rules_dir, rule_files
from checker.selection import Options

ORGANISATION = "青山区交通运输局"
GRANTED = RESULT_GROUPS_2021[0][0]  # (一)予以公开
COMPARED = Options(compare_reports=True)  # as lint_run sets it for a run of several reports


def _report(year: int, carried: Sequence[int]) -> list[Block]:
    """A consistent report for ``year``: 3 new applications of persons and 1 of a business,
    one of a person's granted, the rest left open."""
    rows = applications((3, 1, 0, 0, 0, 0), carried, {GRANTED: [1, 0, 0, 0, 0, 0]})
    return blocks(rows, [0] * 15, title=f"{ORGANISATION}{year}年政府信息公开工作年度报告", overview="")


def _last_year_docx(tmp_path: Path) -> Path:
    path = tmp_path / "2023.docx"
    as_docx(_report(2023, carried=(0,) * 6), path)  # leaves 2 of persons and 1 of a business open
    return path


def _this_year_html(tmp_path: Path, carried: Sequence[int]) -> Path:
    path = tmp_path / "2024.html"
    path.write_text(as_html(_report(2024, carried)), encoding="utf-8")
    return path


def _run(ruleset: RuleSet, *paths: Path) -> list[FileResult]:
    results = [lint_path(path, ruleset, COMPARED) for path in paths]
    return across_reports(results, [(ruleset, COMPARED)] * len(results))


def test_a_carry_over_from_a_docx_checked_in_a_web_page(tmp_path: Path, ruleset: RuleSet) -> None:
    last = _last_year_docx(tmp_path)
    this = _this_year_html(tmp_path, carried=(1, 1, 0, 0, 0, 0))  # 1 of the 2 persons' lost
    _, result = _run(ruleset, last, this)
    found = [d for d in result.diagnostics if d.code == "P401"]
    assert [d.message.split("为")[0] for d in found] == [
        "第三部分统计表“二、上年结转”自然人",
        "第三部分统计表“二、上年结转”总计",
    ]
    assert result.source is not None
    first = found[0]
    assert first.span is not None and result.source.text[first.span.start : first.span.end] == "1"
    assert "上年结转" in result.source.line_text(result.source.line_of(first.span.start))
    (related,) = first.related
    assert related.path == str(last)
    assert "四、结转下年度继续办理" in related.message and f"({last}:{related.position.line})" in first.message
    docx_text = lint_path(last, ruleset, Options()).source
    assert docx_text is not None
    assert docx_text.text[related.span.start : related.span.end] == "2"
    assert "结转下年度" in docx_text.line_text(related.position.line)


def test_a_carry_over_kept_is_silent(tmp_path: Path, ruleset: RuleSet) -> None:
    last = _last_year_docx(tmp_path)
    this = _this_year_html(tmp_path, carried=(2, 1, 0, 0, 0, 0))
    _, result = _run(ruleset, last, this)
    assert not [d for d in result.diagnostics if d.code == "P401" or d.severity == "error"], result.diagnostics


def test_last_year_given_with_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = _last_year_docx(tmp_path)
    this = _this_year_html(tmp_path, carried=(1, 1, 0, 0, 0, 0))
    status = main(["--format", "json", "--no-cache", "--select", "P401", "--previous", str(last), str(this)])
    problems = json.loads(capsys.readouterr().out)
    assert status == 1
    assert {p["path"] for p in problems} == {str(this)}
    assert [p["related"][0]["path"] for p in problems] == [str(last)] * 2


def test_the_partner_is_last_years_disclosure_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The organisation's 法治政府建设 report of the same year, listed first, is another series."""
    annual = tmp_path / "a-annual-2023.txt"
    opening = "一、主要举措和成效\n全年受理行政复议申请5件。\n"
    annual.write_text(f"{ORGANISATION}2023年法治政府建设年度报告\n{opening}", encoding="utf-8")
    last = tmp_path / "b-2023.txt"
    last.write_text(as_text(_report(2023, carried=(0,) * 6), "piped"), encoding="utf-8")
    this = tmp_path / "c-2024.txt"
    this.write_text(as_text(_report(2024, carried=(1, 1, 0, 0, 0, 0)), "piped"), encoding="utf-8")
    main(["--format", "json", "--no-cache", str(annual), str(last), str(this)])
    problems = [p for p in json.loads(capsys.readouterr().out) if p["code"] == "P401"]
    pairs = [(Path(p["path"]).name, Path(p["related"][0]["path"]).name) for p in problems]
    assert pairs == [("c-2024.txt", "b-2023.txt")] * 2


def test_the_rows_are_kept_only_for_P401(tmp_path: Path, ruleset: RuleSet) -> None:
    last = _last_year_docx(tmp_path)
    digest = lint_path(last, ruleset, COMPARED).digest
    assert digest is not None and digest.profile == "disclosure"
    kept = {row.row: [(cell.column, cell.value) for cell in row.cells] for row in digest.rows}
    others = [(column, 0) for column in ("research", "welfare", "legal", "others")]
    assert kept["forward"] == [("natural", 2), ("business", 1), *others, ("total", 3)]
    assert set(kept) == {"carried", "forward"}
    without = lint_path(last, ruleset, COMPARED._replace(ignore=("P401",))).digest
    assert without is None or without.rows == ()


@pytest.mark.parametrize(
    ("params", "wrong"),
    [('carried = "brought"', "'brought' names no row"), ('table = "P101"', "not a table-identity rule")],
)
def test_a_carry_over_rule_names_rows_of_a_table_rule(params: str, wrong: str) -> None:
    rule = f"""
[[rule]]
code = "X401"
name = "carry-over-of-my-own"
kind = "carry-over"
severity = "error"
summary = "s"
summary_en = "s"
message = "m"
message_en = "m"
explanation = "e"
source = "src"
example = {{ fail = "f", pass = "p" }}
[rule.params]
{params}
"""
    builtin = [(path, path.read_bytes()) for path in rule_files([builtin_rules_dir()])]
    with pytest.raises(RuleFileError, match=wrong):
        compile_rule_files([*builtin, (Path("x.toml"), rule.encode())])
