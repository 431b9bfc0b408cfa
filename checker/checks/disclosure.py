"""Kinds of the 政府信息公开工作年度报告 (disclosure profile): the statistics tables the
format prescribes and the arithmetic it states, the text against the tables, the number
of parts a report says it has, and the superseded trial format.

The format's tables (国办公开办函〔2021〕30号) have merged label cells: a row of table 三
is "三、本年度办理结果 | (三)不予公开 | 1.属于国家秘密 | 0 | … | 0" in one place and
"1.属于国家秘密 | 0 | …" in the next, and a web copy flattens its two header rows into one
sequence. So a row is found by its own label (the last label cell) and its numbers are the
last cells of the row, in the order the format prints its columns; the header must name
every column. Rows are read from the report's .docx and HTML tables (``Document.tables``,
the grid the loader laid out), else from the text of the part: cells joined by "|" or tabs,
or one cell per line (a blank cell is a lone "|"). A blank cell is unknown, never zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from checker.checks import Context, Finding, FindingLabel, KindSpec, Text
from checker.checks.numbers import HUNDRED, consistent
from checker.checks.structure import SectionParams, find_part
from checker.expr import Arith, Compare, Expr, Name, Value, evaluate
from checker.model import Document, Sentence, Span
from checker.numerals import parse_numeral

# --------------------------------------------------------------------------- reading rows


class RowCell(NamedTuple):
    text: str  # normalized view, stripped
    span: Span  # in the original
    value: int | None  # None: blank, a dash, words, a fraction


class TableRow(NamedTuple):
    labels: tuple[str, ...]  # the label cells, in order; the last is the row's own (none: a row of numbers)
    cells: tuple[RowCell, ...]  # the trailing cells that hold its numbers
    at: int  # original offset of the row's first label or cell, for ordering

    @property
    def own_label(self) -> str:
        return self.labels[-1] if self.labels else ""


_NUMBER = re.compile(r"\d{1,9}")
_EMPTY_MARKS = frozenset({"", "-", "—", "/", "——", "无"})
_SEPARATOR = re.compile(r"[|\t]")
_ONLY_PIPES = re.compile(r"[|\s]*\|[|\s]*\|[|\s]*")


def _count(text: str) -> int | None:
    """A count as written: digits or a Chinese numeral (六, 十二)."""
    return int(text) if text.isascii() and text.isdigit() else parse_numeral(text)


def _value(text: str) -> int | None:
    return int(text) if _NUMBER.fullmatch(text) else None


def _is_value_cell(text: str) -> bool:
    return text in _EMPTY_MARKS or _NUMBER.fullmatch(text) is not None


def region(doc: Document, part: str, until: Sequence[str], ctx: Context) -> tuple[int, int] | None:
    """The view range from the heading of section rule ``part``'s part to the first part of
    ``until`` after it (or the end): where the part's table is."""
    found = find_part(doc, ctx.params_by_code[part], ctx)
    if found is None:
        return None
    start = found.view_end
    end = len(doc.view.text)
    for code in until:
        section: SectionParams = ctx.params_by_code[code]
        other = find_part(doc, section, ctx)
        if other is not None and other.span.start > found.span.start:
            heading = next((h for h in doc.all_headings() if h.span == other.span), None)
            if heading is not None:
                end = min(end, doc.view.text.rfind("\n", 0, heading.text_view_start) + 1)
    return (start, end) if start < end else None


