"""Kinds across reports: what only two reports side by side show (issue 17 §3).

N210 a figure quoted for last year that last year's report stated otherwise; S111 items of
last year's plan that this year's report never takes up; S112 a 不足 or plan paragraph
copied from last year's report; S113 a paragraph shared with another organisation's report
(a template); P401 a disclosure report's 上年结转 that is not last year's 结转下年度.
They read no document: each file leaves a :class:`~checker.model.Digest` (built here, by
:func:`digest`, when the file is linted) and ``checker.crossfile`` calls each kind's
``across`` function once per run over all of them. The per-document ``check`` of
these kinds finds nothing.

Similarity is rapidfuzz's (``fuzz.ratio``: the normalized Indel similarity of two texts,
after punctuation and spaces are dropped); across many reports, candidates come from
datasketch's MinHash LSH, so a run of 10 000 reports compares each paragraph with its likely
copies only. Both are imported when a run compares reports, never by a one-file run.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from checker.checks import Context, Corpus, CrossFinding, Finding, KindSpec, RelatedPlace, Text
from checker.checks.disclosure import TableIdentityParams, read_grid
from checker.checks.numbers import HUNDRED, consistent, fmt
from checker.checks.structure import Part, find_part
from checker.model import (
    CountFact,
    Digest,
    Document,
    Facts,
    Figure,
    Identity,
    Passage,
    Place,
    Span,
    StatedCell,
    StatedRow,
)

# --------------------------------------------------------------------------- comparable text

_NOT_WORD = re.compile(r"[^\w]|_")  # punctuation, spaces: a copy does not depend on them


def comparable(text: str) -> str:
    """The characters two copies of a paragraph share: Han characters, letters, digits."""
    return _NOT_WORD.sub("", text)


# --------------------------------------------------------------------------- the measures' pairs
# A pair of adjacent characters is looked up as a 16-bit id: the low bytes of their UTF-16
# code units side by side. A digest keeps the measures as those low bytes, one a character
# (encoded and sliced by C code): it is made for every report of a run, and building a set
# of pairs there (boxing each id) cost far more than the few reports that are ever paired
# need. 65 536 ids for ~3 000 pairs a report: a pair it never held is "held" about one time
# in twenty, which only makes S111 report fewer items.


def low_bytes(text: str) -> bytes:
    """The low byte of each UTF-16 code unit of ``text``: what a digest keeps of it."""
    return text.encode("utf-16-le")[::2]


def held_pairs(low: bytes) -> set[int]:
    """The 16-bit ids of the adjacent pairs of ``low`` (its 2-byte windows at even and at
    odd offsets)."""
    ids = set(array("H", low[: len(low) // 2 * 2]))
    rest = low[1:]
    ids.update(array("H", rest[: len(rest) // 2 * 2]))
    return ids


def pair_mask(low: bytes) -> int:
    """:func:`held_pairs` as the bits of one int (bit *i* set: pair id *i* held), 8 KB a
    report: two reports' shared pairs are then counted with one AND and a bit count, ~10 ×
    faster than with sets of thousands of ints."""
    bits = bytearray(1 << 13)
    for pair in held_pairs(low):
        bits[pair >> 3] |= 1 << (pair & 7)
    return int.from_bytes(bits, "little")


def pair_mask_numpy(low: bytes) -> int:
    """:func:`pair_mask`, made ~10 × faster by numpy: for a run that loads it anyway (MinHash
    LSH's datasketch needs it), so that a small run does not pay its import."""
    if len(low) < 2:
        return 0
    import numpy as np

    bits = np.zeros(1 << 16, dtype=np.uint8)
    bits[np.frombuffer(low, dtype=np.uint16, count=len(low) // 2)] = 1
    bits[np.frombuffer(low, dtype=np.uint16, count=(len(low) - 1) // 2, offset=1)] = 1
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def pair_ids(text: str) -> set[int]:
    """Each pair of adjacent characters of ``text`` as its 16-bit id."""
    return held_pairs(low_bytes(text))


# --------------------------------------------------------------------------- what a file keeps


class DigestSpec(NamedTuple):
    """What the active rules across reports need of each file."""

    passage_parts: frozenset[str]  # section rule codes whose paragraphs S112/S113 compare
    min_length: int  # shorter paragraphs (comparable characters) are not kept
    plan_part: str | None  # the plan part's section rule (S111)
    # The parts outside of which the text is the year's measures (S111: the plan and the
    # shortcomings; else S113's parts: the rest of the report); None: not kept.
    measures_without: frozenset[str] | None
    figures: bool  # N210
    # The table rows to keep: (code of the table rule that reads them, row names), P401.
    rows: tuple[tuple[str, tuple[str, ...]], ...] = ()


class PriorFigureParams(NamedTuple):
    """N210 has no params: figures compare exactly, growths at their stated precision."""


class PlanParams(NamedTuple):
    plan: str  # the section rule of the plan part
    not_measures: tuple[str, ...]  # parts whose text does not count as taking an item up
    generic: re.Pattern[str] | None  # words every plan uses (推进, 进一步): removed from items
    min_pairs: int  # items with fewer character pairs left are not judged
    taken_up: float  # an item whose pairs this year's measures hold at this share is taken up
    max_listed: int


class CopiedParams(NamedTuple):
    parts: tuple[str, ...]
    min_length: int
    similarity: float  # fuzz.ratio, 0–100


class TemplateParams(NamedTuple):
    parts: tuple[str, ...]
    min_length: int
    similarity: float
    lsh_from: int  # with this many paragraphs or more, candidates come from MinHash LSH
    num_perm: int
    lsh_threshold: float  # the Jaccard similarity of 3-character shingles LSH looks for
    # Two reports whose measures share this much of their character pairs are one report
    # filed twice (a copy under another title), not two that share a template.
    same_report: float


class CarryOverParams(NamedTuple):
    table: str  # the table-identity rule whose table holds both rows (P201)
    carried: str  # this year's row of what last year left open ("carried": 二、上年结转)
    forward: str  # last year's row of what it left open ("forward": 四、结转下年度继续办理)


def digest_spec(params: Iterable[object]) -> DigestSpec:
    parts: set[str] = set()
    min_length = 1 << 30
    plan: str | None = None
    without: frozenset[str] | None = None
    template_parts: frozenset[str] | None = None
    figures = False
    rows: dict[str, set[str]] = {}
    for p in params:
        if isinstance(p, (CopiedParams, TemplateParams)):
            parts.update(p.parts)
            min_length = min(min_length, p.min_length)
            if isinstance(p, TemplateParams):
                template_parts = frozenset(p.parts)
        elif isinstance(p, PlanParams):
            plan = p.plan
            without = frozenset((p.plan, *p.not_measures))
        elif isinstance(p, PriorFigureParams):
            figures = True
        elif isinstance(p, CarryOverParams):
            rows.setdefault(p.table, set()).update((p.carried, p.forward))
    kept_rows = tuple((table, tuple(sorted(names))) for table, names in sorted(rows.items()))
    return DigestSpec(frozenset(parts), min_length, plan, without or template_parts, figures, kept_rows)


class _Places:
    """Places in one document, each line's original text read once (passages of one line
    share the string)."""

    def __init__(self, doc: Document) -> None:
        self.source = doc.source
        self.lines: dict[int, str] = {}

    def of(self, span: Span, *, framed: bool = True) -> Place:
        """``framed``: a finding may point at it, so its line's text is kept for the frame;
        a place only ever referred to from another file's finding keeps none."""
        start, end = self.source.position(span.start), self.source.position(span.end)
        if not framed:
            return Place(span, start, end, "")
        if start.line not in self.lines:
            self.lines[start.line] = self.source.line_text(start.line)
        return Place(span, start, end, self.lines[start.line])


def _part_ranges(doc: Document, codes: Iterable[str], ctx: Context) -> dict[str, tuple[int, int]]:
    """Each found part's range of the original text: its opening (heading or lead-in) and body."""
    ranges: dict[str, tuple[int, int]] = {}
    for code in sorted(codes):
        params = ctx.params_by_code.get(code)
        part: Part | None = find_part(doc, params, ctx) if params is not None else None
        if part is not None:
            ranges[code] = (part.span.start, part.body.end)
    return ranges


def _part_of(ranges: dict[str, tuple[int, int]], span: Span) -> str | None:
    return next((code for code, (start, end) in ranges.items() if span.end > start and span.start < end), None)


_ISSUER_LINE = 30  # characters: a longer line before the 落款 date is text, not the signing body


def _signature_lines(doc: Document) -> set[int]:
    """The 落款: the line of each signature date and the body's name right above it. They
    follow the last part, but are no plan item and no paragraph of it."""
    dated = {doc.source.line_of(d.span.start) for d in doc.dates if d.role == "signature"}
    lines = set(dated)
    for index, paragraph in enumerate(doc.paragraphs[1:], 1):
        before = doc.paragraphs[index - 1]
        if paragraph.line in dated and len(before.text) <= _ISSUER_LINE and "。" not in before.text:
            lines.add(before.line)
    return lines


def digest(
    doc: Document, identity: Identity, spec: DigestSpec, ctx: Context, suppressions: object | None = None
) -> Digest:
    """What the rules across reports keep of ``doc``, whose organisation and year are
    ``identity`` (checker.extract.identity)."""
    places = _Places(doc)
    measured = spec.measures_without is not None
    without = spec.measures_without or frozenset()
    wanted = spec.passage_parts | without | ({spec.plan_part} if spec.plan_part else set())
    ranges = _part_ranges(doc, wanted, ctx)
    passages: list[Passage] = []
    items: list[Passage] = []
    measures: list[str] = []
    skipped = _signature_lines(doc) | ({doc.title.line} if doc.title else set())
    for paragraph in doc.paragraphs:
        if paragraph.line in skipped:
            continue
        part = _part_of(ranges, paragraph.span)
        if part is None or part not in without:
            if measured:
                measures.append(paragraph.text)
            if part is None:
                continue
        if part in spec.passage_parts and len(comparable(paragraph.text)) >= spec.min_length:
            place = places.of(paragraph.span)
            # As written: a copy is a copy of the characters (and the frame's line is this text).
            written = doc.source.text[paragraph.span.start : paragraph.span.end]
            passages.append(Passage(part, place.line_text if written == place.line_text else written, place))
        if part == spec.plan_part and paragraph.span.start > ranges[part][0] and paragraph.sentences:
            first = paragraph.sentences[0]
            items.append(Passage(part, first.text, places.of(first.span, framed=False)))  # only referred to
    figures = tuple(_figures(doc, places)) if spec.figures and doc.report_year and doc.facts else ()
    return Digest(
        identity.organisation,
        identity.year,
        tuple(passages),
        tuple(items),
        low_bytes("".join(measures)) if measured and measures else b"",
        figures,
        suppressions,
        rows=tuple(_stated_rows(doc, spec, ctx, places)),
    )


def _stated_rows(doc: Document, spec: DigestSpec, ctx: Context, places: _Places) -> Iterator[StatedRow]:
    """The rows ``spec`` names, as their table rules read them (through the cache the
    table's own checks fill), with each cell whose number is known."""
    for table, names in spec.rows:
        params: TableIdentityParams = ctx.params_by_code[table]
        grid = read_grid(doc, params, ctx)
        if grid is None:
            continue
        for slot in params.rows:
            row = grid.rows.get(slot.name)
            if slot.name not in names or row is None:
                continue  # a group row summed from its parts is not compared
            cells = tuple(
                StatedCell(column.name, column.show, cell.value, places.of(cell.span))
                for column, cell in zip(params.columns, row.cells, strict=True)
                if cell.value is not None  # blank: unknown
            )
            yield StatedRow(table, slot.name, slot.show, cells)


# --------------------------------------------------------------------------- figures (N210)

# Words right before a count (in its sentence) that put it in another period than the
# report's year; a year named there must be the report's.
_OTHER_PERIOD = re.compile(r"上年|去年|上一年|同期|累计|以来|历年|年均|(?:19|20)\d{2}年")
_SENTENCE_END = re.compile(r".*[。;!?\n]", re.DOTALL)
_LAST_YEAR = re.compile(r"上年|去年|上一年|上年同期|同期")
_YEAR_BEFORE = re.compile(r"((?:19|20)\d{2})年[^\d年]{0,12}$")
_GROWTH_AGAINST_LAST_YEAR = re.compile(r"(同比|比上年|较上年|比去年|较去年|与上年相比|与去年相比)[^,。;]{0,4}$")
_BEFORE = 12  # characters before a count read for its period


def _view_before(doc: Document, view_start: int, chars: int = _BEFORE) -> str:
    """Up to ``chars`` characters of the view before ``view_start``, within its sentence."""
    text = doc.view.text[max(0, view_start - chars) : view_start]
    end = _SENTENCE_END.match(text)
    return text[end.end() :] if end else text


def _another_period(text: str, year: int) -> bool:
    return any(m.group() != f"{year}年" for m in _OTHER_PERIOD.finditer(text))


def _count_view_start(doc: Document, fact: CountFact) -> int:
    paragraph = doc.paragraphs[fact.paragraph]
    return paragraph.view_start + fact.quantity.start


def _figures(doc: Document, places: _Places) -> Iterator[Figure]:
    facts: Facts = doc.facts  # type: ignore[assignment]  # the caller checked
    year: int = doc.report_year  # type: ignore[assignment]
    priors = {id(g.before) for g in facts.growths if g.before is not None}
    priors |= {id(g.stated_delta) for g in facts.growths if g.stated_delta is not None}
    for count in facts.counts:
        if count.role is None or not count.object or count.quantity.approx is not None or count.in_parens:
            continue
        if id(count) in priors or _another_period(_view_before(doc, _count_view_start(doc, count)), year):
            continue
        yield _figure(count, year, count.quantity.value, False, count.text, count.span, places)
    used: set[int] = set()
    for growth in facts.growths:
        after = growth.after
        if after.role is None or not after.object or after.quantity.approx is not None:
            continue
        if growth.shape == "prior" and growth.before is not None and growth.before.quantity.approx is None:
            before = growth.before
            quoted_year = _quoted_year(doc, before, year)
            if quoted_year is not None:
                yield _figure(after, quoted_year, before.quantity.value, True, before.text, before.span, places)
        elif (
            growth.shape == "delta" and growth.stated_delta is not None and growth.stated_delta.quantity.approx is None
        ):
            delta = growth.stated_delta
            prior = after.quantity.value - growth.direction * delta.quantity.value
            yield _figure(after, year - 1, prior, True, delta.text, delta.span, places)
        if growth.stated_percent is not None:
            used.add(id(growth.stated_percent))
    yield from _growth_bases(doc, facts, year, used, places)


def _quoted_year(doc: Document, before: CountFact, year: int) -> int | None:
    """The year a quoted prior is for: one named right before it, else last year for 上年."""
    text = _view_before(doc, _count_view_start(doc, before))
    named = _YEAR_BEFORE.search(text)
    if named:
        return int(named.group(1))
    return year - 1 if _LAST_YEAR.search(text) else None


def _growth_bases(doc: Document, facts: Facts, year: int, used: set[int], places: _Places) -> Iterator[Figure]:
    """X件,同比增长P%: last year's base, implied by the count and the growth."""
    by_sentence: dict[int, tuple[list[int], list[CountFact]]] = {}  # ends and counts, in text order
    for c in facts.counts:
        ends, counts = by_sentence.setdefault(c.sentence, ([], []))
        ends.append(c.span.end)
        counts.append(c)
    for change in facts.changes:
        q = change.quantity
        if id(change) in used or change.about_rate is not None or q.approx is not None or q.unit != "%":
            continue
        ends, counts = by_sentence.get(change.sentence, ([], []))
        at = bisect.bisect_right(ends, change.span.start)  # the last count before the change
        if at == 0:
            continue
        count = counts[at - 1]
        if count.role is None or not count.object or count.quantity.approx is not None:
            continue
        paragraph = doc.paragraphs[count.paragraph]
        gap = doc.view.text[paragraph.view_start + count.quantity.end : paragraph.view_start + q.start]
        if len(gap) > 16 or not _GROWTH_AGAINST_LAST_YEAR.search(gap):
            continue
        figure = _figure(count, year - 1, count.quantity.value, True, change.text, change.span, places)
        yield figure._replace(growth=(q.value, q.decimals, change.direction))


def _figure(
    count: CountFact, year: int, value: Decimal, quoted: bool, text: str, span: Span, places: _Places
) -> Figure:
    assert count.role is not None
    place = places.of(span, framed=quoted)  # N210 points at a quoted figure, and refers to a stated one
    return Figure(year, count.role, count.object, count.unit_class, value, quoted, text, place)


# --------------------------------------------------------------------------- pairs of years


def last_years(corpus: Corpus) -> Iterator[tuple[int, int]]:
    """(this year's report, last year's report of the same organisation and profile), for
    each input whose organisation and year are known and whose previous report is in the
    corpus (the first such in corpus order: inputs, then --previous). The profile too: an
    organisation's 法治政府建设 report and its 政府信息公开 report are two series."""
    by_key: dict[tuple[str, int, str | None], int] = {}
    for index, d in enumerate(corpus.keys):
        if d.organisation is not None and d.year is not None:
            by_key.setdefault((d.organisation, d.year, d.profile), index)
    for index in range(corpus.inputs):
        d = corpus.keys[index]
        if d.organisation is None or d.year is None:
            continue
        previous = by_key.get((d.organisation, d.year - 1, d.profile))
        if previous is not None:
            yield index, previous


def _no_finding(doc: Document, params: object, ctx: Context) -> Iterable[Finding]:
    return ()  # compared across reports by ``across``


# --------------------------------------------------------------------------- N210


def _stated(digest: Digest) -> dict[tuple[str, str, str], Figure | None]:
    """Each figure a report states for its own year by (role, object, unit class); None
    where it states two values for one key (which one would be quoted is unknown)."""
    stated: dict[tuple[str, str, str], Figure | None] = {}
    for f in digest.figures:
        if f.quoted:
            continue
        key = (f.role, f.object, f.unit_class)
        if key in stated and (earlier := stated[key]) is not None and earlier.value != f.value:
            stated[key] = None
        else:
            stated.setdefault(key, f)
    return stated


def _agrees(quoted: Figure, stated: Decimal) -> bool:
    if quoted.growth is None:
        return quoted.value == stated
    percent, decimals, direction = quoted.growth
    if stated <= 0:
        return True  # no growth from nothing: nothing to compare
    difference = quoted.value - stated
    if difference != 0 and (difference < 0) != (direction < 0):
        return False
    return consistent(percent, decimals, abs(difference) * HUNDRED / stated)


def check_prior_figures(corpus: Corpus, params: Sequence[PriorFigureParams | None]) -> Iterator[CrossFinding]:
    for this, last in last_years(corpus):
        if params[this] is None:
            continue
        current, previous = corpus.digests[this], corpus.digests[last]
        stated = _stated(previous)
        for quoted in current.figures:
            if not quoted.quoted or quoted.year != previous.year:
                continue
            figure = stated.get((quoted.role, quoted.object, quoted.unit_class))
            if figure is None or _agrees(quoted, figure.value):
                continue
            what = f"{quoted.role}{quoted.object}"
            if quoted.growth is None:
                says = Text(
                    f"{quoted.year}年{what} {fmt(quoted.value)}", f"{what} in {quoted.year}: {fmt(quoted.value)}"
                )
            else:
                says = Text(
                    f"{quoted.text}(本年 {fmt(quoted.value)},上年应为 {fmt(figure.value)})",
                    f"{quoted.text} (this year {fmt(quoted.value)}; last year's was {fmt(figure.value)})",
                )
            yield CrossFinding(
                this,
                Finding(
                    quoted.place.span,
                    variant="growth" if quoted.growth else "default",
                    args={
                        "what": what,
                        "year": quoted.year,
                        "quoted": quoted.text,
                        "stated": figure.text,
                        "value": fmt(quoted.value),
                        "stated_value": fmt(figure.value),
                    },
                    labels=(),
                    note=says,
                ),
                (
                    RelatedPlace(
                        last, figure.place, Text(f"上年报告所报:{figure.text}", f"last year's report: {figure.text}")
                    ),
                ),
            )


# --------------------------------------------------------------------------- S111


def _item_pairs(text: str, generic: re.Pattern[str] | None) -> set[int]:
    """The character pairs of an item, the words every plan uses taken out first (a pair
    never spans a word taken out)."""
    pieces = generic.split(comparable(text)) if generic is not None else [comparable(text)]
    return set().union(*(pair_ids(piece) for piece in pieces))


_ITEM_SHOWN = 24  # characters of an item the message quotes


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _ITEM_SHOWN else text[:_ITEM_SHOWN] + "…"


def check_plan_followed_up(corpus: Corpus, params: Sequence[PlanParams | None]) -> Iterator[CrossFinding]:
    for this, last in last_years(corpus):
        p = params[this]
        current, previous = corpus.digests[this], corpus.digests[last]
        if p is None or not current.measures or not previous.plan_items:
            continue
        missing: list[Passage] = []
        measures = held_pairs(current.measures)
        for item in previous.plan_items:
            pairs = _item_pairs(item.text, p.generic)
            if len(pairs) < p.min_pairs:
                continue
            held = len(pairs & measures)
            if held < p.taken_up * len(pairs):
                missing.append(item)
        if not missing:
            continue
        listed = [_shown(item.text) for item in missing[: p.max_listed]]
        more = len(missing) - len(listed)
        yield CrossFinding(
            this,
            Finding(
                None,
                args={
                    "count": len(missing),
                    "year": previous.year,
                    "items_zh": "、".join(f"“{i}”" for i in listed) + (f"等{len(missing)}项" if more else ""),
                    "items_en": "; ".join(f"“{i}”" for i in listed) + (f" and {more} more" if more else ""),
                },
            ),
            tuple(
                RelatedPlace(last, item.place, Text("上年计划事项", "an item of last year's plan")) for item in missing
            ),
        )


# --------------------------------------------------------------------------- S112


def check_copied_from_last_year(corpus: Corpus, params: Sequence[CopiedParams | None]) -> Iterator[CrossFinding]:
    from rapidfuzz import fuzz, process

    for this, last in last_years(corpus):
        p = params[this]
        if p is None:
            continue
        choices = [q for q in corpus.digests[last].passages if q.part in p.parts]
        if not choices:
            continue
        texts = [comparable(q.text) for q in choices]
        for passage in corpus.digests[this].passages:
            text = comparable(passage.text)
            if passage.part not in p.parts or len(text) < p.min_length:
                continue
            found = process.extractOne(text, texts, scorer=fuzz.ratio, score_cutoff=p.similarity)
            if found is None:
                continue
            _, score, index = found
            yield CrossFinding(
                this,
                Finding(passage.place.span, args={"similarity": f"{score:.0f}%"}),
                (RelatedPlace(last, choices[index].place, Text("上年报告中的同一段", "the same paragraph last year")),),
            )


# --------------------------------------------------------------------------- P401


def _stated_row(digest: Digest, table: str, row: str) -> StatedRow | None:
    return next((r for r in digest.rows if r.table == table and r.row == row), None)


def check_carry_over(corpus: Corpus, params: Sequence[CarryOverParams | None]) -> Iterator[CrossFinding]:
    """This year's row ``carried`` against last year's row ``forward``, column by column:
    only cells both reports fill in (a blank one is unknown)."""
    for this, last in last_years(corpus):
        p = params[this]
        if p is None:
            continue
        carried = _stated_row(corpus.digests[this], p.table, p.carried)
        forward = _stated_row(corpus.digests[last], p.table, p.forward)
        if carried is None or forward is None:
            continue
        left_open = {cell.column: cell for cell in forward.cells}
        for cell in carried.cells:
            before = left_open.get(cell.column)
            if before is None or before.value == cell.value:
                continue
            yield CrossFinding(
                this,
                Finding(
                    cell.place.span,
                    args={
                        "column": cell.show,
                        "carried": carried.show,
                        "value": cell.value,
                        "forward": forward.show,
                        "forward_value": before.value,
                        "year": corpus.digests[last].year,
                    },
                ),
                (
                    RelatedPlace(
                        last,
                        before.place,
                        Text(
                            f"上年报告“{forward.show}”{before.show}:{before.value}",
                            f"last year's “{forward.show}”, {before.show}: {before.value}",
                        ),
                    ),
                ),
            )


# --------------------------------------------------------------------------- S113

# Candidates one paragraph is compared with, at most, in the order of the corpus: a template
# used by thousands of reports finds another organisation's copy among its first few.
MAX_VERIFIED = 64
_MEASURES_HELD = 1024  # reports whose measures' masks (8 KB each) are held while the phase compares


class _Shared(NamedTuple):
    text: str  # comparable text
    members: list[tuple[int, int]]  # (report, its passage's index), in corpus order


def check_shared_template(corpus: Corpus, params: Sequence[TemplateParams | None]) -> Iterator[CrossFinding]:
    """Runs once per distinct params (files with different configs may set other thresholds)."""
    for p in dict.fromkeys(x for x in params if x is not None):
        yield from _shared(corpus, params, p)


def _shared(corpus: Corpus, params: Sequence[TemplateParams | None], p: TemplateParams) -> Iterator[CrossFinding]:
    from rapidfuzz import fuzz

    keys, digests = corpus.keys, corpus.digests
    groups: dict[str, _Shared] = {}  # identical texts first: one entry each
    for index in range(corpus.inputs):
        if keys[index].organisation is None:
            continue  # "another organisation" needs to know this one
        for number, passage in enumerate(digests[index].passages):
            text = comparable(passage.text)
            if passage.part in p.parts and len(text) >= p.min_length:
                groups.setdefault(text, _Shared(text, [])).members.append((index, number))
    shared = list(groups.values())
    candidates = _candidates([s.text for s in shared], p)
    # Each text's first paragraph of each organisation, in corpus order: a template used by
    # thousands of one organisation's files is compared once per organisation, not per file.
    firsts: list[list[tuple[int, int]]] = []
    for group in shared:
        first: dict[str | None, tuple[int, int]] = {}
        for member in group.members:
            first.setdefault(keys[member[0]].organisation, member)
        firsts.append(list(first.values()))

    masked = pair_mask_numpy if len(shared) >= p.lsh_from else pair_mask

    # A report's measures' pairs, made when it is compared: held for the last reports
    # compared only (every report of a run of thousands may be).
    @functools.lru_cache(maxsize=_MEASURES_HELD)
    def measures_of(report: int) -> tuple[int, int]:
        """The report's measures' pairs as a mask, and how many they are."""
        mask = masked(digests[report].measures)
        return mask, mask.bit_count()

    def another(report: int, other: int) -> bool:
        """Another organisation's report: names that differ by a character or two, or of
        which one holds the other (龙门街道办事处, 巫山县龙门街道办事处), are one organisation
        written two ways, and a report whose measures are this one's is this report filed
        again under another title."""
        a, b = keys[report].organisation, keys[other].organisation
        if a is None or b is None or a in b or b in a or fuzz.ratio(a, b) >= p.similarity:
            return False
        (mine, my_count), (theirs, their_count) = measures_of(report), measures_of(other)
        common = (mine & theirs).bit_count()
        union = my_count + their_count - common
        return not union or common < p.same_report * union

    def first_other(report: int, places: Iterable[tuple[int, int, float]]) -> tuple[int, int, float] | None:
        """The first of ``places`` (report, passage, score) in another organisation's report,
        among the first MAX_VERIFIED: when that many organisations' copies are all this
        report's organisation or this report filed again (a whole report every organisation
        of a county filed), looking further would compare every report with every other."""
        return next((place for place in itertools.islice(places, MAX_VERIFIED) if another(report, place[0])), None)

    # The one organisation of each text whose every copy is that organisation's, else None.
    only = [keys[first[0][0]].organisation if len(first) == 1 else None for first in firsts]

    def near(position: int) -> list[tuple[int, float]]:
        """The texts near enough to ``shared[position]``, among its first candidates. A text
        that only one organisation wrote cannot make a copy of the same organisation's text
        another's: it is passed over unscored (an organisation's own reports of many years,
        or filed again, are near copies of one another)."""
        found = []
        for other in itertools.islice(candidates(position), MAX_VERIFIED):
            if only[other] is not None and only[other] == only[position]:
                continue
            score = fuzz.ratio(shared[position].text, shared[other].text, score_cutoff=p.similarity)
            if score:
                found.append((other, score))
        return found

    for position, group in enumerate(shared):
        close: list[tuple[int, float]] | None = None  # computed once per text, when asked
        for report, number in group.members:
            if params[report] != p:
                continue
            match = first_other(report, ((o, q, 100.0) for o, q in firsts[position]))
            if match is None:
                close = near(position) if close is None else close
                match = first_other(report, ((o, q, score) for other, score in close for o, q in firsts[other]))
            if match is None:
                continue
            other, theirs, score = match
            yield CrossFinding(
                report,
                Finding(
                    digests[report].passages[number].place.span,
                    args={"similarity": f"{score:.0f}%", "organisation": keys[other].organisation},
                ),
                (
                    RelatedPlace(
                        other,
                        digests[other].passages[theirs].place,
                        Text("另一单位报告中的同一段", "the same paragraph in another organisation's report"),
                    ),
                ),
            )


def _shingles(text: str) -> set[int]:
    """The text's 3-character shingles, each hashed to 32 bits (datasketch permutes them):
    ints, not bytes, so that thousands of paragraphs are hashed fast and held small."""
    codes = [ord(c) for c in text]
    return {
        (a * 0x9E3779B1 ^ b * 0x85EBCA77 ^ c * 0xC2B2AE3D) & 0xFFFFFFFF for a, b, c in zip(codes, codes[1:], codes[2:])
    }


def _candidates(texts: list[str], p: TemplateParams) -> Callable[[int], Iterable[int]]:
    """A function: position of a text → positions of the texts it may be a copy of, in
    order. Every other text below ``lsh_from`` texts; from there MinHash LSH's candidates,
    at most MAX_VERIFIED of each: every text is queried (it finds the earlier ones near it)
    and then inserted, so no signature is kept — unless it found MAX_VERIFIED already: a
    text copied thousands of times would otherwise make each query return every earlier
    copy (quadratic: 1 000 reports of five organisations' near copies took 5 s, 2 000 took
    16 s), and a later copy finds its first candidates among the copies inserted before.

    The index is datasketch's banding (its optimal bands for the threshold) held in plain
    dicts, a band's key → the text, or the texts, in its bucket: datasketch's own index
    keeps a set per key and a list of keys per text, ~2.4 KB a text against ~0.8 KB here,
    and an archive of thousands of reports has tens of thousands of distinct paragraphs."""
    if len(texts) < p.lsh_from:
        everything = range(len(texts))
        return lambda position: (i for i in everything if i != position)
    from datasketch import MinHash, MinHashLSH

    bands = MinHashLSH(threshold=p.lsh_threshold, num_perm=p.num_perm).hashranges
    buckets: list[dict[bytes, int | list[int]]] = [{} for _ in bands]
    near: list[list[int]] = [[] for _ in texts]
    signatures = MinHash.generator((_shingles(t) for t in texts), num_perm=p.num_perm, hashfunc=int)
    for position, minhash in enumerate(signatures):
        values = minhash.hashvalues
        keys = [values[start:end].tobytes() for start, end in bands]
        found: set[int] = set()
        for key, band in zip(keys, buckets, strict=True):
            held = band.get(key)
            if held is not None:
                found.update((held,) if isinstance(held, int) else held)
        for other in sorted(found):
            if len(near[position]) < MAX_VERIFIED:
                near[position].append(other)
            if len(near[other]) < MAX_VERIFIED:
                near[other].append(position)
        if len(near[position]) < MAX_VERIFIED:
            for key, band in zip(keys, buckets, strict=True):
                held = band.get(key)
                if held is None:
                    band[key] = position  # most buckets hold one text: no list for it
                elif isinstance(held, int):
                    band[key] = [held, position]
                else:
                    held.append(position)
    return near.__getitem__

KINDS = (
    KindSpec(
        "prior-figure",
        _no_finding,
        "checker.checks.crossyear_schema:PriorFigureModel",
        variants=frozenset({"growth"}),
        args=frozenset({"what", "year", "quoted", "stated", "value", "stated_value", "other"}),
        reads_facts=True,
        across=check_prior_figures,
    ),
    KindSpec(
        "plan-followed-up",
        _no_finding,
        "checker.checks.crossyear_schema:PlanFollowedUpModel",
        args=frozenset({"count", "year", "items_zh", "items_en", "other"}),
        across=check_plan_followed_up,
    ),
    KindSpec(
        "copied-from-last-year",
        _no_finding,
        "checker.checks.crossyear_schema:CopiedModel",
        args=frozenset({"similarity", "other"}),
        across=check_copied_from_last_year,
    ),
    KindSpec(
        "shared-template",
        _no_finding,
        "checker.checks.crossyear_schema:TemplateModel",
        args=frozenset({"similarity", "organisation", "other"}),
        across=check_shared_template,
    ),
    KindSpec(
        "carry-over",
        _no_finding,
        "checker.checks.crossyear_schema:CarryOverModel",
        args=frozenset({"column", "carried", "value", "forward", "forward_value", "year", "other"}),
        across=check_carry_over,
    ),
)
