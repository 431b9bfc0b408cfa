"""The shared vocabulary of every stage: spans, the matching view, the document model,
the facts the extract stage finds, diagnostics and the built-in codes E001/E002.

The bottom layer: it imports nothing of govlint. The stages produce these records and
the stages above read them, so a record that one stage fills and another reads (the
view normalize builds and parse maps through, the facts extract builds and the numeric
checks read) is declared here, not in the stage that builds it (docs/architecture.md).

Immutable records are ``NamedTuple``s and the few mutable ones plain ``__slots__``
classes, not dataclasses: creating a dataclass costs ~0.3 ms at import (and importing
``dataclasses`` ~8 ms), and a pre-commit hook starts govlint on every commit. Both kinds
pickle for the rule cache and for parallel runs.

Offsets are character indices into the *original* decoded text (after line ends were
unified to ``\\n``), half-open ``[start, end)``. Every stage that works on the
normalized view maps its offsets back before it builds a Span.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar, cast

if TYPE_CHECKING:
    import re
    from decimal import Decimal

Severity = Literal["error", "warning", "info"]
T = TypeVar("T")
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

# The built-in codes: govlint itself could not do its work on a file. They are never
# suppressed nor recorded in a baseline, and they make the exit status 2.
LOAD_ERROR = "E001"  # the file could not be read
INTERNAL_ERROR = "E002"  # a rule failed
TROUBLE_CODES = frozenset({LOAD_ERROR, INTERNAL_ERROR})


class Span(NamedTuple):
    """Half-open ``[start, end)`` in the original text. Not validated on creation (it is
    the most created object): stages make spans from offsets they found in the text, and
    View.span checks a range before it maps it."""

    start: int
    end: int


class Position(NamedTuple):
    """1-based line and column; columns count characters of the original line."""

    line: int
    column: int


def line_starts(lines: Sequence[str]) -> list[int]:
    """Where each of ``lines`` starts in ``"\\n".join(lines)``: the lengths before it and a
    line break after each, summed without a Python loop per line."""
    return list(map(operator.add, itertools.accumulate(map(len, lines[:-1]), initial=0), itertools.count()))


class SourceText:
    """The original text of one file with a line index for offset → line/column."""

    __slots__ = ("text", "_line_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts: Sequence[int] = starts  # a list here, an array in _SparseSourceText

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def length(self) -> int:
        """Characters in the text (a method, not __len__: an empty file's source is still truthy)."""
        return len(self.text)

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def line_columns(self, offsets: Iterable[int]) -> list[tuple[int, int]]:
        """``position`` of each offset as a (line, column) pair: a fix may hold hundreds
        of edits (661 pinyin deletions in one seed), and a Position each costs more than
        the search."""
        starts, length, search = self._line_starts, self.length(), bisect.bisect_right
        found = []
        for offset in offsets:
            offset = 0 if offset < 0 else length if offset > length else offset
            line = search(starts, offset)
            found.append((line, offset - starts[line - 1] + 1))
        return found

    def line_of(self, offset: int) -> int:
        """``position(offset).line``, without building the position (rules ask per match)."""
        return bisect.bisect_right(self._line_starts, max(0, min(offset, self.length())))

    def line_span(self, line: int) -> Span:
        """Span of 1-based ``line`` without its newline."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return Span(start, end)

    def line_text(self, line: int) -> str:
        span = self.line_span(line)
        return self.text[span.start : span.end]

    def excerpt(self, line: int, start: int, end: int) -> str:
        """``text[start:end]``, a range inside 1-based ``line``: what a code frame shows of a
        long line, without copying the whole line."""
        return self.text[start:end]

    def keep_lines(self, lines: set[int]) -> SourceText:
        """A copy holding only these lines' text (positions still work everywhere): what
        renderers need once a file is linted, at a fraction of the memory."""
        return _SparseSourceText(self, lines)

    def with_lines(self, lines: dict[int, str]) -> SourceText:
        """This text, able to show ``lines`` too: a whole text already can."""
        return self


class _SparseSourceText(SourceText):
    __slots__ = ("_lines", "_length")

    def __init__(self, source: SourceText, lines: set[int]) -> None:
        self.text = ""  # not kept: use line_text
        self._line_starts = array("q", source._line_starts)
        self._length = source.length()
        self._lines = {n: source.line_text(n) for n in lines if 1 <= n <= source.line_count}

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def line_span(self, line: int) -> Span:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else self._length
        return Span(start, end)

    def line_text(self, line: int) -> str:
        return self._lines.get(line, "")

    def excerpt(self, line: int, start: int, end: int) -> str:
        first = self._line_starts[line - 1]
        return self._lines.get(line, "")[start - first : end - first]

    def length(self) -> int:
        return self._length

    def with_lines(self, lines: dict[int, str]) -> SourceText:
        """A copy that also holds ``lines`` (line number → text): the lines a finding made
        after the file was linted points at (checker.crossfile), taken from its digest."""
        copy = object.__new__(_SparseSourceText)
        copy.text, copy._line_starts, copy._length = "", self._line_starts, self._length
        copy._lines = {**lines, **self._lines}
        return copy


# --------------------------------------------------------------------------- matching view


class View:
    """The normalized ``text`` plus the breakpoints that map it back to the original.

    ``_starts[k]`` is the first view offset whose original offset is ``view + _shifts[k]``
    (the number of original characters deleted before it).
    """

    __slots__ = ("text", "traditional", "traditional_count", "_starts", "_shifts")

    def __init__(
        self,
        text: str,
        starts: tuple[int, ...] = (),
        shifts: tuple[int, ...] = (),
        traditional: frozenset[str] = frozenset(),
        traditional_count: int | None = None,
    ) -> None:
        self.text = text
        self.traditional = traditional  # the traditional characters step 2 simplified (rule T405)
        # How often they occur, when finding them counted them (not for the first text of a
        # run); not part of equality: a view is the same whether or not it was counted.
        self.traditional_count = traditional_count
        self._starts = starts
        self._shifts = shifts

    def span_maker(self) -> Callable[[int, int], Span]:
        """:meth:`span` for a stage that makes hundreds of spans from offsets it took from
        this view: ``Span`` itself when nothing was deleted (no range check, no call)."""
        return self.span if self._starts else Span

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, View):
            return NotImplemented
        return (self.text, self._starts, self._shifts, self.traditional) == (
            other.text,
            other._starts,
            other._shifts,
            other.traditional,
        )

    __hash__ = None  # type: ignore[assignment]  # compared by value, never used as a key

    def __repr__(self) -> str:
        return f"View({self.text[:40]!r}…, {len(self._starts)} deletions)"

    def to_original(self, index: int) -> int:
        """Original offset of view offset ``index``; ``len(text)`` maps to ``len(original)``."""
        if not 0 <= index <= len(self.text):
            raise IndexError(f"view offset {index} outside [0, {len(self.text)}]")
        k = bisect.bisect_right(self._starts, index)
        return index + self._shifts[k - 1] if k else index

    def span(self, start: int, end: int) -> Span:
        """The original span that the half-open view range ``[start, end)`` came from.

        The end is taken after the last view character, so an annotation removed inside
        the range is covered and one removed right after it is not.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"view range [{start}, {end}) outside [0, {len(self.text)}]")
        starts = self._starts
        if not starts:  # nothing was deleted (most reports): offsets are the same
            return Span(start, end)
        # to_original of start and of end - 1, inline: a converted report makes hundreds of spans.
        k = bisect.bisect_right(starts, start)
        first = start + self._shifts[k - 1] if k else start
        if start == end:
            return Span(first, first)
        k = bisect.bisect_right(starts, end - 1, k)
        return Span(first, end + self._shifts[k - 1] if k else end)


