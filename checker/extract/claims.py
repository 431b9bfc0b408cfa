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
from decimal import Decimal
from itertools import pairwise
from typing import cast

from checker.extract.quantity import find_quantities
from checker.extract.vocabulary import LETTER, Ending, GrowthWords, Vocabulary
from checker.model import (
    BreakdownFact,
    ChangeFact,
    CountFact,
    Document,
    EnumerationFact,
    Fact,
    Facts,
    GrowthFact,
    MultipleFact,
    PriorRateFact,
    Quantity,
    RateFact,
    RatePointsFact,
    ShareFact,
    Span,
    Where,
)  # fmt: skip

_CLAUSE_BREAK = re.compile(r"[,;:。!?]")
_HAS_WORDS = re.compile(LETTER)
_YEAR = re.compile(r"(\d{4})年")
_QIZHONG = re.compile(r"其中")
_RESPECTIVELY = re.compile(r",?[^,;:。、]{1,12}(?:、[^,;:。、]{1,12})+分别(?:为|是)")
_NAME_JOINER = re.compile(r"[和与及、]")
# Matched on the words before a list's end read backwards: a search for the run that ends
# there (…+\Z) would try every start before it, each to the end (quadratic in the window).
_NAME_LIST_BACKWARDS = re.compile(rf"(?:{LETTER}|、)++")
_JOINER = re.compile(r"\s*[和与及、,]\s*")
_NAME_CUT = re.compile(r"[的对]")
_CLAUSE_START = re.compile(r"[,;:。!?()]")
_SEPARATORS = re.compile(r"[、,;和及与\s]*")
_LISTED_AFTER = re.compile(r"\s*[、和及与]\s*")
_OBJECT_TRIM = "了的出共计累计各类总有达为是,、 "
_MAX_OBJECT_LENGTH = 12  # a counting word further from its number than this governs something else
_MAX_GAP = 80  # the words that classify a number stand right before it; never scan further back
_LOOKAHEAD = 8  # facts after a growth pair that may state its change
_FROM_REACH = 10  # 从2023年度的: the words between 由/从 and the first value of a from-to pair
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
        self.paired_lists: set[int] = set()  # where 分别 follows a list of counting words
        self._pending_names: list[tuple[int, int]] = []  # of "A率和B率分别为…" not yet given a value
        self._rate_from: tuple[Quantity, int, int] | None = None  # 满意率由90%…: the value and the name

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
            self.source_text[span.start : span.end],
            self.index,
            self.sentence,
            self.parens.inside(start),
        )

    def _enter_sentence(self, start: int) -> int:
        """Make the sentence of offset ``start`` current (where() reads it); its index."""
        ends = self.sentence_ends
        i = bisect.bisect_right(ends, start)
        sentence = min(i, self.last_sentence)  # a number after the last 。 belongs to the last sentence
        self.sentence = self.base + (ends[sentence - 1] if sentence else 0)
        return i

    def add(self, q: Quantity, previous: Quantity | None) -> None:
        """Classify ``q`` by the words between it and the previous number of its sentence."""
        start = q.start
        ends = self.sentence_ends
        i = self._enter_sentence(start)
        gap_start = max(ends[i - 1] if i else 0, start - _MAX_GAP)  # its sentence's start
        if previous is not None and previous.end > gap_start:
            gap_start = previous.end
        gap = self.text[gap_start:start]
        if q.is_percent:
            self._add_percent(q, gap, gap_start)
        elif q.unit == "百分点":
            self._add_points(q, gap)
        elif q.unit in self.vocab.unit_class and not self._a_duration(q) and not self._an_average(q):
            self._add_count(q, gap, gap_start)

    def _an_average(self, q: Quantity) -> bool:
        """``人均结案233.13件``: a fraction of a thing counted one by one is an average, no count
        (money and 1.6万件 are whole)."""
        if q.decimals == 0 or q.value == q.value.to_integral_value():
            return False
        return self.vocab.unit_class[q.unit or ""] != "money"

    def _a_duration(self, q: Quantity) -> bool:
        """``前10个月``: a unit that, with the words after it, measures time, not things."""
        durations = self.vocab.durations
        return durations is not None and durations.match(self.text, q.end - len(q.unit or "")) is not None

    def _add_points(self, q: Quantity, gap: str) -> None:
        """提高2个百分点: a change of a rate in points."""
        change = self.vocab.change.search(gap) if self.vocab.change is not None else None
        if change:
            direction = -1 if change.group(1) in self.vocab.down else 1
            self.items.append(ChangeFact(self.where(q), direction, self._last_rate_name()))

    def _last_rate_name(self) -> str | None:
        last = next((i for i in reversed(self.items) if isinstance(i, RateFact)), None)
        return last.name if last is not None and last.sentence == self.sentence else None

    def _prior_rate(self, q: Quantity, gap: str) -> bool:
        """``满意率为92%,上年为90%``: last year's value of the rate stated before it (added to
        the facts); ``2023年满意率为90%,2024年为92%``: the rate stated before is last year's."""
        growth = self.vocab.growth
        if "年" not in gap or growth is None:
            return False
        prior = growth.prior.search(gap)
        if prior is None or _HAS_WORDS.search(growth.prior.sub("", gap).strip(" ,")):
            return False
        at, last = next(((i, f) for i, f in _reversed(self.items) if isinstance(f, RateFact)), (-1, None))
        if last is None or last.sentence != self.sentence:
            return False
        year = prior.group("year")
        rate_year = self._year_before(last.quantity.start) if year is not None else None
        if year is not None and rate_year is not None and rate_year == int(year) - 1:
            current = RateFact(self.where(q), last.name)
            self.items[at] = PriorRateFact(_where_of(last), current)
            self.items.append(current)
            return True
        if year is not None and rate_year is not None and rate_year != int(year) + 1:
            return False  # 2024年…93%,2022年为90%: not last year
        self.items.append(PriorRateFact(self.where(q), last))
        return True

    def _year_before(self, offset: int) -> int | None:
        """The last year named before ``offset`` in its sentence (2023年满意率为90%: 2023)."""
        start = max(self.text.rfind("。", 0, offset) + 1, offset - _MAX_GAP)
        years = _YEAR.findall(self.text, start, offset)
        return int(years[-1]) if years else None

    def _rate_from_to(self, q: Quantity, gap: str, gap_start: int) -> bool:
        """``满意率由(上年的)90%提高到93%``: the first percentage is the rate's prior value, held
        until the second, its current one, follows 提高到; both are added to the facts then."""
        growth = self.vocab.growth
        pending, self._rate_from = self._rate_from, None
        if growth is None:
            return False
        if pending is not None and growth.growth_to.fullmatch(gap):
            prior, name_start, name_end = pending
            current = RateFact(self.where(q), self.text[name_start:name_end])
            self.items += [PriorRateFact(self.where(prior), current), current]
            return True
        start = growth.growth_from.search(gap) if any(w in gap for w in growth.from_words) else None
        rate_before = self.vocab.rate_before
        name = rate_before.search(gap[: start.start()]) if start is not None and rate_before is not None else None
        if name is None:
            return False
        self._rate_from = (q, gap_start + name.start(1), gap_start + name.end(1))
        return True

    def _add_percent(self, q: Quantity, gap: str, gap_start: int) -> None:
        if self._rate_from_to(q, gap, gap_start) or self._prior_rate(q, gap):
            return
        vocab = self.vocab
        change = vocab.change.search(gap) if vocab.change is not None else None
        if change:
            about = self._rate_before(gap[: change.start()])
            if about is None and not gap[: change.start()].strip(" ,") and self.items:
                last = self.items[-1]
                if isinstance(last, RateFact) and last.sentence == self.sentence:
                    about = last.name
            self.items.append(ChangeFact(self.where(q), -1 if change.group(1) in vocab.down else 1, about))
            return
        share = self._share(q, gap, gap_start)
        if share is not None:
            self.items.append(share)
            return
        name = vocab.rate_name.search(gap) if vocab.rate_name is not None else None
        if name:
            # "A率和B率分别为x和y": x is A率's, y (a percent after a joiner) B率's.
            end = gap_start + name.end(1)
            rate_before = vocab.rate_before
            assert rate_before is not None  # compiled with rate_name
            names = _split_names(self.text, end, rate_before) if "分别" in name.group() else []
            start, end = names.pop(0) if names else (gap_start + name.start(1), end)
            start = _name_start(self.text, start, end, rate_before)
            self._pending_names = names
        elif self._pending_names and _JOINER.fullmatch(gap):
            start, end = self._pending_names.pop(0)
        else:
            return
        self.items.append(RateFact(self.where(q), self.text[start:end]))

    def _share(self, q: Quantity, gap: str, gap_start: int) -> ShareFact | None:
        """``A件,占比P%`` (the share of the count right before it) or ``维持类占P%`` (of a
        labelled item, no count): a share of a whole. None for other percentages."""
        share_words = self.vocab.share_words
        if share_words is None or not share_words.search(gap):
            return None  # most percentages: no share word before them
        m = self.vocab.share.search(gap) if self.vocab.share is not None else None
        if m is None:
            return None
        label = m.group("label")
        previous = self.items[-1] if self.items else None
        part = None
        if not label:
            if (
                not isinstance(previous, CountFact)
                or previous.quantity.end != gap_start
                or gap[: m.start()].strip(" ,;:")
            ):
                return None  # "占比75%" with no count right before it: a rate name (bounds only)
            if len(self.items) > 1 and _LISTED_AFTER.fullmatch(
                self.text, self.items[-2].quantity.end, previous.quantity.start
            ):
                return None  # 分别有2096件、1840件、717件,占总量的65%: the share of the list, not of its last item
            part = previous
        whole = m.group("whole")
        name_start, name_end = m.start("label") if label else m.start("word"), m.end("whole" if whole else "word")
        name = gap[name_start:name_end]  # 占比, 维持类占, 占全部案件的
        return ShareFact(self.where(q), name, part, bool(whole))

    def _rate_before(self, text: str) -> str | None:
        m = self.vocab.rate_before.search(text) if self.vocab.rate_before is not None else None
        return m.group(1) if m else None

    def _add_count(self, q: Quantity, gap: str, gap_start: int) -> None:
        unit_class = self.vocab.unit_class[cast(str, q.unit)]  # a counted unit: the caller checked it
        role, role_span, obj = self._role_in_clause(gap, gap_start)
        if role is None and not _HAS_WORDS.search(gap) and self.items and isinstance(self.items[-1], CountFact):
            # "326件445余人次": the second number shares the first one's role.
            previous = self.items[-1]
            role, role_span, obj = previous.role, previous.role_span, previous.object
        self.items.append(CountFact(self.where(q), role, role_span, obj, unit_class))

    def _role_in_clause(self, gap: str, gap_start: int) -> tuple[str | None, Span | None, str]:
        """The counting word that governs a number: the last one of its clause, near it,
        and the object between them. A negated word is a role of its own (不予受理 is not
        受理); a word that ends a time clause (受理后撤回) governs another verb's number."""
        vocab = self.vocab
        last_role = None
        if vocab.roles is not None:
            for m in vocab.roles.finditer(gap):
                last_role = m
        if (
            last_role is None
            or _CLAUSE_BREAK.search(gap, last_role.end())
            or len(gap) - last_role.end() > _MAX_OBJECT_LENGTH
        ):
            return None, None, ""
        start, end = last_role.span()
        if vocab.role_clause_end is not None and vocab.role_clause_end.match(gap, end):
            return None, None, ""
        negation = vocab.role_negation.search(gap, max(0, start - 4), start) if vocab.role_negation else None
        if negation is not None:
            start = negation.start()
        return gap[start:end], self.span(gap_start + start, gap_start + end), gap[end:].strip(_OBJECT_TRIM)

    def pair_respectively(self, quantities: list[Quantity]) -> None:
        """``受理、办结…分别为X件、Y件``: the i-th counting word of the list governs the i-th
        count that follows it (only when the counts agree). Rates listed so (化解率、办结率
        分别为x%、y%) are named as they are read (``_add_percent``)."""
        text = self.text
        at = text.find("分别")
        starts = [q.start for q in quantities] if at != -1 else []
        while at != -1:
            # The list: the words (no number, no clause break) right before 分别.
            listed = _LIST_BEFORE.search(text, max(0, at - _MAX_LIST), at)
            end = _RESPECTIVELY_VERB.match(text, at + 2).end()  # type: ignore[union-attr]  # may match empty
            values = _following_run(text, quantities, starts, end)
            if listed is not None and values and not any(q.is_percent for q in values):  # rates: _add_percent
                items = (
                    _list_items(listed.group(), listed.start(), self.vocab)
                    if _LIST_JOINT.search(listed.group())
                    else []
                )
                if len(values) == len(items) and self._pair_roles(values, items):
                    self.paired_lists.add(at)
            at = text.find("分别", at + 2)

    def _pair_roles(self, values: list[Quantity], items: list[tuple[str, int]]) -> bool:
        """Whether the list named roles that are not items of a total before it (维持、驳回
        of a 审结 count are its parts: they keep their roles and make a breakdown)."""
        roles = []
        for i, (text, start) in enumerate(items):
            role = self._list_role(text, first=i == 0)
            if role is None:
                return False
            roles.append((role.group(), start + role.start(), start + role.end()))
        self._replace(values, roles)
        last_text, last_start = items[-1]
        self._set_object(values, last_text[roles[-1][2] - last_start :].strip(_OBJECT_TRIM))
        return not self.vocab.outcomes_of_one_whole([name for name, _, _ in roles])

    def _list_role(self, item: str, first: bool) -> re.Match[str] | None:
        """The counting word of a list item: the last one of the first item (全年受理), the
        first one of the others (办结行政复议案件)."""
        assert self.vocab.roles is not None
        if not first:
            return self.vocab.roles.search(item)
        found = list(self.vocab.roles.finditer(item))
        return found[-1] if found else None

    def _replace(self, values: list[Quantity], roles: list[tuple[str, int, int]]) -> None:
        """Give the counts of ``values`` the roles paired with them."""
        by_start = {item.quantity.start: item for item in self.items}
        for q, (role, start, end) in zip(values, roles, strict=True):
            fact = by_start.get(q.start)
            if isinstance(fact, CountFact):
                fact.role, fact.role_span = role, self.span(start, end)

    def _set_object(self, values: list[Quantity], obj: str) -> None:
        starts = {q.start for q in values}
        for item in self.items:
            if isinstance(item, CountFact) and item.quantity.start in starts:
                item.object = obj


