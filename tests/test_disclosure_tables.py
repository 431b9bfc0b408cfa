"""The disclosure report's statistics tables (P201, P202) and the text against them (P203),
in every layout a published copy comes in: text with cells joined by "|", Markdown pipes,
one cell per line, an HTML page and a .docx; in the 2021 format and the 2019 trial format.
Each identity is kept once and broken once (tests/disclosure_forms.py builds the reports)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from disclosure_forms import (  # beside the tests: pytest puts their folder on sys.path
    PROACTIVE_2019,
    PROACTIVE_2021,
    Block,
    Row,
    applications,
    as_docx,
    as_html,
    as_text,
    blocks,
    changed,
)

from checker.engine import lint_path
from checker.model import Diagnostic
from checker.ruleset import RuleSet
from checker.selection import Options

LAYOUTS = ["piped", "markdown", "cell_per_line", "cell_then_rule", "html", "docx"]
VERSIONS = ["2021", "2019"]
NEW = [2, 1, 0, 0, 0, 0]  # 3 new applications: 2 from persons, 1 from a business
CARRIED = [1, 0, 0, 0, 0, 0]
RESULTS = {
    "(一)予以公开": [1, 1, 0, 0, 0, 0],
    "2.重复申请": [1, 0, 0, 0, 0, 0],
    "3.要求提供公开出版物": [1, 0, 0, 0, 0, 0],
}
REVIEWS = [1, 0, 0, 0, 1] + [0, 0, 0, 1, 1] + [0] * 5
NATURAL, BUSINESS, TOTAL = 0, 1, 6
IDENTITIES = {
    "column": "new + carried == results + forward",
    "sum": "results == granted + partly + withheld + unavailable + declined + other",
    "row": "total == natural + business + research + welfare + legal + others",
}


def lint(tmp_path: Path, ruleset: RuleSet, report: Sequence[Block], layout: str) -> list[Diagnostic]:
    if layout == "docx":
        path = tmp_path / "report.docx"
        as_docx(report, path)
    elif layout == "html":
        path = tmp_path / "report.html"
        path.write_text(as_html(report), encoding="utf-8")
    else:
        path = tmp_path / "report.txt"
        path.write_text(as_text(report, layout), encoding="utf-8")
    result = lint_path(path, ruleset, Options())
    assert not [d for d in result.diagnostics if d.code in ("E001", "E002")], result.diagnostics
    return result.diagnostics


def table(version: str) -> list[Row]:
    return applications(NEW, CARRIED, RESULTS, version)


def report(
    rows: Sequence[Row], reviews: Sequence[int | None] = REVIEWS, version: str = "2021", **kw: str
) -> list[Block]:
    return blocks(rows, reviews, proactive=PROACTIVE_2021 if version == "2021" else PROACTIVE_2019, **kw)


def broken(found: list[Diagnostic], code: str = "P201") -> set[str]:
    """Which identities the findings of ``code`` say are broken."""
    return {name for d in found if d.code == code for name, text in IDENTITIES.items() if text in d.message}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_consistent_report_has_no_table_finding(tmp_path: Path, ruleset: RuleSet, layout: str, version: str) -> None:
    found = lint(tmp_path, ruleset, report(table(version), version=version), layout)
    # No error at all: N201–N203 read the form's tables too, and must not misread them.
    assert not [d for d in found if d.code in ("P201", "P202", "P203") or d.severity == "error"], [
        d.message for d in found
    ]


BUSY = {  # a department with applications from most kinds of applicant and most outcomes
    "(一)予以公开": [6, 2, 1, 0, 1, 0],
    "(二)部分公开(区分处理的,只计这一情形,不计其他情形)": [2, 1, 0, 0, 0, 1],
    "4.保护第三方合法权益": [1, 0, 0, 0, 0, 0],
    "1.本机关不掌握相关政府信息": [3, 0, 0, 0, 1, 0],
    "(六)其他处理": [1, 0, 0, 0, 0, 0],
    "3.其他": [1, 0, 0, 0, 0, 0],
}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_busy_consistent_report_has_no_finding(tmp_path: Path, ruleset: RuleSet, layout: str, version: str) -> None:
    rows = applications([12, 3, 1, 0, 2, 1], [2, 0, 0, 0, 0, 0], BUSY, version)
    overview = "2023年,我局共收到政府信息公开申请19件,均已按期答复。"
    found = lint(tmp_path, ruleset, report(rows, version=version, overview=overview), layout)
    assert [d.code for d in found] == ([] if version == "2021" else ["P109"]), [d.message for d in found]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_received_plus_carried_is_handled_plus_carried_forward(
    tmp_path: Path, ruleset: RuleSet, layout: str, version: str
) -> None:
    rows = changed(table(version), "四、结转下年度继续办理", NATURAL, 2)  # none left, written 2 …
    rows = changed(rows, "四、结转下年度继续办理", TOTAL, 2)  # … in its total too
    found = lint(tmp_path, ruleset, report(rows, version=version), layout)
    assert broken(found) == {"column"}
    first = next(d for d in found if d.code == "P201")
    assert "“自然人”" in first.message
    assert "一、本年新收 2 + 二、上年结转 1 = 3 ≠ (七)总计 3 + 四、结转下年度继续办理 2 = 5" in first.message


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_total_of_results_sums_every_result_row(
    tmp_path: Path, ruleset: RuleSet, layout: str, version: str
) -> None:
    rows = changed(table(version), "(七)总计", BUSINESS, 0)  # the business's 予以公开 left out …
    rows = changed(rows, "(七)总计", TOTAL, 3)
    rows = changed(rows, "四、结转下年度继续办理", BUSINESS, 1)  # … and carried forward instead
    rows = changed(rows, "四、结转下年度继续办理", TOTAL, 1)
    found = lint(tmp_path, ruleset, report(rows, version=version), layout)
    assert broken(found) == {"sum"}
    assert any("(一)予以公开 1" in d.message and "(七)总计 0" in d.message for d in found)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_row_total_sums_its_applicants(tmp_path: Path, ruleset: RuleSet, layout: str, version: str) -> None:
    rows = changed(table(version), "2.重复申请", NATURAL, 0)  # a person's application moved …
    rows = changed(rows, "3.要求提供公开出版物", NATURAL, 2)  # … to the next row, its total not
    found = lint(tmp_path, ruleset, report(rows, version=version), layout)
    assert broken(found) == {"row"}
    assert {d.message.split("“")[1].split("”")[0] for d in found if d.code == "P201"} == {
        "(五)2.重复申请",
        "(五)3.要求提供公开出版物",
    }


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_blank_cell_is_unknown_never_zero(tmp_path: Path, ruleset: RuleSet, layout: str) -> None:
    rows = changed(table("2021"), "一、本年新收政府信息公开申请数量", NATURAL, None)  # 2, left blank
    found = lint(tmp_path, ruleset, report(rows), layout)
    assert not [d for d in found if d.code == "P201"], [d.message for d in found]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_review_total_is_the_sum_of_its_outcomes(tmp_path: Path, ruleset: RuleSet, layout: str) -> None:
    reviews = list(REVIEWS)
    reviews[9] = 2  # 未经复议直接起诉: 1 pending, total written 2
    found = lint(tmp_path, ruleset, report(table("2021"), reviews), layout)
    messages = [d.message for d in found if d.code == "P202"]
    assert len(messages) == 1 and "未经复议直接起诉 总计 2 ≠" in messages[0], messages


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_text_contradicting_the_table(tmp_path: Path, ruleset: RuleSet, layout: str) -> None:
    overview = "2023年,我局共收到政府信息公开申请4件,上年结转1件,均已按期答复。"
    found = lint(tmp_path, ruleset, report(table("2021"), overview=overview), layout)
    assert [d.message for d in found if d.code == "P203"] == ["正文说4件,统计表“一、本年新收 总计”为3件"]


def test_a_report_of_the_trial_format_is_told_by_its_tables(tmp_path: Path, ruleset: RuleSet) -> None:
    found = lint(tmp_path, ruleset, report(table("2019"), version="2019"), "piped")
    assert {d.code for d in found} == {"P109"}
    assert {d.code for d in lint(tmp_path, ruleset, report(table("2021")), "piped")} == set()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice makes the PDF")
def test_a_pdf_table_is_read_from_its_text(tmp_path: Path, ruleset: RuleSet) -> None:
    """A PDF's text: numbers cut by spaces, narrow label cells wrapped onto the lines below."""
    rows = changed(table("2021"), "四、结转下年度继续办理", NATURAL, 2)
    rows = changed(rows, "四、结转下年度继续办理", TOTAL, 2)
    reviews = list(REVIEWS)
    reviews[4] = 2  # 行政复议: 1 upheld, total written 2
    as_docx(report(rows, reviews), tmp_path / "report.docx")
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "report.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    found = lint_path(tmp_path / "report.pdf", ruleset, Options()).diagnostics
    assert broken(found) == {"column"}
    assert [d.message for d in found if d.code == "P202"] == [
        "第四部分统计表不符合“review_total == review_upheld + review_corrected + review_other + review_pending”:"
        "行政复议 总计 2 ≠ 行政复议 结果维持 1 + 行政复议 结果纠正 0 + 行政复议 其他结果 0 + 行政复议 尚未审结 0 = 1"
    ]
