"""Disclosure reports of our own making, in the layouts published copies come in: the
statistics tables of the 2021 format (国办公开办函〔2021〕30号) and of the 2019 trial
format, filled with chosen numbers, as text (cells joined by " | ", one cell per line),
Markdown pipes, HTML and .docx. Used by tests/test_disclosure*.py."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

# Table 三's rows: (label cells, as the form prints them). A None value row has no numbers.
RESULT_GROUPS_2021 = (
    ("(一)予以公开", ()),
    ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", ()),
    ("(三)不予公开", ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                  "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")),
    ("(四)无法提供", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
    ("(五)不予处理", ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                  "5.要求行政机关确认或重新出具已获取信息")),
    ("(六)其他处理", ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                  "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")),
    ("(七)总计", ()),
)
# The trial format's (六)其他处理 is one row.
RESULT_GROUPS_2019 = (*RESULT_GROUPS_2021[:5], ("(六)其他处理", ()), RESULT_GROUPS_2021[6])

Row = tuple[tuple[str, ...], tuple[int | None, ...]]


def with_total(six: Sequence[int]) -> tuple[int, ...]:
    """Six applicant counts and their 总计."""
    return (*six, sum(six))


def applications(
    new: Sequence[int],
    carried: Sequence[int],
    results: dict[str, Sequence[int]],
    version: str = "2021",
) -> list[Row]:
    """Table 三's body rows, consistent: label cells and the seven numbers. ``new``,
    ``carried`` and each of ``results`` (by the row's last label: "(一)予以公开",
    "2.重复申请" …) give the six applicant counts; the other result rows are 0, (七)总计 is
    their sum and 四、结转下年度继续办理 what is left."""
    zero = (0,) * 6
    rows: list[Row] = [
        (("一、本年新收政府信息公开申请数量",), with_total(new)),
        (("二、上年结转政府信息公开申请数量",), with_total(carried)),
    ]
    groups = RESULT_GROUPS_2021 if version == "2021" else RESULT_GROUPS_2019
    handled = [0] * 6
    for index, (group, subrows) in enumerate(groups):
        lead = ("三、本年度办理结果",) if index == 0 else ()
        if group == "(七)总计":
            rows.append(((group,), with_total(handled)))
            continue
        for k, sub in enumerate(subrows or (group,)):
            labels = (*lead, group, sub) if subrows and k == 0 else (*lead, group) if not subrows else (sub,)
            six = tuple(results.get(sub, zero))
            handled = [a + b for a, b in zip(handled, six, strict=True)]
            rows.append((labels, with_total(six)))
    left = [a + b - c for a, b, c in zip(new, carried, handled, strict=True)]
    rows.append((("四、结转下年度继续办理",), with_total(left)))
    return rows


def changed(rows: Sequence[Row], label: str, column: int, value: int | None) -> list[Row]:
    """``rows`` with the number in ``column`` of the row whose last label is ``label`` replaced."""
    out = []
    for labels, values in rows:
        if labels and labels[-1] == label:
            values = tuple(value if i == column else v for i, v in enumerate(values))
        out.append((labels, values))
    return out


APPLICATIONS_HEADER = (
    ("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"),
    ("自然人", "法人或其他组织", "总计"),
    ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
)
REVIEWS_HEADER = (
    ("行政复议", "行政诉讼"),
    ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"),
    ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2,
)


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def piped(header: Sequence[Sequence[str]], rows: Sequence[Row]) -> str:
    """Each row one line, cells joined by " | " and closed by " |" (a web page copied)."""
    lines = [" | ".join(cells) + " |" for cells in header]
    lines += [" | ".join([*labels, *map(_cell, values)]) + " |" for labels, values in rows]
    return "\n".join(lines)


def markdown(header: Sequence[Sequence[str]], rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(cells) + " |" for cells in header]
    lines += ["| " + " | ".join([*labels, *map(_cell, values)]) + " |" for labels, values in rows]
    return "\n".join(lines)


def cell_per_line(header: Sequence[Sequence[str]], rows: Sequence[Row]) -> str:
    """One cell per line, each closed by " |"; a blank cell is a lone "|"."""
    lines = [f"{cell} |" for cells in header for cell in cells]
    for labels, values in rows:
        lines += [f"{label} |" for label in labels]
        lines += [f"{_cell(v)} |" if v is not None else "|" for v in values]
    return "\n".join(lines)


def cell_then_rule(header: Sequence[Sequence[str]], rows: Sequence[Row]) -> str:
    """One cell per line, each followed by a line "|" (a blank cell: an empty line)."""
    lines = [f"{cell}\n|" for cells in header for cell in cells]
    for labels, values in rows:
        lines += [f"{label}\n|" for label in labels]
        lines += [f"{_cell(v)}\n|" for v in values]
    return "\n".join(lines)


PROACTIVE_2021 = """二、主动公开政府信息情况
第二十条第(一)项 |
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
规章 | 0 | 0 | 0 |
行政规范性文件 | 2 | 1 | 14 |
第二十条第(五)项 |
信息内容 | 本年处理决定数量 |
行政许可 | 35 |
第二十条第(六)项 |
信息内容 | 本年处理决定数量 |
行政处罚 | 12 |
行政强制 | 0 |
第二十条第(八)项 |
信息内容 | 本年收费金额(单位:万元) |
行政事业性收费 | 0 |"""

PROACTIVE_2019 = """二、主动公开政府信息情况
第二十条第(一)项 |
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
规章 | 0 | 0 | 0 |
规范性文件 | 2 | 2 | 14 |
第二十条第(五)项 |
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | 10 | 0 | 35 |"""


# A report as blocks: a paragraph, or a table (header rows, body rows).
Block = str | tuple[Sequence[Sequence[str]], Sequence[Row]]


def blocks(
    applications_rows: Sequence[Row],
    reviews_values: Sequence[int | None],
    *,
    title: str = "青山区交通运输局2023年政府信息公开工作年度报告",
    overview: str = "2023年,我局共收到政府信息公开申请3件,均已按期答复。",
    proactive: str = PROACTIVE_2021,
) -> list[Block]:
    return [
        title,
        "一、总体情况",
        overview,
        *proactive.split("\n"),
        "三、收到和处理政府信息公开申请情况",
        (APPLICATIONS_HEADER, applications_rows),
        "四、政府信息公开行政复议、行政诉讼情况",
        (REVIEWS_HEADER, [((), tuple(reviews_values))]),
        "五、存在的主要问题及改进情况",
        "依申请公开答复的说理还不够充分,下一步将加强培训。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]


def as_text(report: Sequence[Block], layout: str) -> str:
    """The report as text, its tables in ``layout``: piped, markdown, cell_per_line or cell_then_rule."""
    table = {"piped": piped, "markdown": markdown, "cell_per_line": cell_per_line, "cell_then_rule": cell_then_rule}[
        layout
    ]
    return "\n".join(block if isinstance(block, str) else table(*block) for block in report) + "\n"


def as_html(report: Sequence[Block]) -> str:
    """The report as a web page, its tables as the form prints them: label cells spanning
    the columns the numbers leave free."""
    out = ["<html><body>"]
    for block in report:
        if isinstance(block, str):
            out.append(f"<p>{block}</p>")
            continue
        header, rows = block
        width = max(len(values) for _, values in rows) + 3
        out.append("<table>")
        out += ["<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" for cells in header]
        for labels, values in rows:
            span = width - len(values) - len(labels) + 1
            cells = [f"<td>{c}</td>" for c in labels]
            if cells and span > 1:
                cells[-1] = f'<td colspan="{span}">{labels[-1]}</td>'
            out.append("<tr>" + "".join(cells) + "".join(f"<td>{_cell(v)}</td>" for v in values) + "</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


# Where the form prints its header cells over the numbers: (first row, first column, last
# row, last column, text), columns counted from the first number column; the label
# columns' corner (table 三's note) spans the header rows.
_MERGED_HEADERS: dict[Sequence[Sequence[str]], list[tuple[int, int, int, int, str]]] = {
    APPLICATIONS_HEADER: [
        (0, 0, 0, 6, "申请人情况"), (1, 0, 2, 0, "自然人"), (1, 1, 1, 5, "法人或其他组织"), (1, 6, 2, 6, "总计"),
        *((2, 1 + k, 2, 1 + k, name) for k, name in enumerate(APPLICATIONS_HEADER[2])),
    ],
    REVIEWS_HEADER: [
        (0, 0, 0, 4, "行政复议"), (0, 5, 0, 14, "行政诉讼"),
        *((1, k, 2, k, name) for k, name in enumerate(REVIEWS_HEADER[1][:5])),
        (1, 5, 1, 9, "未经复议直接起诉"), (1, 10, 1, 14, "复议后起诉"),
        *((2, 5 + k, 2, 5 + k, name) for k, name in enumerate(REVIEWS_HEADER[2])),
    ],
}  # fmt: skip


def as_docx(report: Sequence[Block], path: Path) -> None:
    """The report as a .docx, its tables as Word prints the form: merged header cells over
    the numbers they name, label columns before the numbers of table 三 (one per label
    level), none before table 四's."""
    import docx as python_docx

    document = python_docx.Document()
    for block in report:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        header, rows = block
        numbers = max(len(values) for _, values in rows)
        width = numbers + max(len(labels) for labels, _ in rows)
        table = document.add_table(rows=len(header) + len(rows), cols=width)
        first = width - numbers
        if first:
            corner = table.cell(0, 0).merge(table.cell(len(header) - 1, first - 1))
            corner.text = header[0][0]
        for top, left, bottom, right, text in _MERGED_HEADERS[header]:
            table.cell(top, first + left).merge(table.cell(bottom, first + right)).text = text
        for r, (labels, values) in enumerate(rows, start=len(header)):
            for c, text in enumerate(labels):
                table.cell(r, c).text = text
            for c, value in enumerate(values, start=width - numbers):
                table.cell(r, c).text = _cell(value)
    document.save(str(path))
