"""Tables read by the parse stage (checker/tables.py): layouts, cells, and the shape their labels show."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker import tables
from checker.engine import lint_path
from checker.load import load_path
from checker.model import SourceText, Table
from checker.normalize import normalize
from checker.parse import parse
from checker.ruleset import RuleSet
from checker.selection import Options
from checker.tables import read_number


def tables_of(text: str, path: str = "x.md") -> list[Table]:
    return parse(path, SourceText(text), normalize(text)).tables


def grid(table: Table) -> list[list[str]]:
    return [
        [cell.text if (cell := table.cell(r, c)) else "·" for c in range(table.column_count)]
        for r in range(table.row_count)
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("12", Decimal(12), None), ("1,234", Decimal(1234), None), ("96.5%", Decimal("96.5"), "%"),
        ("3.25万元", Decimal("3.25"), "万元"), ("15件", Decimal(15), "件"),
        ("", None, None), ("—", None, None), ("/", None, None), ("约20", None, None), ("行政复议", None, None),
    ],
)
def test_a_cell_states_a_number_or_none(text: str, value: Decimal | None, unit: str | None) -> None:
    assert read_number(text) == (value, unit)


PIPE = """\
| 单位 | 受理 | 办结 | 办结率 | 合计 |
|---|---|---|---|---|
| 甲县 | 10 | 9 | 90% | 19 |
| 乙县 | 20 | | 100% | 40 |
| 合计 | 30 | 29 | 96.7% | 59 |
"""


def test_a_markdown_table_with_its_header_totals_and_rate_column() -> None:
    (table,) = tables_of("报告\n\n" + PIPE)
    assert table.layout == "pipe"
    assert (table.row_count, table.column_count) == (4, 5)
    assert (table.header_rows, table.label_columns) == (1, 1)
    assert table.total_rows == (3,) and table.total_columns == (4,) and table.rate_columns == (3,)
    assert table.value(2, 2) is None  # a blank cell is unknown, never zero
    assert table.value(1, 1) == 10
    assert table.cell(1, 1).where == "5:8"  # type: ignore[union-attr]
    assert table.column_label(2) == "办结" and table.row_label(3) == "合计"
    assert table.find_columns(re.compile("率")) == [3]


def test_tab_separated_rows_keep_their_blank_cells_and_a_year_header() -> None:
    (table,) = tables_of("单位\t2023年\t2024年\n行政复议\t12\t15\n行政诉讼\t8\t\n合计\t20\t25\n")
    assert table.layout == "tab"
    assert grid(table)[2] == ["行政诉讼", "8", ""]
    assert table.header_rows == 1 and table.total_rows == (3,)


def test_columns_cut_by_wide_spaces() -> None:
    (table,) = tables_of("项目    受理    办结\n复议    12      10\n诉讼    8       8\n合计    20      18\n")
    assert table.layout == "spaced" and table.total_rows == (3,) and table.column_count == 3


def test_one_cell_per_line_is_read_only_when_a_total_row_confirms_one_width() -> None:
    lines = ["项目", "受理", "办结", "复议", "12", "10", "诉讼", "8", "8", "合计", "20", "18"]
    (table,) = tables_of("\n".join(lines) + "\n")
    assert table.layout == "cell-per-line"
    assert grid(table)[3] == ["合计", "20", "18"]
    assert tables_of("\n".join(lines[:-3]) + "\n") == []  # no 合计 row: not read


def test_prose_is_no_table() -> None:
    assert tables_of("全年受理行政复议案件12件,办结10件。\n共计  两项  工作\n") == []


def test_sequence_and_part_rows(tmp_path: Path) -> None:
    text = (
        "| 序号 | 类别 | 件数 |\n|---|---|---|\n| 1 | 复议 | 12 |\n| | 其中:听证 | 3 |\n"
        "| 2 | 诉讼 | 8 |\n| | 合计 | 20 |\n"
    )
    (table,) = tables_of(text)
    assert table.label_columns == 2
    assert table.part_rows == (2,) and table.total_rows == (4,)


def test_a_docx_table_keeps_its_merged_cells(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("2024年法治政府建设情况报告")
    word_table = document.add_table(rows=4, cols=4)
    rows = [
        ["项目", "申请人", "", ""], ["", "自然人", "法人", "总计"], ["新收", "10", "5", "15"], ["结转", "", "2", "3"],
    ]  # fmt: skip
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            word_table.cell(r, c).text = text
    word_table.cell(0, 1).merge(word_table.cell(0, 3))
    word_table.cell(0, 0).merge(word_table.cell(1, 0))
    word_table.cell(0, 0).text = "项目"
    path = tmp_path / "t.docx"
    document.save(str(path))
    loaded = load_path(path)
    (table,) = parse(str(path), SourceText(loaded.text), normalize(loaded.text), loaded.tables).tables
    assert table.layout == "docx" and table.label == "表1"
    assert (table.header_rows, table.label_columns, table.total_columns) == (2, 1, (3,))
    assert table.column_label(1) == "申请人 自然人"
    assert table.cell(0, 3) is table.cell(0, 1)  # one merged cell
    assert table.cell(2, 3).where == "表1 行3 列4"  # type: ignore[union-attr]
    assert table.value(3, 1) is None


PAGE = """<html><head><meta charset="utf-8"></head><body><div class="article-content">
<h1>某县2024年法治政府建设年度报告</h1>
<p>2024年,我县行政复议和行政应诉工作情况见下表。</p>
<table><tbody>
<tr><td rowspan="2"><p>项目</p></td><td colspan="2"><p>案件数</p></td><td rowspan="2">合计</td></tr>
<tr><td><p>复议</p></td><td><p>诉讼</p></td></tr>
<tr><td>上半年</td><td>12</td><td>5</td><td>17</td></tr>
<tr><td>下半年</td><td>8</td><td></td><td>14</td></tr>
</tbody></table>
<p>以上数据截至2024年12月31日。</p>
</div></body></html>
"""


def test_an_html_table_is_one_line_a_row_with_its_cells_laid_out(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text(PAGE, encoding="utf-8")
    loaded = load_path(path)
    assert loaded.text.splitlines()[2:6] == ["项目\t案件数\t合计", "复议\t诉讼", "上半年\t12\t5\t17", "下半年\t8\t\t14"]
    (table,) = parse(str(path), SourceText(loaded.text), normalize(loaded.text), loaded.tables).tables
    assert table.layout == "html" and (table.header_rows, table.label_columns) == (2, 1)
    assert [table.column_label(c) for c in range(4)] == ["项目", "案件数 复议", "案件数 诉讼", "合计"]
    assert table.total_columns == (3,)
    assert table.cell(3, 2).where == "表1 行4 列3" and table.value(3, 2) is None  # type: ignore[union-attr]
    assert loaded.text[table.cell(2, 3).span.start : table.cell(2, 3).span.end] == "17"  # type: ignore[union-attr]


def test_a_table_that_lays_out_the_page_stays_text(tmp_path: Path) -> None:
    long = "全年共受理行政复议案件十二件,依法办结十件,其余两件正在审理中,办理质量和效率稳步提升。"
    cell = f"<td><p>{long}</p><p>{long}</p></td>"
    page = f"<html><body><table><tr><td>导航</td></tr><tr>{cell}</tr></table></body></html>"
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    loaded = load_path(path)
    assert loaded.tables == () and loaded.text.count(long) == 2 and "\n" in loaded.text


def test_a_web_page_table_saved_with_trailing_pipes() -> None:
    text = "处罚类别 | 警告 | 罚款 | 合计 | 罚没金额(万元) |\n件数 | 120 | 940 | 1060 | 175.3 |\n"
    (table,) = tables_of(text)
    assert table.layout == "pipe" and table.column_count == 5
    assert table.total_columns == (3,) and table.value(1, 4) == Decimal("175.3")


def test_blocks_side_by_side_are_marked() -> None:
    text = "地区 | 数量 | 地区 | 数量 |\n甲市 | 30 | 丙市 | 12 |\n乙市 | 20 | 丁市 | 8 |\n总计 | 70 | ||\n"
    (table,) = tables_of(text)
    assert table.side_by_side and table.total_rows == (3,)


def test_a_running_total_is_no_total_and_one_percentage_makes_no_rate_column() -> None:
    text = "项目\t累计\t本月\n甲\t120\t12\n乙\t80\t8\n"
    (table,) = tables_of(text)
    assert table.total_columns == ()
    (transposed,) = tables_of("事项 | 复议 | 诉讼 |\n数量 | 75件 | 16件 |\n占比 | 82.4% | 17.6% |\n")
    assert transposed.rate_columns == ()


def test_a_table_of_totals_only_and_hostile_sizes_stay_linear() -> None:
    text = "项目\t数\n" + "合计\t1\n" * 3 + "其中\t2\n" * 3
    (table,) = tables_of(text)
    assert table.total_rows == (1, 2, 3) and table.part_rows == (4, 5, 6)
    assert tables_of("a\t" + "1\t" * 100 + "\n" + "b\t" + "2\t" * 100 + "\n") == []  # no row has 100 cells


# --------------------------------------------------------------------------- table lines

FIXTURES = Path(__file__).parent / "fixtures" / "tables"


def table_lines_of(text: str) -> set[int]:
    return set(parse("x.txt", SourceText(text), normalize(text)).table_lines)


def test_the_rows_of_a_table_are_table_lines_and_no_headings() -> None:
    text = "一、主要举措\n类别\t2022年\t2023年\n(一)行政复议收案\t20\t25\n(二)行政应诉案件\t8\t6\n(一)规范执法\n"
    doc = parse("x.txt", SourceText(text), normalize(text))
    assert doc.table_lines == {2, 3, 4}
    assert [h.text for h in doc.all_headings()] == ["主要举措", "规范执法"]


def test_a_table_copied_one_cell_per_line_is_table_lines_with_its_blank_cells() -> None:
    cells = ["类别", "2022年", "2023年", "行政复议收案", "20", "25", "行政应诉案件", "", "6"]
    text = "三、数据\n" + "".join(f"{cell}\n|\n" for cell in cells) + "全年收案25件。\n"
    assert table_lines_of(text) == set(range(2, 2 + 2 * len(cells)))


def test_a_share_bar_of_empty_cells_is_no_table() -> None:
    assert table_lines_of("三、2024年工作安排\n| | |\n全年审查文件18件。\n") == set()


@pytest.mark.parametrize("name", ["annual-tab-table.txt", "disclosure-pipe-table.txt"])
def test_a_report_with_a_consistent_table_is_silent(name: str, ruleset: RuleSet) -> None:
    result = lint_path(FIXTURES / name, ruleset, Options())
    assert result.diagnostics == []


def test_a_text_table_whose_rows_of_numbers_differ_in_width_is_ragged() -> None:
    merged = "| 类别 | 复议 | 诉讼 |\n| 一、收案 | 3 | 2 |\n| 二、结果 | (一)维持 | 2 | 1 |\n| (二)纠正 | 1 | 1 |\n"
    square = "| 类别 | 复议 | 诉讼 |\n| 收案 | 3 | 2 |\n| 维持 | 2 | 1 |\n"
    assert [table.ragged for table in tables_of(merged)] == [True]
    assert [table.ragged for table in tables_of(square)] == [False]


@given(st.lists(st.sampled_from(["合计", "总计", "共计", "12", "甲", "合计合计", ""]), max_size=40), st.integers(1, 5))
def test_the_first_total_lines_are_those_of_every_total(lines: list[str], limit: int) -> None:
    """A copied table is looked for from the first lines that name a total: they are found
    without finding every total of the text (a total word on every line of a long file)."""
    text = "\n".join(lines)

    def first_lines(offsets: list[int]) -> list[int]:
        return sorted({text.count("\n", 0, at) for at in offsets})[:limit]

    every = [at for word in tables._TOTAL_WORDS for at in range(len(text)) if text.startswith(word, at)]
    assert first_lines(tables._first_lines(text, tables._TOTAL_WORDS, limit)) == first_lines(every)


def test_one_label_cell_is_read_as_the_joined_labels_are() -> None:
    """``row_label``/``column_label`` read one cell when one column or row labels: a merged
    cell labels every slot it covers, a blank or missing one labels nothing."""
    from checker.model import Span, TableCell

    def cell(row: int, column: int, text: str, row_span: int = 1) -> TableCell:
        return TableCell(row, column, text, Span(0, 0), read_number(text)[0], None, "", row_span)

    cells = [cell(0, 0, ""), cell(0, 1, "件数"), cell(1, 0, "复议", row_span=2), cell(1, 1, "3"), cell(2, 1, "4")]
    table = Table("1", "docx", [*cells, cell(3, 1, "7")], Span(0, 0))
    table.header_rows, table.label_columns = 1, 1
    assert [table.row_label(r) for r in range(4)] == ["", "复议", "复议", ""]
    assert [table.column_label(c) for c in range(2)] == ["", "件数"]


def test_a_column_of_percentages_is_a_rate_column_without_a_rate_word() -> None:
    (table,) = tables_of("单位\t受理\t结果\n甲\t10\t90%\n乙\t20\t95%\n合计\t30\t93.3%\n")
    assert table.rate_columns == (2,) and table.total_rows == (3,)