# --------------------------------------------------------------------------- document


DateRole = Literal["signature", "publication", "banner", "other"]


class DateMention(NamedTuple):
    """A calendar date found in the text. ``role`` says what the date means:
    ``signature`` (落款, the 成文日期), ``publication`` (a 发布时间/日期 metadata line),
    ``banner`` (a page clock like 今天是…, meaningless for the report), ``other``."""

    date: dt.date
    span: Span
    role: DateRole


class YearMention(NamedTuple):
    year: int
    span: Span


class Heading:
    """A numbered heading or item. ``level`` follows GB/T 9704 §7.3.3:
    1 = 一、  2 = (一)  3 = 1.  4 = (1); 5 = an inline 一是/二是 item.

    Mutable: the parser nests headings (``children``) and sets ``body_span`` once it
    knows where the next sibling starts."""

    __slots__ = (
        "level", "ordinal", "marker", "marker_span", "text", "text_view_start", "span", "line", "runs_on",
        "joined", "children", "body_span",
    )  # fmt: skip

    def __init__(
        self,
        level: int,
        ordinal: int,
        marker: str,
        marker_span: Span,
        text: str,  # the heading's own words (normalized view), without the marker
        text_view_start: int,  # offset of ``text`` in the view
        span: Span,  # marker + heading words (up to the first 。 when the heading runs on)
        line: int,
        runs_on: bool,  # the heading line goes on with body text ("一、…成效显著。牢牢把握…")
        # Found inside a line, after the sentence before it ("…如下:一、主要举措和成效"): the
        # line break before it was lost (a web copy that joined its paragraphs).
        joined: bool = False,
    ) -> None:
        self.level = level
        self.ordinal = ordinal
        self.marker = marker
        self.marker_span = marker_span
        self.text = text
        self.text_view_start = text_view_start
        self.span = span
        self.line = line
        self.runs_on = runs_on
        self.joined = joined
        self.children: list[Heading] = []
        # From the end of the heading to the start of the next sibling or ancestor.
        self.body_span: Span | None = None

    def __repr__(self) -> str:
        return f"Heading(level={self.level}, marker={self.marker!r}, text={self.text!r}, line={self.line})"


