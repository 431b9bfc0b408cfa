"""Structure kinds: required parts, what a part must contain, the title, heading numbering."""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import operator
import re
from collections.abc import Iterator
from typing import NamedTuple

from checker.checks import Context, Finding, FindingLabel, KindSpec, Text
from checker.extract.identity import report_identity
from checker.model import Document, Heading, Paragraph, Span, line_starts
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
    # A numbered item deeper than max_level ("2.切实履行推进法治建设第一责任人职责。……") opens
    # the part when its first sentence matches item_heading and its body item_about.
    item_heading: re.Pattern[str] | None = None
    item_about: re.Pattern[str] | None = None
    # A heading for the part in the report's own year ("{year}": the report year + year_offset),
    # given as a note when the part is missing and the year is known.
    example_heading: Text | None = None
    year_offset: int = 0


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
    if params.item_heading is not None:
        for heading in doc.all_headings():
            if heading.level > params.max_level and params.item_heading.search(heading.text):
                part = _heading_part(heading)
                if params.item_about is None or params.item_about.search(part_body_text(doc, part)):
                    return part
    if params.unclaimed_from:
        others: list[SectionParams] = [ctx.params_by_code[code] for code in params.unclaimed_from]
        for heading in doc.headings:
            if heading.level == 1 and not any(o.heading.search(heading.text) for o in others):
                return _heading_part(heading)
    if params.lead_in is None:
        return None
    top_starts = [h.span.start for h in doc.headings]
    for paragraph in _lead_in_candidates(doc, params.lead_in):
        ends = paragraph.sentence_ends
        if not ends:
            continue
        # The last sentence's text, sliced: a span is made only for the one that leads in.
        start = ends[-2] if len(ends) > 1 else 0
        last = paragraph.text[start : ends[-1]]
        if not params.lead_in.search(last):
            continue
        if params.lead_in_exclude and params.lead_in_exclude.search(last):
            continue
        end = next((s for s in top_starts if s > paragraph.span.start), len(doc.source.text))
        view_start, view_end = paragraph.view_start + start, paragraph.view_start + ends[-1]
        body = Span(paragraph.span.end, max(paragraph.span.end, end))
        return Part(doc.view.span(view_start, view_end), body, view_end)
    return None


# --------------------------------------------------------------------------- searching many lines at once

# A missing part's lead-in is looked for in every paragraph: one search over the texts
# joined by line breaks finds the same ones, as long as nothing in the pattern can match a
# line break or tell it from the end of a text (``$`` matches at each line once MULTILINE is
# set; a look-around that meets the break fails as it fails at a text's end). Patterns with
# anything else (``\s``, ``[^…]``, ``\A``, escapes, inline flags) are searched line by line.
# Headings are searched one by one: their patterns start with ``^``, which re tries at one
# place of a heading but, MULTILINE, at every character of the joined text (20 000 一是 items:
# 0.33 s against 0.01 s).
_NOT_LINE_SAFE = re.compile(r"\\[A-Za-ce-vx-z0-9]|\[\^|\(\?[A-Za-z>-]|[*+?}]\+|[\x00-\x1f]")

# Fewer texts than this are searched one by one: joining them costs more than it saves.
_JOIN_MIN_TEXTS = 100
_JOIN_MAX_LENGTH = 32  # the longest average paragraph the lead-ins' search joins


class _Lines:
    """Texts, joined by line breaks when first asked."""

    __slots__ = ("texts", "_joined", "_starts")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self._joined: str | None = None
        self._starts: list[int] = []  # where each text starts in the joined text; empty: cannot join

    def joined(self) -> tuple[str, list[int]] | None:
        """The joined text and where each text starts in it; None when a text holds a line break."""
        if self._joined is None:
            texts = self.texts
            self._joined = "\n".join(texts)
            if self._joined.count("\n") < len(texts):
                self._starts = line_starts(texts)
        return (self._joined, self._starts) if self._starts else None


