"""Suppression comments, a filter stage after the rules.

In Markdown and HTML (plain text has no comment syntax)::

    <!-- govlint-disable-next-line N201 -- 含上年结转 -->   the next line with text
    <!-- govlint-disable T402 -- 转载页面 -->               …the lines up to…
    <!-- govlint-enable T402 -->
    <!-- govlint-disable-file T405 -- 引用繁体原文 -->       the whole file

Codes are codes or prefixes, separated by commas or spaces; none means every code. The
reason after `` -- `` is required: a suppression without one still applies and is
reported (G001), as are suppressions that suppressed nothing (G002, Ruff's RUF100) and
codes or directives that do not exist (G003). Findings about the whole file (no span)
are suppressed by ``disable-file`` only; E001 and E002 never are.

Scopes are lines of the *file the comment is in*: the linted text for Markdown, the
page source for HTML, whose loader keeps the article text only and returns the page's
comments with their source lines; it labels each text line ``L<n>`` with its source
line, which maps findings back. In HTML a comment should stand on a line of its own.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from checker.load.text import SourceComment
from checker.model import TROUBLE_CODES, Diagnostic, SourceText, Span

WITHOUT_REASON, UNUSED, INVALID = "G001", "G002", "G003"

_COMMENT = re.compile(r"<!--(\s*govlint-.*?)-->", re.DOTALL)
_DIRECTIVE = re.compile(r"\s*govlint-([A-Za-z-]*)(.*)", re.DOTALL)  # a comment's text
_REASON = re.compile(r"(?:^|\s)--(?:\s|$)")
_LOCATION = re.compile(r"L(\d+)")
_CODE_SEPARATOR = re.compile(r"[\s,]+")
_ACTIONS = ("disable-next-line", "disable", "enable", "disable-file")
# The directives that suppress (and so need a reason), narrowest scope first.
_NARROWEST_FIRST = {"disable-next-line": 0, "disable": 1, "disable-file": 2}
_MESSAGES = {
    "unknown_code": {"zh": "未知代码 {}", "en": "unknown code {}"},
    "unknown_directive": {"zh": "未知指令 {}", "en": "unknown directive {}"},
}


@dataclass(slots=True)
class Directive:
    action: str
    selectors: tuple[str, ...]
    reason: str | None
    span: Span | None  # the comment in the linted text; None where the loader dropped it (HTML)
    first_line: int  # lines of the file the comment is in
    last_line: int

    @property
    def text(self) -> str:
        return " ".join((f"govlint-{self.action}", *self.selectors))


@dataclass(frozen=True, slots=True)
class Notice:
    """A finding about a suppression (G001–G003); ``reason`` fills the rule's message."""

    code: str
    span: Span | None
    reason: dict[str, str]  # lang → text


@dataclass(slots=True)
class _Entry:
    """One code of one directive, with the lines it covers."""

    directive: Directive
    selector: str
    lo: float  # covered source lines: lo < line < hi
    hi: float
    used: bool = False


