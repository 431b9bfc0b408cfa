"""The outline of a linted report: its title, the required parts its section rules found,
the leaders' duties its part-duties rule saw, and its publication date and deadline.

Outputs show it beside the findings: the HTML page's title and checklist of parts,
annotate's anchor for a finding about the whole file, the summary sheet's columns. The
engine computes it once per file from the document the rules read, with the rules' own
``find_part``, so it agrees with their findings and no output parses the text again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from checker.checks import Context
from checker.model import DateMention, Document, DutiesEvidence, Outline, OutlinePart, SourceText, Span
from checker.rule import Rule

SECTION_KIND = "section"
DUTIES_KIND = "part-duties"


def outline(doc: Document, source: SourceText, rules: Sequence[Rule], ctx: Context) -> Outline:
    """The outline of ``doc`` for the section rules among ``rules`` (the rules that ran);
    texts are cut from ``source``, the original text (``doc`` may read a Markdown file
    with its comments blanked)."""
    title = doc.title.span if doc.title else None
    parts = tuple(_part(doc, source, rule, ctx) for rule in rules if rule.kind == SECTION_KIND)
    duties = next((_duties(doc, rule, ctx) for rule in rules if rule.kind == DUTIES_KIND), None)
    settings = ctx.settings
    deadline = None
    if doc.report_year is not None:
        # always a day: --publication-deadline refuses 02-29 (config.parse_deadline)
        deadline = dt.date(doc.report_year + 1, settings.deadline_month, settings.deadline_day)
    return Outline(_cut(source, title) if title else None, title, parts, duties, _published(doc), deadline)


def _part(doc: Document, source: SourceText, rule: Rule, ctx: Context) -> OutlinePart:
    from checker.checks.structure import find_part, part_mention  # only runs with section rules import it

    try:
        found = find_part(doc, rule.params, ctx)  # memoized: the rule itself asked already
        mention = part_mention(doc, rule.params) if found is None else None
    except Exception:  # the engine reported the failing rule (E002); outputs show the rest
        found = mention = None
    name = rule.params.part_name or rule.summary
    span = found.span if found else None
    return OutlinePart(rule.code, name.zh, name.en, span, _cut(source, span) if span else "", mention)


def _duties(doc: Document, rule: Rule, ctx: Context) -> DutiesEvidence | None:
    from checker.checks.structure import duties_found

    try:
        found = duties_found(doc, rule.params, ctx)  # memoized: the rule itself asked already
    except Exception:  # reported as the rule's E002
        return None
    if found is None:
        return None
    present = found.present
    return DutiesEvidence(
        rule.params.part,
        tuple(duty.name.zh for duty in present),
        tuple(duty.name.en for duty in present),
        found.quantified,
    )


def _published(doc: Document) -> DateMention | None:
    """The publication date (a 发布时间 line), else the 落款 date under the text."""
    publication = [d for d in doc.dates if d.role == "publication"]
    signature = [d for d in doc.dates if d.role == "signature"]
    return publication[0] if publication else signature[-1] if signature else None


def _cut(source: SourceText, span: Span) -> str:
    return source.text[span.start : span.end]