def table_rows(doc: Document, start: int, end: int, width: int) -> list[TableRow]:
    """The rows of ``width`` numbers between view offsets ``start`` and ``end``."""
    rows: list[TableRow] = []
    laid_out: list[tuple[int, int]] = []  # original spans of the loader's tables
    original_start, original_end = doc.view.to_original(start), doc.view.to_original(end)
    for table in doc.tables:
        if table.layout not in ("docx", "html"):
            continue
        if table.span.end <= original_start or table.span.start >= original_end:
            continue
        laid_out.append((table.span.start, table.span.end))
        for r in range(table.row_count):
            if table.column_count < width:
                break
            labels: list[str] = []
            for c in range(table.column_count - width):
                cell = table.cell(r, c)
                if cell is not None and cell.text and (not labels or labels[-1] != cell.text):
                    labels.append(cell.text)
            cells = []
            for c in range(table.column_count - width, table.column_count):
                cell = table.cell(r, c)
                if cell is None:
                    break
                own = cell.row == r and cell.column == c
                cells.append(RowCell(cell.text, cell.span, _value(cell.text) if own else None))
            if len(cells) == width and all(_is_value_cell(c.text) for c in cells):
                rows.append(TableRow(tuple(labels), tuple(cells), cells[0].span.start))
    rows += _text_rows(doc, start, end, width, laid_out)
    rows.sort(key=lambda row: row.at)
    return rows


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """The lines between view offsets ``start`` and ``end`` with their offsets; a line of
    no "|" followed by a lone "|" (a copy that put each cell and each rule on a line of
    its own) is read as the one cell "text |"."""
    lines: list[tuple[int, str]] = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    skip_next = False
    for (at, line), (_, following) in zip(lines, [*lines[1:], (end, "")], strict=True):
        if skip_next:
            skip_next = False
            continue
        if line.strip() and "|" not in line and following.strip() == "|":
            skip_next = True
            yield at, f"{line} |"
        else:
            yield at, line


def _text_rows(doc: Document, start: int, end: int, width: int, skip: list[tuple[int, int]]) -> list[TableRow]:
    view = doc.view
    text = view.text
    rows: list[TableRow] = []
    labels: list[str] = []
    cells: list[RowCell] = []
    first = 0
    wrapped = False  # the last row came from a PDF line: its label may go on below

    def flush() -> None:
        nonlocal labels, cells
        fitted = _fit(cells, width)
        if fitted is not None:
            rows.append(TableRow(tuple(labels), fitted, view.to_original(first)))
        if cells:
            labels = []
        cells = []

    for line_start, line in _lines(text, start, end):
        original = view.to_original(line_start)
        if any(a <= original < b for a, b in skip):
            continue
        stripped = line.strip()
        if not stripped or _ONLY_PIPES.fullmatch(stripped):
            continue
        line = _TRAILING_PIPES.sub("|", line)  # "8 | ||||||": the empty cells a merged header leaves
        celled = "|" in line or "\t" in line
        pieces = _pieces(line, line_start) if celled else _spaced(line, line_start, width)
        if not celled and len(pieces) == 1 and wrapped and _continues(stripped):
            # A PDF's narrow label cell goes on below its numbers: its last column is the row's own label.
            last = rows[-1]
            rows[-1] = last._replace(labels=(*last.labels[:-1], last.labels[-1] + stripped.split()[-1]))
            continue
        wrapped = False
        if len(pieces) > 1 or not celled:
            flush()
            labels = []
        if len(pieces) > 1:  # a row on one line: its labels, then its numbers
            first_value = next((i + 1 for i in range(len(pieces) - 1, -1, -1) if not _is_value_cell(pieces[i][2])), 0)
            values = [RowCell(t, view.span(a, b), _value(t)) for a, b, t in pieces[first_value:]]
            fitted = _fit(values, width)
            if fitted is not None:
                rows.append(TableRow(tuple(p[2] for p in pieces[:first_value] if p[2]), fitted, original))
                wrapped = not celled and first_value > 0
            continue
        if not celled:
            continue  # prose between tables
        a, b, piece = pieces[0]
        if _is_value_cell(piece):
            if not cells:
                first = line_start
            cells.append(RowCell(piece, view.span(a, b), _value(piece)))
        else:
            flush()
            if not labels:
                first = line_start
            labels.append(piece)
    flush()
    return rows


_TRAILING_PIPES = re.compile(r"\|[\s|]*\|\|[\s|]*$")


def _fit(cells: list[RowCell], width: int) -> tuple[RowCell, ...] | None:
    """``cells`` as a row of ``width`` numbers: blank cells past the last column (a wider
    grid's padding) dropped; None when the count still differs (the row cannot be aligned)."""
    cells = list(cells)
    while len(cells) > width and not cells[-1].text:
        cells.pop()
    return tuple(cells) if len(cells) == width else None


