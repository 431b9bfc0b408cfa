"""Text kinds: patterns that must not occur (placeholders, page chrome, debris) and
traditional characters in a simplified report."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from checker.checks import Context, Finding, FindingLabel, Text
from checker.model import Document, Span
from checker.normalize import traditional_to_simplified


@dataclass(frozen=True, slots=True)
class PatternItem:
    regex: re.Pattern[str]
    label: Text


@dataclass(frozen=True, slots=True)
class PatternParams:
    patterns: tuple[PatternItem, ...]
    target: Literal["original", "view"]  # search the file as written, or the matching view
    scope: Literal["text", "title"]
    max_line_length: int | None  # a match counts only on a line at most this long
    group: Literal["match", "line", "block", "file"]  # one finding per match, line, run of lines, file
    max_labels: int
    unless: re.Pattern[str] | None  # nothing is reported when this matches the scope


@dataclass(frozen=True, slots=True)
class _Match:
    span: Span
    text: str
    label: Text
    line: int


def _matches(doc: Document, params: PatternParams) -> list[_Match]:
    if params.scope == "title":
        if doc.title is None:
            return []
        text, base = doc.title.text, doc.title.view_start
    else:
        text = doc.source.text if params.target == "original" else doc.view.text
        base = 0
    to_span = (
        (lambda s, e: Span(s, e)) if params.target == "original" and params.scope == "text" else doc.view.span
    )
    found: list[_Match] = []
    for item in params.patterns:
        for m in item.regex.finditer(text):
            # Patterns anchored at a line start may take its indentation: point at the words.
            matched = m.group()
            start = m.start() + len(matched) - len(matched.lstrip())
            end = m.end() - len(matched) + len(matched.rstrip())
            if end <= start:
                continue
            span = to_span(base + start, base + end)
            line = doc.source.position(span.start).line
            if params.max_line_length is not None and len(doc.source.line_text(line).strip()) > params.max_line_length:
                continue
            found.append(_Match(span, doc.source.text[span.start : span.end], item.label, line))
    found.sort(key=lambda m: (m.span.start, -m.span.end))
    # Overlapping patterns (e.g. 微信扫一扫 and 扫一扫) report the outermost match once.
    kept: list[_Match] = []
    for m in found:
        if kept and m.span.start < kept[-1].span.end:
            continue
        kept.append(m)
    return kept


def _groups(doc: Document, matches: list[_Match], group: str) -> Iterator[list[_Match]]:
    if group == "match":
        yield from ([m] for m in matches)
        return
    if group == "file":
        if matches:
            yield matches
        return
    current: list[_Match] = []
    for m in matches:
        if current and not _same_group(doc, current[-1].line, m.line, group):
            yield current
            current = []
        current.append(m)
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
    for group in _groups(doc, _matches(doc, params), params.group):
        first = group[0]
        yield Finding(
            span=first.span,
            args={"match": first.text, "count": len(group)},
            labels=tuple(FindingLabel(m.span, m.label) for m in group[: params.max_labels]),
        )


# --------------------------------------------------------------------------- traditional


@dataclass(frozen=True, slots=True)
class TraditionalParams:
    min_count: int  # fewer traditional characters than this are left alone (names, quotations)
    max_labels: int


@functools.lru_cache(maxsize=1)
def _traditional_class() -> re.Pattern[str]:
    chars = "".join(sorted(chr(c) for c in traditional_to_simplified()))
    return re.compile("[" + re.escape(chars) + "]")


def check_traditional(doc: Document, params: TraditionalParams, ctx: Context) -> Iterator[Finding]:
    table = traditional_to_simplified()
    found = list(_traditional_class().finditer(doc.source.text))
    if len(found) < params.min_count:
        return
    labels: list[FindingLabel] = []
    examples: list[str] = []
    for m in found:
        char = m.group()
        if char in examples:
            continue
        examples.append(char)
        simplified = chr(table[ord(char)])
        labels.append(FindingLabel(Span(m.start(), m.end()), Text(f"简体为“{simplified}”", f"simplified: {simplified}")))
        if len(labels) == params.max_labels:
            break
    first = found[0]
    yield Finding(
        span=Span(first.start(), first.end()),
        args={"count": len(found), "examples": "、".join(examples)},
        labels=tuple(labels),
    )
