"""Parse stage: the normalized view → the document model.

Everything here reads the matching view (full-width folded, simplified, pinyin debris
removed) and maps every offset back to the original text before building a Span.
Recognises: page chrome lines, the title, the report year, dates and their roles,
the heading tree (GB/T 9704 §7.3.3 levels and 一是… items), paragraphs and sentences.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple, cast

from checker.model import (
    DateMention,
    DateRole,
    Document,
    Heading,
    Paragraph,
    SourceText,
    Span,
    Title,
    View,
    YearMention,
)
from checker.numerals import parse_digits, parse_ordinal

# --------------------------------------------------------------------------- lines


class _Line(NamedTuple):
    number: int  # 1-based line number in the original
    start: int  # view offsets of the stripped line
    end: int
    text: str  # stripped view text
    chrome: bool  # a line of the web page's frame (is_chrome_line)


def _lines(view: View) -> list[_Line]:
    """The non-blank lines. Line numbers are the original's: normalizing never deletes
    or adds a line break (the annotations it removes hold none)."""
    lines: list[_Line] = []
    pos = 0
    for number, raw in enumerate(view.text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip())) if raw[0].isspace() else pos
            lines.append(_Line(number, start, start + len(stripped), stripped, is_chrome_line(stripped)))
        pos += len(raw) + 1
    return lines


# --------------------------------------------------------------------------- chrome

# Words that only a web page's frame uses. A short line made of them is page chrome,
# never the title, never a paragraph of the report. Two patterns: words found anywhere in
# the line, each starting with a literal (re skips ahead to their first characters), and
# whole-line forms matched at its start; one pattern with both kinds would have no first
# characters to skip to and try every branch at every character.
CHROME_WORDS = re.compile(
    r"浏览量|浏览次数|阅读[::]\s*\d*|阅读数|累计次数|点击[数量率]|字体[::]|【大\s*中\s*小】|"
    r"扫一扫|二维码|验证码|分享[::至到]?|收藏[::]?|点赞[::]?|打印|关闭窗口|当前位置|返回顶部|"
    r"相关信息|相关内容|相关链接|热门推荐|本周热门|本月热门|联系客服|订阅号|上一篇|下一篇|"
    r"来源[::]|发布时间|发布日期|信息来源"
)
CHROME_LINE_START = re.compile(
    r"(成文)?日期[::]|\s*[|\s]+$|附件[::]$|姓\s*名[::]$|内\s*容[::]$|投诉$|下载[::]"
    r"|无障碍[\s|丨]*(?:浏览[\s|丨]*)?(?:简体|繁体|繁體|长者|关怀)"  # a government site's toolbar
)
_CHROME_MAX_LEN = 80


def is_chrome_line(text: str) -> bool:
    return len(text) <= _CHROME_MAX_LEN and (
        CHROME_WORDS.search(text) is not None or CHROME_LINE_START.match(text) is not None
    )


# --------------------------------------------------------------------------- headings

# The four marker forms, by level: the group that matched is the level (1 一、 2 (一) 3 1. 4 (1)).
_HEADING_MARKER = re.compile(
    r"([一二三四五六七八九十]{1,3})、"
    r"|\(([一二三四五六七八九十]{1,3})\)[、.]?"
    r"|(\d{1,2})[.、](?!\d)"
    r"|\((\d{1,2})\)[、.]?"
)
# 一是…二是… items inside a paragraph: at its start or after a clause ends (_ITEM_FOLLOWS).
# Found from the 是 back to its one or two numerals, checked in _inline_items: re skips
# ahead to a literal, while a class of 一二三… would stop at nearly every line.
_INLINE_ITEM = re.compile("是(?<=[一二三四五六七八九十]是)")
_ITEM_NUMERALS = "一二三四五六七八九十"
_ITEM_FOLLOWS = "。;:!?,"
_HEADING_END = re.compile(r"[。!?]")
HEADING_LEVELS = {1: "一、", 2: "(一)", 3: "1.", 4: "(1)", 5: "一是"}


_HEADING_FIRST = frozenset("一二三四五六七八九十(0123456789")  # what a marker starts with


def _match_heading(line: _Line, span: Callable[[int, int], Span]) -> Heading | None:
    text = line.text
    if text[0] not in _HEADING_FIRST:  # most lines: no pattern to try
        return None
    m = _HEADING_MARKER.match(text)
    if not m:
        return None
    level = m.lastindex or 0
    ordinal = int(m.group(level)) if level in (3, 4) else parse_ordinal(m.group(level))
    if ordinal is None or ordinal == 0:
        return None
    marker_end = m.end()
    stop = _HEADING_END.search(text, marker_end)
    words_end = stop.start() if stop else len(text)
    # Positional (keyword arguments cost twice as much): level, ordinal, marker, marker span,
    # words, their view offset, span, line, runs on (the line is stripped: words follow).
    return Heading(
        level,
        ordinal,
        m.group(0),
        span(line.start, line.start + marker_end),
        text[marker_end:words_end],
        line.start + marker_end,
        span(line.start, line.start + words_end),
        line.number,
        stop is not None and stop.end() < len(text),
    )


def _inline_items(line: _Line, span: Callable[[int, int], Span]) -> list[Heading]:
    items: list[Heading] = []
    text = line.text
    if "是" not in text:
        return items
    for m in _INLINE_ITEM.finditer(text):
        numeral_start = m.start() - 1
        if numeral_start and text[numeral_start - 1] in _ITEM_NUMERALS:
            numeral_start -= 1
        before = numeral_start  # skip back over spaces (a walk, not a slice: linear on long lines)
        while before and text[before - 1].isspace():
            before -= 1
        if before and text[before - 1] not in _ITEM_FOLLOWS:
            continue
        ordinal = parse_ordinal(text[numeral_start : m.start()])
        if ordinal is None:
            continue
        marker_end = m.end()
        stop = _HEADING_END.search(text, marker_end)
        words_end = stop.start() if stop else len(text)
        start = line.start + numeral_start
        items.append(  # positional, as in _match_heading
            Heading(
                5,
                ordinal,
                text[numeral_start:marker_end],
                span(start, line.start + marker_end),
                text[marker_end:words_end],
                line.start + marker_end,
                span(start, line.start + words_end),
                line.number,
                True,
            )
        )
    return items


def _build_tree(flat: list[tuple[Heading, int]], doc_end: int) -> list[Heading]:
    """Nest headings by level; each heading's body runs to the next heading of the
    same or a higher level (``flat`` holds (heading, original offset of its line start)).
    One pass: the open headings form a stack of rising levels, and the next heading of
    the same or a higher level closes each one as it pops it."""
    roots: list[Heading] = []
    stack: list[Heading] = []
    for heading, line_start in flat:
        while stack and stack[-1].level >= heading.level:
            closed = stack.pop()
            closed.body_span = Span(closed.span.end, max(closed.span.end, line_start))
        (stack[-1].children if stack else roots).append(heading)
        stack.append(heading)
    for heading in stack:
        heading.body_span = Span(heading.span.end, max(heading.span.end, doc_end))
    return roots


# --------------------------------------------------------------------------- sentences

_OPENERS = "“‘《(【[〔「『"
_CLOSERS = "”’》)】]〕」』"
_TERMINATORS = "。!?;"
_O, _C, _T = (f"[{re.escape(chars)}]" for chars in (_OPENERS, _CLOSERS, _TERMINATORS))
_NOT_O_C, _NOT_O_T = f"[^{re.escape(_OPENERS + _CLOSERS)}]", f"[^{re.escape(_OPENERS + _TERMINATORS)}]"
# One sentence as a pattern: text outside brackets (a stray closer included) and whole
# bracketed groups, nested up to three deep, then a terminator. Possessive, so it stops
# (without backtracking) at an opener it cannot close: the walk takes over from there.
_GROUP = f"{_O}{_NOT_O_C}*+{_C}"
for _ in range(2):
    _GROUP = f"{_O}(?:{_NOT_O_C}++|{_GROUP})*+{_C}"
_SENTENCE = re.compile(f"(?:{_NOT_O_T}++|{_GROUP})*+{_T}?+")
# Only punctuation matters to the walk: scanning its matches keeps the loop off the
# (many) ordinary characters.
_SENTENCE_PUNCT = re.compile("[" + re.escape(_OPENERS + _CLOSERS + _TERMINATORS) + "]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence: split after 。!?; outside quotes and brackets."""
    ends = sentence_ends(text)
    return list(zip([0, *ends], ends))


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of ``text`` (one line) ends; the first starts at 0, each next
    one where the one before ends (:attr:`Paragraph.sentence_ends`).

    Each sentence is one match of _SENTENCE; brackets nested deeper than it reads, or never
    closed, are left to :func:`_walk_sentences`, which counts them one by one."""
    ends: list[int] = []
    pos = 0
    end_of_text = len(text)
    for m in _SENTENCE.finditer(text):
        end = m.end()
        if end == pos:
            break  # the end of the text, or an opener the pattern cannot close
        if text[end - 1] not in _TERMINATORS:
            if end < end_of_text:
                break  # an opener the pattern cannot close
            if not text[pos:end].strip():
                break  # blank after the last sentence
        ends.append(end)
        pos = end
    if pos < end_of_text:
        ends += _walk_sentences(text, pos)
    return ends


def _walk_sentences(text: str, start: int) -> Iterator[int]:
    """sentence_ends from ``start`` (outside brackets), one punctuation mark at a time."""
    depth = 0
    for m in _SENTENCE_PUNCT.finditer(text, start):
        ch = m.group()
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0:
            start = m.end()
            yield start
    if text[start:].strip():
        yield len(text)


# --------------------------------------------------------------------------- years and dates

# The century first, the look-behind (no digit before it) after it: re skips ahead to a 1
# or a 2 instead of trying every character.
YEAR = re.compile(r"((?:19|20)(?<!\d..)\d{2})(?=年)")
# One pattern per century, each starting with it as a literal (the look-behind, no digit
# before it, comes after): re skips ahead to a literal ~10 × faster than to a class of
# first characters such as (?:19|20)'s [12].
_ISO_DATES = tuple(
    re.compile(rf"({century}(?<!\d..)\d{{2}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?!\d)") for century in ("19", "20")
)
_CN_DATES = tuple(re.compile(rf"({century}(?<!\d..)\d{{2}})年(\d{{1,2}})月(\d{{1,2}})日") for century in ("19", "20"))
# Starts at 年 and looks back for the year: 一二三 are everywhere in a report, 年 far less.
_HANZI_DATE = re.compile(
    r"年(?<=([〇零一二三四五六七八九]{4})年)([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
_BANNER = re.compile(r"今天是|星期[一二三四五六日天]|礼拜[一二三四五六日天]")
_PUBLICATION = re.compile(r"发布时间|发布日期|日期[::]|时间[::]|来源[::]|浏览|阅读[::]|累计次数|点击")
_DATE_ONLY = re.compile(
    r"\s*(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
    r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)\s*"
)


def _hanzi_number(text: str) -> int | None:
    """A year digit by digit (二〇二一), a month or day as counted (十二, 三十一)."""
    digits = parse_digits(text)
    return digits if digits is not None else parse_ordinal(text)


def _dates(lines: list[_Line], view: View) -> list[DateMention]:
    """Every date, by line, then by form (2021年3月1日, 2021-03-01, 二〇二一年三月一日).
    One scan of the whole text per pattern (no form crosses a line break); only the few
    lines with a date get a role."""
    line_starts = [line.start for line in lines]
    found: list[tuple[int, int, int, dt.date, int]] = []  # line index, form, start, date, end
    for form, patterns in enumerate((_CN_DATES, _ISO_DATES, (_HANZI_DATE,))):
        for m in (m for pattern in patterns for m in pattern.finditer(view.text)):
            parts = [int(g) if g.isdigit() else _hanzi_number(g) for g in m.groups()]
            if None in parts:
                continue
            try:
                date = dt.date(*cast(list[int], parts))  # no None: skipped above
            except ValueError:
                continue  # 2月30日 is not a date; T407 reports malformed tokens
            start = m.start(1)  # the year's: _HANZI_DATE's match starts after it
            found.append((bisect.bisect_right(line_starts, start) - 1, form, start, date, m.end()))
    found.sort()
    roles: dict[int, DateRole] = {}
    dates: list[DateMention] = []
    for index, _, start, date, end in found:
        if index not in roles:
            roles[index] = _date_role(lines[index])
        dates.append(DateMention(date, view.span(start, end), roles[index]))
    return dates


def _is_page_clock(text: str) -> bool:
    """A web page's clock line (“今天是2024年3月28日 星期四”, “××区人民政府 2019年12月3日星期二”):
    short, a weekday, a year, and no clause of a sentence (“2023年3月5日(星期日),召开……”)."""
    return (
        len(text) <= _TITLE_MAX_LEN
        and _BANNER.search(text) is not None
        and YEAR.search(text) is not None
        and _CLAUSE_END.search(text) is None
    )


def _date_role(line: _Line) -> DateRole:
    if _BANNER.search(line.text):
        return "banner"
    if line.chrome and _PUBLICATION.search(line.text):
        return "publication"
    if _DATE_ONLY.fullmatch(line.text):
        # A line that is nothing but a date: the 落款 (signature) under the issuer's name,
        # or, at the very top of a page, the publication date.
        return "signature"
    return "other"


# --------------------------------------------------------------------------- title and year

_TITLE_SUBJECT = re.compile(r"法治|法制|依法|政法|总结|报告|工作情况|年度")
_TITLE_MAX_LEN = 60
_SENTENCE_PUNCTUATION = re.compile(r"[。,;:!?]|……")  # a title is a name, not a sentence
_CLAUSE_END = re.compile(r"[。,,;;]")
_TITLE_SEARCH_LINES = 6


def _find_title(lines: list[_Line], view: View) -> tuple[Title | None, set[int]]:
    """The title is the first non-chrome line near the top that reads like one.
    Returns the title and the line numbers that repeat it (a pasted duplicate)."""
    for line in lines[:_TITLE_SEARCH_LINES]:
        if line.chrome or _DATE_ONLY.fullmatch(line.text) or _BANNER.search(line.text):
            continue
        looks_like_title = (
            len(line.text) <= _TITLE_MAX_LEN
            and not _SENTENCE_PUNCTUATION.search(line.text)
            and _match_heading(line, view.span_maker()) is None
            and _TITLE_SUBJECT.search(line.text) is not None
        )
        if not looks_like_title:
            return None, set()
        years = [
            YearMention(int(m.group(1)), view.span(line.start + m.start(1), line.start + m.end(1)))
            for m in YEAR.finditer(line.text)
        ]
        title = Title(view.span(line.start, line.end), line.text, line.number, years, line.start)
        repeats = {
            other.number for other in lines[:_TITLE_SEARCH_LINES] if other.text == line.text and other is not line
        }
        return title, repeats
    return None, set()


def _report_year(
    title: Title | None, paragraphs: list[Paragraph], heading_lines: set[int], view: View
) -> tuple[int | None, Span | None]:
    """Year N: the title's first year, else the first year of the opening sentence
    (the first paragraph that is not a heading)."""
    if title and title.years:
        return title.years[0].year, title.years[0].span
    for paragraph in paragraphs:
        if paragraph.line in heading_lines or not paragraph.sentences:
            continue
        first = paragraph.sentences[0]
        m = YEAR.search(first.text)
        if m:
            return int(m.group(1)), view.span(first.view_start + m.start(1), first.view_start + m.end(1))
        break
    return None, None


# --------------------------------------------------------------------------- entry point


def parse(path: str, source: SourceText, view: View) -> Document:
    lines = _lines(view)
    title, title_repeats = _find_title(lines, view)
    flat_headings: list[tuple[Heading, int]] = []
    paragraphs: list[Paragraph] = []
    span = view.span_maker()

    for line in lines:
        if line.chrome or (title and line.number == title.line) or line.number in title_repeats:
            continue
        if _is_page_clock(line.text):
            continue  # not body text: its date is not the report year, its numbers no claims
        heading = _match_heading(line, span)
        items = _inline_items(line, span)
        if heading is not None or items:
            line_start = view.to_original(line.start)
            if heading is not None:
                flat_headings.append((heading, line_start))
            flat_headings.extend((item, line_start) for item in items)
        start = line.start
        paragraphs.append(Paragraph(span(start, line.end), line.text, line.number, start, view, sentence_ends))

    heading_lines = {h.line for h, _ in flat_headings if h.level < 5}
    report_year, year_span = _report_year(title, paragraphs, heading_lines, view)
    return Document(
        path=path,
        source=source,
        view=view,
        title=title,
        report_year=report_year,
        report_year_span=year_span,
        dates=_dates(lines, view),
        headings=_build_tree(flat_headings, len(source.text)),
        paragraphs=paragraphs,
    )