# A list of words (no number in it) then 分别为: the words pair with the numbers that follow.
_MAX_LIST = 70
_LIST_BEFORE = re.compile(r"[^,;:。\d%]+$")
_LIST_JOINT = re.compile(r"、|和|及|与")
_RESPECTIVELY_VERB = re.compile(r"(?:为|是|达到|达|有)?")
_LIST_SEPARATOR = re.compile(r"、|(?<=[率度比重])(?:和|及|与)")
_RUN_GAP = re.compile(r"[、,和及与\s]*")


def _list_items(text: str, offset: int, vocab: Vocabulary) -> list[tuple[str, int]]:
    """The items of ``A、B和C``, each with where it starts in the paragraph. 和/及/与
    separate items only between two counting words (和解 is one word)."""
    items: list[tuple[str, int]] = []
    start = 0
    for m in _LIST_SEPARATOR.finditer(text):
        items.append((text[start : m.start()], offset + start))
        start = m.end()
    items.append((text[start:], offset + start))
    if vocab.roles is None:
        return items
    split: list[tuple[str, int]] = []
    for item, at in items:
        roles = list(vocab.roles.finditer(item))
        joints = (_JOINT.fullmatch(item, r.end(), following.start()) for r, following in pairwise(roles))
        joint = next((j for j in joints if j is not None), None)
        if joint is None:
            split.append((item, at))
        else:
            split += [(item[: joint.start()], at), (item[joint.end() :], at + joint.end())]
    return split


