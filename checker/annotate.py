"""Findings as Word comments: ``govlint annotate report.docx -o report.reviewed.docx``.

The reviewer's own tool is Word, so each finding becomes a comment by "govlint" on the
characters it is about. The loader (:mod:`checker.load.docx`) made the linted text out
of the body's paragraphs and table rows; this module walks the document the same way,
with the loader's own helpers, and records for every character of that text where it
is shown: which run (``w:r``), which of its text elements, which character in it.

A comment in Word spans whole runs, so a run that holds more than the flagged
characters is split (the new run gets a copy of the formatting). Characters that are
not text in the document anchor at the start of their paragraph: an automatic
numbering marker (``一、`` from numbering.xml) and a span with no text at all get a
point comment there. Whole-file findings (a missing part) anchor on the title, else on
the first line with text.

A paragraph whose runs this walk reads differently from the loader (a construct one
of them learned and the other not) is anchored as a whole at its start rather than at
the wrong characters.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.fix import write_atomic
from checker.load.docx import (
    _numbering_root,
    _P,
    _TC,
    _TR,
    _W,
    _WRAPPERS,
    _blocks,
    _check_archive,
    _children,
    _Extractor,
    _Numbering,
    _paragraphs,
    _run_text,
    _Styles,
)
from checker.load.text import LoadError, read_bytes
from checker.model import Diagnostic, Span
from checker.ruleset import RuleSet

AUTHOR, INITIALS = "govlint", "GL"
_R, _T, _RPR = _W + "r", _W + "t", _W + "rPr"
_PPR = _W + "pPr"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class AnnotateError(Exception):
    """The document cannot be annotated; ``str()`` is one English line."""


def default_output(path: Path) -> Path:
    """``report.docx`` → ``report.reviewed.docx`` beside it."""
    return path.with_name(f"{path.stem}.reviewed.docx")


def whole_file_anchor(path: str, text: str, ruleset: RuleSet) -> Span:
    """Where a finding about the whole file goes: the title, else the first line with text."""
    from checker.engine import analyse

    doc = analyse(path, text, ruleset, with_facts=False)
    if doc.title is not None:
        return doc.title.span
    for line in range(1, doc.source.line_count + 1):
        if doc.source.line_text(line).strip():
            return doc.source.line_span(line)
    return Span(0, 0)


def comment_text(d: Diagnostic) -> str:
    """``CODE name: message``, then the help on a paragraph of its own."""
    head = f"{d.code} {d.name}: {d.message}"
    return f"{head}\n{d.help}" if d.help else head


def annotate_docx(
    path: Path, output: Path, text: str, diagnostics: Iterable[Diagnostic], whole_file: Span
) -> int:
    """Write a copy of ``path`` to ``output`` with one comment per diagnostic; return
    how many. ``text`` is the loader's text the diagnostics point into; ``whole_file``
    the span a finding without one is anchored on. ``path`` itself is never written."""
    import docx  # deferred like the loader's: only `annotate` needs it
    from docx.text.run import Run

    try:
        data = read_bytes(path)
        _check_archive(data)
        document = docx.Document(io.BytesIO(data))
    except LoadError as e:
        raise AnnotateError(e.reason) from None
    except Exception as e:  # python-docx and lxml raise many kinds on damaged files
        raise AnnotateError(f"unreadable .docx file ({type(e).__name__}: {e})") from None
    chars = _CharMap(document)
    if chars.text != text:
        raise AnnotateError("the document's text does not match the linted text; it was not annotated")
    count = 0
    for d in diagnostics:
        first, last = chars.anchor(d.span or whole_file)
        document.add_comment(
            [Run(first, document), Run(last, document)], text=comment_text(d), author=AUTHOR, initials=INITIALS
        )
        count += 1
    write_atomic(output, document.save)
    return count


# --------------------------------------------------------------------------- the map


@dataclass(slots=True)
class _At:
    """Where one character of the linted text is shown."""

    p: Any  # its paragraph (w:p)
    r: Any = None  # its run; None: not text in the document (a numbering marker)
    child: Any = None  # the w:t, w:tab, w:br … in ``r`` that shows it
    index: int = 0  # the character's index in ``child``'s text


class _CharMap:
    """The loader's text of a document, and an :class:`_At` (or None, for the line and
    cell separators the loader adds) for each of its characters."""

    def __init__(self, document: Any) -> None:
        extractor = _Extractor(_Styles(document.styles.element), _Numbering(_numbering_root(document)))
        pieces: list[str] = []
        self._at: list[_At | None] = []
        body = document.element.body
        # The paragraph a point comment on each line goes to: a row's first; the body's
        # first for an empty document (whose text the loader makes one empty line).
        self._line_paragraphs: list[Any] = []
        # Same order and joins as _Extractor.body: the numbering counters advance alike.
        for block in _blocks(body):
            rows = [block] if block.tag == _P else list(_children(block, _TR))
            for row in rows:
                if self._line_paragraphs:
                    self._add("\n", None, pieces)
                self._line_paragraphs.append(row if row.tag == _P else next(_paragraphs(row), None))
                if row.tag == _P:
                    self._paragraph(extractor, row, pieces)
                    continue
                for cell_number, tc in enumerate(_children(row, _TC)):
                    if cell_number:
                        self._add("\t", None, pieces)
                    for k, p in enumerate(_paragraphs(tc)):
                        if k:
                            self._add(" ", None, pieces)
                        start = len(pieces)
                        self._paragraph(extractor, p, pieces)
                        pieces[start:] = [piece.replace("\n", " ") for piece in pieces[start:]]
        self.text = "".join(pieces)
        first = next((p for p in self._line_paragraphs if p is not None), None)
        if first is None:  # no paragraph at all: a comment needs one
            first = body.add_p()
        self._line_paragraphs = [p if p is not None else first for p in self._line_paragraphs] or [first]

    def _add(self, text: str, at: _At | None, pieces: list[str]) -> None:
        pieces.append(text)
        self._at.append(at)

    def _paragraph(self, extractor: _Extractor, p: Any, pieces: list[str]) -> None:
        shown = extractor._paragraph(p)  # the loader's text: marker, separator, runs
        runs = list(_run_pieces(p))
        run_text = "".join(text for _r, _child, text in runs)
        if run_text != _run_text(p) or not shown.endswith(run_text):
            for ch in shown:
                self._add(ch, _At(p), pieces)
            return
        for ch in shown[: len(shown) - len(run_text)]:
            self._add(ch, _At(p), pieces)
        for r, child, text in runs:
            for index, ch in enumerate(text):
                self._add(ch, _At(p, r, child, index) if r is not None else _At(p), pieces)

    def anchor(self, span: Span) -> tuple[Any, Any]:
        """The first and last run of ``span``, split so that they hold just its text."""
        end = min(span.end, len(self._at))
        shown = [(k, at) for k in range(span.start, end) if (at := self._at[k]) is not None and at.r is not None]
        if not shown:  # a numbering marker, or no characters: a point at the paragraph's start
            empty = _point_run(self._line_paragraphs[self.text.count("\n", 0, span.start)])
            return empty, empty
        (first, first_at), (last, last_at) = shown[0], shown[-1]
        self._split_before(last + 1)
        self._split_before(first)
        return first_at.r, last_at.r  # updated in place by the splits

    def _split_before(self, k: int) -> None:
        """Make a run boundary before character ``k`` (nothing to do at a run's start)."""
        if not 0 < k < len(self._at):
            return
        at, before = self._at[k], self._at[k - 1]
        if at is None or before is None or at.r is None or at.r is not before.r:
            return
        r, child, index = at.r, at.child, at.index
        tail = _split_run(r, child, index)
        j = k
        while j < len(self._at) and (moved := self._at[j]) is not None and moved.r is r:
            if moved.child is child and index:
                moved.child, moved.index = tail[0], moved.index - index
            moved.r = tail[1]
            j += 1


def _run_pieces(p: Any) -> Iterable[tuple[Any, Any, str]]:
    """(run, element, text) for each element :func:`_run_text` reads text from, in order;
    the run is None where the element is not directly in one (never in Word's files)."""
    stack: list[tuple[Any, Any]] = [(el, None) for el in reversed(p)]
    while stack:
        el, run = stack.pop()
        tag = el.tag
        if tag in _WRAPPERS:
            inner = el if tag == _R else None
            stack.extend((child, inner) for child in reversed(el))
            continue
        if tag == _T:
            text = (el.text or "").replace("\n", " ").replace("\r", " ")
        elif tag in (_W + "tab", _W + "ptab"):
            text = "\t"
        elif tag == _W + "br":
            text = "\n" if el.get(_W + "type") in (None, "textWrapping") else ""
        elif tag == _W + "cr":
            text = "\n"
        elif tag == _W + "noBreakHyphen":
            text = "-"
        else:
            continue
        if text:
            yield run, el, text


def _split_run(r: Any, child: Any, index: int) -> tuple[Any, Any]:
    """Split run ``r`` before character ``index`` of its element ``child``: what follows
    moves to a new run right after ``r``, with a copy of ``r``'s formatting. Returns
    (the element now holding that character, the new run)."""
    from docx.oxml import OxmlElement

    new_r = OxmlElement("w:r")
    for name, value in r.attrib.items():  # rsid attributes
        new_r.set(name, value)
    if (rpr := r.find(_RPR)) is not None:
        new_r.append(copy.deepcopy(rpr))
    following = list(child.itersiblings())
    if index:  # inside a w:t: its tail goes into a w:t of its own
        head = child
        child = copy.deepcopy(head)
        child.text, head.text = head.text[index:], head.text[:index]
        for t in (head, child):
            t.set(_XML_SPACE, "preserve")  # a piece may now begin or end with a space
    new_r.append(child)
    for el in following:
        new_r.append(el)
    # Right after ``r``: a comment range around ``r`` held both halves, and still does.
    r.addnext(new_r)
    return child, new_r


def _point_run(p: Any) -> Any:
    """An empty run at the start of ``p``, for a comment on no characters."""
    from docx.oxml import OxmlElement

    empty = OxmlElement("w:r")
    ppr = p.find(_PPR)
    if ppr is not None:
        ppr.addnext(empty)
    else:
        p.insert(0, empty)
    return empty