_SPACED_NUMBER = re.compile(r"(?:^|[ \u3000]+)(\d{1,9})(?=[ \u3000]*$|[ \u3000]+\d)")


def _spaced(line: str, line_start: int, width: int) -> list[tuple[int, int, str]]:
    """A line of text a PDF leaves: a label, then exactly ``width`` numbers cut by spaces
    ("四、结转下年度继续办理 0 0 0 0 0 0 0"); else the line as one piece."""
    numbers = list(_SPACED_NUMBER.finditer(line))
    stripped = line.strip()
    if len(numbers) < width or not stripped:
        return [(line_start, line_start + len(line), stripped)]
    numbers = numbers[-width:]
    if line[numbers[0].start() :].strip().replace(" ", "").replace("\u3000", "") != "".join(
        m.group(1) for m in numbers
    ):
        return [(line_start, line_start + len(line), stripped)]  # words among the numbers
    label = line[: numbers[0].start()]
    cells = [(line_start + m.start(), line_start + m.end(), m.group()) for m in _WORD.finditer(label)]
    return cells + [(line_start + m.start(1), line_start + m.end(1), m.group(1)) for m in numbers]


_WORD = re.compile(r"[^ \u3000]+")
_CONTINUATION_PIECE = 8  # characters: a narrow label cell wraps after a few


def _continues(line: str) -> bool:
    """Whether ``line`` is the wrapped rest of label cells: short pieces, no number."""
    return not any(c.isdigit() for c in line) and all(len(p) <= _CONTINUATION_PIECE for p in line.split())


def _pieces(line: str, line_start: int) -> list[tuple[int, int, str]]:
    """The cells of a line as (view start, view end, text): split at "|" and tabs, one
    opening and one closing "|" dropped."""
    body_start = len(line) - len(line.lstrip())
    body = line.strip()
    if body.startswith("|"):
        body, body_start = body[1:], body_start + 1
    if body.endswith("|"):
        body = body[:-1]
    pieces = []
    at = 0
    for m in [*_SEPARATOR.finditer(body), None]:
        piece_end = m.start() if m is not None else len(body)
        raw = body[at:piece_end]
        left = len(raw) - len(raw.lstrip())
        a = line_start + body_start + at + left
        pieces.append((a, a + len(raw.strip()), raw.strip()))
        if m is not None:
            at = m.end()
    return pieces


# --------------------------------------------------------------------------- table-identity


class Slot(NamedTuple):
    """A row or a column of a table schema: a name for the relations, what outputs show,
    the label patterns that find it, and (a row) the rows it sums when it has no numbers."""

    name: str
    show: str
    label: re.Pattern[str] | None
    parts: tuple[str, ...] = ()


class Identity(NamedTuple):
    each: str  # "column": the relation holds in every column over the rows; "row": the reverse
    relation: Compare  # a sum of names == a sum of names
    source: str  # as written, for the message


class TableIdentityParams(NamedTuple):
    part: str  # the section rule of the part that holds the table
    until: tuple[str, ...]  # section rules of the parts after it
    header: re.Pattern[str] | None  # the table is read only when the part's text names it
    columns: tuple[Slot, ...]  # in the format's order
    rows: tuple[Slot, ...]
    identities: tuple[Identity, ...]


class Grid(NamedTuple):
    """The schema's rows found in a report: name → the row's cells (or none: a group
    row, summed from its parts)."""

    rows: dict[str, TableRow]


def read_grid(doc: Document, params: TableIdentityParams, ctx: Context) -> Grid | None:
    def compute() -> Grid | None:
        bounds = region(doc, params.part, params.until, ctx)
        if bounds is None:
            return None
        start, end = bounds
        if params.header is not None and params.header.search(doc.view.text, start, end) is None:
            return None
        found: dict[str, TableRow] = {}
        for row in table_rows(doc, start, end, len(params.columns)):
            for slot in params.rows:
                if slot.name in found or (slot.label is None and slot.parts):
                    continue  # a group row: summed from its parts
                if slot.label is None or slot.label.search(row.own_label):
                    found[slot.name] = row
                    break
        return Grid(found)

    return doc.derived(("disclosure-grid", params.part, params.columns, params.rows), compute)


