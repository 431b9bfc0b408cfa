"""Params models of the date kinds (checker.checks.dates), for rule files."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from checker.checks.dates import DATE_RELATION, YEAR_RELATION, DateRelationParams, Deadline, YearRelationParams
from checker.checks.schema import ParamsModel, Strict, alternation, condition, regex


class YearRelationModel(ParamsModel):
    part: str
    title_pattern: str
    condition: str

    def compile(self) -> YearRelationParams:
        pattern = regex(self.title_pattern)
        if pattern.groups < 1:
            raise ValueError("title_pattern needs a group that captures the year")
        return YearRelationParams(self.part, pattern, condition(self.condition, YEAR_RELATION.names))


class DeadlineModel(Strict):
    deadline: str = Field(pattern=r"^\d{2}-\d{2}$")  # MM-DD in the year after the report year
    title: list[str] = []  # regexes over the lines of the title block; empty: any report

    def compile(self) -> Deadline:
        month, day = (int(part) for part in self.deadline.split("-"))
        try:
            dt.date(2001, month, day)  # a common year: 02-29 is no yearly deadline
        except ValueError:
            raise ValueError(f"deadline {self.deadline!r} is no day of the year") from None
        return Deadline(month, day, alternation(self.title) if self.title else None)


class DateRelationModel(ParamsModel):
    roles: list[Literal["publication", "signature", "other"]] = Field(min_length=1)
    condition: str
    # The rule's own deadlines, the first that applies to the report's title wins; none
    # applies: no finding. Empty: the run's deadline (--publication-deadline).
    deadlines: list[DeadlineModel] = []

    def compile(self) -> DateRelationParams:
        return DateRelationParams(
            frozenset(self.roles),
            condition(self.condition, DATE_RELATION.names),
            tuple(d.compile() for d in self.deadlines),
        )
