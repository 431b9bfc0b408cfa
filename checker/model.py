"""The shared vocabulary of every stage: spans, the document model and diagnostics.

Immutable records are ``NamedTuple``s and the few mutable ones plain ``__slots__``
classes, not dataclasses: creating a dataclass costs ~0.3 ms at import (and importing
``dataclasses`` ~8 ms), and a pre-commit hook starts govlint on every commit. Both kinds
pickle for the rule cache and for parallel runs.

Offsets are character indices into the *original* decoded text (after line ends were
unified to ``\\n``), half-open ``[start, end)``. Every stage that works on the
normalized view maps its offsets back before it builds a Span.
"""

from __future__ import annotations

import bisect
import datetime as dt
from array import array
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

if TYPE_CHECKING:
    from checker.extract.claims import Facts
    from checker.normalize import View

Severity = Literal["error", "warning", "info"]
T = TypeVar("T")
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class Span(NamedTuple):
    """Half-open ``[start, end)`` in the original text. Not validated on creation (it is
    the most created object): stages make spans from offsets they found in the text, and
    View.span checks a range before it maps it."""

    start: int
    end: int


class Position(NamedTuple):
    """1-based line and column; columns count characters of the original line."""

    line: int
    column: int


class SourceText:
    """The original text of one file with a line index for offset → line/column."""

    __slots__ = ("text", "_line_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def length(self) -> int:
        """Characters in the text (a method, not __len__: an empty file's source is still truthy)."""
        return len(self.text)

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def line_of(self, offset: int) -> int:
        """``position(offset).line``, without building the position (rules ask per match)."""
        return bisect.bisect_right(self._line_starts, max(0, min(offset, self.length())))

    def line_span(self, line: int) -> Span:
        """Span of 1-based ``line`` without its newline."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return Span(start, end)

    def line_text(self, line: int) -> str:
        span = self.line_span(line)
        return self.text[span.start : span.end]

    def keep_lines(self, lines: set[int]) -> SourceText:
        """A copy holding only these lines' text (positions still work everywhere): what
        renderers need once a file is linted, at a fraction of the memory."""
        return _SparseSourceText(self, lines)


class _SparseSourceText(SourceText):
    __slots__ = ("_lines", "_length")

    def __init__(self, source: SourceText, lines: set[int]) -> None:
        self.text = ""  # not kept: use line_text
        self._line_starts = array("q", source._line_starts)  # type: ignore[assignment]
        self._length = source.length()
        self._lines = {n: source.line_text(n) for n in lines if 1 <= n <= source.line_count}

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def line_span(self, line: int) -> Span:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else self._length
        return Span(start, end)

    def line_text(self, line: int) -> str:
        return self._lines.get(line, "")

    def length(self) -> int:
        return self._length


# --------------------------------------------------------------------------- document


DateRole = Literal["signature", "publication", "banner", "other"]


class DateMention(NamedTuple):
    """A calendar date found in the text. ``role`` says what the date means:
    ``signature`` (落款, the 成文日期), ``publication`` (a 发布时间/日期 metadata line),
    ``banner`` (a page clock like 今天是…, meaningless for the report), ``other``."""

    date: dt.date
    span: Span
    role: DateRole


class YearMention(NamedTuple):
    year: int
    span: Span


class Heading:
    """A numbered heading or item. ``level`` follows GB/T 9704 §7.3.3:
    1 = 一、  2 = (一)  3 = 1.  4 = (1); 5 = an inline 一是/二是 item.

    Mutable: the parser nests headings (``children``) and sets ``body_span`` once it
    knows where the next sibling starts."""

    __slots__ = (
        "level", "ordinal", "marker", "marker_span", "text", "text_view_start", "span", "line", "runs_on",
        "children", "body_span",
    )  # fmt: skip

    def __init__(
        self,
        level: int,
        ordinal: int,
        marker: str,
        marker_span: Span,
        text: str,  # the heading's own words (normalized view), without the marker
        text_view_start: int,  # offset of ``text`` in the view
        span: Span,  # marker + heading words (up to the first 。 when the heading runs on)
        line: int,
        runs_on: bool,  # the heading line goes on with body text ("一、…成效显著。牢牢把握…")
    ) -> None:
        self.level = level
        self.ordinal = ordinal
        self.marker = marker
        self.marker_span = marker_span
        self.text = text
        self.text_view_start = text_view_start
        self.span = span
        self.line = line
        self.runs_on = runs_on
        self.children: list[Heading] = []
        # From the end of the heading to the start of the next sibling or ancestor.
        self.body_span: Span | None = None

    def __repr__(self) -> str:
        return f"Heading(level={self.level}, marker={self.marker!r}, text={self.text!r}, line={self.line})"


class Sentence(NamedTuple):
    span: Span
    text: str  # normalized view of the sentence
    view_start: int  # offset of ``text`` in the view: rules map matches back with Document.view.span


class Paragraph:
    """A line of body text. Its sentences are split on first use: most rules never ask,
    and the extract stage asks only of the paragraphs that state a number."""

    __slots__ = ("span", "text", "line", "view_start", "_view", "_split", "_ends", "_sentences")

    def __init__(
        self,
        span: Span,
        text: str,  # normalized view
        line: int,
        view_start: int,  # offset of ``text`` in the view
        view: View,
        split: Callable[[str], list[int]],  # the parser's sentence splitter: text → sentence_ends
    ) -> None:
        self.span = span
        self.text = text
        self.line = line
        self.view_start = view_start
        self._view = view
        self._split = split
        self._ends: list[int] | None = None
        self._sentences: list[Sentence] | None = None

    @property
    def sentence_ends(self) -> list[int]:
        """Where each sentence ends, as offsets in ``text``. Sentences are contiguous: the
        first starts at 0, each next one where the one before ends."""
        if self._ends is None:
            self._ends = self._split(self.text)
        return self._ends

    @property
    def sentences(self) -> list[Sentence]:
        if self._sentences is None:
            span, text, base = self._view.span_maker(), self.text, self.view_start
            sentences: list[Sentence] = []
            start = 0
            for end in self.sentence_ends:
                sentences.append(Sentence(span(base + start, base + end), text[start:end], base + start))
                start = end
            self._sentences = sentences
        return self._sentences

    @property
    def last_sentence(self) -> Sentence | None:
        """The last of :attr:`sentences`, built alone (a lead-in reads only this one)."""
        if self._sentences is not None:
            return self._sentences[-1] if self._sentences else None
        ends = self.sentence_ends
        if not ends:
            return None
        start = ends[-2] if len(ends) > 1 else 0
        base = self.view_start
        return Sentence(self._view.span(base + start, base + ends[-1]), self.text[start : ends[-1]], base + start)

    def __repr__(self) -> str:
        return f"Paragraph(line={self.line}, text={self.text!r})"


class Title(NamedTuple):
    span: Span
    text: str  # normalized view
    line: int
    years: list[YearMention]
    view_start: int


class Document:
    """The parsed report. Mutable: the extract stage fills ``facts`` when a rule needs them."""

    __slots__ = (
        "path", "source", "view", "title", "report_year", "report_year_span", "dates", "headings", "paragraphs",
        "facts", "_all_headings", "_derived",
    )  # fmt: skip

    def __init__(
        self,
        path: str,
        source: SourceText,
        view: View,  # normalized matching view with its map back to the original
        title: Title | None,
        report_year: int | None,
        report_year_span: Span | None,
        dates: list[DateMention],
        headings: list[Heading],  # top level of the heading tree
        paragraphs: list[Paragraph],
    ) -> None:
        self.path = path
        self.source = source
        self.view = view
        self.title = title
        self.report_year = report_year
        self.report_year_span = report_year_span
        self.dates = dates
        self.headings = headings
        self.paragraphs = paragraphs
        self.facts: Facts | None = None
        self._all_headings: list[Heading] | None = None
        self._derived: dict[Hashable, Any] = {}

    def all_headings(self) -> list[Heading]:
        """Every heading, depth first in text order (computed once: several rules ask)."""
        if self._all_headings is None:
            self._all_headings = self._walk_headings()
        return self._all_headings

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A value that several rules compute from the model, computed once per document
        (N202 and N206 both read every stated rate against its counts). The key names what
        the value depends on besides the document, such as a rule's parameters; a document
        is checked with one rule set."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]  # type: ignore[no-any-return]

    def _walk_headings(self) -> list[Heading]:
        out: list[Heading] = []
        stack = list(reversed(self.headings))
        while stack:
            h = stack.pop()
            out.append(h)
            stack.extend(reversed(h.children))
        return out


# --------------------------------------------------------------------------- diagnostics


class Label(NamedTuple):
    span: Span
    message: str


class Edit(NamedTuple):
    """Replace ``[start, end)`` of the original text with ``replacement`` (a deletion
    when it is empty, an insertion when start == end)."""

    start: int
    end: int
    replacement: str = ""


# How sure a fix is: "safe" fixes keep the report's meaning and are what ``--fix`` applies.
# A Literal of one, so that "unsafe" (applied on request only) can be added later.
Applicability = Literal["safe"]


class Fix(NamedTuple):
    """A finding's fix: edits that are applied together or not at all, in text order,
    none overlapping another."""

    edits: tuple[Edit, ...]
    message: str  # what applying it does, in the run's language ("delete the line")
    applicability: Applicability = "safe"


class Diagnostic(NamedTuple):
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    span: Span | None  # None: about the file as a whole (e.g. a part that is missing)
    labels: tuple[Label, ...] = ()
    help: str | None = None
    note: str | None = None
    fix: Fix | None = None


class FileResult(NamedTuple):
    """What one file produced: its text (for code frames) and its diagnostics."""

    path: str
    source: SourceText | None  # None when the file could not be read
    diagnostics: list[Diagnostic]
    # A label per line for formats whose line numbers mean nothing to a person
    # (.docx "¶37", .pdf "p.3", .html "L12"); None for plain text.
    locations: tuple[str, ...] | None = None

    def where(self, line: int) -> str:
        """What a person looks for: the loader's label of ``line``, else the line number."""
        if self.locations and 1 <= line <= len(self.locations):
            return self.locations[line - 1]
        return str(line)

    def compact(self) -> FileResult:
        """Keep only the lines the diagnostics point at (a long run holds thousands of results)."""
        if self.source is None:
            return self
        lines: set[int] = set()
        for d in self.diagnostics:
            for span in (d.span, *(label.span for label in d.labels)):
                if span is not None:
                    lines.add(self.source.position(span.start).line)
                    lines.add(self.source.position(max(span.start, span.end - 1)).line)
        return FileResult(self.path, self.source.keep_lines(lines), self.diagnostics, self.locations)