def _term_value(grid: Grid, params: TableIdentityParams, row: str, column: int) -> tuple[int | None, list[RowCell]]:
    """The number of ``row`` in ``column`` and the cells it comes from: its own, or the sum
    of its parts' (unknown when one is unknown or absent)."""
    found = grid.rows.get(row)
    if found is not None:
        cell = found.cells[column]
        return cell.value, [cell]
    slot = next(s for s in params.rows if s.name == row)
    if not slot.parts:
        return None, []
    total, cells = 0, []
    for part in slot.parts:
        value, part_cells = _term_value(grid, params, part, column)
        if value is None:
            return None, []
        total += value
        cells += part_cells
    return total, cells


def _side_names(expr: Expr) -> list[str]:
    if isinstance(expr, Name):
        return [expr.name]
    assert isinstance(expr, Arith)  # checked when the rule was loaded
    return [_side_names(expr.first)[0], *(term.operand.name for term in expr.rest if isinstance(term.operand, Name))]


def check_table_identity(doc: Document, params: TableIdentityParams, ctx: Context) -> Iterator[Finding]:
    grid = read_grid(doc, params, ctx)
    if grid is None or not grid.rows:
        return
    shows = {slot.name: slot.show for slot in (*params.columns, *params.rows)}
    for identity in params.identities:
        left, right = _side_names(identity.relation.left), _side_names(identity.relation.right)
        instances: list[tuple[str, int | None, str | None]]
        if identity.each == "column":
            instances = [(column.show, i, None) for i, column in enumerate(params.columns)]
        else:
            instances = [(slot.show, None, slot.name) for slot in params.rows if slot.name in grid.rows]
        for where, column, row in instances:
            env: dict[str, Value] = {}
            cells: dict[str, list[RowCell]] = {}
            for name in {*left, *right}:
                if column is not None:
                    env[name], cells[name] = _term_value(grid, params, name, column)
                else:
                    assert row is not None
                    index = next(i for i, c in enumerate(params.columns) if c.name == name)
                    env[name], cells[name] = _term_value(grid, params, row, index)
            if evaluate(identity.relation, env) is not False:
                continue
            yield _identity_finding(identity, where, left, right, env, cells, shows)


def _identity_finding(
    identity: Identity,
    where: str,
    left: list[str],
    right: list[str],
    env: dict[str, Value],
    cells: dict[str, list[RowCell]],
    shows: dict[str, str],
) -> Finding:
    def side(names: list[str]) -> tuple[str, int]:
        values = [env[n] for n in names]
        total = sum(v for v in values if isinstance(v, int))
        shown = " + ".join(f"{shows[n]} {env[n]}" for n in names)
        return (shown if len(names) == 1 else f"{shown} = {total}"), total

    left_text, _ = side(left)
    right_text, _ = side(right)
    arithmetic = f"{left_text} ≠ {right_text}"
    anchor = cells[left[0]][0] if cells[left[0]] else next(c[0] for c in cells.values() if c)
    labels = []
    for name in dict.fromkeys([*left, *right]):
        for cell in cells[name][:1]:
            if cell is not anchor:
                labels.append(FindingLabel(cell.span, Text(f"{shows[name]} {env[name]}", f"{shows[name]} {env[name]}")))
    return Finding(
        span=anchor.span,
        args={"identity": identity.source, "where": where, "arithmetic": arithmetic},
        labels=tuple(labels),
    )


TABLE_IDENTITY = KindSpec(
    "table-identity",
    check_table_identity,
    "checker.checks.disclosure_schema:TableIdentityModel",
    args=frozenset({"identity", "where", "arithmetic"}),
)


# --------------------------------------------------------------------------- table-text


class TextClaim(NamedTuple):
    pattern: re.Pattern[str]  # group "count": the number the text states
    row: str  # the schema row it states
    column: str  # and its column


class ShareCheck(NamedTuple):
    pattern: re.Pattern[str]  # group "percent": a share the text states of something in the table
    column: str  # the column whose cells are the parts and the wholes
    wholes: tuple[tuple[str, ...], ...]  # each a sum of rows that may be the whole


