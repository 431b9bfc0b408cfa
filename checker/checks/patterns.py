"""Text kinds: patterns that must not occur (placeholders, page chrome, debris) and
traditional characters in a simplified report.

Speed: every pattern scans the whole text, so the rule files write each regex to start
with a literal where they can (the engine then jumps from one occurrence of it to the
next instead of trying the pattern at every character), and the per-match work here is
kept to integers until a match becomes part of a finding.

Fixes: a rule's ``fix`` param says what ``--fix`` may do with its matches, and the finding
carries the edits. ``delete-match`` deletes each match (T403's pinyin). ``delete-line``
deletes, with their line ends, the lines of a finding when each holds nothing but matches
of the rule, of the active rules named in ``line_debris``, spaces and punctuation (T402's
chrome: a block is removed whole or not at all, so a line with any other text keeps its
block as it is, for a person to judge); in Markdown a ``|`` line next to another is a
table's row, not debris, and stays.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from operator import itemgetter
from typing import Literal, NamedTuple

from checker.checks import Context, Finding, FindingFix, FindingLabel, KindSpec, Text
from checker.model import Document, Edit, Span
from checker.normalize import traditional_pattern, traditional_to_simplified


class PatternItem(NamedTuple):
    regex: re.Pattern[str] | None  # None: ``find`` finds the matches
    label: Text
    find: Callable[[str], Iterable[tuple[int, int]]] | None = None  # a finder of checker.checks.encoding
    needs: str = ""  # characters of which every match holds one: a text with none is not searched


class PatternParams(NamedTuple):
    patterns: tuple[PatternItem, ...]
    target: Literal["original", "view"]  # search the file as written, or the matching view
    scope: Literal["text", "title"]
    max_line_length: int | None  # a match counts only on a line at most this long
    group: Literal["match", "line", "block", "file"]  # one finding per match, line, run of lines, file
    max_labels: int
    unless: re.Pattern[str] | None  # nothing is reported when this matches the scope
    fix: Literal["delete-match", "delete-line"] | None  # what --fix does (module docstring)
    line_debris: tuple[str, ...]  # delete-line: codes of other pattern rules a deleted line may hold
    outside_tables: bool = False  # a match on a table's line (Document.table_lines) does not count


# A match: original start, original end, the label of its pattern.
_Match = tuple[int, int, Text]
# Each pattern's matches (original start, end), in order, with the pattern's label.
_Found = list[tuple[list[tuple[int, int]], Text]]

_DELETE_MATCH = Text("删除匹配的文字", "delete the matched text")
_DELETE_LINE = Text("删除只有这些内容的行", "delete the lines that hold nothing else")
_MARKDOWN_SUFFIX = ".md"
_START, _END = itemgetter(0), itemgetter(1)


def _found(doc: Document, params: PatternParams) -> _Found:
    """Every match of every pattern, in the original text (one pattern's may overlap another's)."""
    if params.scope == "title":
        if doc.title is None:
            return []
        text, base = doc.title.text, doc.title.view_start
    else:
        text = doc.source.text if params.target == "original" else doc.view.text
        base = 0
    view_span = None if params.target == "original" and params.scope == "text" else doc.view.span_maker()
    source = doc.source
    max_line_length = params.max_line_length
    long_lines: dict[int, bool] = {}
    found: _Found = []
    for item in params.patterns:
        spans: list[tuple[int, int]] = []
        for start, end in _item_matches(item, text):
            if end <= start:
                continue
            # Patterns anchored at a line start take the newline and indentation: point at the words.
            if text[start].isspace() or text[end - 1].isspace():
                matched = text[start:end]
                start += len(matched) - len(matched.lstrip())
                end -= len(matched) - len(matched.rstrip())
                if end <= start:
                    continue
            if view_span is not None:
                span = view_span(base + start, base + end)
                start, end = span.start, span.end
            if params.outside_tables and source.line_of(start) in doc.table_lines:
                continue
            if max_line_length is not None:
                line = source.position(start).line
                too_long = long_lines.get(line)
                if too_long is None:
                    too_long = long_lines[line] = len(source.line_text(line).strip()) > max_line_length
                if too_long:
                    continue
            spans.append((start, end))
        if spans:
            found.append((spans, item.label))
    return found


def _found_once(doc: Document, params: PatternParams) -> _Found:
    """:func:`_found`, once per document and rule: a rule's matches are also the debris of
    another rule's line deletions (T402 reads T401's and T403's)."""
    return doc.derived(("pattern", id(params)), lambda: _found(doc, params))