_JOINT = re.compile(r"和|及|与")


def _following_run(text: str, quantities: list[Quantity], starts: list[int], end: int) -> list[Quantity]:
    """The numbers written one after another (、 和 , between them) right after ``end``
    (``starts``: where each of ``quantities`` starts, for the bisection)."""
    index = bisect.bisect_left(starts, end)
    if index == len(quantities) or quantities[index].start - end > 2:
        return []
    run = [quantities[index]]
    for following in range(index + 1, len(quantities)):
        q = quantities[following]
        if not _RUN_GAP.fullmatch(text, run[-1].end, q.start):
            break
        run.append(q)
    return run


def _reversed(items: list[Fact]) -> Iterator[tuple[int, Fact]]:
    return ((i, items[i]) for i in range(len(items) - 1, -1, -1))


def _where_of(fact: Fact) -> Where:
    return (fact.quantity, fact.span, fact.text, fact.paragraph, fact.sentence, fact.in_parens)


def _split_names(text: str, end: int, rate_before: Ending) -> list[tuple[int, int]]:
    """The (start, end) of each rate name of a list ``A率和B率`` or ``A率、B率`` that ends at
    ``end``; none if a part is not itself a rate (``行政复议和诉讼满意度`` is one name)."""
    run = _NAME_LIST_BACKWARDS.match(text[max(0, end - _MAX_GAP) : end][::-1])
    if run is None:
        return []
    spans: list[tuple[int, int]] = []
    start = end - run.end()
    for m in [*_NAME_JOINER.finditer(text, start, end), None]:
        stop = m.start() if m else end
        if not rate_before.search(text[start:stop]):
            return []
        spans.append((start, stop))
        start = m.end() if m else stop
    return spans if len(spans) > 1 else []