class Sentence(NamedTuple):
    span: Span
    text: str  # normalized view of the sentence
    view_start: int  # offset of ``text`` in the view: rules map matches back with Document.view.span


class Paragraph:
    """A line of body text. Its sentences are split on first use: most rules never ask,
    and the extract stage asks only of the paragraphs that state a number."""

    __slots__ = ("span", "text", "line", "view_start", "_view", "_split", "_ends", "_sentences")

    def __init__(
        self,
        span: Span,
        text: str,  # normalized view
        line: int,
        view_start: int,  # offset of ``text`` in the view
        view: View,
        split: Callable[[str], list[int]],  # the parser's sentence splitter: text → sentence_ends
    ) -> None:
        self.span = span
        self.text = text
        self.line = line
        self.view_start = view_start
        self._view = view
        self._split = split
        self._ends: list[int] | None = None
        self._sentences: list[Sentence] | None = None

    @property
    def sentence_ends(self) -> list[int]:
        """Where each sentence ends, as offsets in ``text``. Sentences are contiguous: the
        first starts at 0, each next one where the one before ends."""
        if self._ends is None:
            self._ends = self._split(self.text)
        return self._ends

    @property
    def sentences(self) -> list[Sentence]:
        if self._sentences is None:
            span, text, base = self._view.span_maker(), self.text, self.view_start
            sentences: list[Sentence] = []
            start = 0
            for end in self.sentence_ends:
                sentences.append(Sentence(span(base + start, base + end), text[start:end], base + start))
                start = end
            self._sentences = sentences
        return self._sentences

    def __repr__(self) -> str:
        return f"Paragraph(line={self.line}, text={self.text!r})"


TitleLineKind = Literal["document-number", "issuer", "title"]


class TitleLine(NamedTuple):
    """One line of the title block: the 发文字号 ("×府〔2025〕3号"), the issuing body
    ("××县人民政府") or a line of the title itself (a title may span two lines)."""

    kind: TitleLineKind
    text: str  # normalized view
    line: int
    span: Span
    view_start: int  # offset of ``text`` in the view


class Title(NamedTuple):
    """The report's title. ``text`` is the view from ``view_start`` over the title's own
    line or lines (a two-line title keeps its line break); ``lines`` is the whole block
    the title was read from, issuer and 发文字号 included, in text order: where the
    organisation that reports can be read."""

    span: Span
    text: str  # normalized view
    line: int  # the first line of the title's own text
    years: list[YearMention]
    view_start: int
    lines: tuple[TitleLine, ...] = ()

    def issuer(self) -> str | None:
        """The issuing body named on a line of its own above the title, if any."""
        return next((line.text for line in self.lines if line.kind == "issuer"), None)


# --------------------------------------------------------------------------- tables


class CellBox(NamedTuple):
    """A table cell as a loader laid it out (a .docx or HTML table): where its text is in
    the loaded text and where it sits in the table's grid. Rows and columns count from 0;
    a merged cell is one box that spans several."""

    line: int  # 1-based line of the text holding it (a row is one line)
    start: int  # offsets of the cell's text in the loaded text
    end: int
    row: int
    column: int  # grid column (Word's gridSpan and HTML's colspan counted)
    row_span: int = 1
    column_span: int = 1


class TableLayout(NamedTuple):
    """A table of a .docx or HTML file as its loader saw it, for the parse stage."""

    label: str  # what the loader calls it: "表2" (the document's 2nd table)
    cells: tuple[CellBox, ...]  # by row, then column
    kind: Literal["docx", "html"] = "docx"


TableLayoutKind = Literal["docx", "html", "pipe", "tab", "spaced", "cell-per-line"]


class TableCell(NamedTuple):
    """One cell of a :class:`Table`. ``value`` is the number the cell states, or None when
    it states none (a blank cell is unknown, never zero; "—", "/" and text are None)."""

    row: int  # 0-based, in the table
    column: int  # 0-based grid column
    text: str  # normalized view of the cell, stripped
    span: Span  # in the original (an empty span where a blank cell is)
    value: Decimal | None
    unit: str | None  # as written after the number: "%", "件", "万元"; None for none
    where: str  # for a person: "表2 行3 列4" (.docx and HTML tables), "12:5" (text)
    row_span: int = 1
    column_span: int = 1

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