def _without_overlaps(found: _Found) -> list[_Match]:
    """The matches, sorted, without overlaps."""
    if len(found) == 1:  # the matches of one pattern are in order and do not overlap
        spans, label = found[0]
        return [(start, end, label) for start, end in spans]
    # Overlapping patterns (e.g. 微信扫一扫 and 扫一扫) report the outermost match once; of
    # two equal matches, the first pattern's.
    ordered = sorted(
        (start, -end, index, label) for index, (spans, label) in enumerate(found) for start, end in spans
    )
    kept: list[_Match] = []
    kept_end = -1
    for start, neg_end, _, label in ordered:
        if start < kept_end:
            continue
        kept_end = -neg_end
        kept.append((start, kept_end, label))
    return kept


def _item_matches(item: PatternItem, text: str) -> Iterator[tuple[int, int]]:
    if item.find is not None:
        yield from item.find(text)
        return
    assert item.regex is not None
    # A pattern that starts with a class makes re test every character against it (~6 ns
    # each); ``in`` looks for one character ~20 × faster.
    if item.needs and not any(char in text for char in item.needs):
        return
    first = item.regex.search(text)  # most patterns match nowhere: no iterator for them
    if first is None:
        return
    for m in item.regex.finditer(text, first.start()):  # the first match, then the rest
        yield m.span()


def _groups(doc: Document, matches: list[_Match], group: str) -> Iterator[list[_Match]]:
    if group == "match":
        yield from ([m] for m in matches)
        return
    if group == "file":
        if matches:
            yield matches
        return
    position = doc.source.position
    current: list[_Match] = []
    current_line = 0
    for m in matches:
        line = position(m[0]).line
        if current and not _same_group(doc, current_line, line, group):
            yield current
            current = []
        current.append(m)
        current_line = line
    if current:
        yield current


def _same_group(doc: Document, line_a: int, line_b: int, group: str) -> bool:
    if line_a == line_b:
        return True
    if group == "line":
        return False
    # block: only blank lines between the two
    return all(not doc.source.line_text(n).strip() for n in range(line_a + 1, line_b))


def check_pattern(doc: Document, params: PatternParams, ctx: Context) -> Iterator[Finding]:
    if params.unless is not None:
        scope_text = doc.title.text if params.scope == "title" and doc.title else doc.view.text
        if params.unless.search(scope_text):
            return
    original = doc.source.text
    found = _found_once(doc, params)
    groups = list(_groups(doc, _without_overlaps(found), params.group))
    fixes: list[FindingFix | None] = [None] * len(groups)
    if params.fix == "delete-match":
        fixes = [FindingFix(_deletions(group), _DELETE_MATCH) for group in groups]
    elif params.fix == "delete-line" and groups:
        fixes = _line_deletions(doc, params, ctx, found, groups)
    for group, fix in zip(groups, fixes):
        start, end, _ = group[0]
        yield Finding(
            span=Span(start, end),
            args={"match": original[start:end], "count": len(group)},
            labels=tuple(FindingLabel(Span(s, e), label) for s, e, label in group[: params.max_labels]),
            fix=fix,
        )


def _line_deletions(
    doc: Document, params: PatternParams, ctx: Context, found: _Found, groups: list[list[_Match]]
) -> list[FindingFix | None]:
    """For each group, the deletion of the lines it touches that hold nothing but debris.
    Coverage counts every match, also those the overlap rule drops from the findings."""
    source = doc.source
    candidates: set[int] = set()  # lines with a match of this rule
    for spans, _ in found:
        for start, end in spans:
            candidates.update(range(source.line_of(start), source.line_of(max(start, end - 1)) + 1))
    # A blank line inside a match (阅读:\n\n1279) is layout, not debris: it stays.
    candidates = {line for line in candidates if source.line_text(line).strip() and not _markdown_table_row(doc, line)}
    if not candidates:
        return [None] * len(groups)
    # Each pattern's matches, in order and without overlaps: a line's are found by bisection.
    covering = [spans for spans, _ in found] + [
        spans
        for code in params.line_debris
        if code in ctx.active_codes
        for spans, _ in _found_once(doc, ctx.params_by_code[code])
    ]
    # Each line goes with the last group that starts before the line ends.
    group_starts = [group[0][0] for group in groups]
    edits: list[list[Edit]] = [[] for _ in groups]
    whole = [True] * len(groups)  # every line of the group is debris: a block goes whole or stays
    for line in sorted(candidates):
        span = source.line_span(line)
        index = max(bisect.bisect_right(group_starts, span.end) - 1, 0)
        if not whole[index]:
            continue
        if _all_covered(source.line_text(line), span.start, _spans_on(covering, span.start, span.end)):
            end = span.end + 1 if line < source.line_count else span.end  # with its line end
            edits[index].append(Edit(span.start, end))
        else:
            whole[index] = False
    return [FindingFix(tuple(e), _DELETE_LINE) if e and ok else None for e, ok in zip(edits, whole)]


