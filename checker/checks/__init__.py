"""Rule kinds: the Python side of the declarative rules.

A rule in ``rules/*.toml`` names a *kind*; the kind's check is a small pure function
``check(doc, params, ctx) -> Iterable[Finding]``. The engine turns findings into
diagnostics with the rule's code, severity and message template. Adding a rule of an
existing kind needs TOML only; a new kind is one function registered here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from checker.extract.vocabulary import EMPTY, Vocabulary
from checker.model import Applicability, Document, Edit, Fix, Severity, Span


class Text(NamedTuple):
    """A message in both languages govlint speaks."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class FindingLabel(NamedTuple):
    span: Span
    text: Text


class FindingFix(NamedTuple):
    """A fix as a check makes it: the engine picks the message's language (model.Fix)."""

    edits: tuple[Edit, ...]  # in text order, none overlapping another
    message: Text
    applicability: Applicability = "safe"

    def get(self, lang: str) -> Fix:
        return Fix(self.edits, self.message.get(lang), self.applicability)


class Finding(NamedTuple):
    span: Span | None
    variant: str = "default"  # which of the rule's messages to use
    args: Mapping[str, object] = MappingProxyType({})  # shared, so read-only
    labels: tuple[FindingLabel, ...] = ()
    note: Text | None = None
    severity: Severity | None = None  # a kind may lower the rule's severity where it is less sure
    fix: FindingFix | None = None


class Settings(NamedTuple):
    """Run-wide settings a check may read (from flags, later from config files)."""

    deadline_month: int = 3
    deadline_day: int = 31


class Context(NamedTuple):
    settings: Settings
    # Compiled parameters of every rule by code, so a rule can name another rule's part
    # (S107 inspects the part that S102 finds) without repeating its keywords.
    params_by_code: Mapping[str, Any]
    vocabulary: Vocabulary = EMPTY
    # Codes of the rules that run on this document: a fix may count on another rule's
    # matches only where that rule is selected (T402 deletes a line of chrome and T401 placeholders).
    active_codes: frozenset[str] = frozenset()


CheckFn = Callable[[Document, Any, Context], Iterable[Finding]]

# Expression names each kind binds; rule files are checked against these at load time.
KIND_NAMES: dict[str, frozenset[str]] = {
    "year-relation": frozenset({"plan_year", "report_year"}),
    "date-relation": frozenset({"date", "report_year", "deadline_month", "deadline_day"}),
}


def registry() -> dict[str, CheckFn]:
    """Kind name → check function (imported on first use: a rule set only pays for its kinds)."""
    from checker.checks import dates, numbers, patterns, structure

    return {
        "section": structure.check_section,
        "section-content": structure.check_section_content,
        "title": structure.check_title,
        "numbering": structure.check_numbering,
        "year-relation": dates.check_year_relation,
        "date-relation": dates.check_date_relation,
        "pattern": patterns.check_pattern,
        "traditional": patterns.check_traditional,
        "part-whole": numbers.check_part_whole,
        "rate": numbers.check_rate,
        "full-rate": numbers.check_full_rate,
        "breakdown": numbers.check_breakdown,
        "bounds": numbers.check_bounds,
        "growth": numbers.check_growth,
        "rate-change-unit": numbers.check_rate_change_unit,
        "metric-conflict": numbers.check_metric_conflict,
    }


# Kinds that read doc.facts: the extract stage runs only when one of them is active.
NUMERIC_KINDS = frozenset(
    {"part-whole", "rate", "full-rate", "breakdown", "bounds", "growth", "rate-change-unit", "metric-conflict"}
)
