"""Tables in Word and web page reports, end to end: the file is generated here (python-docx
writes the .docx), linted through the CLI, and its table findings compared with a
snapshot (pytest-regressions): the cell each finding names and the arithmetic it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from checker.cli import main

CODES = "N201,N202,N203"

# Rows of the report's table: a merged header, a 小计, a 合计 row that is one short, a rate
# that its counts contradict, a 办结 above its 受理 and a blank cell (unknown: silent).
HEADER = [["单位", "行政复议", "", "", "合计"], ["", "受理", "办结", "办结率", ""]]
ROWS = [
    ["城关镇", "24", "23", "95.8%", "47"],
    ["河西乡", "15", "16", "100%", "31"],
    ["小计", "39", "39", "100%", "78"],
    ["市直单位", "10", "", "90%", "19"],
    ["合计", "49", "48", "98%", "96"],
]
PROSE = "2024年,全县行政复议案件办理情况见下表。"


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("某县2024年法治政府建设年度报告")
    document.add_paragraph(PROSE)
    rows = HEADER + ROWS
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 1).merge(table.cell(0, 3)).text = "行政复议"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "单位"
    table.cell(0, 4).merge(table.cell(1, 4)).text = "合计"
    document.save(str(path))


def _html(path: Path) -> None:
    def row(cells: list[str]) -> str:
        return "<tr>" + "".join(f"<td><p>{text}</p></td>" for text in cells) + "</tr>"

    header = (
        '<tr><td rowspan="2">单位</td><td colspan="3">行政复议</td><td rowspan="2">合计</td></tr>'
        "<tr><td>受理</td><td>办结</td><td>办结率</td></tr>"
    )
    page = (
        '<html><head><meta charset="utf-8"></head><body><div class="article-content">'
        f"<h1>某县2024年法治政府建设年度报告</h1><p>{PROSE}</p>"
        f"<table>{header}{''.join(row(cells) for cells in ROWS)}</table></div></body></html>"
    )
    path.write_text(page, encoding="utf-8")


@pytest.mark.parametrize(("suffix", "write"), [(".docx", _docx), (".html", _html)])
def test_table_findings_name_their_cells(
    suffix: str,
    write: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    file_regression: FileRegressionFixture,
) -> None:
    path = tmp_path / f"report{suffix}"
    write(path)  # type: ignore[operator]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    main(["--color", "never", "--select", CODES, path.name])
    out = capsys.readouterr().out
    file_regression.check(out, basename=f"tables{suffix.replace('.', '_')}", extension=".txt")
