"""Params models of the text kinds (checker.checks.patterns), for rule files."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from checker.checks.patterns import MarkPair, PairedParams, PatternItem, PatternParams, TraditionalParams
from checker.checks.schema import Bilingual, ParamsModel, Strict, optional_alternation, regex


class PatternItemModel(Strict):
    regex: str | None = None
    # Instead of a regex: a finder of encoding debris that re-encodes the text and tests
    # it (checker.checks.encoding); for target = "original".
    find: Literal["utf8-read-as-gbk", "gbk-out-of-step"] | None = None
    # Characters of which every match of the regex holds one (a class it cannot match
    # without): a text holding none of them is not searched. For a regex that starts with
    # a class, which re tests every character against.
    needs: str = ""
    label: Bilingual

    @model_validator(mode="after")
    def _one_way(self) -> PatternItemModel:
        if (self.regex is None) == (self.find is None):
            raise ValueError("give either regex or find")
        if self.needs and self.regex is None:
            raise ValueError("needs goes with regex")
        return self

    def item(self) -> PatternItem:
        from checker.checks.encoding import FINDERS

        if self.find is not None:
            return PatternItem(None, self.label.text(), FINDERS[self.find])
        assert self.regex is not None
        return PatternItem(regex(self.regex), self.label.text(), None, self.needs)


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
    outside_tables: bool = False  # matches on a table's lines (a row's "|" cells) do not count

    @model_validator(mode="after")
    def _finders_read_the_original(self) -> PatternModel:
        if any(p.find for p in self.patterns) and (self.target, self.scope) != ("original", "text"):
            raise ValueError('a pattern with find needs target = "original" and scope = "text"')
        return self

    def compile(self) -> PatternParams:
        if self.line_debris and self.fix != "delete-line":
            raise ValueError('line_debris needs fix = "delete-line"')
        return PatternParams(
            patterns=tuple(p.item() for p in self.patterns),
            target=self.target,
            scope=self.scope,
            max_line_length=self.max_line_length,
            group=self.group,
            max_labels=self.max_labels,
            unless=optional_alternation(self.unless),
            fix=self.fix,
            line_debris=tuple(self.line_debris),
            outside_tables=self.outside_tables,
        )


class TraditionalModel(ParamsModel):
    min_count: int = Field(5, ge=1)
    max_labels: int = Field(5, ge=1, le=50)

    def compile(self) -> TraditionalParams:
        return TraditionalParams(self.min_count, self.max_labels)


def _repeated(opener: str, closer: str) -> re.Pattern[str]:
    o, c = re.escape(opener), re.escape(closer)
    return re.compile(f"{o}[^{o}{c}]*{o}|{c}[^{o}{c}]*{c}")


class MarkPairModel(Strict):
    opener: str = Field(min_length=1, max_length=1)
    closer: str = Field(min_length=1, max_length=1)
    nests: bool = False
    unopened: bool = True
    label: Bilingual


class PairedModel(ParamsModel):
    pairs: list[MarkPairModel] = Field(min_length=1)
    max_labels: int = Field(6, ge=1, le=50)

    def compile(self) -> PairedParams:
        pairs = tuple(
            MarkPair(p.opener, p.closer, p.nests, p.unopened, p.label.text(), _repeated(p.opener, p.closer))
            for p in self.pairs
        )
        marks = [mark for pair in pairs for mark in (pair.opener, pair.closer)]
        if len(set(marks)) != len(marks):
            raise ValueError("each mark belongs to one pair, as its opener or its closer")
        return PairedParams(pairs, self.max_labels, re.compile("[" + re.escape("".join(marks)) + "]"))