class Table:
    """A table of the report: its cells on a grid, and what the parse stage recognised of
    its shape by the labels. ``header_rows`` leading rows label the columns,
    ``label_columns`` leading columns label the rows; totals, subtotals, 其中 parts and
    rate columns are found by the words of those labels (checker/tables.py)."""

    __slots__ = (
        "label", "layout", "cells", "row_count", "column_count", "header_rows", "label_columns", "total_rows",
        "subtotal_rows", "part_rows", "total_columns", "subtotal_columns", "part_columns", "rate_columns",
        "skipped_columns", "side_by_side", "ragged", "span", "_grid",
    )  # fmt: skip

    def __init__(self, label: str, layout: TableLayoutKind, cells: Sequence[TableCell], span: Span) -> None:
        self.label = label  # "表2" (.docx, HTML), or the text line where the table starts ("12")
        self.layout = layout
        self.cells = tuple(cells)
        self.span = span  # from its first cell to its last, in the original
        self.row_count = max((c.row + c.row_span for c in self.cells), default=0)
        self.column_count = max((c.column + c.column_span for c in self.cells), default=0)
        grid: list[list[TableCell | None]] = [[None] * self.column_count for _ in range(self.row_count)]
        for cell in self.cells:
            if cell.row_span == cell.column_span == 1:
                grid[cell.row][cell.column] = cell  # most cells (every text table's): one slot
                continue
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.column, cell.column + cell.column_span):
                    grid[r][c] = cell
        self._grid = grid
        # Set by the parse stage once the labels are read (checker.tables.recognise).
        self.header_rows = 0
        self.label_columns = 0
        self.total_rows: tuple[int, ...] = ()  # 合计/总计 rows
        self.subtotal_rows: tuple[int, ...] = ()  # 小计 rows
        self.part_rows: tuple[int, ...] = ()  # 其中 rows: parts of the row above, not summed with it
        self.total_columns: tuple[int, ...] = ()
        self.subtotal_columns: tuple[int, ...] = ()
        self.part_columns: tuple[int, ...] = ()
        self.rate_columns: tuple[int, ...] = ()  # xx率, 占比, %: never summed
        self.skipped_columns: tuple[int, ...] = ()  # 序号, years: numbers that are no quantities
        # Its header names the same columns again (省份 | 数量 | 省份 | 数量): a long list set
        # in blocks side by side, whose totals total every block; the checks leave it alone.
        self.side_by_side = False
        # Its rows that state numbers have different numbers of cells (a text copy of a
        # form whose label cells were merged): which column a number is in cannot be told,
        # so the checks leave it alone too.
        self.ragged = False

    def cell(self, row: int, column: int) -> TableCell | None:
        """The cell covering ``(row, column)`` (a merged cell covers several), or None."""
        if 0 <= row < self.row_count and 0 <= column < self.column_count:
            return self._grid[row][column]
        return None

    def value(self, row: int, column: int) -> Decimal | None:
        """The number at ``(row, column)``; None for a blank, a text or a merged cell's
        other slots (a number is read where its cell starts only)."""
        cell = self.cell(row, column)
        if cell is None or cell.row != row or cell.column != column:
            return None
        return cell.value

    def row_label(self, row: int) -> str:
        """The words labelling ``row``: its label columns' texts, merged cells once."""
        if self.label_columns == 1:  # most tables: the label is one cell's text
            cell = self.cell(row, 0)
            return cell.text if cell is not None else ""
        return _joined(self.cell(row, c) for c in range(self.label_columns))

    def column_label(self, column: int) -> str:
        """The words labelling ``column``: its header rows' texts, a merged header once."""
        if self.header_rows == 1:  # most tables: the label is one cell's text
            cell = self.cell(0, column)
            return cell.text if cell is not None else ""
        return _joined(self.cell(r, column) for r in range(self.header_rows))

    def body_rows(self) -> range:
        return range(self.header_rows, self.row_count)

    def data_columns(self) -> range:
        return range(self.label_columns, self.column_count)

    def find_rows(self, pattern: re.Pattern[str]) -> list[int]:
        """Body rows whose label ``pattern`` finds (re.search), in order."""
        return [r for r in self.body_rows() if pattern.search(self.row_label(r))]

    def find_columns(self, pattern: re.Pattern[str]) -> list[int]:
        """Data columns whose label ``pattern`` finds (re.search), in order."""
        return [c for c in self.data_columns() if pattern.search(self.column_label(c))]

    def __repr__(self) -> str:
        return f"Table({self.label!r}, {self.layout}, {self.row_count}×{self.column_count})"


