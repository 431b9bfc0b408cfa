"""Human-readable terminal report in the style of rustc / Ruff / miette.

Each diagnostic is printed as a header, a ``-->`` location and a code frame whose
carets sit under exactly the characters of the span.  Report text is mostly Chinese
(two terminal cells per character) and a paragraph is often one line of thousands of
characters, so every column is measured in cells with ``rich.cells.cell_len`` and
long lines are cut to a window of about ``WINDOW_CELLS`` cells around the span — or, given
the terminal's width, of what fits in it beside the gutter (never under ``MIN_WIDTH``), so
that a frame line never wraps and its carets stay under their characters.

The layout is built once, as styled runs: a line is a list of ``(text, style)`` pairs
(``style`` a rich style name, or None).  Two thin sinks print it.  Without colour (pre-commit
hooks, CI, pipes) the runs' text is written straight to ``out``, and only ``rich.cells``
is imported; with colour the runs become ``rich.text.Text`` objects printed by a rich
``Console`` (imported only then, ~40 ms of start-up).  The runs are never parsed as markup:
reports contain things like ``字体:[ ]`` that rich markup would otherwise eat.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, TextIO

from rich.cells import cell_len

from checker.messages import Lang
from checker.model import Diagnostic, FileResult, Label, SourceText, Span
from checker.report.summary import Tally, file_fix, tally_line

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Run = tuple[str, "str | None"]  # text and its style (a rich style name), or None
Line = list[Run]

WINDOW_CELLS = 100  # most cells of line text shown in one code frame line (no width given)
MIN_WIDTH = 40  # the narrowest terminal frames are fitted to
BEFORE_CELLS = 40  # of which at most this many come before the first mark
MIN_BEFORE_CELLS = 10  # ... and at least this many, however wide the marks
ELLIPSIS = "…"
TAB = "    "
# Soft wrap is on, so the width never wraps or crops; fixing it keeps the output
# independent of the terminal and of $COLUMNS.
_CONSOLE_WIDTH = 200

# Control characters are zero cells wide (carets would drift) and rich silently drops
# some of them (\r, \f, ...) while ESC would reach the terminal: show C0 controls as
# their Unicode "control pictures" (one cell each), C1 controls as U+FFFD.
_DISPLAY = str.maketrans(
    {
        **{c: chr(0x2400 + c) for c in range(0x20)},
        0x09: TAB,
        0x7F: "\u2421",
        **{c: "\ufffd" for c in range(0x80, 0xA0)},
    }
)

# rich's Text drops these wherever they occur (the display text has none left).
_RICH_DROPS = dict.fromkeys((0x07, 0x08, 0x0B, 0x0C, 0x0D))

_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
_GUTTER_STYLE = "bold blue"
_SECONDARY_STYLE = "bold blue"


def _display(text: str) -> str:
    return text.translate(_DISPLAY)


def _inline(text: str) -> str:
    """Text for a single output line (messages, labels)."""
    return _display(" ".join(text.splitlines()))


def _summary_style(tally: Tally) -> str:
    errors, warnings, infos = tally.counts()
    if errors:
        return _SEVERITY_STYLE["error"]
    if warnings:
        return _SEVERITY_STYLE["warning"]
    return _SEVERITY_STYLE["info"] if infos else "bold green"


# --------------------------------------------------------------------------- code frame


# NamedTuples, not dataclasses: `import dataclasses` and creating each class cost start-up time.
class _Mark(NamedTuple):
    """A span on one line, in character offsets within the line (end clipped to it)."""

    start: int
    end: int
    primary: bool
    message: str | None


class _Placed(NamedTuple):
    """A mark placed in a shown window, in cells from the start of the shown text."""

    col: int
    width: int
    primary: bool
    message: str | None


class _Snippet(NamedTuple):
    line: int
    text: str  # display text of the window, without the ellipses
    elided_left: bool
    elided_right: bool
    marks: list[_Placed]


def _marks_by_line(
    primary: Span, labels: tuple[Label, ...], source: SourceText, lang: Lang
) -> dict[int, list[_Mark]]:
    primary_message = next((label.message for label in labels if label.span == primary), None)
    spans = [(primary, True, primary_message)]
    spans += [(label.span, False, label.message) for label in labels if label.span != primary]
    by_line: dict[int, list[_Mark]] = {}
    for span, is_primary, message in spans:
        line = source.position(span.start).line
        line_span = source.line_span(line)
        start = min(span.start, line_span.end)
        end = min(span.end, line_span.end)
        # The line of the last character covered: a span that merely ends with this
        # line's newline is still a one-line span.
        last_line = source.position(max(span.start, span.end - 1)).line
        if last_line > line:
            more = f"(延续至第 {last_line} 行)" if lang == "zh" else f"(continues to line {last_line})"
            message = f"{message} {more}" if message else more
        by_line.setdefault(line, []).append(
            _Mark(
                start - line_span.start,
                end - line_span.start,
                is_primary,
                _inline(message) if message else None,
            )
        )
    return by_line


def _clusters(raw: str, marks: list[_Mark], window: int) -> list[list[_Mark]]:
    """Group the marks of a long line into runs that fit one window together."""
    clusters: list[list[_Mark]] = []
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if clusters:
            first = clusters[-1][0].start
            last = max(mark.end, *(m.end for m in clusters[-1]))
            if cell_len(_display(raw[first:last])) <= window - 2 * MIN_BEFORE_CELLS:
                clusters[-1].append(mark)
                continue
        clusters.append([mark])
    return clusters


def _window(raw: str, first: int, last: int, window: int) -> tuple[int, int]:
    """Character range ``[left, right)`` of a long line to show for marks on ``[first, last)``."""

    # Measured per character on demand: lines run to thousands of characters.
    def width(i: int) -> int:
        return cell_len(_display(raw[i]))

    # Centre narrow marks in their context, but keep the start of wide ones in view.
    marked = cell_len(_display(raw[first:last]))
    before = min(BEFORE_CELLS, max(MIN_BEFORE_CELLS, (window - marked) // 2), window // 2)
    left, used = first, 0
    while left > 0 and used + width(left - 1) <= before:
        left -= 1
        used += width(left)
    right = first
    while right < len(raw) and used + width(right) <= window:
        used += width(right)
        right += 1
    # Near the end of the line: spend the unused budget on context before the marks.
    while left > 0 and used + width(left - 1) <= window:
        left -= 1
        used += width(left)
    return left, right


def _snippet(line: int, raw: str, marks: list[_Mark], left: int, right: int, more: tuple[bool, bool]) -> _Snippet:
    """Place ``marks`` in the window ``raw[left:right]``; ``more`` says whether the line goes on
    beyond ``raw`` to the left and to the right (``raw`` is then an excerpt of a long line)."""
    elided_left, elided_right = left > 0 or more[0], right < len(raw) or more[1]
    offset = cell_len(ELLIPSIS) if elided_left else 0
    placed = []
    for mark in marks:
        start = min(max(mark.start, left), right)
        end = min(max(mark.end, start), right)  # a span longer than the window stops at its edge
        placed.append(
            _Placed(
                col=offset + cell_len(_display(raw[left:start])),
                width=max(1, cell_len(_display(raw[start:end]))),  # empty spans still get a caret
                primary=mark.primary,
                message=mark.message,
            )
        )
    return _Snippet(line, _display(raw[left:right]), elided_left, elided_right, placed)


def _cells(line: Line) -> int:
    """Cells taken by a line so far, measured as one string as rich's ``Text.cell_len`` does
    (cell widths do not simply add up across a zero-width joiner)."""
    return cell_len("".join([text for text, _ in line]))


def _marker_rows(marks: list[_Placed], primary_style: str) -> list[Line]:
    """Underline rows in rustc's layout.

    Marks that do not overlap share a row (the primary always on the first); the
    rightmost mark's message follows its underline, the others hang below it on
    ``|`` connectors, right to left.
    """
    rows: list[list[_Placed]] = []
    for mark in sorted(marks, key=lambda m: (not m.primary, m.col)):
        for row in rows:
            if all(mark.col + mark.width <= o.col or o.col + o.width <= mark.col for o in row):
                row.append(mark)
                break
        else:
            rows.append([mark])

    def style(mark: _Placed) -> str:
        return primary_style if mark.primary else _SECONDARY_STYLE

    def connectors(pending: list[_Placed]) -> Line:
        line: Line = []
        for mark in pending:
            line.append((" " * (mark.col - _cells(line)), None))
            line.append(("|", style(mark)))
        return line

    out: list[Line] = []
    for row in rows:
        row.sort(key=lambda m: m.col)
        underline: Line = []
        for mark in row:
            underline.append((" " * (mark.col - _cells(underline)), None))
            underline.append((("^" if mark.primary else "-") * mark.width, style(mark)))
        if row[-1].message:
            underline.append((" " + row[-1].message, style(row[-1])))
        out.append(underline)
        pending = [mark for mark in row[:-1] if mark.message]
        if pending:
            out.append(connectors(pending))
            for i in range(len(pending) - 1, -1, -1):
                line = connectors(pending[:i])
                line.append((" " * (pending[i].col - _cells(line)), None))
                line.append((pending[i].message or "", style(pending[i])))
                out.append(line)
    return out


def _snippets(
    primary: Span, labels: tuple[Label, ...], source: SourceText, lang: Lang, width: int | None
) -> list[_Snippet]:
    by_line = _marks_by_line(primary, labels, source, lang)
    window = WINDOW_CELLS
    if width is not None:  # the frame line: gutter "12 | ", an ellipsis each side, the text
        window = max(MIN_WIDTH, width) - len(str(max(by_line))) - 3 - 2 * cell_len(ELLIPSIS)
    snippets: list[_Snippet] = []
    for line in sorted(by_line):
        marks = by_line[line]
        raw, shift, more = _excerpt(source, line, marks, window)
        if shift:
            marks = [m._replace(start=m.start - shift, end=m.end - shift) for m in marks]
        if not any(more) and cell_len(_display(raw)) <= window:
            snippets.append(_snippet(line, raw, marks, 0, len(raw), more))
            continue
        for cluster in _clusters(raw, marks, window):
            left, right = _window(raw, min(m.start for m in cluster), max(m.end for m in cluster), window)
            snippets.append(_snippet(line, raw, cluster, left, right, more))
    return snippets


def _excerpt(source: SourceText, line: int, marks: list[_Mark], window: int) -> tuple[str, int, tuple[bool, bool]]:
    """The part of ``line`` a frame can show: the marks with a window's worth of characters on
    each side, never the whole of a long line (a finding on a line of a million characters
    must cost what one on a short line costs). Returns the text, where it starts in the line,
    and whether the line goes on to its left and right."""
    line_span = source.line_span(line)
    length = line_span.end - line_span.start
    lo = max(0, min(m.start for m in marks) - window)
    hi = min(length, max(m.end for m in marks) + window)
    return source.excerpt(line, line_span.start + lo, line_span.start + hi), lo, (lo > 0, hi < length)

# --------------------------------------------------------------------------- diagnostic


def _render_diagnostic(diag: Diagnostic, result: FileResult, lang: Lang, width: int | None) -> list[Line]:
    source = result.source
    severity_style = _SEVERITY_STYLE[diag.severity]
    header = f"{diag.severity}[{_inline(diag.code)}]"
    lines: list[Line] = [[(header, severity_style), (": ", None), (_inline(diag.message), "bold")]]

    snippets: list[_Snippet] = []
    where = ""
    # No frame without a span, or without text (a file that could not be read).
    if diag.span is not None and source is not None:
        snippets = _snippets(diag.span, diag.labels, source, lang, width)
        position = source.position(diag.span.start)
        # A loader's label is not display text; drop the controls rich's Text always dropped.
        where = f":{result.where(position.line)}:{position.column}".translate(_RICH_DROPS)
    width = len(str(max(s.line for s in snippets))) if snippets else 1
    pad = " " * width

    lines.append([(pad, None), ("--> ", _GUTTER_STYLE), (_inline(diag.path) + where, None)])

    bar: Line = [(f"{pad} |", _GUTTER_STYLE)]
    if snippets:
        lines.append(bar)
        previous: int | None = None
        for snippet in snippets:
            if previous is not None and snippet.line > previous + 1:
                lines.append([("...", _GUTTER_STYLE)])
            previous = snippet.line
            code: Line = [(f"{snippet.line:>{width}} | ", _GUTTER_STYLE)]
            if snippet.elided_left:
                code.append((ELLIPSIS, "dim"))
            code.append((snippet.text, None))
            if snippet.elided_right:
                code.append((ELLIPSIS, "dim"))
            lines.append(code)
            for row in _marker_rows(snippet.marks, severity_style):
                lines.append([(f"{pad} | ", _GUTTER_STYLE), *row])

    fix = file_fix(diag, result)
    fix_text = (
        None if fix is None else f"{fix.message}(govlint --fix)" if lang == "zh" else f"{fix.message} (govlint --fix)"
    )
    extras = [(kind, body) for kind, body in (("help", diag.help), ("note", diag.note), ("fix", fix_text)) if body]
    if extras and snippets:
        lines.append(bar)
    for kind, body in extras:
        first, *rest = body.splitlines()
        line: Line = [(f"{pad} ", None), ("=", _GUTTER_STYLE), (f" {kind}:", "bold"), (" ", None)]
        # Continuation lines line up with the text after "= help: ".
        indent = " " * _cells(line)
        line.append((_display(first), None))
        lines.append(line)
        lines.extend([(indent + _display(more), None)] for more in rest)
    return lines


def _order(diag: Diagnostic) -> tuple[bool, int, str]:
    # Whole-file findings first, then by position and code.
    return (diag.span is not None, diag.span.start if diag.span else 0, diag.code)


def render_human(
    results: Sequence[FileResult],
    out: TextIO,
    *,
    color: bool,
    lang: Lang = "zh",
    show_summary: bool = True,
    width: int | None = None,
) -> None:
    """Write every diagnostic of ``results`` with code frames, then the summary line;
    ``width``: the terminal's, in cells, which code frame lines are fitted to."""
    out.writelines(human_part(result, color=color, lang=lang, width=width) for result in results)
    if show_summary:
        out.write(human_summary(Tally.of(results), color=color, lang=lang))