def _name_start(text: str, start: int, end: int, rate_before: Ending) -> int:
    """Where a rate name starts: never inside a word. A name whose words run on before
    the pattern's reach (…专项斗争的知晓率) starts after its last 的 or 对 (知晓率), not
    mid-word (项斗争的知晓率)."""
    if (start == 0 or not re.match(LETTER, text[start - 1])) and end - start <= rate_before.reach:
        return start
    cut = None
    for found in _NAME_CUT.finditer(text, start, end):  # the last clause break before the name
        cut = found
    return cut.end() if cut is not None and rate_before.search(text[cut.end() : end]) else start


def _breakdowns(p: _Paragraph, counts: list[CountFact], facts: Facts) -> None:
    text = p.text
    if "其中" not in text and "分别" not in text:
        return  # most paragraphs: no marker of a breakdown
    starts = [c.quantity.start for c in counts]
    ends = [c.quantity.end for c in counts]
    markers = [(m, "其中") for m in _QIZHONG.finditer(text)] + [(m, "分别") for m in _respectively(p, counts)]
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
        total = _total_before(counts, before, inside, starts, pos)
        if total.quantity.upper is None or total.quantity.approx not in (None, "余", "多"):
            continue
        first = bisect.bisect_right(starts, pos)
        in_range = counts[first : min(bisect.bisect_left(starts, close), first + _MAX_PARTS)]
        parts = tuple(c for c in in_range if _is_item(p.vocab, kind, total, c))
        if not parts:
            continue
        facts.breakdowns.append(
            BreakdownFact(
                total=total,
                parts=parts,
                marker=kind,
                marker_span=p.span(marker.start(), marker.end()),
                # "A、B分别为…" straight after a total lists the whole; after 其中 it lists a
                # part, unless its last item closes it (其他, 其余).
                exhaustive=(kind == "分别" and "其中" not in text[total.quantity.end : pos])
                or _closed(p, marker.end(), in_range, parts, total),
            )
        )


def _is_item(vocab: Vocabulary, kind: str, total: CountFact, c: CountFact) -> bool:
    """Whether ``c`` after a 其中 (or in a 分别 list) is an item of ``total``. After 其中 a
    count with a counting word of its own is a part of an item (调处 after 矛盾纠纷), not an
    item, unless the word is an outcome of the total's (维持 of 审结); in "A、B分别为…"
    the words are the items."""
    if c.unit_class != total.unit_class or c.quantity.lower is None:
        return False
    return kind == "分别" or c.role is None or c.role == total.role or vocab.is_outcome(total.role, c.role)


def _closed(
    p: _Paragraph, after: int, in_range: list[CountFact], parts: tuple[CountFact, ...], total: CountFact
) -> bool:
    """A list whose last item starts with a closing word (其他, 其余, 剩余) names every item:
    when all of its counts are items and exact, they add up to the total."""
    closing = p.vocab.closing
    if (
        closing is None
        or len(parts) < 2
        or len(parts) != len([c for c in in_range if c.unit_class == total.unit_class])
    ):
        return False
    if any(c.quantity.approx is not None for c in (total, *parts)):
        return False
    words = p.text[max(after, parts[-2].quantity.end) : parts[-1].quantity.start].lstrip(",、; ")
    return closing.match(words) is not None


def _closing_totals(p: _Paragraph, counts: list[CountFact], facts: Facts) -> None:
    """``A40件、B30件,共计70件``: a total stated after the items it sums (the counts
    listed with 、 right before it, in its sentence and unit class)."""
    total_words = p.vocab.total_words
    if total_words is None:
        return
    for index, total in enumerate(counts):
        if index < 2:
            continue
        gap_start = counts[index - 1].quantity.end
        word = total_words.fullmatch(p.text, gap_start, total.quantity.start)
        if word is None:
            continue
        parts = [counts[index - 1]]
        for c in reversed(counts[max(0, index - 1 - _MAX_PARTS) : index - 1]):
            between = p.text[c.quantity.end : parts[-1].quantity.start]
            if "、" not in between or _CLAUSE_BREAK.search(between) or c.sentence != total.sentence:
                break
            parts.append(c)
        if len(parts) < 2 or any(c.unit_class != total.unit_class for c in parts):
            continue
        facts.breakdowns.append(
            BreakdownFact(total, tuple(reversed(parts)), "共计", p.span(word.start(1), word.end(1)), exhaustive=True)
        )


_QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\([^)]*\)")
_ENUMERATED_UNITS = frozenset({"个", "项", "家", "名", "位", "条", "类", "批", "所", "座", "支"})
_MAX_ENUMERATED = 30  # a larger count is not a list a report spells out
_JOINED = re.compile(r"..(?:和|及|与)..")


def _enumerations(p: _Paragraph, counts: list[CountFact], facts: Facts) -> None:
    """``共有4个单位,分别是A、B、C``: a small exact count and the 、 list that names its items
    (unless it ends with 等, an abbreviation). Quoted titles (《…》 “…”) and brackets are
    items whatever their 、."""
    pattern = p.vocab.enumeration
    if pattern is None:
        return
    for c in counts:
        q = c.quantity
        if q.unit not in _ENUMERATED_UNITS or q.approx is not None or not 2 <= q.value <= _MAX_ENUMERATED:
            continue
        m = pattern.match(p.text, q.end)
        if m is None:
            continue
        listed = m.group("list").rstrip()
        flat = _QUOTED.sub("□", listed)
        items = tuple(item.strip() for item in flat.split("、"))
        if len(items) < 2 or not all(items) or flat.endswith("等") or "等" in items[-1][-3:] or _has_digit(flat):
            continue
        joined = 1 if _JOINED.search(items[-1]) else 0
        span = p.span(m.start("list"), m.start("list") + len(listed))
        facts.enumerations.append(EnumerationFact(c, items, span, joined))


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _outcome_lists(p: _Paragraph, counts: list[CountFact], facts: Facts) -> None:
    """``办结60件,维持40件、驳回15件、撤销6件``: outcomes listed right after their whole,
    without 其中, partition it: they may fall short of it, never exceed it."""
    vocab = p.vocab
    totals = {id(b.total) for b in facts.breakdowns}
    for index, whole in enumerate(counts):
        if not vocab.is_outcome_whole(whole.role) or id(whole) in totals or whole.quantity.upper is None:
            continue
        parts: list[CountFact] = []
        for c in counts[index + 1 : index + 1 + _MAX_PARTS]:
            if c.sentence != whole.sentence or c.unit_class != whole.unit_class:
                break
            if not vocab.is_outcome(whole.role, c.role):
                break
            parts.append(c)
        if len(parts) < 2 or "其中" in p.text[whole.quantity.end : parts[0].quantity.start]:
            continue
        assert whole.role_span is not None
        facts.breakdowns.append(BreakdownFact(whole, tuple(parts), "outcomes", whole.role_span, exhaustive=False))


def _total_before(counts: list[CountFact], before: int, inside: bool, starts: list[int], pos: int) -> CountFact:
    """The total a 其中 at ``pos`` attaches to: the count right before it, unless that one
    is in brackets (then the figure outside them) or of another unit class than the first
    count after 其中 (共办理案件300宗,涉案金额5亿元,其中…120宗: the 宗 count)."""
    total = counts[before - 1]
    window = counts[max(0, before - _LOOKAHEAD) : before]
    if inside and total.in_parens:
        # "(其中…)" breaks down the figure outside the brackets.
        total = next((c for c in reversed(window) if not c.in_parens), total)
    first = bisect.bisect_right(starts, pos)
    if first < len(counts) and counts[first].unit_class != total.unit_class:
        unit_class, sentence = counts[first].unit_class, total.sentence
        total = next((c for c in reversed(window) if c.unit_class == unit_class and c.sentence == sentence), total)
    return total


def _share_bases(
    p: _Paragraph, counts: list[CountFact], shares: list[ShareFact], breakdowns: list[BreakdownFact]
) -> None:
    """The wholes a share may be of: the total of the breakdown its count is an item of,
    else the total the nearest 其中 before its count attaches to (其中调解结案120宗: an
    item with a verb of its own, still a share of that total); and, when its words name
    the whole (占总数的), every larger count of its sentence before it, nearest first."""
    total_of = {id(part): b.total for b in breakdowns for part in b.parts}
    starts = [c.quantity.start for c in counts]
    ends = [c.quantity.end for c in counts]
    totals: _Totals | None = None  # found for the first share that binds to one
    for share in shares:
        part = share.part
        if part is None:
            continue
        bases: list[CountFact] = []
        total = total_of.get(id(part))
        if total is None:
            sentence_start = p.text.rfind("。", 0, part.quantity.start) + 1
            marker = p.text.rfind("其中", sentence_start, part.quantity.start)
            before = bisect.bisect_right(ends, marker)
            if marker != -1 and before:
                total = _total_before(counts, before, p.parens.inside(marker), starts, marker)
        if total is None and not share.names_whole:
            totals = totals or _Totals(p, counts)
            total = totals.the_one_before(part)
            if total is not None:
                share.bound_to_total = "certain" if _certainly_of(p.vocab, total, part) else "likely"
        if total is not None:
            bases.append(total)
        if share.names_whole:
            bases += [
                c
                for c in reversed(counts[: bisect.bisect_left(starts, part.quantity.start)])
                if c.sentence == part.sentence and c.quantity.value >= part.quantity.value and c is not total
            ]
        share.bases = tuple(c for c in bases if c is not part and c.unit_class == part.unit_class)