def _joined(cells: Iterator[TableCell | None]) -> str:
    seen: list[TableCell] = []
    for cell in cells:
        if cell is not None and cell.text and cell not in seen:
            seen.append(cell)
    return " ".join(cell.text for cell in seen)


class Document:
    """The parsed report. Mutable: the extract stage fills ``facts`` when a rule needs them."""

    __slots__ = (
        "path", "source", "view", "title", "report_year", "report_year_span", "dates", "headings", "paragraphs",
        "facts", "tables", "table_lines", "_all_headings", "_derived",
    )  # fmt: skip

    def __init__(
        self,
        path: str,
        source: SourceText,
        view: View,  # normalized matching view with its map back to the original
        title: Title | None,
        report_year: int | None,
        report_year_span: Span | None,
        dates: list[DateMention],
        headings: list[Heading],  # top level of the heading tree
        paragraphs: list[Paragraph],
        tables: Sequence[Table] = (),
        table_lines: frozenset[int] = frozenset(),
    ) -> None:
        self.path = path
        self.source = source
        self.view = view
        self.title = title
        self.report_year = report_year
        self.report_year_span = report_year_span
        self.dates = dates
        self.headings = headings
        self.paragraphs = paragraphs
        self.tables = list(tables)  # in text order (checker/tables.py)
        # 1-based lines that are a table's rows or cells (checker.tables.table_lines): no
        # headings are read from them, and rules of prose and debris pass them by.
        self.table_lines = table_lines
        self.facts: Facts | None = None
        self._all_headings: list[Heading] | None = None
        self._derived: dict[Hashable, Any] = {}

    def all_headings(self) -> list[Heading]:
        """Every heading, depth first in text order (computed once: several rules ask)."""
        if self._all_headings is None:
            self._all_headings = self._walk_headings()
        return self._all_headings

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A value that several rules compute from the model, computed once per document
        (N202 and N206 both read every stated rate against its counts). The key names what
        the value depends on besides the document, such as a rule's parameters; a document
        is checked with one rule set."""
        if key not in self._derived:
            self._derived[key] = compute()
        return cast(T, self._derived[key])  # the value compute() returned for this key

    def _walk_headings(self) -> list[Heading]:
        out: list[Heading] = []
        stack = list(reversed(self.headings))
        while stack:
            h = stack.pop()
            out.append(h)
            stack.extend(reversed(h.children))
        return out


# --------------------------------------------------------------------------- facts
# What the extract stage finds: numbers with their units, bound to their role in the
# clause (checker/extract/ builds them; the numeric checks read them from Document.facts).

MONEY_SCALE: dict[str, int] = {"万元": 10**4, "亿元": 10**8}


class Quantity(NamedTuple):
    value: Decimal  # the number as written, multiplier applied ("1.6万" → 16000)
    lower: Decimal | None  # bounds implied by approximation markers; None = unbounded
    upper: Decimal | None  # exact numbers: lower == upper == value
    approx: str | None  # the marker(s) as written, or None
    decimals: int  # digits after the decimal point as written
    unit: str | None  # "%" also for 百分之…; "百分点" for 个百分点
    is_percent: bool
    numeral: Literal["arabic", "chinese", "mixed"]  # mixed: Arabic digits with 万/亿
    start: int  # offsets in the text given to find_quantities: marker + number + unit
    end: int
    number_start: int  # the number alone
    number_end: int

    @property
    def scale(self) -> int:
        """Factor from ``unit`` to its base unit: 10⁴ for 万元, 10⁸ for 亿元, else 1."""
        return MONEY_SCALE.get(self.unit or "", 1)

    @property
    def base_value(self) -> Decimal:
        """``value`` in the base unit of its class (money in 元)."""
        return self.value * self.scale


# quantity; span: marker + number + unit, in the original; text: the original characters
# of span; paragraph; sentence: where its sentence starts in the view (one value per
# sentence of the document, so facts compare it to share a sentence); in_parens
Where = tuple[Quantity, Span, str, int, int, bool]


class Fact:
    """Where a quantity stands: its original spans and its place in the document.
    Plain classes, not NamedTuples, so that the three kinds share these fields."""

    __slots__ = ("quantity", "span", "text", "paragraph", "sentence", "in_parens")

    def __init__(self, where: Where) -> None:
        (self.quantity, self.span, self.text, self.paragraph, self.sentence, self.in_parens) = where

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r}, paragraph={self.paragraph})"


class CountFact(Fact):
    __slots__ = ("role", "role_span", "object", "unit_class")

    def __init__(self, where: Where, role: str | None, role_span: Span | None, obj: str, unit_class: str) -> None:
        super().__init__(where)
        self.role = role
        self.role_span = role_span
        self.object = obj
        self.unit_class = unit_class


class RateFact(Fact):
    __slots__ = ("name",)

    def __init__(self, where: Where, name: str) -> None:
        super().__init__(where)
        self.name = name


class ShareFact(RateFact):
    """A percentage stated as a share of a whole (``其中A件,占比P%``, ``占全部案件的P%``,
    ``维持类占P%``): ``part`` is the count it is the share of (None when only a label
    names it), ``bases`` the wholes it may be of, the likeliest first (the total its 其中
    attaches to), set once breakdowns are known; ``names_whole`` when the words name the
    whole (占总数的)."""

    __slots__ = ("part", "bases", "names_whole", "bound_to_total")

    def __init__(self, where: Where, name: str, part: CountFact | None, names_whole: bool) -> None:
        super().__init__(where, name)
        self.part = part
        self.bases: tuple[CountFact, ...] = ()
        self.names_whole = names_whole
        # With no 其中 and no named whole: the base is the one total (全年共受理200件) of the
        # paragraph before it; "certain" when it is in the share's sentence and its counting word
        # has the part's as a part (受理 → 办结) or one of them has none, else "likely".
        self.bound_to_total: Literal["certain", "likely"] | None = None


class ChangeFact(Fact):
    __slots__ = ("direction", "about_rate")

    def __init__(self, where: Where, direction: int, about_rate: str | None) -> None:
        super().__init__(where)
        self.direction = direction  # +1 up, -1 down
        self.about_rate = about_rate  # the rate whose change this is, if any


class MultipleFact(Fact):
    """The current value as a multiple of last year's: ``是上年的3倍`` (ratio 3), ``增长2倍``
    (the standard reading: ratio 3, ``added`` 1), ``翻一番`` (2), ``减少一半`` (0.5). The
    quantity is the multiple as written (``3倍``; a fixed phrase is its own ratio)."""

    __slots__ = ("added", "word")

    def __init__(self, where: Where, added: int, word: str) -> None:
        super().__init__(where)
        self.added = added  # 1 when 增长N倍 means N + 1 times the prior value
        self.word = word  # the change word of 增长N倍 (增长), for messages; "" otherwise

    @property
    def ratio(self) -> Decimal:
        return self.quantity.value + self.added


class PriorRateFact(Fact):
    """Last year's value of a rate stated just before it (满意率为92%,上年为90%)."""

    __slots__ = ("rate",)

    def __init__(self, where: Where, rate: RateFact) -> None:
        super().__init__(where)
        self.rate = rate