def _deletions(matches: list[_Match]) -> tuple[Edit, ...]:
    """An Edit that deletes each match, made by tuple's constructor in C: a converted report
    holds hundreds of annotations, and Edit's own __new__ is a Python call per edit."""
    return tuple(map(tuple.__new__, repeat(Edit), zip(map(_START, matches), map(_END, matches), repeat(""))))


def _spans_on(covering: list[list[tuple[int, int]]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the sorted, non-overlapping lists in ``covering`` that reach into ``[start, end)``."""
    on: list[tuple[int, int]] = []
    for spans in covering:
        for span in spans[bisect.bisect_right(spans, start, key=_END) :]:
            if span[0] >= end:
                break
            on.append(span)
    return on


def _all_covered(line: str, line_start: int, spans: list[tuple[int, int]]) -> bool:
    """Whether every character of ``line`` is in a span, a space or punctuation (the
    colon of ``浏览量:`` is not in the chrome pattern, and is no text of the report)."""
    from unicodedata import category  # only for lines with a match: most runs never ask

    rest: list[str] = []  # the characters no span covers
    position = 0
    for start, end in sorted(spans):
        rest.append(line[position : max(start - line_start, position)])
        position = max(position, end - line_start)
    rest.append(line[position:])
    return all(ch.isspace() or category(ch).startswith("P") for ch in "".join(rest))


def _markdown_table_row(doc: Document, line: int) -> bool:
    """In Markdown ``| | |`` next to another table line is a table's empty (header)
    row: deleting it would break the table."""
    source = doc.source
    if not doc.path.lower().endswith(_MARKDOWN_SUFFIX) or not source.line_text(line).lstrip().startswith("|"):
        return False
    return any(
        1 <= other <= source.line_count and source.line_text(other).lstrip().startswith("|")
        for other in (line - 1, line + 1)
    )


# --------------------------------------------------------------------------- traditional


class TraditionalParams(NamedTuple):
    min_count: int  # fewer traditional characters than this are left alone (names, quotations)
    max_labels: int


def check_traditional(doc: Document, params: TraditionalParams, ctx: Context) -> Iterator[Finding]:
    # Normalizing found which traditional characters occur (most reports have none) and,
    # but for the first text of a run, counted them; a scan here places the first few,
    # each at its first occurrence.
    present = doc.view.traditional
    if not present:
        return
    text = doc.source.text
    count = doc.view.traditional_count
    if count is None:  # the first text of a run: a class of just these characters, compiled here
        pattern = re.compile("[" + re.escape("".join(sorted(present))) + "]")
        count = len(pattern.findall(text))
    else:  # normalize's class, already compiled (compiling one per report would cost ~0.5 ms)
        pattern = traditional_pattern()
    if count < params.min_count:
        return
    table = traditional_to_simplified()
    firsts: dict[str, int] = {}
    for m in pattern.finditer(text):
        if m.group() in present:  # normalize's class also holds astral characters it does not fold
            firsts.setdefault(m.group(), m.start())
            if len(firsts) == params.max_labels:
                break
    labels: list[FindingLabel] = []
    for char, start in firsts.items():
        simplified = chr(table[ord(char)])
        labels.append(FindingLabel(Span(start, start + 1), Text(f"简体为“{simplified}”", f"simplified: {simplified}")))
    first = labels[0].span
    yield Finding(span=first, args={"count": count, "examples": "、".join(firsts)}, labels=tuple(labels))


# --------------------------------------------------------------------------- paired marks


class MarkPair(NamedTuple):
    opener: str
    closer: str
    nests: bool  # (…(…)…) nests; a “ inside a “ means the first was never closed
    unopened: bool  # a closer with no opener is reported ("1)" items make this False for ")")
    label: Text
    repeated: re.Pattern[str]  # an opener, then another before any closer (a fault where pairs do not nest)


class PairedParams(NamedTuple):
    pairs: tuple[MarkPair, ...]
    max_labels: int
    marks: re.Pattern[str]  # a class of every opener and closer


def _unbalanced(
    text: str, pairs: tuple[MarkPair, ...], marks: re.Pattern[str], continues: str
) -> list[tuple[int, MarkPair]]:
    """The offsets in ``text`` (a paragraph) of marks without their partner. A quotation
    left open where the next paragraph (``continues``) opens one again goes on there
    (GB/T 15834: each paragraph of a quotation opens, only the last one closes)."""
    by_mark = {pair.opener: pair for pair in pairs} | {pair.closer: pair for pair in pairs}
    open_at: dict[str, list[int]] = {pair.opener: [] for pair in pairs}
    found: list[tuple[int, MarkPair]] = []
    for m in marks.finditer(text):  # only the marks: a walk over every character costs 10 ×
        index, char = m.start(), m.group()
        pair = by_mark[char]
        stack = open_at[pair.opener]
        if char == pair.opener:
            if stack and not pair.nests:
                found.append((stack.pop(), pair))
            stack.append(index)
        elif stack:
            stack.pop()
        elif pair.unopened:
            found.append((index, pair))
    for pair in pairs:
        stack = open_at[pair.opener]
        if stack and not (not pair.nests and continues.startswith(pair.opener)):
            found.extend((index, pair) for index in stack)
    return sorted(found, key=lambda item: item[0])


def _paired_at_a_glance(text: str, params: PairedParams) -> bool:
    """Most paragraphs, checked without a walk: each opener as often as its closer, the first
    mark an opener and the last a closer, and no quote opened or closed twice in a row.
    Brackets in a wrong order inside ("(a))((b)") pass here; a walk finds nothing else."""
    for pair in params.pairs:
        if text.count(pair.opener) != text.count(pair.closer):
            return False
    for pair in params.pairs:
        if pair.opener not in text:
            continue  # and, the counts being equal, no closer
        if text.find(pair.closer) < text.find(pair.opener) or text.rfind(pair.opener) > text.rfind(pair.closer):
            return False
        if not pair.nests and pair.repeated.search(text):
            return False  # with the two checks above, marks that alternate are paired
    return True


def check_paired(doc: Document, params: PairedParams, ctx: Context) -> Iterator[Finding]:
    """One finding per paragraph with quotes or brackets left unpaired, at the first."""
    marks = params.marks
    paragraphs = doc.paragraphs
    for number, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if _paired_at_a_glance(text, params):
            continue
        following = paragraphs[number + 1].text if number + 1 < len(paragraphs) else ""
        unbalanced = _unbalanced(text, params.pairs, marks, following)
        if not unbalanced:
            continue
        start = paragraph.view_start
        spans = [doc.view.span(start + index, start + index + 1) for index, _ in unbalanced]
        first_pair = unbalanced[0][1]
        first = spans[0]
        mark = doc.source.text[first.start : first.end]
        partner = first_pair.closer if text[unbalanced[0][0]] == first_pair.opener else first_pair.opener
        yield Finding(
            span=first,
            args={"match": mark, "partner": partner, "count": len(unbalanced)},
            labels=tuple(
                FindingLabel(span, pair.label) for span, (_, pair) in zip(spans[: params.max_labels], unbalanced)
            ),
        )


KINDS = (
    KindSpec(
        "pattern", check_pattern, "checker.checks.patterns_schema:PatternModel", args=frozenset({"match", "count"})
    ),
    KindSpec(
        "paired-marks",
        check_paired,
        "checker.checks.patterns_schema:PairedModel",
        args=frozenset({"match", "partner", "count"}),
    ),
    KindSpec(
        "traditional",
        check_traditional,
        "checker.checks.patterns_schema:TraditionalModel",
        args=frozenset({"count", "examples"}),
    ),
)
