"""What every kind's params model is built on: strict pydantic models and the compiling
of regular expressions and conditions, with the errors a rule author reads.

Imported only when rule files are validated (checker.ruleschema); a lint run with cached
rules never imports pydantic (see checker.checks).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from checker.checks import Text
from checker.expr import Expr, ExpressionError, excerpt, parse_expression


class Strict(BaseModel):
    """Unknown fields are errors; validated values do not change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ParamsModel(Strict):
    """A kind's ``params`` table. ``compile()`` returns what the kind's check reads and
    raises ValueError for what validation cannot see (a regex that does not compile)."""

    def compile(self) -> object:
        raise NotImplementedError


class NoParams(ParamsModel):
    """Kinds whose behaviour the vocabulary decides, and the builtin kind."""

    def compile(self) -> None:
        return None


class Bilingual(Strict):
    zh: str
    en: str

    def text(self) -> Text:
        return Text(self.zh, self.en)


def regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ValueError(f"regular expression {pattern!r} does not compile: {e}") from None


def alternation(patterns: list[str]) -> re.Pattern[str]:
    """One pattern matching any of ``patterns`` (each checked on its own first, so that an
    error names the pattern at fault)."""
    for p in patterns:
        regex(p)
    return regex("|".join(f"(?:{p})" for p in patterns))


def optional_alternation(patterns: list[str]) -> re.Pattern[str] | None:
    return alternation(patterns) if patterns else None


def condition(source: str, names: frozenset[str]) -> Expr:
    try:
        return parse_expression(source, names)
    except ExpressionError as e:
        raise ValueError(f"condition {excerpt(source, e.column)!r}: {e.message}") from None