class RatePointsFact(NamedTuple):
    """A rate, its prior value and the change stated in 百分点 between them."""

    rate: RateFact
    prior: PriorRateFact
    points: ChangeFact


class EnumerationFact(NamedTuple):
    """``共有4个单位,分别是A、B、C``: a stated count and the items listed after it."""

    stated: CountFact
    items: tuple[str, ...]
    list_span: Span
    # Items that may be one or two ("A和B"): the list may name this many more.
    joined: int


class BreakdownFact(NamedTuple):
    total: CountFact
    parts: tuple[CountFact, ...]
    marker: str  # 其中 or 分别
    marker_span: Span
    exhaustive: bool


class GrowthFact(NamedTuple):
    """Two values of one figure and the change stated between them. ``shape``: from-to
    (由A增至B), prior (X件,上年Y件: ``before`` is the prior), delta (X件,比上年减少D件:
    no ``before``; the prior is ``after`` ∓ ``stated_delta``)."""

    before: CountFact | None
    after: CountFact
    direction: int
    stated_percent: ChangeFact | None
    stated_delta: CountFact | None
    shape: Literal["from-to", "prior", "delta"] = "from-to"
    stated_multiple: MultipleFact | None = None  # 是上年的3倍, 增长2倍, 翻一番


class Facts:
    """Every fact of a document, by kind, in text order."""

    __slots__ = (
        "counts", "rates", "shares", "changes", "multiples", "breakdowns", "growths", "rate_points", "enumerations",
        "tables",
    )  # fmt: skip

    def __init__(self) -> None:
        self.counts: list[CountFact] = []
        self.rates: list[RateFact] = []
        self.shares: list[ShareFact] = []
        self.changes: list[ChangeFact] = []
        self.multiples: list[MultipleFact] = []
        self.breakdowns: list[BreakdownFact] = []
        self.growths: list[GrowthFact] = []
        self.rate_points: list[RatePointsFact] = []
        self.enumerations: list[EnumerationFact] = []
        self.tables: list[Table] = []  # the document's tables, for ``govlint facts`` (Document.tables)


