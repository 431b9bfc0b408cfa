"""Parse stage: the normalized view → the document model.

Everything here reads the matching view (full-width folded, simplified, pinyin debris
removed) and maps every offset back to the original text before building a Span.
Recognises: page chrome lines, the title, the report year, dates and their roles,
the heading tree (GB/T 9704 §7.3.3 levels and 一是… items), paragraphs and sentences;
tables are read by :mod:`checker.tables`.
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
    TableLayout,
    Title,
    TitleLine,
    TitleLineKind,
    View,
    YearMention,
)
from checker.numerals import parse_digits, parse_ordinal
from checker.tables import read_tables, table_lines

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
    r"来源[::]|发布时间|发布日期|信息来源|所在的?位置|首页\s*[>»›]|字号[::]|"
    r"索引号|主题分类|体裁分类|发布机构|成文日期\s|公开方式[::]"  # a web page's metadata rows
)
CHROME_LINE_START = re.compile(
    r"(成文)?日期[::]|\s*[|\s]+$|附件[::]$|姓\s*名[::]$|内\s*容[::]$|投诉$|下载[::]"
    r"|无障碍[\s|丨]*(?:浏览[\s|丨]*)?(?:简体|繁体|繁體|长者|关怀)"  # a government site's toolbar
    r"|(?:[^\s,。]{0,12}(?:政府网|门户网站)\s*)+$"  # site names: 中国政府网 ××人民政府网
)
_CHROME_MAX_LEN = 80


def is_chrome_line(text: str) -> bool:
    return len(text) <= _CHROME_MAX_LEN and (
        CHROME_WORDS.search(text) is not None or CHROME_LINE_START.match(text) is not None
    )


# --------------------------------------------------------------------------- headings

# The four marker forms, by level: the group that matched is the level (1 一、 2 (一) 3 1. 4 (1)).
# Converters leave stray marks in level-1 markers ("一,、", "二."): still headings (T408
# reports the mark).
_HEADING_MARKER = re.compile(
    r"([一二三四五六七八九十]{1,3})(?:,?、|\.)"
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
# An item's words run to the sentence end, but at most so far: a paragraph of thousands of
# items and no 。 would otherwise give each item the rest of the paragraph (quadratic work for
# the parse and for every check that reads the items' words). A real sentence is far shorter.
_MAX_ITEM_WORDS = 1000
_HEADING_END = re.compile(r"[。!?]")
_JOINED_HEADING_END = re.compile(r"[。!?]|\s")
HEADING_LEVELS = {1: "一、", 2: "(一)", 3: "1.", 4: "(1)", 5: "一是"}


_HEADING_FIRST = frozenset("一二三四五六七八九十(0123456789")  # what a marker starts with


def _match_heading(line: _Line, span: Callable[[int, int], Span], joined: bool = False) -> Heading | None:
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
    # A joined heading's words also end at a space: the line break lost there.
    stop = (_JOINED_HEADING_END if joined else _HEADING_END).search(text, marker_end)
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
        joined,
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
        stop = _HEADING_END.search(text, marker_end, marker_end + _MAX_ITEM_WORDS)
        words_end = stop.start() if stop else min(len(text), marker_end + _MAX_ITEM_WORDS)
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


# A heading whose line break was lost: a level-1 or level-2 marker after a sentence end,
# after "如下:", or after spaces that follow a heading's words ("…成效 (一)强化组织领导").
# Only where the marker continues its list (_Numbering) and heading-like words follow it
# (_joined_words): an enumeration inside a sentence ("问题有:(一)…;(二)…") is no heading.
_JOINED_MARKER = re.compile(
    r"(?:[。!?]|如下:|\s)\s*([一二三四五六七八九十]{1,3}(?:,?、|\.)|\([一二三四五六七八九十]{1,3}\))"
)
_BARE_SUBHEADING = re.compile(r"\([一二三四五六七八九十]{1,3}\)")
# Where either may be, in the whole text: as _JOINED_MARKER without line starts, or a (一)
# right after a word. One scan, so that most lines are never scanned on their own. Only the
# line of each match's end is read, and a marker never starts with a space: so at most 8
# spaces are taken, possessively (a longer run is matched from a later space, to the same
# end). With ``*`` every space of a long run (a Markdown comment blanked in place) started
# a match that ran to the run's end and backed off space by space: quadratic in the run.
_JOINED_ANYWHERE = (
    re.compile(
        r"[。!?: \t\u3000][ \t\u3000]{0,8}+"
        r"(?:[一二三四五六七八九十]{1,3}(?:,?、|\.)|\([一二三四五六七八九十]{1,3}\))"
    ),
    re.compile(r"\((?<=[^\s。!?:]\()[一二三四五六七八九十]{1,3}\)"),  # starts with its literal
)
_AFTER_SENTENCE = frozenset("。!?: \t\u3000")  # _JOINED_MARKER's cases
_JOINED_WORDS_END = re.compile(r"[。!?]|\s+(?=[一二三四五六七八九十(])|$")
_JOINED_WORDS_MAX = {1: 40, 2: 30}
_LIST_FOLLOWS = re.compile(r"[一二三四五六七八九十]+[、,]")  # "一、二级": a list of numerals, no marker
_JOINED_MIN_LINE = 20  # a shorter line holds no sentence and a heading


class _Numbering:
    """The last ordinal of each heading level since the last heading above it: a marker
    found inside a line counts as a heading only when it continues its list."""

    __slots__ = ("last",)

    def __init__(self) -> None:
        self.last: dict[int, int] = {}

    def add(self, level: int, ordinal: int) -> None:
        if level < 5:
            self.last = {lv: n for lv, n in self.last.items() if lv < level}
            self.last[level] = ordinal

    def copy(self) -> _Numbering:
        numbering = _Numbering()
        numbering.last = dict(self.last)
        return numbering

    def continues(self, level: int, ordinal: int) -> bool:
        last = self.last.get(level)
        return ordinal == last + 1 if last is not None else ordinal == 1


def _joined_words(text: str, level: int) -> bool:
    """Whether the words after a marker read like a heading: short, not a clause of a list."""
    end = _JOINED_WORDS_END.search(text)
    words = text[: end.start()] if end else text
    return 2 <= len(words) <= _JOINED_WORDS_MAX[level] and ";" not in words and not _LIST_FOLLOWS.match(words)


def _segments(line: _Line, numbering: _Numbering) -> list[tuple[_Line, bool]]:
    """The line cut before each heading that a lost line break joined to it, each piece
    with whether it starts with such a heading. Most lines are one piece. ``numbering``
    holds the headings before the line and its own opening one; it is not changed."""
    text = line.text
    if len(text) < _JOINED_MIN_LINE:
        return [(line, False)]
    numbering = numbering.copy()
    # (marker start, marker end, whether it follows a heading's words rather than a sentence)
    found = [(m.start(1), m.end(1), text[m.start()].isspace()) for m in _JOINED_MARKER.finditer(text)]
    if "(" in text:  # "…凝聚法治共识(一)强化理论武装": a (一) right after a heading's words
        found += [
            (m.start(), m.end(), True)
            for m in _BARE_SUBHEADING.finditer(text)
            if m.start() and text[m.start() - 1] not in _AFTER_SENTENCE
        ]
        found.sort()
    cuts: list[int] = []
    for start, end, after_words in found:
        marker = text[start:end]
        level = 2 if marker[0] == "(" else 1
        ordinal = parse_ordinal(marker.strip("()、,."))
        if ordinal is None or (cuts and start <= cuts[-1]) or not _joined_words(text[end:], level):
            continue
        if after_words:  # only where a heading's words end
            piece_start = cuts[-1] if cuts else 0
            if not _HEADING_MARKER.match(text, piece_start) or _HEADING_END.search(text, piece_start, start):
                continue
        if not numbering.continues(level, ordinal):
            continue
        numbering.add(level, ordinal)  # so that a joined 二、 can follow a joined 一、
        cuts.append(start)
    if not cuts:
        return [(line, False)]
    pieces: list[tuple[_Line, bool]] = []
    for index, (start, end) in enumerate(zip([0, *cuts], [*cuts, len(text)])):
        piece = text[start:end].rstrip()
        if piece:
            begin = line.start + start
            pieces.append((_Line(line.number, begin, begin + len(piece), piece, False), index > 0))
    return pieces


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
# Both forms in digits in one pattern, one scan of the text: 2021年3月1日 (groups 2, 3) or
# 2021-03-01 (groups 4, 5). No match of one form can start inside one of the other (the
# year follows no digit, and the other form's digits are followed by one or by 年), so one
# scan finds what a scan per form found.
_DIGIT_DATES = tuple(
    re.compile(
        rf"({century}(?<!\d..)\d{{2}})"
        r"(?:年(\d{1,2})月(\d{1,2})日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))"
    )
    for century in ("19", "20")
)
# Starts at 年 and looks back for the year: 一二三 are everywhere in a report, 年 far less.
_HANZI_DATE = re.compile(
    r"年(?<=([〇零一二三四五六七八九]{4})年)([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
_BANNER = re.compile(r"今天是|星期[一二三四五六日天]|礼拜[一二三四五六日天]")
_PUBLICATION = re.compile(r"发布时间|发布日期|日期[::]|时间[::]|来源[::]|浏览|阅读[::]|累计次数|点击")
_DATE_FORMS = (
    r"(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
    r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)"
)
_DATE_ONLY = re.compile(rf"\s*{_DATE_FORMS}\s*")
# An office and a date, nothing else ("政策法规科 2023-12-29"): a signature (落款) on one line.
_OFFICE_AND_DATE = re.compile(rf"[^\s\d,。;:!?、()]{{2,20}}\s+{_DATE_FORMS}\s*")


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
    for pattern in (*_DIGIT_DATES, _HANZI_DATE):
        for m in pattern.finditer(view.text):
            if pattern is _HANZI_DATE:
                form, parts = 2, [_hanzi_number(g) for g in m.groups()]
                if None in parts:
                    continue
            else:
                year, month, day, iso_month, iso_day = m.groups()
                form = 0 if month is not None else 1  # 2021年3月1日 before 2021-03-01 on a line
                parts = [int(year), int(month or iso_month), int(day or iso_day)]
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
    if _DATE_ONLY.fullmatch(line.text) or _OFFICE_AND_DATE.fullmatch(line.text):
        # A line that is nothing but a date, or an office and a date: the 落款 (signature)
        # under or beside the issuer's name, or, at the very top of a page, the publication date.
        return "signature"
    return "other"


# --------------------------------------------------------------------------- title and year

_TITLE_SUBJECT = re.compile(r"法治|法制|依法|政法|总结|报告|工作情况|年度")
_TITLE_MAX_LEN = 60
_SENTENCE_PUNCTUATION = re.compile(r"[。,;:!?]|……")  # a title is a name, not a sentence
_CLAUSE_END = re.compile(r"[。,,;;]")
_TITLE_SEARCH_LINES = 12  # lines of the title block that are not page chrome
# The 公文 header above a title: the 发文字号 ("×府〔2025〕3号", "×政发[2024]5号") and the
# issuing body on a line of its own ("××县人民政府", "××县司法局文件", "××县人民政府关于").
_DOCUMENT_NUMBER = re.compile(r"[〔\[【(]\s*(?:19|20)\d{2}\s*[〕\]】)]\s*第?\d{1,4}\s*号")
_ISSUER = re.compile(
    r"(?:人民政府|政府|委员会|党委|县委|市委|区委|办公室|办公厅|司法局|局|厅|委|办|院|街道办事处|街道|镇|乡|区|县|市|州|盟|旗)"
    r"(?:文件|关于)?$"
)
_ISSUER_MAX_LEN = 30
# A title that ends on its second line: "××县2022年度" / "法治政府建设情况报告".
_TITLE_ENDING = re.compile(r"(?:报告|总结|情况|要点|计划|安排|方案|通知)$")
_TITLE_TOPIC = re.compile(r"法治|法制|依法|政法")
# A metadata row of a web page that names the title ("标题:××县2023年法治政府建设年度报告").
_METADATA_TITLE = re.compile(
    r"(?:标\s*题|名\s*称|文件名称|信息名称)\s*[::]\s*(\S.*?)"
    r"(?=\s{2,}|\s*(?:索引号|发文字号|文号|发布机构|发文机关|主题分类|成文日期|发布日期|生效日期|主题词)[::]|\s*$)"
)


def _title_like(line: _Line, view: View) -> bool:
    return (
        len(line.text) <= _TITLE_MAX_LEN
        and not _SENTENCE_PUNCTUATION.search(line.text)
        and _match_heading(line, view.span_maker()) is None
        and _TITLE_SUBJECT.search(line.text) is not None
    )


def _title_part(line: _Line, view: View) -> bool:
    """The second line of a title: short, no sentence, no heading (its subject may be on the first)."""
    return (
        len(line.text) <= _TITLE_MAX_LEN
        and not _SENTENCE_PUNCTUATION.search(line.text)
        and _match_heading(line, view.span_maker()) is None
    )


_STRONGER_TITLE_LINES = 4


def _stronger_title(lines: list[_Line], start: int, view: View) -> int | None:
    """The index of a title naming a year and the topic in the next few lines that are not
    chrome, if there is one."""
    seen = 0
    for index in range(start, len(lines)):
        line = lines[index]
        if line.chrome or _DATE_ONLY.fullmatch(line.text):
            continue
        seen += 1
        if seen > _STRONGER_TITLE_LINES:
            break
        if _title_like(line, view) and YEAR.search(line.text) and _TITLE_TOPIC.search(line.text):
            return index
    return None


def _title_line_kind(line: _Line) -> TitleLineKind | None:
    """What a line of the header above the title is, or None for any other line."""
    text = line.text
    if len(text) > _ISSUER_MAX_LEN or _SENTENCE_PUNCTUATION.search(text):
        return None
    if _DOCUMENT_NUMBER.search(text):
        return "document-number"
    if _ISSUER.search(text) and not YEAR.search(text) and not _HEADING_MARKER.match(text):
        return "issuer"
    return None


def _metadata_title(line: _Line, view: View) -> Title | None:
    m = _METADATA_TITLE.search(line.text)
    if m is None:
        return None
    text = m.group(1)
    start = line.start + m.start(1)
    candidate = _Line(line.number, start, start + len(text), text, False)
    if not _title_like(candidate, view):
        return None
    return _title(view, [candidate], [])


def _title(view: View, title_lines: list[_Line], header: list[tuple[_Line, TitleLineKind]]) -> Title:
    first, last = title_lines[0], title_lines[-1]
    text = view.text[first.start : last.end]
    years = [
        YearMention(int(m.group(1)), view.span(first.start + m.start(1), first.start + m.end(1)))
        for m in YEAR.finditer(text)
    ]
    title_kind: TitleLineKind = "title"
    block = tuple(
        TitleLine(kind, line.text, line.number, view.span(line.start, line.end), line.start)
        for line, kind in [*header, *((line, title_kind) for line in title_lines)]
    )
    return Title(view.span(first.start, last.end), text, first.number, years, first.start, block)


def _find_title(lines: list[_Line], view: View) -> tuple[Title | None, set[int]]:
    """The title: the first line near the top that reads like one, below page chrome, dates,
    a web page's metadata rows and a 公文 header (发文字号, the issuing body); a title whose
    first line lacks the year or the ending joins its second line. Falls back to a metadata
    row's title ("标题:…"). Returns the title and the line numbers of its block and of lines
    that repeat it (a pasted duplicate), none of which is body text."""
    header: list[tuple[_Line, TitleLineKind]] = []
    from_metadata: Title | None = None
    searched = 0
    for index, line in enumerate(lines):
        if from_metadata is None:
            from_metadata = _metadata_title(line, view)
            if from_metadata is not None:
                continue  # the title as the page shows it may follow
        if line.chrome or _DATE_ONLY.fullmatch(line.text) or _BANNER.search(line.text):
            continue
        searched += 1
        if searched > _TITLE_SEARCH_LINES:
            break
        if not _title_like(line, view):
            kind = _title_line_kind(line)
            if kind is None:
                break
            header.append((line, kind))
            continue
        if YEAR.search(line.text) is None and _TITLE_TOPIC.search(line.text) is None:
            # A column name ("工作报告") above the title: take a title with a year below it.
            later = _stronger_title(lines, index + 1, view)
            if later is not None:
                index, line = later, lines[later]
        title_lines = [line]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            following is not None
            and not following.chrome
            and _title_part(following, view)
            and (YEAR.search(line.text) is None or not _TITLE_ENDING.search(line.text))
            and _TITLE_ENDING.search(following.text)
            and not (YEAR.search(following.text) and _TITLE_TOPIC.search(following.text))  # a title of its own
        ):
            title_lines.append(following)
        title = _title(view, title_lines, header)
        block = {other.line for other in title.lines}
        if from_metadata is not None:
            block.add(from_metadata.line)  # the page's metadata row: not body text either
        repeats = {other.number for other in lines[: index + _TITLE_SEARCH_LINES] if other.text == line.text}
        return title, block | repeats
    if from_metadata is not None:
        repeats = {line.number for line in lines[:_TITLE_SEARCH_LINES] if line.text == from_metadata.text}
        return from_metadata, repeats
    return None, set()


def _report_year(
    title: Title | None, paragraphs: list[Paragraph], heading_starts: set[int], view: View
) -> tuple[int | None, Span | None]:
    """Year N: the title's first year, else the first year of the opening sentence
    (the first paragraph that is not a heading)."""
    if title and title.years:
        return title.years[0].year, title.years[0].span
    for paragraph in paragraphs:
        if paragraph.span.start in heading_starts or not paragraph.sentences:
            continue
        first = paragraph.sentences[0]
        m = YEAR.search(first.text)
        if m:
            return int(m.group(1)), view.span(first.view_start + m.start(1), first.view_start + m.end(1))
        break
    return None, None


# --------------------------------------------------------------------------- entry point


def parse(path: str, source: SourceText, view: View, layouts: tuple[TableLayout, ...] = ()) -> Document:
    """The document model of ``source`` read through ``view``; ``layouts``: the tables a
    .docx or HTML loader laid out cell by cell."""
    lines = _lines(view)
    title, title_lines = _find_title(lines, view)
    flat_headings: list[tuple[Heading, int]] = []
    paragraphs: list[Paragraph] = []
    span = view.span_maker()
    tables = read_tables(view, source, layouts)
    in_tables = frozenset(table_lines(view, source, tables, layouts))

    numbering = _Numbering()
    # Lines that may hold a joined heading, from one scan of the whole text (a scan per line
    # costs more than the rest of the parse of most lines).
    line_starts = [line.start for line in lines]
    joined_lines = {
        bisect.bisect_right(line_starts, m.end() - 1) - 1
        for pattern in _JOINED_ANYWHERE
        for m in pattern.finditer(view.text)
    }
    for index, line in enumerate(lines):
        if line.chrome or line.number in title_lines:
            continue
        if _is_page_clock(line.text):
            continue  # not body text: its date is not the report year, its numbers no claims
        in_table = line.number in in_tables  # a row's "一、本年新收" or "(三)不予公开" is a label, not a heading
        opening = None if in_table else _match_heading(line, span)
        if opening is not None:
            numbering.add(opening.level, opening.ordinal)
        pieces = _segments(line, numbering) if index in joined_lines and not in_table else [(line, False)]
        for piece, joined in pieces:
            heading = opening if len(pieces) == 1 else _match_heading(piece, span, joined)
            if heading is not None and joined:
                numbering.add(heading.level, heading.ordinal)
            items = [] if in_table else _inline_items(piece, span)
            if heading is not None or items:
                piece_start = view.to_original(piece.start)
                if heading is not None:
                    flat_headings.append((heading, piece_start))
                flat_headings.extend((item, piece_start) for item in items)
            start = piece.start
            paragraphs.append(Paragraph(span(start, piece.end), piece.text, line.number, start, view, sentence_ends))

    heading_starts = {h.span.start for h, _ in flat_headings if h.level < 5}
    report_year, year_span = _report_year(title, paragraphs, heading_starts, view)
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
        tables=tables,
        table_lines=in_tables,
    )