class _Totals:
    """The counts of a paragraph whose clause marks them as totals (全年共受理200件; vocabulary
    whole_markers), by unit class in text order: found once per paragraph, so that binding
    each share to one costs a bisection."""

    def __init__(self, p: _Paragraph, counts: list[CountFact]) -> None:
        self.ids: set[int] = set()
        self.by_class: dict[str, tuple[list[int], list[CountFact]]] = {}
        growth = p.vocab.growth
        if growth is None or growth.whole_markers is None:
            return
        for c in counts:
            if not c.in_parens and _a_total(p, growth, c):
                self.ids.add(id(c))
                starts, totals = self.by_class.setdefault(c.unit_class, ([], []))
                starts.append(c.quantity.start)
                totals.append(c)

    def the_one_before(self, part: CountFact) -> CountFact | None:
        """``全年共受理200件,调解结案50件,占25%``: the whole of a share with no 其中 and no
        named whole, when exactly one total of its unit class, not smaller, comes before its
        count, and the count is no total itself."""
        starts, totals = self.by_class.get(part.unit_class, ([], []))
        if id(part) in self.ids or bisect.bisect_left(starts, part.quantity.start) != 1:
            return None
        return totals[0] if totals[0].quantity.value >= part.quantity.value else None


def _certainly_of(vocab: Vocabulary, total: CountFact, part: CountFact) -> bool:
    """Whether ``part`` is surely a part of the total a share was bound to: in its sentence,
    and counted by a word the vocabulary makes a part of the total's (排查 → 化解), or the same
    word, or with a word on one side only (全年共办理案件320件,适用简易程序80件)."""
    if total.sentence != part.sentence:
        return False
    if total.role is None or part.role is None or total.role == part.role:
        return True
    return vocab.pair_of(total.role, part.role) is not None or vocab.is_outcome(total.role, part.role)


def _a_total(p: _Paragraph, growth: GrowthWords, count: CountFact) -> bool:
    """Whether the clause of ``count`` marks it as a total (全年共受理, 累计排查), the
    words that only hold a marker (公共, 共同) aside."""
    assert growth.whole_markers is not None
    end = count.quantity.start
    begin = max(0, end - _MAX_GAP)
    for m in _CLAUSE_START.finditer(p.text, begin, end):
        begin = m.end()
    return any(m.group() in growth.whole_marker_words for m in growth.whole_markers.finditer(p.text, begin, end))


def _respectively(p: _Paragraph, counts: list[CountFact]) -> Iterator[re.Match[str]]:
    """``A、B、C分别为x、y、z`` right after a total: the list is the whole (unless its
    items are counting words: 受理、办结分别为x、y pairs roles, it lists no parts)."""
    text = p.text
    if "分别" not in text:
        return
    for c, following in pairwise(counts):
        m = _RESPECTIVELY.match(text, c.quantity.end)
        if m is None or following.quantity.start - m.end() > 2:
            continue
        if text.rindex("分别", 0, m.end()) not in p.paired_lists:
            yield m


def _growths(p: _Paragraph, items: list[Fact], facts: Facts) -> None:
    """Two values of one figure and the change stated between them: 由A增至B (from-to),
    X件,与上年Y件相比 / X件(上年Y件) / 2024年X件、2023年Y件 / 2023年Y件、2024年X件 (prior),
    X件,比上年减少D件 (delta: the prior is X ∓ D). The change: a percentage, a difference,
    a multiple (是上年的3倍, 增长2倍, 翻一番)."""
    growth = p.vocab.growth
    if growth is None:
        return
    text = p.text
    found = len(facts.growths)
    if any(word in text for word in growth.from_words):
        facts.growths += _from_to(p, growth, items)
    if "年" in text:
        facts.growths += _against_prior(p, growth, items)
    facts.rate_points += _rate_points(p, items)
    if p.vocab.change is not None:
        # A percentage a pair above already states is not a second pair's (上年100件),同比上升20%,增加20件).
        stated = {id(g.stated_percent) for g in facts.growths[found:]}
        later = _percent_then_delta(p, p.vocab.change, items)
        facts.growths += (g for g in later if id(g.stated_percent) not in stated)


def _from_to(p: _Paragraph, growth: GrowthWords, items: list[Fact]) -> Iterator[GrowthFact]:
    """由A增至B (从2023年的A增加到2024年的B), then the percentage, difference or multiple
    stated within the next few facts."""
    text = p.text
    for index, first in enumerate(items):
        second = items[index + 1] if index + 1 < len(items) else None
        if not isinstance(first, CountFact) or not isinstance(second, CountFact):
            continue
        a_start, a_end = first.quantity.start, first.quantity.end
        if first.unit_class != second.unit_class or first.sentence != second.sentence:
            continue
        start = growth.growth_from.search(text, max(0, a_start - _FROM_REACH), a_start)
        if start is None:
            continue
        between = growth.growth_to.fullmatch(text, a_end, second.quantity.start)
        if between is None:
            continue
        years = start.group("year"), between.group("year")
        if years[0] is not None and years[1] is not None and int(years[0]) >= int(years[1]):
            continue  # 从2024年的A降至2023年的B: not a change over time we can read
        direction = -1 if any(w in between.group() for w in growth.down) else 1
        percent, delta, multiple = _stated_change(p, growth, items, index + 1, second)
        yield GrowthFact(first, second, direction, percent, delta, "from-to", multiple)


