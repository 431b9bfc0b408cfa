"""The summary sheet (--format xlsx / csv): every cell of a small archive read back, its
formatting, the seeds' rows against the lint's own findings, and LibreOffice opening it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from checker.cli import main
from checker.report.xlsx import _display_width

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Four reports of an archive, in my own words: a complete 公文 with its header, a township's
# report published late with a part missing and one only mentioned, one naming no one, and
# a Word file that cannot be read.
COMPLETE = """发布时间:2024-03-20
青府〔2024〕3号
青山县人民政府
关于2023年度法治政府建设情况的报告
一、2023年法治政府建设主要举措和成效
全年办理行政复议案件12件。
二、存在的不足和原因
基层执法力量不足,主要是人员编制少。
三、党政主要负责人履行推进法治建设第一责任人职责情况
县长主持召开常务会议专题研究法治政府建设4次,带头参加会前学法6次,年终开展述法。
四、2024年工作安排
继续推进严格规范公正文明执法。
"""
LATE = """白沙镇2023年法治政府建设年度报告
发布时间:2024-05-08
一、主要举措和成效
镇党委将法治建设纳入工作要点,明确主要领导为法治建设第一责任人。
二、2024年工作计划
继续加强基层法治宣传。
"""
NAMELESS = "2023年法治政府建设年度报告\n2023年,我们坚持依法行政。\n"

REPORTS_HEADER = [
    "文件", "报告单位", "报告年度", "标题", "发布日期", "按期公开", "主要举措和成效", "存在的不足和原因",
    "党政主要负责人履行第一责任人职责", "下一年度主要安排", "履责情况", "错误", "警告", "提示", "问题代码",
]  # fmt: skip
REPORTS_ROWS = [
    [
        "archive/a.txt", "青山县人民政府", 2023, "关于2023年度法治政府建设情况的报告", dt.datetime(2024, 3, 20), "✓",
        "✓", "✓", "✓", "✓", "专题研究、听取汇报、带头学法、述法", 0, 1, 0, "T402",
    ],
    [
        "archive/b.txt", "白沙镇人民政府", 2023, "白沙镇2023年法治政府建设年度报告", dt.datetime(2024, 5, 8), "✗",
        "✓", "✗", "仅提及", "✓", None, 2, 2, 0, "D302 S102 S103 T402",
    ],
    [
        "archive/c.txt", None, 2023, "2023年法治政府建设年度报告", None, None,
        "✗", "✗", "✗", "✗", None, 4, 0, 1, "S101 S102 S103 S104 S114",
    ],
    ["archive/d.docx", None, None, None, None, None, None, None, None, None, None, 1, 0, 0, "E001"],
]  # fmt: skip
FINDINGS_HEADER = ["文件", "位置", "代码", "级别", "说明", "原文"]
FINDINGS_ROWS = [
    ["archive/a.txt", "1:1", "T402", "警告", "正文中混入网页元素“发布时间:”", "发布时间:"],
    ["archive/b.txt", "全文", "S102", "错误", "缺少“上一年度推进法治政府建设存在的不足和原因”部分", None],
    ["archive/b.txt", "2:1", "T402", "警告", "正文中混入网页元素“发布时间:”", "发布时间:"],
    ["archive/b.txt", "2:6", "D302", "警告", "发布日期为2024年5月8日,晚于公开期限2024年3月31日", "2024-05-08"],
    [
        "archive/b.txt", "4:27", "S103", "错误",
        "缺少“党政主要负责人履行推进法治建设第一责任人职责情况”部分:只在其他部分中顺带提及", "第一责任人",
    ],
    ["archive/c.txt", "全文", "S101", "错误", "缺少“上一年度推进法治政府建设的主要举措和成效”部分", None],
    ["archive/c.txt", "全文", "S102", "错误", "缺少“上一年度推进法治政府建设存在的不足和原因”部分", None],
    ["archive/c.txt", "全文", "S103", "错误", "缺少“党政主要负责人履行推进法治建设第一责任人职责情况”部分", None],
    ["archive/c.txt", "全文", "S104", "错误", "缺少“下一年度推进法治政府建设的主要安排”部分", None],
    [
        "archive/c.txt", "1:1", "S114", "提示", "未能从标题、发文机关、落款、首句或发文字号中识别报告单位",
        "2023年法治政府建设年度报告",
    ],
    ["archive/d.docx", "全文", "E001", "错误", "无法读取文件:不是 .docx 文件(不是 ZIP 压缩包)", None],
]  # fmt: skip


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text(COMPLETE, encoding="utf-8")
    (folder / "b.txt").write_text(LATE, encoding="utf-8")
    (folder / "c.txt").write_text(NAMELESS, encoding="utf-8")
    (folder / "d.docx").write_bytes(b"PK\x03\x04broken")
    monkeypatch.chdir(tmp_path)
    return folder


def govlint(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["--no-cache", *args])
    return status, out.getvalue(), err.getvalue()


def rows(sheet: Any) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_every_cell_of_both_sheets(archive: Path) -> None:
    status, out, _ = govlint("--format", "xlsx", "-o", "汇总.xlsx", "archive")
    assert (status, out) == (2, "")  # the E001 makes the status 2, as in any format
    workbook = openpyxl.load_workbook("汇总.xlsx")
    assert workbook.sheetnames == ["汇总", "问题"]
    assert rows(workbook["汇总"]) == [REPORTS_HEADER, *REPORTS_ROWS]
    assert rows(workbook["问题"]) == [FINDINGS_HEADER, *FINDINGS_ROWS]


def test_each_sheet_has_a_frozen_bold_header_filters_and_fitted_widths(archive: Path) -> None:
    govlint("--format", "xlsx", "-o", "汇总.xlsx", "archive")
    workbook = openpyxl.load_workbook("汇总.xlsx")
    for sheet, columns, count in ((workbook["汇总"], 15, 4), (workbook["问题"], 6, 11)):
        assert sheet.freeze_panes == "B2"
        last = openpyxl.utils.get_column_letter(columns)
        assert sheet.auto_filter.ref == f"A1:{last}{count + 1}"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    widths = workbook["汇总"].column_dimensions
    assert widths["B"].width == _display_width("青山县人民政府") + 2 == 16  # CJK counts double
    assert widths["C"].width == 10  # 报告年度: a wrapped header asks for at most 12 columns … or its length
    assert widths["L"].width == 6  # 错误 / 0: the narrowest
    assert workbook["问题"].column_dimensions["E"].width == 60  # the longest message, capped
    assert workbook["汇总"]["E2"].number_format == "yyyy-mm-dd"


def test_colours_are_conditional_formats(archive: Path) -> None:
    govlint("--format", "xlsx", "-o", "汇总.xlsx", "archive")
    workbook = openpyxl.load_workbook("汇总.xlsx")

    def rules(sheet: Any) -> dict[str, list[tuple[str, list[str], str]]]:
        found: dict[str, list[tuple[str, list[str], str]]] = {}
        for cells in sheet.conditional_formatting:
            for rule in cells.rules:
                colour = rule.dxf.fill.fgColor.rgb[-6:]
                found.setdefault(str(cells.sqref), []).append((rule.operator, rule.formula, colour))
        return found

    reports = rules(workbook["汇总"])
    marks = [("equal", ['"✓"'], "C6EFCE"), ("equal", ['"仅提及"'], "FFEB9C"), ("equal", ['"✗"'], "FFC7CE")]
    for column in "FGHIJ":  # on time and the four parts
        assert reports[f"{column}2:{column}5"] == marks
    assert reports["L2:L5"] == [("greaterThan", ["0"], "FFC7CE")]
    assert reports["M2:M5"] == [("greaterThan", ["0"], "FFEB9C")]
    assert reports["N2:N5"] == [("greaterThan", ["0"], "DDEBF7")]
    findings = rules(workbook["问题"])
    assert findings == {
        "D2:D12": [("equal", ['"错误"'], "FFC7CE"), ("equal", ['"警告"'], "FFEB9C"), ("equal", ['"提示"'], "DDEBF7")]
    }


def test_english_headers_and_words(archive: Path) -> None:
    govlint("--format", "xlsx", "-o", "summary.xlsx", "--lang", "en", "archive")
    workbook = openpyxl.load_workbook("summary.xlsx")
    assert workbook.sheetnames == ["Reports", "Findings"]
    reports = rows(workbook["Reports"])
    assert reports[0] == [
        "File", "Organisation", "Report year", "Title", "Published", "On time", "Main measures and results",
        "Shortcomings and their causes", "Principal leaders' duties as first responsible persons",
        "Next year's plan", "Leaders' duties evidenced", "Errors", "Warnings", "Info", "Codes",
    ]  # fmt: skip
    assert reports[1][10] == (
        "meetings that studied rule of law, leading the study of law, 述法 (reporting on rule of law)"
    )
    assert reports[2][8] == "mentioned only"
    findings = rows(workbook["Findings"])
    assert findings[0] == ["File", "Position", "Code", "Severity", "Message", "Text"]
    assert [row[1] for row in findings[1:3]] == ["1:1", "whole file"]
    assert {row[3] for row in findings[1:]} == {"error", "warning", "info"}


def test_csv_is_the_first_sheet_in_utf8_with_a_bom(archive: Path) -> None:
    status, out, _ = govlint("--format", "csv", "archive")
    assert status == 2
    assert out.startswith("\ufeff文件,报告单位,")  # Excel reads UTF-8 only after the mark
    table = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    expected = [[_csv_text(cell) for cell in row] for row in REPORTS_ROWS]
    assert table == [REPORTS_HEADER, *expected]
    govlint("--format", "csv", "-o", "汇总.csv", "archive")
    written = Path("汇总.csv").read_bytes()
    assert written.startswith("\ufeff文件".encode()) and b"\r\n" in written and b"\r\r" not in written


def _csv_text(cell: object) -> str:
    if cell is None:
        return ""
    return cell.date().isoformat() if isinstance(cell, dt.datetime) else str(cell)


def test_a_workbook_is_never_written_to_standard_output(archive: Path) -> None:
    status, out, err = govlint("--format", "xlsx", "archive")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "-o" in err  # one line, saying what to do
    status, _, err = govlint("--format", "csv", "--statistics", "archive")
    assert status == 2 and err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_seeds_rows_match_the_lint(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / f"seeds.{fmt}"
    govlint("--format", fmt, "-o", str(out), "seeds")
    _, json_out, _ = govlint("--format", "json", "seeds")
    findings = json.loads(json_out)
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(out)
        sheet = rows(workbook.worksheets[0])
        listed = rows(workbook.worksheets[1])[1:]
        assert [(r[0], r[2], r[3]) for r in listed] == [(f["path"], f["code"], _severity_zh(f)) for f in findings]
    else:
        sheet = [list(row) for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))]
    header, *body = sheet
    column = {name: index for index, name in enumerate(header)}
    assert [row[0] for row in body] == sorted(str(p.relative_to(ROOT)) for p in SEEDS.glob("*.txt"))
    for row in body:
        own = [f for f in findings if f["path"] == row[0]]
        counts = [sum(f["severity"] == level for f in own) for level in ("error", "warning", "info")]
        assert [int(row[column[name]]) for name in ("错误", "警告", "提示")] == counts  # type: ignore[arg-type]
        assert row[column["问题代码"]] == " ".join(sorted({f["code"] for f in own}))
        assert row[column["报告单位"]] == own[0]["report"]["organisation"]
        assert str(row[column["报告年度"]]) == str(own[0]["report"]["year"])


def _severity_zh(finding: dict[str, Any]) -> str:
    return {"error": "错误", "warning": "警告", "info": "提示"}[finding["severity"]]


def test_a_run_without_a_workbook_never_imports_openpyxl(archive: Path) -> None:
    code = (
        "import sys; from checker.cli import main; main(['--no-cache', '--format', 'csv', 'archive']);"
        "print('openpyxl' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=archive.parent)
    assert proc.stderr.strip().splitlines()[-1] == "False"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook(archive: Path, tmp_path: Path) -> None:
    govlint("--format", "xlsx", "-o", "汇总.xlsx", "archive")
    profile = tmp_path / "lo-profile"  # its own profile: no clash with another soffice running
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path / "pdf"), "汇总.xlsx"],
        capture_output=True, timeout=240, check=True,
    )  # fmt: skip
    pdf = tmp_path / "pdf" / "汇总.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "青山县人民政府" in text and "仅提及" in text and "D302" in text


def test_control_characters_become_replacement_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A web page's control character is no XML: the workbook holds U+FFFD in its place."""
    monkeypatch.chdir(tmp_path)
    Path("r.txt").write_text("白沙镇2023年法治政府建设年度报告\x08\n正文。\n", encoding="utf-8")
    govlint("--format", "xlsx", "-o", "r.xlsx", "r.txt")
    assert openpyxl.load_workbook("r.xlsx").worksheets[0]["D2"].value == "白沙镇2023年法治政府建设年度报告\ufffd"
