"""Date kinds: a year or a date that must stand in a relation to the report year.

The relation is a condition in govlint's expression language (checker.expr), written
in the rule file, e.g. ``plan_year == report_year + 1``. A condition that cannot be
decided (the report year is unknown) reports nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from checker.checks import Context, Finding, FindingLabel, KindSpec, Text
from checker.checks.structure import SectionParams, find_part
from checker.expr import Expr, Value, evaluate
from checker.model import Document, Span
from checker.parse import YEAR


class YearRelationParams(NamedTuple):
    part: str  # code of the section rule whose part states the plan year
    title_pattern: re.Pattern[str]  # group 1: a plan year named in the title
    condition: Expr


def _plan_years(doc: Document, params: YearRelationParams, ctx: Context) -> Iterator[tuple[int, Span]]:
    if doc.title is not None:
        start = doc.title.view_start
        for m in params.title_pattern.finditer(doc.title.text):
            yield int(m.group(1)), doc.view.span(start + m.start(1), start + m.end(1))
    section: SectionParams = ctx.params_by_code[params.part]
    part = find_part(doc, section, ctx)
    if part is None:
        return
    heading = next((h for h in doc.all_headings() if h.span == part.span), None)
    if heading is not None:
        for m in YEAR.finditer(heading.text):
            start = heading.text_view_start + m.start(1)
            yield int(m.group(1)), doc.view.span(start, start + 4)


def check_year_relation(doc: Document, params: YearRelationParams, ctx: Context) -> Iterator[Finding]:
    """One finding per report: every wrong plan year (title, plan heading) is a label on it."""
    if doc.report_year is None or doc.report_year_span is None:
        return
    wrong = [
        (plan_year, span)
        for plan_year, span in _plan_years(doc, params, ctx)
        if evaluate(params.condition, {"plan_year": plan_year, "report_year": doc.report_year}) is False
    ]
    if not wrong:
        return
    labels = [FindingLabel(span, Text(f"计划年度 {year}", f"plan says {year}")) for year, span in wrong]
    if all(span != doc.report_year_span for _, span in wrong):
        labels.append(
            FindingLabel(doc.report_year_span, Text(f"报告年度 {doc.report_year}", f"report year {doc.report_year}"))
        )
    plan_year, span = wrong[0]
    yield Finding(
        span=span,
        args={"plan_year": plan_year, "report_year": doc.report_year, "expected": doc.report_year + 1},
        labels=tuple(labels),
    )


class Deadline(NamedTuple):
    """A deadline the rule itself sets (month, day in the year after the report year), for
    a report whose title block matches ``title`` (None: any report)."""

    month: int
    day: int
    title: re.Pattern[str] | None = None


class DateRelationParams(NamedTuple):
    roles: frozenset[str]  # which dates the rule looks at: publication, signature
    condition: Expr
    deadlines: tuple[Deadline, ...] = ()  # empty: the run's deadline (--publication-deadline)


def _deadline(doc: Document, params: DateRelationParams, ctx: Context) -> tuple[int, int] | None:
    """The rule's own deadline for ``doc``: the first whose title pattern matches a line of
    the title block (the title, the issuer above it); None when none applies. A rule that
    sets none has the run's."""
    if not params.deadlines:
        return ctx.settings.deadline_month, ctx.settings.deadline_day
    title = doc.title
    lines = ([line.text for line in title.lines] or [title.text]) if title is not None else []
    for deadline in params.deadlines:
        if deadline.title is None or any(deadline.title.search(line) for line in lines):
            return deadline.month, deadline.day
    return None


_ROLE_TEXT = {
    "publication": Text("发布日期", "publication date"),
    "signature": Text("成文日期", "date of the report"),
}


def check_date_relation(doc: Document, params: DateRelationParams, ctx: Context) -> Iterator[Finding]:
    deadline = _deadline(doc, params, ctx)
    if doc.report_year is None or deadline is None:
        return
    month, day = deadline
    for mention in doc.dates:
        if mention.role not in params.roles:
            continue
        env: dict[str, Value] = {
            "date": mention.date,
            "report_year": doc.report_year,
            "deadline_month": month,
            "deadline_day": day,
        }
        if evaluate(params.condition, env) is not False:
            continue
        role = _ROLE_TEXT.get(mention.role, Text("日期", "date"))
        labels = [FindingLabel(mention.span, role)]
        if doc.report_year_span is not None:
            labels.append(
                FindingLabel(
                    doc.report_year_span, Text(f"报告年度 {doc.report_year}", f"report year {doc.report_year}")
                )
            )
        d = mention.date
        yield Finding(
            span=mention.span,
            args={
                "date": f"{d.year}年{d.month}月{d.day}日",
                "date_iso": d.isoformat(),
                "role_zh": role.zh,
                "role_en": role.en,
                "report_year": doc.report_year,
                "deadline": f"{doc.report_year + 1}年{month}月{day}日",
                "deadline_iso": f"{doc.report_year + 1}-{month:02d}-{day:02d}",
            },
            labels=tuple(labels),
        )


YEAR_RELATION = KindSpec(
    "year-relation",
    check_year_relation,
    "checker.checks.dates_schema:YearRelationModel",
    args=frozenset({"plan_year", "report_year", "expected"}),
    names=frozenset({"plan_year", "report_year"}),
)
DATE_RELATION = KindSpec(
    "date-relation",
    check_date_relation,
    "checker.checks.dates_schema:DateRelationModel",
    args=frozenset({"date", "date_iso", "role_zh", "role_en", "report_year", "deadline", "deadline_iso"}),
    names=frozenset({"date", "report_year", "deadline_month", "deadline_day"}),
)
KINDS = (YEAR_RELATION, DATE_RELATION)