class TableTextParams(NamedTuple):
    table: str  # the table-identity rule whose table the text is checked against
    claims: tuple[TextClaim, ...]
    scope: re.Pattern[str] | None  # sentences the claims are looked for in (None: all)
    shares: tuple[ShareCheck, ...] = ()


def _sentences_outside(doc: Document, bounds: tuple[int, int] | None, scope: re.Pattern[str] | None) -> list[Sentence]:
    """The sentences outside the table's region that ``scope`` finds."""
    return [
        sentence
        for paragraph in doc.paragraphs
        if bounds is None or not bounds[0] <= paragraph.view_start < bounds[1]
        for sentence in paragraph.sentences
        if scope is None or scope.search(sentence.text)
    ]


def check_table_text(doc: Document, params: TableTextParams, ctx: Context) -> Iterator[Finding]:
    table: TableIdentityParams = ctx.params_by_code[params.table]
    grid = read_grid(doc, table, ctx)
    if grid is None:
        return
    sentences = _sentences_outside(doc, region(doc, table.part, table.until, ctx), params.scope)
    shows = {slot.name: slot.show for slot in (*table.columns, *table.rows)}
    reported: set[Span] = set()  # two claims' patterns may find one statement
    for claim in params.claims:
        column = next(i for i, c in enumerate(table.columns) if c.name == claim.column)
        stated_in_table, cells = _term_value(grid, table, claim.row, column)
        if stated_in_table is None:
            continue
        for sentence in sentences:
            m = claim.pattern.search(sentence.text)
            if m is None:
                continue
            stated = _count(m.group("count"))
            if stated is None or stated == stated_in_table:
                continue
            span = doc.view.span(sentence.view_start + m.start("count"), sentence.view_start + m.end("count"))
            if span in reported:
                continue
            reported.add(span)
            cell_label = f"{shows[claim.row]} {shows[claim.column]}"
            yield Finding(
                span=span,
                args={"stated": stated, "cell": cell_label, "table_value": stated_in_table, "percent": ""},
                labels=tuple(
                    FindingLabel(c.span, Text(f"表中为 {stated_in_table}", f"the table says {stated_in_table}"))
                    for c in cells[:1]
                ),
            )
    for share in params.shares:
        yield from _shares(doc, grid, table, share, sentences, shows)


def _shares(
    doc: Document,
    grid: Grid,
    table: TableIdentityParams,
    share: ShareCheck,
    sentences: list[Sentence],
    shows: dict[str, str],
) -> Iterator[Finding]:
    """A stated share that no cell of the table over any of the wholes gives."""
    column = next(i for i, c in enumerate(table.columns) if c.name == share.column)
    values = {slot.name: _term_value(grid, table, slot.name, column)[0] for slot in table.rows}
    parts = {v for v in values.values() if v is not None}
    wholes: list[tuple[str, int]] = []
    for names in share.wholes:
        terms = [values[n] for n in names]
        if all(t is not None for t in terms) and (total := sum(t for t in terms if t is not None)) > 0:
            wholes.append((" + ".join(shows[n] for n in names), total))
    if not parts or not wholes:
        return
    for sentence in sentences:
        for m in share.pattern.finditer(sentence.text):
            stated = Decimal(m.group("percent"))
            if any(_agrees(stated, part, whole) for part in parts for _, whole in wholes):
                continue
            span = doc.view.span(sentence.view_start + m.start("percent"), sentence.view_start + m.end("percent"))
            name, whole = wholes[0]
            yield Finding(
                span,
                "share",
                {"stated": "", "cell": name, "table_value": whole, "percent": f"{m.group('percent')}%"},
            )


def _agrees(stated: Decimal, part: int, whole: int) -> bool:
    """``stated`` (a percentage with its decimals) is ``part`` of ``whole``, rounded half-up
    or truncated at the stated precision (as the numeric rules read a stated rate)."""
    exponent = stated.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) else 0
    return consistent(stated, decimals, Decimal(part) * HUNDRED / Decimal(whole))


TABLE_TEXT = KindSpec(
    "table-text",
    check_table_text,
    "checker.checks.disclosure_schema:TableTextModel",
    variants=frozenset({"share"}),
    args=frozenset({"stated", "cell", "table_value", "percent"}),
)