def human_part(result: FileResult, *, color: bool, lang: Lang, width: int | None) -> str:
    """The diagnostics of one file, each with its code frame and a blank line after it."""
    blocks = [_render_diagnostic(diag, result, lang, width) for diag in sorted(result.diagnostics, key=_order)]
    if not color:
        # What a rich Console without colour would write.
        return "".join("\n".join([_plain(line) for line in lines]) + "\n\n" for lines in blocks)
    console, out = _rich_console()
    for lines in blocks:
        console.print(_text(lines))
        console.print()
    return out.getvalue()


def human_summary(tally: Tally, *, color: bool, lang: Lang) -> str:
    """The summary line, coloured by the worst severity found."""
    line = tally_line(tally, lang)
    if not color:
        return line + "\n"
    console, out = _rich_console()
    console.print(_text([[(line, _summary_style(tally))]]))
    return out.getvalue()


# --------------------------------------------------------------------------- sinks


def _plain(line: Line) -> str:
    return "".join([text for text, _ in line])


def _rich_console() -> tuple[Console, io.StringIO]:
    """A rich Console that prints in colour into the string buffer returned with it."""
    from checker.report.console import console as make_console

    out = io.StringIO()
    console = make_console(
        file=out,
        force_terminal=True,
        no_color=False,
        # Explicit so that colour means colour even under TERM=dumb.
        color_system="standard",
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
        width=_CONSOLE_WIDTH,
        legacy_windows=False,
    )
    return console, out


def _text(lines: list[Line]) -> Text:
    from rich.text import Text

    # One span per styled run, none for plain runs: a Text's base style would be inherited
    # by everything appended to it.
    text = Text()
    for i, line in enumerate(lines):
        if i:
            text.append("\n")
        for chunk, style in line:
            text.append(chunk, style)
    return text