@functools.lru_cache(maxsize=256)
def _per_line(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` as it reads texts joined by line breaks; None when it cannot."""
    if pattern.flags & (re.DOTALL | re.VERBOSE) or _NOT_LINE_SAFE.search(pattern.pattern):
        return None
    return re.compile(pattern.pattern, pattern.flags | re.MULTILINE)


def _matching(lines: _Lines, pattern: re.Pattern[str]) -> Iterator[int]:
    """The indices of the texts ``pattern`` matches, in order: one search for all when it can."""
    per_line = _per_line(pattern) if len(lines.texts) >= _JOIN_MIN_TEXTS else None
    joined = lines.joined() if per_line is not None else None
    if per_line is None or joined is None:
        yield from (index for index, text in enumerate(lines.texts) if pattern.search(text))
        return
    text, starts = joined
    pos = 0
    while (m := per_line.search(text, pos)) is not None:
        index = bisect.bisect_right(starts, m.start()) - 1
        yield index
        if index + 1 == len(starts):
            return
        pos = starts[index + 1]


_TEXT, _VIEW_START = operator.attrgetter("text"), operator.attrgetter("view_start")
_LAST_CHARACTER = operator.itemgetter(slice(-1, None))


# What a pattern reads before its match: an anchor, a boundary, a look-behind, or a
# possessive or atomic repeat.
_READS_BEFORE = re.compile(r"(?<!\[)\^|\\[AbB]|\(\?[<>]|[*+?}]\+")


def _lead_in_candidates(doc: Document, lead_in: re.Pattern[str]) -> Iterator[Paragraph]:
    """The paragraphs whose last sentence ``lead_in`` may match, in text order. A paragraph's
    last sentence runs to its end unless blanks follow it (``Paragraph.sentence_ends``), so a
    pattern that reads nothing before its match matches the last sentence only if it matches
    the paragraph: many short paragraphs are searched at once and only those that match split
    into sentences (a report's paragraphs, long, are split anyway by the rules that read them)."""
    paragraphs = doc.paragraphs
    if len(paragraphs) < _JOIN_MIN_TEXTS or len(doc.view.text) > _JOIN_MAX_LENGTH * len(paragraphs):
        return iter(paragraphs)
    if _READS_BEFORE.search(lead_in.pattern):
        return iter(paragraphs)
    lines = doc.derived("paragraph lines", lambda: _Lines(list(map(_TEXT, paragraphs))))
    ends_blank = doc.derived("ends blank", lambda: list(map(str.isspace, map(_LAST_CHARACTER, lines.texts))))
    blank_ended = itertools.compress(itertools.count(), ends_blank)
    return (paragraphs[i] for i, _ in itertools.groupby(heapq.merge(_matching(lines, lead_in), blank_ended)))


# Anything a pattern reads around its match: an anchor, a boundary, a look-around, a
# possessive or atomic repeat. A pattern with none matches a sentence only where it matches
# the whole view as well.
_READS_AROUND = re.compile(r"(?<!\[)\^|\$|\\[AZbB]|\(\?[=!<>]|[*+?}]\+")


def _first_mention(doc: Document, pattern: re.Pattern[str]) -> Span | None:
    # Each sentence's text sliced from its paragraph's: no Sentence (and no span) is built
    # for the sentences searched in vain, nearly all of them. When the pattern reads nothing
    # around its match, the view is searched first and only the paragraph of each match read.
    in_view = None if _READS_AROUND.search(pattern.pattern) else pattern
    paragraphs = doc.paragraphs
    ends = _paragraph_ends(doc) if in_view is not None else []
    index = 0
    while index < len(paragraphs):
        if in_view is not None:
            found = in_view.search(doc.view.text, paragraphs[index].view_start)
            if found is None:
                return None
            index = bisect.bisect_left(ends, found.start(), index)
            if index == len(paragraphs):
                return None
        paragraph = paragraphs[index]
        text, start = paragraph.text, 0
        for end in paragraph.sentence_ends:
            m = pattern.search(text[start:end])
            if m:
                at = paragraph.view_start + start
                return doc.view.span(at + m.start(), at + m.end())
            start = end
        index += 1
    return None


def _paragraph_ends(doc: Document) -> list[int]:
    """Where each paragraph ends in the view, in text order."""
    paragraphs = doc.paragraphs
    return doc.derived(
        "paragraph ends",
        lambda: list(map(operator.add, map(_VIEW_START, paragraphs), map(len, map(_TEXT, paragraphs)))),
    )


def _heading_note(doc: Document, params: SectionParams) -> Text | None:
    """The example heading in the report's own year; none when the year is unknown."""
    if params.example_heading is None or doc.report_year is None:
        return None
    year = str(doc.report_year + params.year_offset)
    zh, en = (template.replace("{year}", year) for template in params.example_heading)
    return Text(
        f"本报告年度为{doc.report_year}年:标题可写作“{zh}”",
        f"the report is on {doc.report_year}: a heading such as “{en}”",
    )


def part_mention(doc: Document, params: SectionParams) -> Span | None:
    """Where a part not found is mentioned in passing, if anywhere (found once per
    document: the section rule and the outline both ask)."""
    mention = params.mention
    if mention is None:
        return None
    return doc.derived(("mention", mention), lambda: _first_mention(doc, mention))


def check_section(doc: Document, params: SectionParams, ctx: Context) -> Iterator[Finding]:
    if find_part(doc, params, ctx) is not None:
        return
    note = _heading_note(doc, params)
    mention = part_mention(doc, params)
    if mention is None:
        yield Finding(span=None, note=note)
    else:
        labels = (FindingLabel(mention, params.mention_label),)
        yield Finding(span=mention, variant="mentioned", labels=labels, note=note)


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


# --------------------------------------------------------------------------- what a part says

_SENTENCE_SPLIT = re.compile(r"[。;!?\n]")


class Duty(NamedTuple):
    name: Text
    words: re.Pattern[str]


class PartDutiesParams(NamedTuple):
    part: str  # code of the section rule whose part is read (the leaders' duties)
    duties: tuple[Duty, ...]
    min_duties: int  # fewer duties evidenced than this is a finding
    figures: re.Pattern[str]  # a count or a date: some duty must be stated with one


class DutiesFound(NamedTuple):
    part: Part
    present: list[Duty]  # in the params' order
    quantified: bool  # some present duty is stated with a figure in its sentence


def duties_found(doc: Document, params: PartDutiesParams, ctx: Context) -> DutiesFound | None:
    """The duties the duties part names; None when the part is missing (found once per
    document: the rule and the outline both ask)."""
    return doc.derived(("duties", params), lambda: _duties_found(doc, params, ctx))


def _duties_found(doc: Document, params: PartDutiesParams, ctx: Context) -> DutiesFound | None:
    part = find_part(doc, ctx.params_by_code[params.part], ctx)
    if part is None:
        return None
    sentences = [s for s in _SENTENCE_SPLIT.split(part_body_text(doc, part)) if s.strip()]
    present: list[Duty] = []
    quantified = False
    for duty in params.duties:
        mentions = [s for s in sentences if duty.words.search(s)]
        if mentions:
            present.append(duty)
            quantified = quantified or any(params.figures.search(s) for s in mentions)
    return DutiesFound(part, present, quantified)


def check_part_duties(doc: Document, params: PartDutiesParams, ctx: Context) -> Iterator[Finding]:
    """The duties part names at least ``min_duties`` of the duties, and one of them with a
    count or a date in its sentence."""
    found = duties_found(doc, params, ctx)
    if found is None:
        return  # the missing part is the section rule's finding
    part, present, quantified = found
    missing = [duty.name for duty in params.duties if duty not in present]
    args = {
        "count": len(present),
        "missing_zh": "、".join(name.zh for name in missing),
        "missing_en": ", ".join(name.en for name in missing),
        "present_zh": "、".join(duty.name.zh for duty in present),
        "present_en": ", ".join(duty.name.en for duty in present),
    }
    if len(present) < params.min_duties:
        yield Finding(span=part.span, args=args)
    elif not quantified:
        yield Finding(span=part.span, variant="unquantified", args=args)


class PartGenericParams(NamedTuple):
    part: str  # code of the section rule whose part is read (the shortcomings)
    stock: re.Pattern[str]  # stock phrases ("还有一定差距", "有待进一步提高")
    filler: re.Pattern[str]  # words that name no subject ("工作", "水平", "与上级要求相比")
    min_subject: int  # characters left after both are removed that name a subject


_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")


def check_part_generic(doc: Document, params: PartGenericParams, ctx: Context) -> Iterator[Finding]:
    """Every sentence of the part is a stock phrase with no subject named."""
    part = find_part(doc, ctx.params_by_code[params.part], ctx)
    if part is None:
        return
    sentences = [s for s in _SENTENCE_SPLIT.split(part_body_text(doc, part)) if s.strip()]
    if not sentences or not any(params.stock.search(s) for s in sentences):
        return
    for sentence in sentences:
        rest = _NOT_HAN.sub("", params.filler.sub("", params.stock.sub("", sentence)))
        if len(rest) >= params.min_subject:
            return  # this sentence names what falls short
    yield Finding(span=part.span, args={"count": len(sentences)})


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


# --------------------------------------------------------------------------- identity


def check_identity(doc: Document, params: None, ctx: Context) -> Iterator[Finding]:
    """The report names the organisation that reports (checker.extract.identity reads it)."""
    if report_identity(doc).organisation is None:
        yield Finding(span=doc.title.span if doc.title else None)


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
            # A new list may restart at 1 (but 一、 right after 一、 is a repeat); anything else
            # out of step is a gap or a repeat.
            restarts = previous is not None and heading.ordinal == 1 and previous.ordinal != 1
            if heading.ordinal != expected and not restarts:
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


# --------------------------------------------------------------------------- heading layout


class JoinedHeadingParams(NamedTuple):
    max_labels: int


def check_joined_heading(doc: Document, params: JoinedHeadingParams, ctx: Context) -> Iterator[Finding]:
    """One finding per line whose paragraphs were joined: at its first joined heading, with
    a label on each (a line break lost before each)."""
    by_line: dict[int, list[Heading]] = {}
    for heading in doc.all_headings():
        if heading.joined:
            by_line.setdefault(heading.line, []).append(heading)
    original = doc.source.text
    for headings in by_line.values():
        first = headings[0].span
        yield Finding(
            span=first,
            args={"heading": original[first.start : first.end], "count": len(headings)},
            labels=tuple(
                FindingLabel(h.marker_span, Text("此前也缺少换行", "a line break lost here too"))
                for h in headings[1 : params.max_labels]
            ),
        )


class HeadingMarkerParams(NamedTuple):
    patterns: tuple[tuple[re.Pattern[str], Text], ...]  # stray marks, matched against a marker


def canonical_marker(heading: Heading) -> str:
    """The marker as GB/T 9704 writes it at the heading's level: 一、 (一) 1. (1)."""
    numeral = _ordinal_text(heading, heading.ordinal)
    markers = {1: f"{numeral}、", 2: f"({numeral})", 3: f"{numeral}.", 4: f"({numeral})"}
    return markers.get(heading.level, heading.marker)


def check_heading_marker(doc: Document, params: HeadingMarkerParams, ctx: Context) -> Iterator[Finding]:
    for heading in doc.all_headings():
        if heading.level > 4:
            continue
        marker_view_start = heading.text_view_start - len(heading.marker)
        for pattern, label in params.patterns:
            m = pattern.search(heading.marker)
            if m is None:
                continue
            span = doc.view.span(marker_view_start + m.start(), marker_view_start + m.end())
            yield Finding(
                span=span,
                args={
                    "match": doc.source.text[span.start : span.end],
                    "marker": heading.marker,
                    "expected": canonical_marker(heading),
                },
                labels=(FindingLabel(span, label),),
            )
            break


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
    KindSpec("identity", check_identity, "checker.checks.schema:NoParams"),
    KindSpec(
        "numbering",
        check_numbering,
        "checker.checks.structure_schema:NumberingModel",
        args=frozenset({"found", "expected", "level"}),
    ),
    KindSpec(
        "part-duties",
        check_part_duties,
        "checker.checks.structure_schema:PartDutiesModel",
        variants=frozenset({"unquantified"}),
        args=frozenset({"count", "missing_zh", "missing_en", "present_zh", "present_en"}),
    ),
    KindSpec(
        "part-generic",
        check_part_generic,
        "checker.checks.structure_schema:PartGenericModel",
        args=frozenset({"count"}),
    ),
    KindSpec(
        "joined-heading",
        check_joined_heading,
        "checker.checks.structure_schema:JoinedHeadingModel",
        args=frozenset({"heading", "count"}),
    ),
    KindSpec(
        "heading-marker",
        check_heading_marker,
        "checker.checks.structure_schema:HeadingMarkerModel",
        args=frozenset({"match", "marker", "expected"}),
    ),
)