# --------------------------------------------------------------------------- stated-part-count


class PartCountParams(NamedTuple):
    statement: re.Pattern[str]  # group "count": the number of parts the report says it has
    parts: tuple[str, ...]  # the section rules of the parts
    lister: re.Pattern[str]  # words before the list of parts in the statement (由, 包括)


# Not 和, 及: inside the parts' names (收到和处理). A list cut by commas keeps its 、 inside
# an item (政府信息公开行政复议、行政诉讼情况).
_LIST_BY_COMMA = re.compile(r",|;|以及")
_LIST_BY_ENUMERATION_COMMA = re.compile(r"、|,|;|以及")


def check_part_count(doc: Document, params: PartCountParams, ctx: Context) -> Iterator[Finding]:
    for paragraph in doc.paragraphs[:8]:  # the statement opens the report
        for sentence in paragraph.sentences:
            m = params.statement.search(sentence.text)
            if m is None:
                continue
            stated = _count(m.group("count"))
            if stated is None:
                continue
            span = doc.view.span(sentence.view_start + m.start(), sentence.view_start + m.end())
            listed = _listed(sentence.text[: m.start()], params.lister)
            if listed is not None and len(listed) != stated:
                args = {"stated": stated, "count": len(listed), "missing_zh": "", "missing_en": ""}
                yield Finding(span, "listed", args)
                return
            found = [code for code in params.parts if find_part(doc, ctx.params_by_code[code], ctx) is not None]
            if len(found) < stated:
                missing = [ctx.params_by_code[c].part_name for c in params.parts if c not in found]
                names = [n for n in missing if n is not None]
                yield Finding(
                    span,
                    args={
                        "stated": stated,
                        "count": len(found),
                        "missing_zh": "、".join(n.zh for n in names),
                        "missing_en": ", ".join(n.en for n in names),
                    },
                )
            return


def _listed(before: str, lister: re.Pattern[str]) -> list[str] | None:
    """The items listed after the last ``lister`` word in ``before`` (None: no list)."""
    starts = [m.end() for m in lister.finditer(before)]
    if not starts:
        return None
    listed = before[starts[-1] :].strip()
    split = _LIST_BY_COMMA if "," in listed else _LIST_BY_ENUMERATION_COMMA
    items = [item.strip() for item in split.split(listed.removesuffix("等"))]
    items = [item.removesuffix("等") for item in items if item]
    return items if len(items) >= 2 else None


PART_COUNT = KindSpec(
    "stated-part-count",
    check_part_count,
    "checker.checks.disclosure_schema:PartCountModel",
    variants=frozenset({"listed"}),
    args=frozenset({"stated", "count", "missing_zh", "missing_en"}),
)


# --------------------------------------------------------------------------- superseded-format


class Marker(NamedTuple):
    pattern: re.Pattern[str]
    label: Text


class SupersededParams(NamedTuple):
    markers: tuple[Marker, ...]
    condition: Expr  # over report_year: when the markers are out of date
    max_labels: int


def check_superseded(doc: Document, params: SupersededParams, ctx: Context) -> Iterator[Finding]:
    if evaluate(params.condition, {"report_year": doc.report_year}) is not True:
        return
    text = doc.view.text
    found: list[tuple[int, int, Text]] = []
    for marker in params.markers:
        found += [(m.start(), m.end(), marker.label) for m in marker.pattern.finditer(text)]
    if not found:
        return
    found.sort(key=lambda f: f[0])
    start, end, _ = found[0]
    labels = tuple(FindingLabel(doc.view.span(a, b), label) for a, b, label in found[: params.max_labels])
    yield Finding(
        doc.view.span(start, end),
        args={"match": text[start:end], "count": len(found), "report_year": doc.report_year or 0},
        labels=labels,
    )


SUPERSEDED = KindSpec(
    "superseded-format",
    check_superseded,
    "checker.checks.disclosure_schema:SupersededModel",
    args=frozenset({"match", "count", "report_year"}),
    names=frozenset({"report_year"}),
)

KINDS = (TABLE_IDENTITY, TABLE_TEXT, PART_COUNT, SUPERSEDED)