# --------------------------------------------------------------------------- diagnostics


class Label(NamedTuple):
    span: Span
    message: str


class Edit(NamedTuple):
    """Replace ``[start, end)`` of the original text with ``replacement`` (a deletion
    when it is empty, an insertion when start == end)."""

    start: int
    end: int
    replacement: str = ""


# How sure a fix is: "safe" fixes keep the report's meaning and are what ``--fix`` applies.
# A Literal of one, so that "unsafe" (applied on request only) can be added later.
Applicability = Literal["safe"]


class Fix(NamedTuple):
    """A finding's fix: edits that are applied together or not at all, in text order,
    none overlapping another."""

    edits: tuple[Edit, ...]
    message: str  # what applying it does, in the run's language ("delete the line")
    applicability: Applicability = "safe"


class Related(NamedTuple):
    """A place in *another* file that a finding refers to (a finding across reports: last
    year's figure, the paragraph this one copies). Located when that file was linted: its
    text is not kept."""

    path: str  # as the run shows it
    span: Span
    position: Position  # of span.start
    end: Position  # of span.end
    message: str


class Diagnostic(NamedTuple):
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    span: Span | None  # None: about the file as a whole (e.g. a part that is missing)
    labels: tuple[Label, ...] = ()
    help: str | None = None
    note: str | None = None
    fix: Fix | None = None
    related: tuple[Related, ...] = ()  # places in other files (checker.crossfile)


