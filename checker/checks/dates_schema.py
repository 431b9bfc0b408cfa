"""Params models of the date kinds (checker.checks.dates), for rule files."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from checker.checks.dates import DATE_RELATION, YEAR_RELATION, DateRelationParams, YearRelationParams
from checker.checks.schema import ParamsModel, condition, regex


class YearRelationModel(ParamsModel):
    part: str
    title_pattern: str
    condition: str

    def compile(self) -> YearRelationParams:
        pattern = regex(self.title_pattern)
        if pattern.groups < 1:
            raise ValueError("title_pattern needs a group that captures the year")
        return YearRelationParams(self.part, pattern, condition(self.condition, YEAR_RELATION.names))


class DateRelationModel(ParamsModel):
    roles: list[Literal["publication", "signature", "other"]] = Field(min_length=1)
    condition: str

    def compile(self) -> DateRelationParams:
        return DateRelationParams(frozenset(self.roles), condition(self.condition, DATE_RELATION.names))