class _Index:
    """The entries as a finding's covering entry is looked up, the narrowest first (so a
    redundant broader one shows as unused): those of next-line directives by the one line
    each covers; ranges (disable … enable) by where they open, the innermost (latest
    opened) first, with how far the ranges opened up to each reach, so that the search
    stops where none still open could cover the line; then those of the whole file. A
    file of many comments, each suppressing findings, was compared pairwise. And the
    comments' spans (in text order, none overlapping), bisected for an edit's."""

    __slots__ = ("_next_line", "_ranges", "_range_starts", "_reach", "_file", "_comment_starts", "_comment_ends")

    def __init__(self, entries: list[_Entry], comments: list[Span]) -> None:
        self._comment_starts = [comment.start for comment in comments]
        self._comment_ends = [comment.end for comment in comments]
        self._next_line: dict[float, list[_Entry]] = {}
        for entry in entries:
            if entry.directive.action == "disable-next-line":
                self._next_line.setdefault(entry.lo + 1, []).append(entry)  # lo < line < lo + 2
        self._file = [entry for entry in entries if entry.directive.action == "disable-file"]
        # By opening line; of one line, the first entry last (it is met first, walking back).
        ranges = [(entry.lo, -k, entry) for k, entry in enumerate(entries) if entry.directive.action == "disable"]
        ranges.sort(key=lambda r: r[:2])
        self._ranges = [entry for _, _, entry in ranges]
        self._range_starts = [lo for lo, _, _ in ranges]
        self._reach = list(itertools.accumulate((entry.hi for entry in self._ranges), max))

    def covering(self, code: str, line: int | None) -> _Entry | None:
        """The narrowest entry that covers a finding of ``code`` on ``line`` (None: no line)."""
        if line is not None:
            for entry in self._next_line.get(line, ()):
                if entry.selector == "ALL" or code.startswith(entry.selector):
                    return entry
            k = bisect.bisect_left(self._range_starts, line) - 1  # the last range opened before the line
            while k >= 0 and self._reach[k] > line:
                entry = self._ranges[k]
                if entry.hi > line and (entry.selector == "ALL" or code.startswith(entry.selector)):
                    return entry
                k -= 1
        return next((e for e in self._file if e.selector == "ALL" or code.startswith(e.selector)), None)

    def on_a_comment(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a comment: the first comment ending after
        ``start`` starts before ``end``."""
        k = bisect.bisect_right(self._comment_ends, start)
        return k < len(self._comment_starts) and self._comment_starts[k] < end


@dataclass(slots=True)
class Suppressions:
    directives: list[Directive]
    text_lines: list[int]  # lines of the file that carry linted text, ascending
    # Linted-text line (1-based) → line of the file the comments are in; None: the same.
    line_map: list[int | None] | None = None

    def apply(
        self, diagnostics: list[Diagnostic], source: SourceText, known: Sequence[str], ran: frozenset[str]
    ) -> tuple[list[Diagnostic], list[Notice]]:
        """The diagnostics no directive covers, and the notices about the directives.
        ``known`` are all rule codes; ``ran`` those of the rules that ran: a code that did
        not run cannot be called unused."""
        entries, enables_unused, problems = self._entries_of(known)
        index = _Index(entries, [d.span for d in self.directives if d.span is not None])
        kept: list[Diagnostic] = []
        for d in diagnostics:
            entry = None if d.code in TROUBLE_CODES else self._covering(index, d, source)
            if entry is None:
                kept.append(d if d.fix is None else self._sparing(d, index, source))
            else:
                entry.used = True
        unused: dict[int, list[str]] = {}
        could_fire = functools.cache(lambda selector: _could_fire(selector, ran))  # a file repeats its selectors
        for entry in entries:
            if not entry.used and could_fire(entry.selector):
                unused.setdefault(id(entry.directive), []).append(entry.selector)
        for directive, selector in enables_unused:
            if could_fire(selector):
                unused.setdefault(id(directive), []).append(selector)
        notices: list[Notice] = []
        for directive in self.directives:
            # An HTML comment is not in the linted text: say where in the page it is.
            where = "" if directive.span else f" (L{directive.first_line})"
            if directive.action in _NARROWEST_FIRST and directive.reason is None:
                notices.append(Notice(WITHOUT_REASON, directive.span, _both_languages(directive.text + where)))
            if codes := unused.get(id(directive)):
                notices.append(Notice(UNUSED, directive.span, _both_languages(", ".join(codes) + where)))
            if problem := problems.get(id(directive)):
                notices.append(Notice(INVALID, directive.span, {lang: text + where for lang, text in problem.items()}))
        return kept, notices

    def _entries_of(
        self, known: Sequence[str]
    ) -> tuple[list[_Entry], list[tuple[Directive, str]], dict[int, dict[str, str]]]:
        """Entries with their line ranges; enable codes that closed nothing; G003 texts."""
        entries: list[_Entry] = []
        open_ranges: list[_Entry] = []
        enables_unused: list[tuple[Directive, str]] = []
        problems: dict[int, dict[str, str]] = {}
        is_known = functools.cache(lambda selector: any(code.startswith(selector) for code in known))
        for directive in self.directives:
            if directive.action not in _ACTIONS:
                name = f"govlint-{directive.action}"
                problems[id(directive)] = {lang: m.format(name) for lang, m in _MESSAGES["unknown_directive"].items()}
                continue
            unknown = [s for s in directive.selectors if s != "ALL" and not is_known(s)]
            if unknown:
                codes = ", ".join(unknown)
                problems[id(directive)] = {lang: m.format(codes) for lang, m in _MESSAGES["unknown_code"].items()}
            selectors = [s for s in directive.selectors if s not in unknown] if directive.selectors else ["ALL"]
            if directive.action == "enable":
                for selector in selectors:
                    closing = [e for e in open_ranges if selector == "ALL" or e.selector == selector]
                    if not closing:
                        enables_unused.append((directive, selector))
                    for entry in closing:
                        entry.hi = directive.first_line
                        open_ranges.remove(entry)
                continue
            lo, hi = self._scope(directive)
            for selector in selectors:
                entry = _Entry(directive, selector, lo, hi)
                entries.append(entry)
                if directive.action == "disable":
                    open_ranges.append(entry)
        return entries, enables_unused, problems

    def _scope(self, directive: Directive) -> tuple[float, float]:
        inf = float("inf")
        if directive.action == "disable-file":
            return -inf, inf
        if directive.action == "disable":
            return directive.last_line, inf  # until its enable, else to the end
        # The first text line after the comment: bisected, not scanned (a file of many
        # next-line comments would scan the lines once per comment).
        index = bisect.bisect_right(self.text_lines, directive.last_line)
        if index == len(self.text_lines):
            return inf, inf
        following = self.text_lines[index]
        return following - 1, following + 1

    def _covering(self, index: _Index, d: Diagnostic, source: SourceText) -> _Entry | None:
        return index.covering(d.code, self._line_of(d, source))

    def _sparing(self, d: Diagnostic, index: _Index, source: SourceText) -> Diagnostic:
        """``d`` without the edits of its fix on a line a directive keeps from its code (a
        block of chrome is one finding, but a line of it may be suppressed) or on a comment
        (the rules see comments as blanks: a line of chrome with a comment is no chrome)."""
        assert d.fix is not None
        edits = tuple(
            edit
            for edit in d.fix.edits
            if self._covering(index, d._replace(span=Span(edit.start, edit.end)), source) is None
            and not index.on_a_comment(edit.start, edit.end)
        )
        if len(edits) == len(d.fix.edits):
            return d
        return d._replace(fix=d.fix._replace(edits=edits) if edits else None)

    def _line_of(self, d: Diagnostic, source: SourceText) -> int | None:
        if d.span is None:
            return None
        line = source.position(d.span.start).line
        if self.line_map is None:
            return line
        return self.line_map[line - 1] if line <= len(self.line_map) else None


def _both_languages(text: str) -> dict[str, str]:
    return {"zh": text, "en": text}


def _could_fire(selector: str, ran: frozenset[str]) -> bool:
    return any(selector == "ALL" or code.startswith(selector) for code in ran)


def _directive(comment: str, span: Span | None, first_line: int) -> Directive | None:
    """The directive a comment's text holds, if any; it starts on ``first_line``."""
    m = _DIRECTIVE.match(comment)
    if m is None:
        return None
    body = m.group(2)
    split = _REASON.search(body)
    codes, reason = (body[: split.start()], body[split.end() :].strip()) if split else (body, "")
    return Directive(
        action=m.group(1).lower(),
        selectors=tuple(c.upper() for c in _CODE_SEPARATOR.split(codes) if c),
        reason=reason or None,
        span=span,
        first_line=first_line,
        last_line=first_line + comment.count("\n"),
    )


def parse_directives(text: str) -> list[Directive]:
    """The govlint comments of the linted ``text`` (Markdown), with their spans."""
    directives = []
    line_starts = SourceText(text)
    for m in _COMMENT.finditer(text):
        directive = _directive(m.group(1), Span(m.start(), m.end()), line_starts.position(m.start()).line)
        assert directive is not None  # _COMMENT matches only directives
        directives.append(directive)
    return directives


def blank(text: str, directives: Sequence[Directive]) -> str:
    """``text`` with each comment replaced by spaces (newlines kept): no rule sees the
    comments, and every offset and line still points at the original."""
    pieces, pos = [], 0
    for d in directives:
        assert d.span is not None
        comment = text[d.span.start : d.span.end]
        pieces += [text[pos : d.span.start], "\n".join(" " * len(line) for line in comment.split("\n"))]
        pos = d.span.end
    return "".join(pieces) + text[pos:]


def from_markdown(text: str) -> tuple[Suppressions | None, str]:
    """The suppressions of a Markdown text, and the text the parser should see."""
    directives = parse_directives(text)
    if not directives:
        return None, text
    blanked = blank(text, directives)
    lines = [n for n, line in enumerate(blanked.split("\n"), 1) if line.strip()]
    return Suppressions(directives, lines), blanked


def from_html(comments: Sequence[SourceComment], text: str, locations: Sequence[str] | None) -> Suppressions | None:
    """The suppressions among a web page's ``comments`` (as its loader returns them), for
    its article text ``text``, whose lines the loader labels ``L<n>``. Without labels
    only ``disable-file`` can apply."""
    directives = [d for c in comments if (d := _directive(c.text, None, c.line)) is not None]
    if not directives:
        return None
    line_map = [int(m.group(1)) if (m := _LOCATION.fullmatch(label)) else None for label in locations or ()]
    lines = sorted({
        source_line
        for source_line, line in zip(line_map, text.split("\n"))
        if source_line is not None and line.strip()
    })
    return Suppressions(directives, lines, line_map)
