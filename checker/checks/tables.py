"""The numeric relations of a table (checker/tables.py reads them from the report): a
合计/总计/小计 row or column is the sum of what it totals (N203), a rate column matches
its count columns (N202), a part never exceeds its whole (N201). The numeric kinds of
checker.checks.numbers yield these findings with their message variant ``table``.

Precision first. A relation is checked only where every cell it needs states a number
(a blank cell is unknown); rounding is allowed for as in the sentences' checks (a rate to
its decimals, a sum of amounts with decimals by half a unit of each figure). A total
whose reading of the table fails on *every* column (or row) it applies to, two or more,
is not reported unless the table can be read only one way (a last total line, no
subtotals, no 其中 lines): it is then likelier read wrongly (a total of something else)
than wrong everywhere. A column of zeros (0 = 0 + 0) holds under any reading: it counts
for none.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from checker.checks import Finding, FindingLabel, Text
from checker.extract.vocabulary import PairDef, Vocabulary
from checker.model import Document, Severity, Table, TableCell

HUNDRED = Decimal(100)
_UNIT_NOTE = re.compile(r"[((][^()()]*[))]|[::].*$")  # "受理(件)", "金额:万元": a unit, not the label
_ROLE_PREFIX = re.compile(r"(?:已|共|累计|依法|全年|本年)?")
_NOT_THE_ROLE = re.compile(r"率|后|中|撤|未|不|比|占")  # 受理后撤回, 办结率: the role is not what is counted
_ROLE_REST_MAX = 6
_CARRY_OVER = re.compile(r"结转|旧存|上年|累计")
_MAX_SHOWN = 8
_CARRY_OVER_NOTE = Text(
    "表中有结转/累计数字,超出部分可能是上年结转", "the table has carry-over figures: the excess may be last year's"
)

# checker.checks.numbers.consistent: a stated value with its decimals against the true one
_Consistent = Callable[[Decimal, int, Decimal], bool]


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def decimals(cell: TableCell) -> int:
    """Digits after the decimal point of the number a cell states."""
    digits = cell.text.partition(".")[2]
    return len(digits) - len(digits.lstrip("0123456789")) if digits else 0


def _checked(doc: Document) -> list[Table]:
    """The tables whose lines the checks can read (not lists set side by side, not ragged)."""
    return [table for table in doc.tables if not table.side_by_side and not table.ragged]


def _named(cell: TableCell, label: str) -> FindingLabel:
    """A label showing the cell's figure with the words that label its row or column."""
    return FindingLabel(cell.span, Text(f"{label} {cell.text}", f"{label} {cell.text}"))


def _figure(table: Table, row: int, column: int) -> TableCell | None:
    """The cell at ``(row, column)`` if a number is stated there (not a merged cell's other slot)."""
    cell = table.cell(row, column)
    if cell is None or cell.value is None or (cell.row, cell.column) != (row, column):
        return None
    return cell


def _leaf(table: Table, column: int) -> str:
    """The lowest header label of ``column``, without a unit in brackets."""
    cell = table.cell(table.header_rows - 1, column) if table.header_rows else None
    return _UNIT_NOTE.sub("", cell.text).strip() if cell is not None else ""


def _group(table: Table, column: int) -> str:
    """The header labels above ``column``'s lowest one: columns of one group share them."""
    cells = {table.cell(r, column) for r in range(table.header_rows - 1)}
    return " ".join(sorted(cell.text for cell in cells if cell is not None))


def _counted_columns(table: Table) -> list[int]:
    skipped = set(table.rate_columns) | set(table.skipped_columns)
    return [c for c in table.data_columns() if c not in skipped]


def _role(label: str, roles: frozenset[str]) -> str | None:
    """The role a column's label counts ("受理", "办结数", "已办结(件)"), or None."""
    m = _ROLE_PREFIX.match(label)
    words = label[m.end() :] if m else label
    grouped, empty = _by_first_character(roles)
    for role in grouped.get(words[:1], empty):
        if words.startswith(role):
            rest = words[len(role) :]
            if len(rest) <= _ROLE_REST_MAX and not _NOT_THE_ROLE.search(rest):
                return role
    return None


