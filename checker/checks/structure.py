"""Structure kinds: required parts, what a part must contain, the title, heading numbering."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from checker.checks import Context, Finding, FindingLabel, KindSpec, Text
from checker.model import Document, Heading, Span
from checker.numerals import format_numeral
from checker.parse import HEADING_LEVELS

# --------------------------------------------------------------------------- finding a part


class SectionParams(NamedTuple):
    heading: re.Pattern[str]  # matched against heading words (view)
    max_level: int  # deepest heading level that can open the part
    lead_in: re.Pattern[str] | None  # a paragraph that opens the part without a heading
    lead_in_exclude: re.Pattern[str] | None
    mention: re.Pattern[str] | None  # words that show the topic is touched in passing
    mention_label: Text
    # Codes of the other parts' rules: a top-level heading none of them claims counts as
    # this part (reports often split their results over several 一、二、 headings).
    unclaimed_from: tuple[str, ...] = ()
    part_name: Text | None = None  # what outputs call the part; else they use the rule's summary


class Part(NamedTuple):
    span: Span  # the heading or lead-in that opens the part
    body: Span  # what the part covers, after its opening
    view_end: int  # view offset where the opening ends and the body begins


def _heading_part(heading: Heading) -> Part:
    assert heading.body_span is not None
    return Part(heading.span, heading.body_span, heading.text_view_start + len(heading.text))


def find_part(doc: Document, params: SectionParams, ctx: Context) -> Part | None:
    """The first heading (at most ``max_level`` deep) or lead-in paragraph that opens the part
    (found once per document: the section rule, its content rule and D301 all ask)."""
    return doc.derived(("part", params), lambda: _find_part(doc, params, ctx))


def _find_part(doc: Document, params: SectionParams, ctx: Context) -> Part | None:
    for heading in doc.all_headings():
        if heading.level <= params.max_level and params.heading.search(heading.text):
            return _heading_part(heading)
    if params.unclaimed_from:
        others: list[SectionParams] = [ctx.params_by_code[code] for code in params.unclaimed_from]
        for heading in doc.headings:
            if heading.level == 1 and not any(o.heading.search(heading.text) for o in others):
                return _heading_part(heading)
    if params.lead_in is None:
        return None
    top_starts = [h.span.start for h in doc.headings]
    for paragraph in doc.paragraphs:
        last = paragraph.last_sentence
        if last is None:
            continue
        if not params.lead_in.search(last.text):
            continue
        if params.lead_in_exclude and params.lead_in_exclude.search(last.text):
            continue
        end = next((s for s in top_starts if s > paragraph.span.start), len(doc.source.text))
        return Part(last.span, Span(paragraph.span.end, max(paragraph.span.end, end)), last.view_start + len(last.text))
    return None


def _first_mention(doc: Document, pattern: re.Pattern[str]) -> Span | None:
    for paragraph in doc.paragraphs:
        for sentence in paragraph.sentences:
            m = pattern.search(sentence.text)
            if m:
                return doc.view.span(sentence.view_start + m.start(), sentence.view_start + m.end())
    return None


def check_section(doc: Document, params: SectionParams, ctx: Context) -> Iterator[Finding]:
    if find_part(doc, params, ctx) is not None:
        return
    mention = _first_mention(doc, params.mention) if params.mention else None
    if mention is None:
        yield Finding(span=None)
    else:
        yield Finding(span=mention, variant="mentioned", labels=(FindingLabel(mention, params.mention_label),))


# --------------------------------------------------------------------------- what a part contains


class SectionContentParams(NamedTuple):
    part: str  # code of the section rule whose part is inspected
    require: re.Pattern[str]  # words the part must contain somewhere


def part_body_text(doc: Document, part: Part) -> str:
    """The view text of a part's body: the rest of the opening line, then its paragraphs."""
    pieces = []
    for paragraph in doc.paragraphs:
        if paragraph.span.end <= part.span.end or paragraph.span.start >= part.body.end:
            continue
        skip = max(0, part.view_end - paragraph.view_start)
        pieces.append(paragraph.text[skip:])
    return "\n".join(pieces)


def check_section_content(doc: Document, params: SectionContentParams, ctx: Context) -> Iterator[Finding]:
    section: SectionParams = ctx.params_by_code[params.part]
    part = find_part(doc, section, ctx)
    if part is None:
        return  # the missing part is the section rule's finding, not this one
    if not params.require.search(part_body_text(doc, part)):
        yield Finding(span=part.span)


# --------------------------------------------------------------------------- title


class TitleParams(NamedTuple):
    subject: re.Pattern[str]  # what the title must name besides the year


def check_title(doc: Document, params: TitleParams, ctx: Context) -> Iterator[Finding]:
    title = doc.title
    if title is None:
        yield Finding(span=None, variant="missing")
        return
    problems = []
    if not title.years:
        problems.append(Text("年度", "the year"))
    if not params.subject.search(title.text):
        problems.append(Text("主题", "the subject"))
    if problems:
        yield Finding(
            span=title.span,
            variant="incomplete",
            args={"missing_zh": "和".join(p.zh for p in problems), "missing_en": " and ".join(p.en for p in problems)},
        )


# --------------------------------------------------------------------------- numbering


class NumberingParams(NamedTuple):
    levels: frozenset[int]


def _ordinal_text(heading: Heading, ordinal: int) -> str:
    return str(ordinal) if heading.level in (3, 4) else format_numeral(ordinal)


def check_numbering(doc: Document, params: NumberingParams, ctx: Context) -> Iterator[Finding]:
    siblings_of: list[list[Heading]] = [doc.headings] + [h.children for h in doc.all_headings() if h.children]
    for siblings in siblings_of:
        previous_of_level: dict[int, Heading] = {}  # the lists of each level among these siblings
        for heading in siblings:
            if heading.level not in params.levels:
                continue
            previous = previous_of_level.get(heading.level)
            previous_of_level[heading.level] = heading
            expected = previous.ordinal + 1 if previous else 1
            # A new list may restart at 1; anything else out of step is a gap or a repeat.
            if heading.ordinal != expected and not (previous and heading.ordinal == 1):
                labels = (
                    (FindingLabel(previous.marker_span, Text("上一个编号", "previous number")),) if previous else ()
                )
                yield Finding(
                    span=heading.marker_span,
                    args={
                        "found": heading.marker,
                        "expected": _ordinal_text(heading, expected),
                        "level": HEADING_LEVELS[heading.level],
                    },
                    labels=labels,
                )


KINDS = (
    KindSpec(
        "section",
        check_section,
        "checker.checks.structure_schema:SectionModel",
        variants=frozenset({"mentioned"}),
    ),
    KindSpec("section-content", check_section_content, "checker.checks.structure_schema:SectionContentModel"),
    KindSpec(
        "title",
        check_title,
        "checker.checks.structure_schema:TitleModel",
        variants=frozenset({"missing", "incomplete"}),
        args=frozenset({"missing_zh", "missing_en"}),
    ),
    KindSpec(
        "numbering",
        check_numbering,
        "checker.checks.structure_schema:NumberingModel",
        args=frozenset({"found", "expected", "level"}),
    ),
)
