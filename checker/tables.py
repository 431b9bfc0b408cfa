"""Tables of a report: cells on a grid, read from the layouts reports come in, and what
their labels say of their shape (totals, subtotals, 其中 parts, rates).

The parse stage calls :func:`read_tables`. Layouts:

- **.docx and HTML tables**: the loader lays out each cell (``TableLayout``: where its
  text is, its grid row and column, merged cells); nothing is guessed.
- **pipes**: ``| 单位 | 受理 | 办结 |`` lines (Markdown, a ``|---|`` line after the header),
  or ``单位 | 受理 | 办结 |`` as a web page's table is often saved.
- **tab-separated rows**: two or more consecutive lines with the same number of tabs.
- **columns of wide spaces**: two or more consecutive lines cut by runs of two or more
  spaces into the same number (≥ 3) of short cells, one row with two numbers at least.
- **one cell per line** (what a web page's table becomes when copied): N short label
  lines, then rows of N lines, each a label and N − 1 numbers. Read only when it is
  unambiguous: a 合计/总计 row is among the rows, and exactly one N fits.

Then :func:`recognise` reads the labels: header rows (leading rows without a number
other than a year), label columns (leading columns without a number, or 序号), total
rows and columns (合计, 总计, 共计, 总数, 总量), subtotals (小计), parts (其中), rate columns
(率, 占比, 比例, %), and columns whose numbers are no quantities (序号, years).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from checker.model import SourceText, Span, Table, TableCell, TableLayout, TableLayoutKind, View, line_starts
from checker.normalize import normalize

# A cell that states a number: digits (thousands commas allowed), a short unit after it.
_NUMBER = re.compile(r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(%|[^\s\d.,%]{1,3})?")
_YEAR_CELL = re.compile(r"(?:19|20)\d{2}(?:年度?|年)?")
_TOTAL = re.compile(r"合计|总计|共计|总数|总量")  # not 累计: a running total, not a sum of columns
_SUBTOTAL = re.compile(r"小计")
_THIS_YEAR = re.compile(r"本年|当年")
_PART = re.compile(r"(?:^|\s)[((]?其中")
_RATE = re.compile(r"率|占比|比例|比重|百分比|%")
_NOT_A_QUANTITY = re.compile(r"序号|编号|^序$|年份|年度|排名|名次|代码|电话|时间|日期")
_SEQUENCE_HEADER = re.compile(r"序号|编号|^序$|年份|年度")
_MARKDOWN_RULE = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?")
_WIDE_SPACE = re.compile(r"[ \u3000]{2,}")
_WIDE_SPACE_SPLIT = re.compile(r"([ \u3000]{2,})")  # the separators kept: split gives their lengths
_LABEL_MAX = 24  # a longer cell is prose, not a table's label
_MIN_SPACED_COLUMNS = 3


def read_number(text: str) -> tuple[Decimal | None, str | None]:
    """The number a cell states and its unit, or (None, None): blank, "—", "/", words, an
    approximation (约, 余: not a stated value)."""
    if not text or not (text[0].isdecimal() or text[0] in "+-"):
        return None, None  # most label cells, without a pattern call (what \d accepts, isdecimal does)
    m = _NUMBER.fullmatch(text)
    if m is None:
        return None, None
    try:
        return Decimal(m.group(1).replace(",", "")), m.group(2)
    except InvalidOperation:  # pragma: no cover - the pattern admits decimals only
        return None, None


def read_tables(view: View, source: SourceText, layouts: Sequence[TableLayout] = ()) -> list[Table]:
    """Every table of the text in text order: the loader's, then those of plain-text
    layouts on the other lines; each recognised."""
    tables = [_from_layout(layout, source) for layout in layouts if layout.cells and _fits(layout)]
    laid_out = {box.line for layout in layouts for box in layout.cells}
    tables += _text_tables(view, source, laid_out)
    for table in tables:
        recognise(table)
    tables.sort(key=lambda table: table.span.start)
    return tables


def _fits(layout: TableLayout) -> bool:
    """Whether the grid of ``layout`` is of a size a report's table has (a hostile file's
    spans could ask for millions of slots)."""
    rows = max(box.row + box.row_span for box in layout.cells)
    columns = max(box.column + box.column_span for box in layout.cells)
    return rows * columns <= _MAX_SLOTS


def _from_layout(layout: TableLayout, source: SourceText) -> Table:
    cells = []
    for box in layout.cells:
        text = normalize(source.text[box.start : box.end]).text.strip()
        value, unit = read_number(text)
        where = f"{layout.label} 行{box.row + 1} 列{box.column + 1}"
        span = Span(box.start, box.end)
        cells.append(TableCell(box.row, box.column, text, span, value, unit, where, box.row_span, box.column_span))
    boxes = layout.cells
    return Table(layout.label, layout.kind, cells, Span(boxes[0].start, max(box.end for box in boxes)))


# --------------------------------------------------------------------------- text layouts

# A row of a text table: its line number and the (view start, view end) of each cell.
_Row = tuple[int, list[tuple[int, int]]]


# Where a text table's row may be: a pipe, a tab, two spaces after a word; where a copied
# table's total may be. Found with str.find (a pattern tried at every character of every
# report costs more than the rest of this module), so that only their lines are split.
_ROW_MARKS = ("|", "\t", "  ", "\u3000\u3000", " \u3000", "\u3000 ")
_TOTAL_WORDS = ("合计", "总计", "共计", "总数", "总量")
_SPACE_RUN = re.compile("[ \u3000]*")


def _found(text: str, needles: tuple[str, ...], after_word: bool = False) -> list[int]:
    """Offsets of ``needles`` in ``text``; with ``after_word``, only runs of spaces that
    follow a word (not a line's indentation): the rest of a run is passed over, as no
    space in it follows a word (a blanked comment's run would be found pair by pair)."""
    found: list[int] = []
    for needle in needles:
        spaces = after_word and needle not in "|\t"
        at = text.find(needle)
        while at != -1:
            if not spaces or (at and not text[at - 1].isspace()):
                found.append(at)
            at = text.find(needle, _run_end(text, at) if spaces else at + len(needle))
    return found


def _first_lines(text: str, needles: tuple[str, ...], limit: int) -> list[int]:
    """Offsets of ``needles`` in ``text``, the first in each line, in the first ``limit``
    lines that hold each: what the first ``limit`` lines that hold any need."""
    found: list[int] = []
    for needle in needles:
        at = text.find(needle)
        for _ in range(limit):
            if at == -1:
                break
            found.append(at)
            line_end = text.find("\n", at)
            at = text.find(needle, line_end + 1) if line_end != -1 else -1
    return found


def _run_end(text: str, at: int) -> int:
    """Where the run of spaces at ``at`` ends."""
    run = _SPACE_RUN.match(text, at)
    assert run is not None  # the pattern matches the empty string too
    return run.end()


def _text_tables(view: View, source: SourceText, skip: set[int]) -> list[Table]:
    text = view.text
    marks = _found(text, _ROW_MARKS, after_word=True)
    totals = _first_lines(text, _TOTAL_WORDS, _MAX_TOTAL_LINES)
    if not marks and not totals:
        return []  # most reports: no table in their text
    lines = text.split("\n")
    starts = line_starts(lines)

    def line(index: int) -> tuple[int, int, str]:  # line number, view start, text
        return index + 1, starts[index], lines[index]

    tables: list[Table] = []
    block: list[_Row] = []
    block_kind: TableLayoutKind | None = None
    last = -2
    for index in sorted({bisect.bisect_right(starts, mark) - 1 for mark in marks}):
        number, start, content = line(index)
        kind, cells = (None, None) if number in skip else _cells(content, start)
        if index == last + 1 and kind == "pipe" and cells == [] and block_kind == "pipe":
            last = index
            continue  # the |---| rule under a Markdown header
        if index == last + 1 and kind is not None and kind == block_kind and cells:
            block.append((number, cells))
            last = index
            continue
        if block_kind is not None:
            tables += _block_table(block, block_kind, view, source)
        block, block_kind = ([(number, cells)], kind) if kind is not None and cells else ([], None)
        last = index
    if block_kind is not None:
        tables += _block_table(block, block_kind, view, source)
    done = -1  # the last line a one-cell-per-line table took
    # The lines around each total, read once: the windows of nearby totals overlap.
    cell_lines: dict[int, _CellLine | None] = {}

    def cell_line(index: int) -> _CellLine | None:
        if index not in cell_lines:
            number, start, content = line(index)
            stripped = content.strip()
            if len(stripped) > _CELL_LINE_MAX or number in skip:
                cell_lines[index] = None
            else:
                lead = start + len(content) - len(content.lstrip())
                cell_lines[index] = _CellLine(number, lead, stripped, read_number(stripped)[0] is not None)
        return cell_lines[index]

    for index in sorted({bisect.bisect_right(starts, at) - 1 for at in totals})[:_MAX_TOTAL_LINES]:
        if index > done:
            found = _cell_per_line_table(cell_line, len(starts), index, view, source)
            if found is not None:
                table, done = found
                tables.append(table)
    return tables


def _cells(line: str, start: int) -> tuple[TableLayoutKind | None, list[tuple[int, int]] | None]:
    """What kind of table row ``line`` may be, and its cells' view ranges."""
    stripped = line.strip()
    if not stripped:
        return None, None
    lead = start + len(line) - len(line.lstrip())
    if (stripped[0] == "|" or stripped[-1] == "|") and stripped.count("|") >= 2:
        if _MARKDOWN_RULE.fullmatch(stripped):
            return "pipe", []
        # "| a | b |", or "a | b |" as a web page's table is often saved
        opened = stripped[0] == "|"
        inner = stripped[int(opened) : len(stripped) - (stripped[-1] == "|")]
        return "pipe", _split(inner, lead + opened, "|")
    if "\t" in stripped:
        return "tab", _split(line, start, "\t")
    if _WIDE_SPACE.search(stripped):
        cells = _split(stripped, lead, _WIDE_SPACE_SPLIT)
        if len(cells) >= _MIN_SPACED_COLUMNS and all(end - begin <= _LABEL_MAX for begin, end in cells):
            return "spaced", cells
    return None, None


def _split(text: str, start: int, separator: str | re.Pattern[str]) -> list[tuple[int, int]]:
    """View ranges of the pieces of ``text`` (at view offset ``start``) between separators,
    each stripped of spaces (an empty piece is an empty range where it stands). A pattern
    separator captures itself, so that its split gives the separators too; one character
    (``|``, a tab) is split by str.split."""
    if isinstance(separator, str):
        pieces = text.split(separator)
        gaps = [len(separator)] * (len(pieces) - 1)
    else:
        parts = separator.split(text)
        pieces, gaps = parts[::2], [len(gap) for gap in parts[1::2]]
    cells: list[tuple[int, int]] = []
    at = start
    for piece, gap in zip(pieces, [*gaps, 0]):
        if piece and not piece[0].isspace() and not piece[-1].isspace():
            cells.append((at, at + len(piece)))  # most cells: nothing to strip (str.strip strips what isspace is)
        else:
            left = len(piece) - len(piece.lstrip())
            right = len(piece.rstrip())
            cells.append((at + left, at + max(left, right)))
        at += len(piece) + gap
    return cells


def _block_table(block: list[_Row], kind: TableLayoutKind, view: View, source: SourceText) -> list[Table]:
    """A table of consecutive rows of one kind, if it is one: two rows or more, each as
    wide as the first (a spaced layout cannot show a blank cell), a number in it."""
    if kind == "spaced":
        width = len(block[0][1])
        block = [row for row in block if len(row[1]) == width] if all(len(r[1]) == width for r in block) else []
    if len(block) < 2:
        return []
    widest = max(len(row[1]) for row in block)
    if widest > _MAX_TEXT_COLUMNS or len(block) * widest > _MAX_SLOTS:
        return []
    cells: list[TableCell] = []
    widths = set()  # of the rows that state a number
    span = view.span_maker()
    for row_index, (number, ranges) in enumerate(block):
        row = _row_cells(row_index, ranges, view.text, span, number, source.line_span(number).start)
        if any(cell.value is not None for cell in row):
            widths.add(len(row))
        cells += row
    if not widths:
        return []
    table = Table(str(block[0][0]), kind, cells, Span(cells[0].span.start, cells[-1].span.end))
    if kind == "pipe":
        table.header_rows = 1  # Markdown's first row is its header
    table.ragged = len(widths) > 1
    return [table]


def _row_cells(
    row: int,
    ranges: Sequence[tuple[int, int]],
    text: str,
    span: Callable[[int, int], Span],
    line: int,
    line_start: int,
    first_column: int = 0,
) -> list[TableCell]:
    """The cells of ``row`` at view ``ranges`` of ``text`` on 1-based ``line``, which starts
    at original offset ``line_start`` (known once per row: no position is looked up per
    cell); ``span``: the view's :meth:`View.span_maker`."""
    cells = []
    for column, (start, end) in enumerate(ranges, first_column):
        cell_text = text[start:end]
        value, unit = read_number(cell_text)
        where = span(start, end)
        cells.append(TableCell(row, column, cell_text, where, value, unit, f"{line}:{where.start - line_start + 1}"))
    return cells


_CELL_LINE_MAX = 16  # a line longer than this is no cell of a copied table
_MAX_COLUMNS = 16
_MAX_WINDOW = 500  # lines of one copied table, each way, and how many total lines are tried:
_MAX_TOTAL_LINES = 64  # hostile input stays linear
_MAX_SLOTS = 1_000_000  # the grid of one table
_MAX_TEXT_COLUMNS = 64  # a text line cut into more cells is no table row


class _CellLine(NamedTuple):
    """A line short enough to be a cell of a copied table."""

    number: int  # 1-based line number
    start: int  # view offset of ``text``
    text: str  # stripped; blank lines vanish in such copies
    numeric: bool  # the text states a number (read_number)


def _cell_per_line_table(
    cell_line: Callable[[int], _CellLine | None], count: int, total: int, view: View, source: SourceText
) -> tuple[Table, int] | None:
    """A table copied from a web page one cell per line, found from the 合计/总计 line at
    index ``total``, and the index of its last line; None when none fits. ``cell_line``:
    the line at an index, None when it is too long or in a laid-out table."""
    label = cell_line(total)
    if label is None or not label.text or label.numeric:
        return None
    # The run of short lines around it (blank lines vanish in such copies): the table's cells.
    window: list[_CellLine] = []
    for step in (-1, 1):
        index = total + step if step > 0 else total
        while 0 <= index < count and len(window) < _MAX_WINDOW:
            row = cell_line(index)
            if row is None:
                break
            if row.text:
                window.append(row)
            index += step
        if step < 0:
            window.reverse()
    at = next(k for k, row in enumerate(window) if row.number == total + 1)
    fits = [shape for width in range(2, _MAX_COLUMNS + 1) if (shape := _fit(window, at, width)) is not None]
    if len(fits) != 1:
        return None  # none, or ambiguous
    first, end, width = fits[0]
    cells = []
    span = view.span_maker()
    for k in range(first, end):
        number, start, text, _ = window[k]
        row_index, column = divmod(k - first, width)
        line_start = source.line_span(number).start
        cells += _row_cells(row_index, [(start, start + len(text))], view.text, span, number, line_start, column)
    table = Table(str(window[first].number), "cell-per-line", cells, Span(cells[0].span.start, cells[-1].span.end))
    table.header_rows = 1
    table.label_columns = 1
    return table, window[end - 1].number - 1


def _fit(rows: list[_CellLine], total: int, width: int) -> tuple[int, int, int] | None:
    """(first line, end, width) of a one-cell-per-line table whose total row starts at
    ``total`` with ``width`` columns: rows of a label and numbers before and after it, a
    header of ``width`` labels before them. None when that does not fit."""

    def data_row(at: int) -> bool:
        if at < 0 or at + width > len(rows):
            return False
        return not rows[at].numeric and all(rows[at + k].numeric for k in range(1, width))

    def header_row(at: int) -> bool:
        return at >= 0 and not any(rows[at + k].numeric for k in range(width))

    if not data_row(total):
        return None
    first = total
    while data_row(first - width):
        first -= width
    end = total + width
    while data_row(end):
        end += width
    if first - width < 0 or not header_row(first - width):
        return None
    if (end - first) // width < 2:  # the total and one row at least
        return None
    return first - width, end, width


# --------------------------------------------------------------------------- table lines

_CELL_RUN_LINE_MAX = 64  # a longer line is prose, not a cell of a copied table (a form's labels run long)
_CELL_RUN_MIN_LINES = 6  # a share-button bar ("| | |") is one line, a copied table many
_CELL_RUN_MIN_NUMBERS = 2


def table_lines(view: View, source: SourceText, tables: Sequence[Table], layouts: Sequence[TableLayout]) -> set[int]:
    """The 1-based lines that are rows or cells of a table, not prose: the lines of every
    table read, of every table a loader laid out, and of the runs of cell lines a table
    copied from a web page leaves where no grid could be read from them (a cell per line,
    each closed by "|" or followed by a lone "|", blank cells empty: the disclosure form's
    merged labels defeat a grid, but its lines are still no headings and no debris)."""
    lines = {box.line for layout in layouts for box in layout.cells}
    for table in tables:
        last = source.line_of(max(table.span.start, table.span.end - 1))
        lines.update(range(source.line_of(table.span.start), last + 1))
    if "|" in view.text:
        lines.update(_cell_runs(view.text.split("\n")))
    return lines


def _cell_runs(texts: list[str]) -> Iterator[int]:
    """Line numbers of the runs of cell lines (:func:`table_lines`): lines ending in "|" or
    followed by a lone "|", blank lines between them; a run counts when it is long and
    states numbers."""
    run: list[int] = []
    numbers = 0
    for index, raw in enumerate([*texts, "."]):  # the sentinel ends the last run
        text = raw.strip()
        following = texts[index + 1].strip() if index + 1 < len(texts) else ""
        if not text and run:
            continue  # a blank cell, or the space between rows
        if len(text) <= _CELL_RUN_LINE_MAX and text and (text.endswith("|") or following == "|"):
            run.append(index + 1)
            numbers += read_number(text.rstrip("|").strip())[0] is not None
            continue
        if len(run) >= _CELL_RUN_MIN_LINES and numbers >= _CELL_RUN_MIN_NUMBERS:
            yield from range(run[0], run[-1] + 1)
        run, numbers = [], 0


# --------------------------------------------------------------------------- shape


def recognise(table: Table) -> None:
    """Read the labels of ``table``: set its header rows, label columns, totals,
    subtotals, parts, rate columns and columns of no quantity."""
    table.header_rows = max(table.header_rows, _header_rows(table))
    table.label_columns = max(table.label_columns, _label_columns(table))
    table.side_by_side = _side_by_side(table)
    _read_row_labels(table)
    _read_column_labels(table)


def _read_row_labels(table: Table) -> None:
    """Total, subtotal and 其中 rows: each label read once, each pattern tried once."""
    total_rows: list[int] = []
    subtotal_rows: list[int] = []
    part_rows: list[int] = []
    for r in table.body_rows():
        label = table.row_label(r)
        part = _PART.search(label) is not None
        if part:
            part_rows.append(r)
        if _short(label):
            if not part and _TOTAL.search(label):
                total_rows.append(r)
            if _SUBTOTAL.search(label):
                subtotal_rows.append(r)
    table.total_rows, table.subtotal_rows, table.part_rows = tuple(total_rows), tuple(subtotal_rows), tuple(part_rows)


def _read_column_labels(table: Table) -> None:
    """Rate columns, columns of no quantity, and of the counted ones the totals, subtotals
    and 其中 parts: each label read once."""
    rate_columns: list[int] = []
    skipped_columns: list[int] = []
    subtotal_columns: list[int] = []
    part_columns: list[int] = []
    totals: list[tuple[int, str]] = []
    flows: list[str] = []  # the labels of the counted columns that are no totals
    # A column of mostly percentages needs one: most tables state none, and skip the count.
    percents = any(cell.is_percent for cell in table.cells)
    for c in table.data_columns():
        label = table.column_label(c)
        if _RATE.search(label) or (percents and _mostly_percent(table, c)):
            rate_columns.append(c)
            continue
        if _NOT_A_QUANTITY.search(label):
            skipped_columns.append(c)
            continue
        part = _PART.search(label) is not None
        if part:
            part_columns.append(c)
        if not part and _TOTAL.search(label):
            totals.append((c, label))
        else:
            flows.append(label)
        if _SUBTOTAL.search(label):
            subtotal_columns.append(c)
    table.rate_columns, table.skipped_columns = tuple(rate_columns), tuple(skipped_columns)
    if flows and all(_THIS_YEAR.search(label) for label in flows):
        # 本年新制作 | 本年新公开 | 对外公开总数量: a stock beside this year's flows, not their sum
        totals = [(c, label) for c, label in totals if _THIS_YEAR.search(label)]
    table.total_columns = tuple(c for c, _ in totals)
    table.subtotal_columns, table.part_columns = tuple(subtotal_columns), tuple(part_columns)


def _side_by_side(table: Table) -> bool:
    """Whether the lowest header row names a column twice (two cells, not one merged)."""
    if table.header_rows == 0:
        return False
    cells = {table.cell(table.header_rows - 1, c) for c in range(table.column_count)}
    texts = [cell.text for cell in cells if cell is not None and cell.text]
    return len(texts) != len(set(texts))


def _short(label: str) -> bool:
    return 0 < len(label) <= _LABEL_MAX


def _header_rows(table: Table) -> int:
    """Leading rows that state no number but years: they label the columns."""
    for r in range(table.row_count):
        for c in range(table.column_count):
            cell = table.cell(r, c)
            if cell is not None and cell.row == r and cell.value is not None and not _YEAR_CELL.fullmatch(cell.text):
                return r
    return table.row_count


def _label_columns(table: Table) -> int:
    """Leading columns whose body states no quantity: no number, or 1, 2, 3 under 序号, or
    years under 年份: they label the rows."""
    for c in range(table.column_count):
        cells = [table.cell(r, c) for r in table.body_rows()]
        numbers = [cell for cell in cells if cell is not None and cell.column == c and cell.value is not None]
        if numbers and not _SEQUENCE_HEADER.search(table.column_label(c)) and not _labels_rows(numbers):
            return c
    return table.column_count


def _labels_rows(numbers: list[TableCell]) -> bool:
    """Numbers that name rows rather than count: years, or 1, 2, 3 … in order."""
    if all(_YEAR_CELL.fullmatch(cell.text) for cell in numbers):
        return True
    return len(numbers) > 1 and [cell.value for cell in numbers] == list(range(1, len(numbers) + 1))


def _mostly_percent(table: Table, column: int) -> bool:
    cells = [table.cell(r, column) for r in table.body_rows()]
    stated = [cell for cell in cells if cell is not None and cell.value is not None]
    return bool(stated) and sum(cell.is_percent for cell in stated) * 2 > len(stated)
