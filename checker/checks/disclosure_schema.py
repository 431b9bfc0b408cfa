"""Params models of the disclosure kinds (checker.checks.disclosure), for rule files."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from checker.checks.disclosure import (
    SUPERSEDED,
    Identity,
    Marker,
    PartCountParams,
    ShareCheck,
    Slot,
    SupersededParams,
    TableIdentityParams,
    TableTextParams,
    TextClaim,
)
from checker.checks.schema import Bilingual, ParamsModel, Strict, alternation, condition, optional_alternation, regex
from checker.expr import Arith, Compare, Expr, Name

_NAME = r"^[a-z][a-z0-9_]*$"


class SlotModel(Strict):
    name: str = Field(pattern=_NAME)  # what the relations call it
    show: str  # what messages call it: the form's words ("一、本年新收", "自然人")
    label: list[str] = []  # regexes over the row's own label (a column: over the header); none: any row
    parts: list[str] = []  # a row: the rows it sums where it has no numbers of its own

    def compile(self) -> Slot:
        return Slot(self.name, self.show, alternation(self.label) if self.label else None, tuple(self.parts))


class IdentityModel(Strict):
    each: Literal["column", "row"]
    relation: str

    def compile(self, names: set[str]) -> Identity:
        expr = condition(self.relation, frozenset(names))
        if not (isinstance(expr, Compare) and expr.op == "==" and _is_sum(expr.left) and _is_sum(expr.right)):
            raise ValueError(f"relation {self.relation!r}: write a sum of names == a sum of names")
        return Identity(self.each, expr, " ".join(self.relation.split()))


def _is_sum(expr: Expr) -> bool:
    if isinstance(expr, Name):
        return True
    return (
        isinstance(expr, Arith)
        and isinstance(expr.first, Name)
        and all(term.op == "+" and isinstance(term.operand, Name) for term in expr.rest)
    )


class TableIdentityModel(ParamsModel):
    part: str
    until: list[str] = []
    header: list[str] = []
    columns: list[SlotModel] = Field(min_length=1)
    rows: list[SlotModel] = Field(min_length=1)
    identities: list[IdentityModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_known(self) -> TableIdentityModel:
        rows = {r.name for r in self.rows}
        for slot in self.rows:
            if unknown := set(slot.parts) - rows:
                raise ValueError(f"row {slot.name!r}: parts {sorted(unknown)} are no rows")
        names = [s.name for s in (*self.columns, *self.rows)]
        if len(set(names)) != len(names):
            raise ValueError("a name is given to two rows or columns")
        return self

    def compile(self) -> TableIdentityParams:
        columns = {c.name for c in self.columns}
        rows = {r.name for r in self.rows}
        identities = tuple(i.compile(rows if i.each == "column" else columns) for i in self.identities)
        return TableIdentityParams(
            part=self.part,
            until=tuple(self.until),
            header=_all_of(self.header),
            columns=tuple(c.compile() for c in self.columns),
            rows=tuple(r.compile() for r in self.rows),
            identities=identities,
        )


def _all_of(patterns: list[str]) -> re.Pattern[str] | None:
    """One pattern that finds the text naming every one of ``patterns`` (in any order)."""
    if not patterns:
        return None
    for p in patterns:
        regex(p)
    return regex("".join(f"(?=[\\s\\S]*?(?:{p}))" for p in patterns))


class ClaimModel(Strict):
    pattern: str  # with a group "count"
    row: str
    column: str

    def compile(self) -> TextClaim:
        pattern = regex(self.pattern)
        if "count" not in pattern.groupindex:
            raise ValueError(f"pattern {self.pattern!r} needs a group (?P<count>…)")
        return TextClaim(pattern, self.row, self.column)


class ShareModel(Strict):
    pattern: str  # with a group "percent"
    column: str
    wholes: list[str] = Field(min_length=1)  # row names, or sums of them: "new + carried"

    def compile(self) -> ShareCheck:
        pattern = regex(self.pattern)
        if "percent" not in pattern.groupindex:
            raise ValueError(f"pattern {self.pattern!r} needs a group (?P<percent>…)")
        wholes = tuple(tuple(name.strip() for name in whole.split("+")) for whole in self.wholes)
        return ShareCheck(pattern, self.column, wholes)


class TableTextModel(ParamsModel):
    table: str  # code of a table-identity rule
    claims: list[ClaimModel] = Field(min_length=1)
    scope: list[str] = []
    shares: list[ShareModel] = []

    def compile(self) -> TableTextParams:
        return TableTextParams(
            self.table,
            tuple(c.compile() for c in self.claims),
            optional_alternation(self.scope),
            tuple(s.compile() for s in self.shares),
        )


class PartCountModel(ParamsModel):
    statement: str  # with a group "count"
    parts: list[str] = Field(min_length=1)
    lister: list[str] = Field(min_length=1)

    def compile(self) -> PartCountParams:
        statement = regex(self.statement)
        if "count" not in statement.groupindex:
            raise ValueError(f"statement {self.statement!r} needs a group (?P<count>…)")
        return PartCountParams(statement, tuple(self.parts), alternation(self.lister))


class MarkerModel(Strict):
    regex: str
    label: Bilingual


class SupersededModel(ParamsModel):
    markers: list[MarkerModel] = Field(min_length=1)
    condition: str
    max_labels: int = Field(6, ge=1)

    def compile(self) -> SupersededParams:
        markers = tuple(Marker(regex(m.regex), m.label.text()) for m in self.markers)
        return SupersededParams(markers, condition(self.condition, SUPERSEDED.names), self.max_labels)