def _against_prior(p: _Paragraph, growth: GrowthWords, items: list[Fact]) -> Iterator[GrowthFact]:
    """A count and last year's value of it, stated (上年Y件, 2023年Y件 before or after it)
    or implied by a difference (比上年减少D件), with the change that follows them in the
    sentence."""
    for index, item in enumerate(items):
        if not isinstance(item, CountFact) or index == 0:
            continue
        gap = p.text[items[index - 1].quantity.end : item.quantity.start]
        if "年" not in gap:
            continue  # most counts: no year before them
        prior = growth.prior.search(gap)
        delta = growth.prior_delta.search(gap) if prior is None else None
        if delta is not None:
            # X件,比上年减少D件: the difference (this count) from this year's value X.
            this_year = items[index - 1]
            percent, _, multiple = _stated_change(p, growth, items, index, item)
            if _same_figure(this_year, item) and (percent is not None or multiple is not None):
                assert isinstance(this_year, CountFact)
                direction = -1 if delta.group(1) in growth.down else 1
                yield GrowthFact(None, this_year, direction, percent, item, "delta", multiple)
            continue
        current = _current_of(p, items, index, prior) if prior is not None else None
        before, after = (item, current) if current is not None else _prior_first(p, growth, items, index, gap)
        if before is None or after is None:
            continue
        percent, stated_delta, multiple = _stated_change(p, growth, items, index, item)
        if percent is None and stated_delta is None and multiple is None:
            continue
        direction = percent.direction if percent is not None else 1
        yield GrowthFact(before, after, direction, percent, stated_delta, "prior", multiple)


def _percent_then_delta(p: _Paragraph, change: Ending, items: list[Fact]) -> Iterator[GrowthFact]:
    """``刑事案件262件,同比下降2.60%,同比减少7件``: a count, its percentage change and the
    difference after it, both from the unstated prior (262 + 7)."""
    for index in range(1, len(items) - 1):
        count, percent, delta = items[index - 1], items[index], items[index + 1]
        if (
            not isinstance(percent, ChangeFact)
            or not percent.quantity.is_percent
            or not isinstance(count, CountFact)
            or not isinstance(delta, CountFact)
            or not count.sentence == percent.sentence == delta.sentence
            or delta.unit_class != count.unit_class
            or delta.role is not None
            or _HAS_WORDS.search(p.text, count.quantity.end, percent.quantity.start) is None  # 同比下降: words
        ):
            continue
        word = change.search(p.text[percent.quantity.end : delta.quantity.start])
        if word is None or not _SEPARATORS.fullmatch(p.text, percent.quantity.end, percent.quantity.end + word.start()):
            continue  # ",同比减少" and nothing else between the percentage and the difference
        direction = -1 if word.group(1) in p.vocab.down else 1
        yield GrowthFact(None, count, direction, percent, delta, "delta")


def _current_of(p: _Paragraph, items: list[Fact], index: int, prior: re.Match[str]) -> CountFact | None:
    """This year's value: the count right before ``items[index]`` in its sentence, with its
    unit class (and its role, when both have one). With a year before the prior (2023年Y件),
    the current one must name the next year (2024年X件)."""
    later, current = items[index], items[index - 1]
    assert isinstance(later, CountFact)
    if not _same_figure(current, later):
        return None
    assert isinstance(current, CountFact)
    if prior.group("year") is None:
        return current
    years = _YEAR.findall(p.text, max(0, current.quantity.start - _MAX_GAP), current.quantity.start)
    return current if years and int(years[-1]) == int(prior.group("year")) + 1 else None


def _same_figure(earlier: Fact, later: CountFact) -> bool:
    """Whether two counts of one sentence may be two values of one figure: one unit class,
    and one role when both have one."""
    return (
        isinstance(earlier, CountFact)
        and earlier.sentence == later.sentence
        and earlier.unit_class == later.unit_class
        and (earlier.role is None or later.role is None or earlier.role == later.role)
    )


def _prior_first(
    p: _Paragraph, growth: GrowthWords, items: list[Fact], index: int, gap: str
) -> tuple[CountFact | None, CountFact | None]:
    """``2023年受理80件、2024年(受理)100件``: last year's value first, then this year's,
    each right after its year; the later words restate the earlier ones or say nothing
    (2024年受理诉讼案件 after 2023年受理复议案件 is another figure; see ``_restates``)."""
    later, earlier = items[index], items[index - 1]
    assert isinstance(later, CountFact)
    later_year = growth.year_then_words.search(gap)
    if later_year is None or not _same_figure(earlier, later) or not _SEPARATORS.fullmatch(gap, 0, later_year.start()):
        return None, None  # 从2023年的40件增加到2024年的50件 is a from-to pair
    assert isinstance(earlier, CountFact)
    start = earlier.quantity.start
    earlier_year = growth.year_then_words.search(p.text, max(0, start - _MAX_GAP), start)
    if (
        earlier_year is None
        or int(later_year.group("year")) != int(earlier_year.group("year")) + 1
        or not _restates(earlier_year.group("words"), later_year.group("words"))
    ):
        return None, None
    return earlier, later


def _restates(earlier: str, later: str) -> bool:
    """The words after a later year say what those after the earlier one said, or less:
    nothing, the verb (受理), the verb and its object, without the place (全区受理…)."""
    return earlier.startswith(later) or earlier.endswith(later)