class OutlinePart(NamedTuple):
    """A required part of the report, as the section rule that looks for it found it."""

    code: str  # the section rule's code
    name: str  # the part's name ("主要举措和成效")
    name_en: str
    span: Span | None  # the heading or lead-in that opens the part; None: not found
    heading: str  # the original text of that opening; "" when not found
    # Not found, but mentioned in passing (the words of the rule's "mentioned" finding); else None.
    mention: Span | None = None

    def name_in(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name


class DutiesEvidence(NamedTuple):
    """What the leaders' duties part evidences, as a part-duties rule (S109) read it."""

    part: str  # the code of the section rule whose part was read (S103)
    present: tuple[str, ...]  # the duties it names, in the rule's order
    present_en: tuple[str, ...]
    quantified: bool  # one of them is stated with a count or a date

    def present_in(self, lang: str) -> tuple[str, ...]:
        return self.present_en if lang == "en" else self.present


class Outline(NamedTuple):
    """What outputs show of a report besides its findings, as the rules saw it: the
    HTML page's title and checklist of parts, annotate's anchor for whole-file findings,
    the summary sheet's columns. Computed once, when the file is linted: no output parses
    the text again."""

    title: str | None  # the original text of the title line; None: no title found
    title_span: Span | None
    parts: tuple[OutlinePart, ...] = ()  # one per section rule that ran, in code order
    duties: DutiesEvidence | None = None  # None: no part-duties rule ran, or its part is missing
    published: DateMention | None = None  # the publication date, else the 落款 (signature) date
    # The publication deadline for the report year (the run's --publication-deadline); None
    # when the year is unknown.
    deadline: dt.date | None = None


OrganisationSource = Literal["title", "issuer", "signature", "opening", "document-number"]
YearSource = Literal["title", "opening"]


class Identity(NamedTuple):
    """Who reports and on which year, as the report itself says (checker.extract.identity).
    ``organisation`` is the normalised name (区政府 and 区 alike read 区人民政府): what
    reports of the same body share from year to year; ``written`` is the name as the
    report writes it, at ``span``. ``organisation_source``: the title, the issuing body's
    line above it, the 落款 over the signature date, the opening sentence, or the
    发文字号's 机关代字 (e.g. "龙府"); None when the report names no organisation (rule
    S114 says so, nothing is guessed)."""

    organisation: str | None
    written: str | None
    span: Span | None
    organisation_source: OrganisationSource | None
    year: int | None  # the report year (Document.report_year)
    year_span: Span | None
    year_source: YearSource | None
    document_number: str | None = None  # the 发文字号 as written ("龙府〔2024〕5号"), if the report has one


class DocxMap(NamedTuple):
    """Where a Word document's loaded text is in its XML: what ``govlint annotate`` needs
    to put a comment on the runs of given characters, in a copy of the same file.

    The text of each paragraph the loader reads is a list marker (not text in the
    document), then the text of its *pieces*: the elements that show text (``w:t``,
    ``w:tab``, ``w:br`` …) in reading order (checker.load.docx.text_paragraphs, then
    run_pieces of each). Arrays: a few bytes a piece, however long the report."""

    fingerprint: str  # of the file's bytes: the map fits that file only
    piece_starts: array[int]  # where each piece's text starts in the loaded text
    line_paragraphs: array[int]  # per line of the text, the index of its (first) paragraph; -1: none


# --------------------------------------------------------------------------- digests
# What a file keeps for the checks across reports (checker.crossfile): who wrote it and
# for which year, the paragraphs of the parts those checks compare, the figures it states
# and quotes. Built by the engine from the document (checker.checks.crossyear.digest) when
# a cross-report rule is active; small and picklable, it travels on FileResult through
# -j and the results cache, so the run never reads the files again.


class Place(NamedTuple):
    """Where a passage or figure is: its span, the positions of its ends, and the original
    text of its first line (the code frame of a finding made after the text was dropped)."""

    span: Span
    start: Position
    end: Position
    line_text: str


class Passage(NamedTuple):
    """A paragraph of a part (``part``: the code of the section rule that finds the part),
    or the first sentence of a plan item."""

    part: str
    # A paragraph: its original text (copies are compared as written; mostly the very string
    # of place.line_text). A plan item: the normalized view (S111 reads words, not characters).
    text: str
    place: Place


class Figure(NamedTuple):
    """A count the report states for a year: its own (``quoted`` False) or an earlier one it
    quotes (上年Y件; X件,比上年减少D件; X件,同比增长P%). For a base implied by a stated growth,
    ``value`` is this year's count and ``growth`` the percentage (with its decimals and
    direction): the prior is whatever value that growth rounds from."""

    year: int
    role: str
    object: str
    unit_class: str
    value: Decimal
    quoted: bool
    text: str  # the original text of the figure ("上年156件", "比上年减少12件")
    place: Place
    growth: tuple[Decimal, int, int] | None = None  # percent, decimals, direction (+1/-1)


class StatedCell(NamedTuple):
    """A number a statistics table of the report states (table 三 of a disclosure report)."""

    column: str  # the column's name in its table rule ("natural", "total")
    show: str  # what messages call it ("自然人")
    value: int
    place: Place


class StatedRow(NamedTuple):
    """A row of a statistics table: its read cells (a blank one is unknown and not kept)."""

    table: str  # the code of the table rule that reads it (P201)
    row: str  # its name in that rule ("carried", "forward")
    show: str  # "二、上年结转"
    cells: tuple[StatedCell, ...]


class Digest(NamedTuple):
    organisation: str | None  # normalized (区政府 = 区人民政府); None: not found, never guessed
    year: int | None  # the report year
    passages: tuple[Passage, ...]
    plan_items: tuple[Passage, ...]  # the first sentence of each paragraph of the plan part
    # The measures' text as the low byte of each character (checker.checks.crossyear.low_bytes):
    # enough to look its character pairs up in, at a byte a character instead of its text.
    measures: bytes
    figures: tuple[Figure, ...]
    suppressions: object | None = None  # the file's checker.suppress.Suppressions, if any
    profile: str | None = None  # the profile the file was linted with, when its title chose it
    rows: tuple[StatedRow, ...] = ()  # table rows a rule across reports compares (P401)


class FileResult(NamedTuple):
    """What one file produced: its text (for code frames), its diagnostics, and what
    outputs need besides (the outline). Small and picklable: results cross processes
    (``-j``) and are cached."""

    path: str
    source: SourceText | None  # None when the file could not be read
    diagnostics: list[Diagnostic]
    # A label per line for formats whose line numbers mean nothing to a person
    # (.docx "¶37", .pdf "p.3", .html "L12"); None for plain text.
    locations: tuple[str, ...] | None = None
    outline: Outline | None = None  # None when the file could not be read
    docx_map: DocxMap | None = None  # for a Word document
    identity: Identity | None = None  # None when the file could not be read or linted
    digest: Digest | None = None  # when a rule across reports is active (checker.crossfile)

    def where(self, line: int) -> str:
        """What a person looks for: the loader's label of ``line``, else the line number."""
        if self.locations and 1 <= line <= len(self.locations):
            return self.locations[line - 1]
        return str(line)

    def compact(self) -> FileResult:
        """Keep only the lines the diagnostics point at (a long run holds thousands of results)."""
        if self.source is None:
            return self
        lines: set[int] = set()
        for d in self.diagnostics:
            for span in (d.span, *(label.span for label in d.labels)):
                if span is not None:
                    lines.add(self.source.position(span.start).line)
                    lines.add(self.source.position(max(span.start, span.end - 1)).line)
        return self._replace(source=self.source.keep_lines(lines))
