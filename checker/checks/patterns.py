"""Text kinds: patterns that must not occur (placeholders, page chrome, debris) and
traditional characters in a simplified report.

Speed: every pattern scans the whole text, so the rule files write each regex to start
with a literal where they can (the engine then jumps from one occurrence of it to the
next instead of trying the pattern at every character), and the per-match work here is
kept to integers until a match becomes part of a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

from checker.checks import Context, Finding, FindingLabel, KindSpec, Text
from checker.model import Document, Span
from checker.normalize import traditional_pattern, traditional_to_simplified


class PatternItem(NamedTuple):
    regex: re.Pattern[str]
    label: Text


class PatternParams(NamedTuple):
    patterns: tuple[PatternItem, ...]
    target: Literal["original", "view"]  # search the file as written, or the matching view
    scope: Literal["text", "title"]
    max_line_length: int | None  # a match counts only on a line at most this long
    group: Literal["match", "line", "block", "file"]  # one finding per match, line, run of lines, file
    max_labels: int
    unless: re.Pattern[str] | None  # nothing is reported when this matches the scope


# A match: original start, original end, the label of its pattern.
_Match = tuple[int, int, Text]


def _matches(doc: Document, params: PatternParams) -> list[_Match]:
    """Every match of the patterns, in the original text, sorted, without overlaps."""
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
    found: list[tuple[list[tuple[int, int]], Text]] = []  # each pattern's matches, with its label
    for item in params.patterns:
        first = item.regex.search(text)  # most patterns match nowhere: no iterator for them
        if first is None:
            continue
        spans: list[tuple[int, int]] = []
        for m in item.regex.finditer(text, first.start()):  # the first match, then the rest
            start, end = m.span()
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
    for group in _groups(doc, _matches(doc, params), params.group):
        start, end, _ = group[0]
        yield Finding(
            span=Span(start, end),
            args={"match": original[start:end], "count": len(group)},
            labels=tuple(FindingLabel(Span(s, e), label) for s, e, label in group[: params.max_labels]),
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


KINDS = (
    KindSpec(
        "pattern", check_pattern, "checker.checks.patterns_schema:PatternModel", args=frozenset({"match", "count"})
    ),
    KindSpec(
        "traditional",
        check_traditional,
        "checker.checks.patterns_schema:TraditionalModel",
        args=frozenset({"count", "examples"}),
    ),
)