def _stated_change(
    p: _Paragraph, growth: GrowthWords, items: list[Fact], index: int, last: CountFact
) -> tuple[ChangeFact | None, CountFact | None, MultipleFact | None]:
    """What the sentence states about the change after the pair ending with ``items[index]``:
    the percentage, the difference (增加15件: a count of the unit class right after a change
    word) and the multiple, before any other count of the unit class (a change after that is
    about that count)."""
    percent: ChangeFact | None = None
    delta: CountFact | None = None
    multiple: MultipleFact | None = None
    for item in items[index + 1 : index + 1 + _LOOKAHEAD]:
        if item.sentence != last.sentence:
            break
        if isinstance(item, CountFact) and item.unit_class == last.unit_class:
            start = item.quantity.start
            if delta is None and item.role is None and growth.delta_word.search(p.text, max(0, start - 4), start):
                delta = item
                continue
            break
        if isinstance(item, ChangeFact) and item.quantity.is_percent and percent is None:
            percent = item
        elif isinstance(item, MultipleFact) and multiple is None:
            multiple = item
    return percent, delta, multiple


def _multiples(p: _Paragraph, numbers: list[Quantity], multiples: list[Quantity]) -> list[MultipleFact]:
    """Add to the paragraph's facts, in text order, each multiple of last year's value:
    ``N倍`` after words that make it one (是上年的, 增长; vocabulary multiple_times), and
    the fixed phrases (翻一番, 减少一半) at the start of a clause."""
    growth = p.vocab.growth
    if growth is None:
        return []
    found: list[MultipleFact] = []
    starts = [n.start for n in numbers]
    for q in multiples:
        clause = _clause_before(p.text, numbers, starts, q.start)
        increase = growth.increase.search(clause) if growth.increase is not None else None
        if growth.times is not None and growth.times.search(clause):
            added, word = 0, ""
        elif increase is not None:
            added, word = 1, increase.group("word")
        else:
            continue  # 是全省平均水平的1.5倍, 调解成功率是上年的1.2倍: another base, another figure
        p._enter_sentence(q.start)
        found.append(MultipleFact(p.where(q), added, word))
    if growth.phrases is not None and any(end in p.text for end in growth.phrase_ends):
        for m in growth.phrases.finditer(p.text):
            lead = _clause_before(p.text, numbers, starts, m.start())
            if growth.phrase_lead is None or not growth.phrase_lead.search(lead):
                continue
            p._enter_sentence(m.start())
            found.append(MultipleFact(p.where(_phrase_quantity(m, growth.phrase_ratios[m.group()])), 0, ""))
    if found:
        found.sort(key=lambda fact: fact.quantity.start)
        p.items = sorted([*p.items, *found], key=lambda fact: fact.quantity.start)
    return found


def _clause_before(text: str, numbers: list[Quantity], starts: list[int], end: int) -> str:
    """The words of the clause that ends at ``end`` (from its last ,;:。 or bracket), each
    number in them (``numbers``, which start at ``starts``) written #: "是上年#的" before 3倍
    in 是上年40件的3倍."""
    begin = max(0, end - _MAX_GAP)
    for m in _CLAUSE_START.finditer(text, begin, end):
        begin = m.end()
    pieces, at = [], begin
    for q in numbers[bisect.bisect_left(starts, begin) :]:
        if q.end > end:
            break
        pieces += [text[at : q.start], "#"]
        at = q.end
    pieces.append(text[at:end])
    return "".join(pieces).strip()


def _phrase_quantity(m: re.Match[str], ratio: Decimal) -> Quantity:
    """A fixed phrase (翻一番) as the multiple it states."""
    decimals = max(0, -cast(int, ratio.normalize().as_tuple().exponent))
    start, end = m.span()
    return Quantity(ratio, ratio, ratio, None, decimals, "倍", False, "chinese", start, end, start, end)


def _rate_points(p: _Paragraph, items: list[Fact]) -> Iterator[RatePointsFact]:
    """满意率为92%,上年为90%,提高2个百分点: a rate, its prior value, the points between."""
    for index, item in enumerate(items):
        if not isinstance(item, PriorRateFact):
            continue
        change = next(
            (
                c
                for c in items[index + 1 : index + 1 + _LOOKAHEAD]
                if isinstance(c, ChangeFact) and c.quantity.unit == "百分点" and c.sentence == item.sentence
            ),
            None,
        )
        if change is not None:
            yield RatePointsFact(item.rate, item, change)


def extract(doc: Document, vocab: Vocabulary) -> Facts:
    facts = Facts()
    for index, paragraph in enumerate(doc.paragraphs):
        quantities = find_quantities(paragraph.text)
        if quantities:  # most paragraphs state none: skip building their indexes
            _paragraph_facts(_Paragraph(doc, vocab, index), quantities, facts)
    return facts


def _paragraph_facts(p: _Paragraph, quantities: list[Quantity], facts: Facts) -> None:
    multiples = [q for q in quantities if q.unit == "倍"] if "倍" in p.text else []
    numbers = [q for q in quantities if q.unit != "倍"] if multiples else quantities
    previous: Quantity | None = None
    for q in numbers:
        p.add(q, previous)
        previous = q
    if "分别" in p.text:
        p.pair_respectively(numbers)
    facts.multiples += _multiples(p, numbers, multiples)
    counts = [i for i in p.items if isinstance(i, CountFact)]
    facts.counts += counts
    facts.rates += [i for i in p.items if type(i) is RateFact]
    shares = [i for i in p.items if isinstance(i, ShareFact)]
    facts.shares += shares
    facts.changes += [i for i in p.items if isinstance(i, ChangeFact)]
    breakdowns = len(facts.breakdowns)
    _breakdowns(p, counts, facts)
    _closing_totals(p, counts, facts)
    _outcome_lists(p, counts, facts)
    _enumerations(p, counts, facts)
    if shares:
        _share_bases(p, counts, shares, facts.breakdowns[breakdowns:])
    _growths(p, p.items, facts)
