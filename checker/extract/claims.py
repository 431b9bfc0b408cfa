"""Extract stage, second half: quantities bound to their role in the clause.

Reads the parsed document (paragraphs and sentences of the view) and the vocabulary;
produces typed facts that the numeric rules check. Rules never re-read the text.

- **Count**: a quantity with a counting unit, bound to the counting word that governs
  it in its clause (``受理矛盾纠纷891件`` → role 受理, object 矛盾纠纷). A role is taken
  only from the same clause (no ``,;:`` between it and the number); a number written
  right after another (``326件445余人次``) shares its role.
- **Rate**: a percentage right after a rate name (``化解率达100%``, ``破案率69.6%``).
- **Change**: a percentage right after a change word (``同比下降24.21%``); it is about a
  rate when a rate name or a stated rate comes just before it (for N207).
- **Breakdown**: ``其中`` (or a list ``A、B分别为…``) after a total: the counts that
  follow, with the total's unit class and no counting word of their own (a 调处 count
  after 其中 is a part of a category, not a category).
- **Growth**: ``由A增至B`` with the stated percentage or difference that follows.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from itertools import pairwise
from typing import NamedTuple, cast

from checker.extract.quantity import find_quantities
from checker.extract.vocabulary import Vocabulary
from checker.model import (
    BreakdownFact,
    ChangeFact,
    CountFact,
    Document,
    Fact,
    Facts,
    GrowthFact,
    Quantity,
    RateFact,
    Span,
    Where,
)

_CLAUSE_BREAK = re.compile(r"[,;:。!?]")
# A letter of any script: Han in practice. Not [\u4e00-\u9fff]: re compiles a class of
# 21 000 characters one by one (~1 ms per pattern that holds it, on every run).
_LETTER = r"[^\W\d_]"


class _Ending(NamedTuple):
    """A pattern that ends a text: ``body`` (no whitespace in it, at most ``reach``
    characters) then only whitespace. re cannot search backwards, and these bodies start
    with a class, a repeat or an optional group: tried at every character of a gap they
    cost ~0.2 µs each. Searching from ``reach`` characters before the trailing whitespace
    finds the same match (tests/test_claims.py checks each reach against its body)."""

    pattern: re.Pattern[str]
    reach: int

    @classmethod
    def of(cls, body: str, reach: int) -> _Ending:
        return cls(re.compile(body + r"\s*$"), reach)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text, max(0, len(text.rstrip()) - self.reach))


_RATE_WORD = rf"({_LETTER}{{0,10}}(?:率|满意度|知晓度|占比|比重))"  # at most 13 characters
_RATE_NAME = _Ending.of(_RATE_WORD + r"(?:均|分别)?(?:达到|达|为|是|保持在|保持|约为|约|近|超过)?", 18)
_RATE_BEFORE = _Ending.of(_RATE_WORD, 13)
_HAS_WORDS = re.compile(_LETTER)
_CHANGE = _Ending.of(
    r"(?:同比|环比|比上年|比去年|比去年同期|较上年|较去年|较去年同期|与去年同期相比)?[,]?"
    r"(上升|增长|增加|提高|提升|上涨|下降|减少|降低|下滑|回落)了?",
    11,
)
_DOWN = frozenset({"下降", "减少", "降低", "下滑", "回落"})
_QIZHONG = re.compile(r"其中")
_RESPECTIVELY = re.compile(r",?[^,;:。、]{1,12}(?:、[^,;:。、]{1,12})+分别(?:为|是)")
_NAME_JOINER = re.compile(r"[和与及、]")
_NAME_LIST = re.compile(rf"(?:{_LETTER}|、)+\Z")  # searched up to a given end: \Z is that end
_JOINER = re.compile(r"\s*[和与及、,]\s*")
_NAME_CUT = re.compile(r"[的对]")
_DELTA_WORD = re.compile(r"(?:增加|减少|上升|下降|增长)了?\s*$")
_GROWTH_FROM = re.compile(r"(?:由|从)\s*$")
_GROWTH_TO = re.compile(r"^\s*(?:增加|增长|上升|提高|提升|下降|减少|降低|回落|增|减|降|升)(?:到|至|为)\s*$")
_OBJECT_TRIM = "了的出共计累计各类总有达为是,、 "
_MAX_OBJECT_LENGTH = 12  # a counting word further from its number than this governs something else
_MAX_GAP = 80  # the words that classify a number stand right before it; never scan further back
_LOOKAHEAD = 8  # facts after a growth pair that may state its change
_MAX_PARTS = 40  # items of one breakdown; a longer "list" is not a breakdown a reader checks


_OPEN, _CLOSE = re.compile(r"\("), re.compile(r"\)")


class _Parens:
    """Which offsets of a text lie inside (…), by bisecting the bracket positions."""

    def __init__(self, text: str) -> None:
        self.opens = [m.start() for m in _OPEN.finditer(text)] if "(" in text else []
        self.closes = [m.start() for m in _CLOSE.finditer(text)] if ")" in text else []

    def inside(self, offset: int) -> bool:
        return bisect.bisect_left(self.opens, offset) > bisect.bisect_left(self.closes, offset)

    def close_after(self, offset: int) -> int | None:
        i = bisect.bisect_left(self.closes, offset)
        return self.closes[i] if i < len(self.closes) else None


class _Paragraph:
    """The facts of one paragraph, built in text order."""

    def __init__(self, doc: Document, vocab: Vocabulary, index: int) -> None:
        self.doc = doc
        self.vocab = vocab
        self.index = index
        paragraph = doc.paragraphs[index]
        self.text = paragraph.text
        self.base = paragraph.view_start
        self.sentence_ends = paragraph.sentence_ends
        self.last_sentence = max(0, len(self.sentence_ends) - 1)
        self.parens = _Parens(self.text)
        self._view_span = doc.view.span_maker()
        self.sentence = self.base  # of the quantity being added
        self.source_text = doc.source.text
        self.items: list[Fact] = []
        self._pending_names: list[tuple[int, int]] = []  # of "A率和B率分别为…" not yet given a value

    def span(self, start: int, end: int) -> Span:
        return self._view_span(self.base + start, self.base + end)

    def sentence_end_after(self, offset: int) -> int:
        """The first 。 at or after ``offset``, else the end of the paragraph."""
        stop = self.text.find("。", offset)
        return stop if stop != -1 else len(self.text)

    def where(self, q: Quantity) -> Where:
        view_span, base, start = self._view_span, self.base, q.start
        span = view_span(base + start, base + q.end)
        return (
            q,
            span,
            view_span(base + q.number_start, base + q.number_end),
            self.source_text[span.start : span.end],
            self.index,
            self.sentence,
            self.parens.inside(start),
        )

    def add(self, q: Quantity, previous: Quantity | None) -> None:
        """Classify ``q`` by the words between it and the previous number of its sentence."""
        start = q.start
        ends = self.sentence_ends
        i = bisect.bisect_right(ends, start)
        sentence = min(i, self.last_sentence)  # a number after the last 。 belongs to the last sentence
        self.sentence = self.base + (ends[sentence - 1] if sentence else 0)  # where() reads it
        gap_start = max(ends[i - 1] if i else 0, start - _MAX_GAP)  # its sentence's start
        if previous is not None and previous.end > gap_start:
            gap_start = previous.end
        gap = self.text[gap_start:start]
        if q.is_percent:
            self._add_percent(q, gap, gap_start)
        elif q.unit in self.vocab.unit_class:
            self._add_count(q, gap, gap_start)

    def _add_percent(self, q: Quantity, gap: str, gap_start: int) -> None:
        change = _CHANGE.search(gap)
        if change:
            about = self._rate_before(gap[: change.start()])
            if about is None and not gap[: change.start()].strip(" ,") and self.items:
                last = self.items[-1]
                if isinstance(last, RateFact) and last.sentence == self.sentence:
                    about = last.name
            word = change.group(1)
            self.items.append(
                ChangeFact(
                    self.where(q),
                    direction=-1 if word in _DOWN else 1,
                    word_span=self.span(gap_start + change.start(1), gap_start + change.end(1)),
                    about_rate=about,
                )
            )
            return
        name = _RATE_NAME.search(gap)
        if name:
            # "A率和B率分别为x和y": x is A率's, y (a percent after a joiner) B率's.
            end = gap_start + name.end(1)
            names = _split_names(self.text, end) if "分别" in name.group() else []
            start, end = names.pop(0) if names else (gap_start + name.start(1), end)
            start = _name_start(self.text, start, end)
            self._pending_names = names
        elif self._pending_names and _JOINER.fullmatch(gap):
            start, end = self._pending_names.pop(0)
        else:
            return
        self.items.append(RateFact(self.where(q), name=self.text[start:end], name_span=self.span(start, end)))

    @staticmethod
    def _rate_before(text: str) -> str | None:
        m = _RATE_BEFORE.search(text)
        return m.group(1) if m else None

    def _add_count(self, q: Quantity, gap: str, gap_start: int) -> None:
        unit_class = self.vocab.unit_class[cast(str, q.unit)]  # a counted unit: the caller checked it
        role: str | None = None
        role_span: Span | None = None
        obj = ""
        last_role = None
        if self.vocab.roles is not None:
            for m in self.vocab.roles.finditer(gap):
                last_role = m
        if (
            last_role is not None
            and not _CLAUSE_BREAK.search(gap, last_role.end())
            and len(gap) - last_role.end() <= _MAX_OBJECT_LENGTH
        ):
            role = last_role.group()
            role_span = self.span(gap_start + last_role.start(), gap_start + last_role.end())
            obj = gap[last_role.end() :].strip(_OBJECT_TRIM)
        elif not _HAS_WORDS.search(gap) and self.items and isinstance(self.items[-1], CountFact):
            # "326件445余人次": the second number shares the first one's role.
            previous = self.items[-1]
            role, role_span, obj = previous.role, previous.role_span, previous.object
        self.items.append(CountFact(self.where(q), role, role_span, obj, unit_class))


def _split_names(text: str, end: int) -> list[tuple[int, int]]:
    """The (start, end) of each rate name of a list ``A率和B率`` or ``A率、B率`` that ends at
    ``end``; none if a part is not itself a rate (``行政复议和诉讼满意度`` is one name)."""
    run = _NAME_LIST.search(text, max(0, end - _MAX_GAP), end)
    if run is None:
        return []
    spans: list[tuple[int, int]] = []
    start = run.start()
    for m in [*_NAME_JOINER.finditer(text, run.start(), end), None]:
        stop = m.start() if m else end
        if not _RATE_BEFORE.search(text[start:stop]):
            return []
        spans.append((start, stop))
        start = m.end() if m else stop
    return spans if len(spans) > 1 else []


def _name_start(text: str, start: int, end: int) -> int:
    """Where a rate name starts: never inside a word. A name whose words run on before
    the pattern's reach (…专项斗争的知晓率) starts after its last 的 or 对 (知晓率), not
    mid-word (项斗争的知晓率)."""
    if (start == 0 or not re.match(_LETTER, text[start - 1])) and end - start <= _RATE_BEFORE.reach:
        return start
    cut = None
    for found in _NAME_CUT.finditer(text, start, end):  # the last clause break before the name
        cut = found
    return cut.end() if cut is not None and _RATE_BEFORE.search(text[cut.end() : end]) else start


def _breakdowns(p: _Paragraph, counts: list[CountFact], facts: Facts) -> None:
    text = p.text
    if "其中" not in text and "分别" not in text:
        return  # most paragraphs: no marker of a breakdown
    starts = [c.quantity.start for c in counts]
    ends = [c.quantity.end for c in counts]
    markers = [(m, "其中") for m in _QIZHONG.finditer(text)] + [(m, "分别") for m in _respectively(text, counts)]
    qizhong_starts = [m.start() for m, kind in markers if kind == "其中"]
    for marker, kind in markers:
        pos = marker.start()
        close = p.sentence_end_after(pos)
        next_marker = bisect.bisect_right(qizhong_starts, pos)
        if next_marker < len(qizhong_starts):
            close = min(close, qizhong_starts[next_marker])  # a new 其中 starts a new breakdown
        inside = p.parens.inside(pos)
        if inside:
            paren_end = p.parens.close_after(pos)
            close = min(close, paren_end) if paren_end is not None else close
        before = bisect.bisect_right(ends, pos)
        if before == 0:
            continue
        total = counts[before - 1]
        if inside and total.in_parens:
            # "(其中…)" breaks down the figure outside the brackets.
            total = next((c for c in reversed(counts[max(0, before - _LOOKAHEAD) : before]) if not c.in_parens), total)
        if total.quantity.upper is None or total.quantity.approx not in (None, "余", "多"):
            continue
        first = bisect.bisect_right(starts, pos)
        parts = tuple(
            c
            for c in counts[first : min(bisect.bisect_left(starts, close), first + _MAX_PARTS)]
            if c.unit_class == total.unit_class
            # After 其中 a count with a counting word of its own is a part of an item (调处
            # after 矛盾纠纷), not an item; in "A、B分别为…" the words are the items.
            and (kind == "分别" or c.role is None or c.role == total.role)
            and c.quantity.lower is not None
        )
        if not parts:
            continue
        facts.breakdowns.append(
            BreakdownFact(
                total=total,
                parts=parts,
                marker=kind,
                marker_span=p.span(marker.start(), marker.end()),
                # "A、B分别为…" straight after a total lists the whole; after 其中 it lists a part.
                exhaustive=kind == "分别" and "其中" not in text[total.quantity.end : pos],
            )
        )


def _respectively(text: str, counts: list[CountFact]) -> Iterator[re.Match[str]]:
    """``A、B、C分别为x、y、z`` right after a total: the list is the whole."""
    if "分别" not in text:
        return
    for c, following in pairwise(counts):
        m = _RESPECTIVELY.match(text, c.quantity.end)
        if m is not None and following.quantity.start - m.end() <= 2:
            yield m


def _growths(p: _Paragraph, items: list[Fact], facts: Facts) -> None:
    """由A增至B, then the percentage or difference stated within the next few facts."""
    if "由" not in p.text and "从" not in p.text:
        return  # most paragraphs: no 由/从 to start a growth
    for index, first in enumerate(items):
        second = items[index + 1] if index + 1 < len(items) else None
        if not isinstance(first, CountFact) or not isinstance(second, CountFact):
            continue
        a_start, a_end = first.quantity.start, first.quantity.end
        if first.unit_class != second.unit_class or first.sentence != second.sentence:
            continue
        if not _GROWTH_FROM.search(p.text[max(0, a_start - 2) : a_start]):
            continue
        between = _GROWTH_TO.match(p.text[a_end : second.quantity.start])
        if not between:
            continue
        direction = -1 if any(w in between.group() for w in _DOWN) else 1
        later = [i for i in items[index + 2 : index + 2 + _LOOKAHEAD] if i.sentence == second.sentence]
        percent = next((i for i in later if isinstance(i, ChangeFact)), None)
        delta = next(
            (i for i in later if isinstance(i, CountFact) and i.unit_class == first.unit_class and i.role is None),
            None,
        )
        if delta is not None and not _DELTA_WORD.search(
            p.text[max(0, delta.quantity.start - 4) : delta.quantity.start]
        ):
            delta = None
        facts.growths.append(GrowthFact(first, second, direction, percent, delta))


def extract(doc: Document, vocab: Vocabulary) -> Facts:
    facts = Facts()
    for index, paragraph in enumerate(doc.paragraphs):
        quantities = find_quantities(paragraph.text)
        if quantities:  # most paragraphs state none: skip building their indexes
            _paragraph_facts(_Paragraph(doc, vocab, index), quantities, facts)
    return facts


def _paragraph_facts(p: _Paragraph, quantities: list[Quantity], facts: Facts) -> None:
    previous: Quantity | None = None
    for q in quantities:
        p.add(q, previous)
        previous = q
    counts = [i for i in p.items if isinstance(i, CountFact)]
    facts.counts += counts
    facts.rates += [i for i in p.items if isinstance(i, RateFact)]
    facts.changes += [i for i in p.items if isinstance(i, ChangeFact)]
    _breakdowns(p, counts, facts)
    _growths(p, p.items, facts)