@functools.lru_cache(maxsize=64)
def _by_first_character(roles: frozenset[str]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """``roles`` by their first character, each group longest first, and the empty role (it
    starts every label: last in every group): a label is compared with the few roles it
    can start with, not every role (the sets come from the vocabulary)."""
    grouped: dict[str, list[str]] = {}
    for role in sorted(roles, key=len, reverse=True):
        grouped.setdefault(role[:1], []).append(role)
    empty = tuple(grouped.pop("", ()))
    return {first: (*group, *empty) for first, group in grouped.items()}, empty


# --------------------------------------------------------------------------- N203 totals


class TotalCheck(NamedTuple):
    """One total cell against the cells it totals, by the reading of the table that fits best."""

    total: TableCell
    parts: tuple[TableCell, ...]
    sum: Decimal
    holds: bool

    @property
    def all_zero(self) -> bool:
        """0 = 0 + 0: holds under any reading of the table, so it confirms none."""
        return self.total.value == 0 and not any(part.value for part in self.parts)

    def arithmetic(self) -> str:
        shown = "+".join(_fmt(p.value) for p in self.parts[:_MAX_SHOWN] if p.value is not None)
        return shown + ("+…" if len(self.parts) > _MAX_SHOWN else "") + f" = {_fmt(self.sum)}"


def _sums_to(total: TableCell, parts: Sequence[TableCell | None]) -> TotalCheck | None:
    """``total`` against the sum of ``parts``; None unless every one states a number in one
    unit. Amounts with decimals may be off by the rounding of each figure (half a unit)."""
    if total.value is None or total.is_percent or not parts:
        return None
    figures = [p for p in parts if p is not None and p.value is not None and p.unit == total.unit]
    if len(figures) != len(parts):
        return None
    places = max(decimals(c) for c in (total, *figures))
    value_sum = sum((p.value for p in figures if p.value is not None), Decimal(0))
    slack = Decimal(len(figures) + 1) / 2 * Decimal(1).scaleb(-places) if places else Decimal(0)
    return TotalCheck(total, tuple(figures), value_sum, abs(value_sum - total.value) <= slack)


def _segments(lines: Sequence[int], totals: Sequence[int], bounds: set[int]) -> Iterator[tuple[int, list[int]]]:
    """Each total line with the lines it may total: those since the boundary before it;
    for a total ahead of its lines (first of its block), those after it up to the next.
    ``lines`` and ``totals`` are in order."""
    ordered = sorted(bounds)
    for total in totals:
        k = bisect.bisect_left(ordered, total)
        start = ordered[k - 1] if k else -1
        above = lines[bisect.bisect_right(lines, start) : bisect.bisect_left(lines, total)]
        if above:
            yield total, list(above)
            continue
        end = ordered[k + 1] if k + 1 < len(ordered) else None
        first = bisect.bisect_right(lines, total)
        yield total, list(lines[first : bisect.bisect_left(lines, end) if end is not None else len(lines)])


def _readings(total: int, lines: list[int], subtotals: set[int], grand: bool) -> list[list[int]]:
    """Which lines a total sums: all but the subtotals; or, for a 合计 with 小计 among its
    lines, the subtotals and the lines after the last of them (the subtotals alone when
    every line is under one)."""
    within = [line for line in lines if line in subtotals]
    leaves = [line for line in lines if line not in subtotals]
    readings = [leaves]
    if within and grand:
        readings.append([*within, *(line for line in leaves if line > within[-1])])
    return [reading for reading in readings if reading]


def _best(total: TableCell | None, readings: list[list[TableCell | None]]) -> TotalCheck | None:
    if total is None:
        return None
    checks = [c for reading in readings if (c := _sums_to(total, reading)) is not None]
    return next((c for c in checks if c.holds), checks[0] if checks else None)


def total_checks(table: Table) -> Iterator[tuple[bool, list[TotalCheck]]]:
    """Each total line (a row: one check per column it totals; a column: one per row), and
    whether the table can be read only one way there: the total after every other line of
    its kind, no subtotal, no 其中 line."""
    part_rows, grand_rows, sub_rows = set(table.part_rows), table.total_rows, table.subtotal_rows
    grand_columns, sub_columns = table.total_columns, table.subtotal_columns
    if not (grand_rows or sub_rows or grand_columns or sub_columns):
        return  # no total line: nothing to check (its lines need not even be listed)
    body = [r for r in table.body_rows() if r not in part_rows | set(grand_rows)]
    columns = _counted_columns(table)
    plain_rows = bool(body) and not sub_rows and not part_rows and len(grand_rows) == 1
    yield from _line_checks(
        grand_rows, sub_rows, body, columns, plain_rows, lambda row, column: _figure(table, row, column)
    )
    if not (grand_columns or sub_columns):
        return  # most tables total their rows only
    parts = [c for c in columns if c not in set(grand_columns) | set(table.part_columns)]
    plain_columns = bool(parts) and not sub_columns and not table.part_columns and len(grand_columns) == 1
    plain_columns = plain_columns and table.header_rows < 2
    counted_rows = [r for r in table.body_rows() if r not in part_rows]
    yield from _line_checks(
        grand_columns, sub_columns, parts, counted_rows, plain_columns, lambda column, row: _figure(table, row, column)
    )


def _line_checks(
    grand: Sequence[int],
    sub: Sequence[int],
    members: list[int],
    across: list[int],
    plain: bool,
    figure: Callable[[int, int], TableCell | None],
) -> Iterator[tuple[bool, list[TotalCheck]]]:
    """:func:`total_checks` along one axis: each total line of ``grand`` and ``sub`` against
    the ``members`` lines it may total, one check per line ``across`` (``figure(line,
    across_line)`` is their cell) — rows and columns are the same question turned."""
    for totals, bounds in ((grand, set(grand)), (sub, set(grand) | set(sub))):
        for total, summed in _segments(members, totals, bounds):
            readings = _readings(total, summed, set(sub), totals is grand)
            found = (
                _best(figure(total, other), [[figure(line, other) for line in reading] for reading in readings])
                for other in across
            )
            yield plain and summed == members and total > members[-1], [check for check in found if check]


def check_table_totals(doc: Document) -> Iterator[Finding]:
    for table in _checked(doc):
        reported: set[TableCell] = set()  # a grand total is the sum of its row and of its column
        for plain, checks in total_checks(table):
            if not plain and len(checks) > 1 and not any(check.holds for check in checks if not check.all_zero):
                continue  # read wrongly: this total is not the sum of these lines
            for check in checks:
                if not check.holds and check.total not in reported:
                    reported.add(check.total)
                    yield _total_finding(check)


def _total_finding(check: TotalCheck) -> Finding:
    total, arithmetic = check.total, check.arithmetic()
    return Finding(
        span=total.span,
        variant="table",
        args={"sum": _fmt(check.sum), "total": total.text, "count": len(check.parts), "where": total.where},
        labels=(
            FindingLabel(
                total.span, Text(f"合计 {total.text};各项 {arithmetic}", f"total {total.text}; items {arithmetic}")
            ),
            *(FindingLabel(p.span, Text(f"分项 {p.where}", f"item {p.where}")) for p in check.parts[:_MAX_SHOWN]),
        ),
    )


# --------------------------------------------------------------------------- N202 rate columns


class RateColumns(NamedTuple):
    rate: int
    name: str
    parts: tuple[int, ...]  # the numerator's columns
    wholes: tuple[int, ...]  # columns that may be the denominator
    sums_parts: bool


def rate_columns(table: Table, vocabulary: Vocabulary) -> list[RateColumns]:
    """Each rate column whose definition names count columns of the same group."""
    if not table.rate_columns:
        return []  # most tables: the rates' names are not even sorted
    names = sorted(((n, d) for d in vocabulary.rates for n in d.names), key=lambda nd: -len(nd[0]))
    found = []
    for column in table.rate_columns:
        leaf = _leaf(table, column)
        definition = next(((n, d) for n, d in names if leaf.endswith(n)), None)
        if definition is None:
            continue
        name, rate = definition
        group = _group(table, column)
        same = [c for c in _counted_columns(table) if _group(table, c) == group]
        parts = tuple(c for c in same if _role(_leaf(table, c), rate.part))
        wholes = tuple(c for c in same if _role(_leaf(table, c), rate.whole))
        if parts and wholes:
            found.append(RateColumns(column, name, parts, wholes, rate.sums_parts))
    return found


class RateCellCheck(NamedTuple):
    rate: TableCell
    parts: tuple[TableCell, ...]
    whole: TableCell
    computed: Decimal
    # The numerator is every outcome the table names, which may be short of all: a rate
    # above it may count outcomes the table leaves out.
    at_least: bool = False


def _numerators(table: Table, row: int, columns: RateColumns) -> list[tuple[tuple[TableCell, ...], bool]]:
    cells = [cell for c in columns.parts if (cell := _figure(table, row, c)) is not None]
    alone: list[tuple[tuple[TableCell, ...], bool]] = [((cell,), False) for cell in cells]
    if not columns.sums_parts or not cells:
        return alone
    return [(tuple(cells), True), *(alone if len(cells) > 1 else [])]


def rate_cell_checks(table: Table, columns: RateColumns, row: int) -> list[RateCellCheck]:
    rate = _figure(table, row, columns.rate)
    if rate is None:
        return []
    checks = []
    for whole_column in columns.wholes:
        whole = _figure(table, row, whole_column)
        if whole is None or whole.value is None or whole.value <= 0:
            continue
        for parts, at_least in _numerators(table, row, columns):
            part_sum = sum((p.value for p in parts if p.value is not None), Decimal(0))
            checks.append(RateCellCheck(rate, parts, whole, part_sum * HUNDRED / whole.value, at_least))
    return checks


def check_table_rates(doc: Document, vocabulary: Vocabulary, consistent: _Consistent) -> Iterator[Finding]:
    for table in _checked(doc):
        for columns in rate_columns(table, vocabulary):
            for row in table.body_rows():
                checks = rate_cell_checks(table, columns, row)
                if not checks or any(_rate_holds(c, consistent) for c in checks):
                    continue
                yield _rate_finding(table, columns, checks[0])


def _rate_holds(check: RateCellCheck, consistent: _Consistent) -> bool:
    rate = check.rate
    assert rate.value is not None  # _figure
    places = decimals(rate)
    if check.at_least and rate.value > check.computed:
        return True  # the outcomes not in the table may make up the rest
    if consistent(rate.value, places, check.computed):
        return True
    # A fraction (0.952) in a column of rates without a % sign.
    fraction = not rate.is_percent and rate.value <= 1
    return fraction and consistent(rate.value * HUNDRED, max(0, places - 2), check.computed)


def _rate_finding(table: Table, columns: RateColumns, check: RateCellCheck) -> Finding:
    rate, whole = check.rate, check.whole
    if len(check.parts) == 1:
        part = _fmt(check.parts[0].value or Decimal(0))
    else:
        values = [p.value or Decimal(0) for p in check.parts]
        part = "(" + "+".join(_fmt(v) for v in values) + f"={_fmt(sum(values, Decimal(0)))})"
    computed = check.computed.quantize(Decimal(1).scaleb(-max(2, decimals(rate))))
    return Finding(
        span=rate.span,
        variant="table",
        args={
            "rate_name": columns.name,
            "stated": rate.text,
            "part": part,
            "whole": _fmt(whole.value or Decimal(0)),
            "computed": f"{computed:f}%",
            "where": rate.where,
        },
        labels=(
            FindingLabel(rate.span, Text("所述比率", "stated rate")),
            *(_named(p, _leaf(table, p.column)) for p in check.parts),
            _named(whole, _leaf(table, whole.column)),
        ),
    )


# --------------------------------------------------------------------------- N201 parts


class PartCheck(NamedTuple):
    part: TableCell
    whole: TableCell
    part_label: str
    whole_label: str
    carry_over: bool


@functools.lru_cache(maxsize=8)
def pair_roles(pairs: tuple[PairDef, ...]) -> frozenset[str]:
    """Every role of the vocabulary's pairs of a whole and its parts (once per rule set)."""
    return frozenset(role for pair in pairs for role in pair.whole | pair.part)


def _carry_over_in(table: Table) -> bool:
    """Whether a label of ``table`` names a carry-over (结转, 上年, 累计)."""
    return any(_CARRY_OVER.search(table.column_label(c)) for c in table.data_columns()) or any(
        _CARRY_OVER.search(table.row_label(r)) for r in table.body_rows()
    )


def part_checks(table: Table, vocabulary: Vocabulary, roles: frozenset[str]) -> Iterator[PartCheck]:
    """Cells that may not exceed another: a 其中 column its column on the left, a 其中 row
    the row above it, a part's column (办结) its whole's (受理) in one header group
    (``roles``: :func:`pair_roles`)."""
    counted = _counted_columns(table)
    pairs: list[tuple[int, int, bool]] = []  # part column, whole column, carry-over possible
    for part in table.part_columns:
        whole = max((c for c in counted if c < part and c not in table.part_columns), default=None)
        if whole is not None:
            pairs.append((part, whole, False))
    named = {c: role for c in counted if c not in table.part_columns and (role := _role(_leaf(table, c), roles))}
    carry_in_table: bool | None = None  # read only for a table with a pair of named columns
    for part, part_role in named.items():
        for whole, whole_role in named.items():
            pair = vocabulary.pair_of(whole_role, part_role)
            if whole != part and pair is not None and _group(table, part) == _group(table, whole):
                if carry_in_table is None:
                    carry_in_table = _carry_over_in(table)
                pairs.append((part, whole, pair.carry_over_possible or carry_in_table))
    for part, whole, carry in pairs:
        for row in table.body_rows():
            part_cell, whole_cell = _figure(table, row, part), _figure(table, row, whole)
            if part_cell is not None and whole_cell is not None:
                yield PartCheck(part_cell, whole_cell, _leaf(table, part), _leaf(table, whole), carry)
    part_rows = set(table.part_rows)
    parent = None
    for part_row in table.body_rows():
        if part_row not in part_rows:
            parent = part_row
            continue
        if parent is None:
            continue
        for column in counted:
            part_cell, whole_cell = _figure(table, part_row, column), _figure(table, parent, column)
            if part_cell is not None and whole_cell is not None:
                yield PartCheck(part_cell, whole_cell, table.row_label(part_row), table.row_label(parent), False)


def check_table_parts(doc: Document, vocabulary: Vocabulary, carry_over_severity: Severity) -> Iterator[Finding]:
    roles = pair_roles(vocabulary.pairs)
    for table in _checked(doc):
        for check in part_checks(table, vocabulary, roles):
            part, whole = check.part, check.whole
            if part.value is None or whole.value is None or part.value <= whole.value or part.unit != whole.unit:
                continue
            yield Finding(
                span=part.span,
                variant="table",
                args={
                    "part_role": check.part_label,
                    "part": part.text,
                    "whole_role": check.whole_label,
                    "whole": whole.text,
                    "where": part.where,
                },
                labels=(_named(part, check.part_label), _named(whole, check.whole_label)),
                severity=carry_over_severity if check.carry_over else None,
                note=_CARRY_OVER_NOTE if check.carry_over else None,
            )
