"""Params models of the text kinds (checker.checks.patterns), for rule files."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from checker.checks.patterns import PatternItem, PatternParams, TraditionalParams
from checker.checks.schema import Bilingual, ParamsModel, Strict, optional_alternation, regex


class PatternItemModel(Strict):
    regex: str
    label: Bilingual


class PatternModel(ParamsModel):
    patterns: list[PatternItemModel] = Field(min_length=1)
    target: Literal["original", "view"] = "view"
    scope: Literal["text", "title"] = "text"
    max_line_length: int | None = Field(None, ge=1)
    group: Literal["match", "line", "block", "file"] = "match"
    max_labels: int = Field(6, ge=1, le=50)
    unless: list[str] = []
    fix: Literal["delete-match", "delete-line"] | None = None
    line_debris: list[str] = []  # pattern rules whose matches a line that delete-line deletes may hold

    def compile(self) -> PatternParams:
        if self.line_debris and self.fix != "delete-line":
            raise ValueError('line_debris needs fix = "delete-line"')
        return PatternParams(
            patterns=tuple(PatternItem(regex(p.regex), p.label.text()) for p in self.patterns),
            target=self.target,
            scope=self.scope,
            max_line_length=self.max_line_length,
            group=self.group,
            max_labels=self.max_labels,
            unless=optional_alternation(self.unless),
            fix=self.fix,
            line_debris=tuple(self.line_debris),
        )


class TraditionalModel(ParamsModel):
    min_count: int = Field(5, ge=1)
    max_labels: int = Field(5, ge=1, le=50)

    def compile(self) -> TraditionalParams:
        return TraditionalParams(self.min_count, self.max_labels)
