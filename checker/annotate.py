"""Findings as Word comments: ``govlint annotate report.docx -o report.reviewed.docx``.

The reviewer's own tool is Word, so each finding becomes a comment by "govlint" on the
characters it is about. Everything comes from the lint's :class:`FileResult`: its text,
its findings, its outline and the loader's :class:`DocxMap`, which says where each piece
of run text starts in the text. This module walks the document as the map was made
(:func:`checker.load.docx.text_paragraphs`, :func:`~checker.load.docx.run_pieces`) and
records for every character where it is shown: which run (``w:r``), which of its text
elements, which character in it. It never runs the pipeline.

A comment in Word spans whole runs, so a run that holds more than the flagged
characters is split (the new run gets a copy of the formatting). Characters that are
not text in the document anchor at the start of their paragraph: an automatic
numbering marker (``一、`` from numbering.xml) and a span with no text at all get a
point comment there. Whole-file findings (a missing part) anchor on the title, else on
the first line with text. A finding's other places (its labels away from its span) get a
comment each, neighbouring lines with the same label one comment over their range; no
comment gives advice on command-line flags, which a Word user cannot follow.

The map fits the file it was made from only: a document changed since it was linted is
refused (its fingerprint differs) rather than commented at the wrong characters.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker import atomic
from checker.load.docx import W, check_archive, fingerprint, run_pieces, text_paragraphs
from checker.load.text import LoadError, read_bytes
from checker.messages import SaidError
from checker.model import Diagnostic, DocxMap, FileResult, Span

AUTHOR, INITIALS = "govlint", "GL"
_R, _RPR, _PPR = W + "r", W + "rPr", W + "pPr"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class AnnotateError(SaidError):
    """The document cannot be annotated: the reason in English and Chinese."""


def default_output(path: Path) -> Path:
    """``report.docx`` → ``report.reviewed.docx`` beside it."""
    return path.with_name(f"{path.stem}.reviewed.docx")


def whole_file_anchor(result: FileResult) -> Span:
    """Where a finding about the whole file goes: the title, else the first line with text."""
    if result.outline is not None and result.outline.title_span is not None:
        return result.outline.title_span
    source = result.source
    if source is not None:
        for line in range(1, source.line_count + 1):
            if source.line_text(line).strip():
                return source.line_span(line)
    return Span(0, 0)


def comment_text(d: Diagnostic) -> str:
    """``CODE name: message``, then the help on a paragraph of its own: for the person
    editing the document, so without advice on command-line flags (see :func:`for_word`)."""
    head = f"{d.code} {d.name}: {for_word(d.message)}"
    help_text = for_word(d.help) if d.help else ""
    return f"{head}\n{help_text}" if help_text else head


def label_comment_text(d: Diagnostic, label_message: str | None) -> str:
    """The comment on another place of a finding (a label away from its span): what the
    place is, then the finding it belongs to."""
    head = f"{d.code} {d.name}: {for_word(label_message)}" if label_message else f"{d.code} {d.name}"
    return f"{head}\n{for_word(d.message)}"


_FLAG = r"(?<![\w-])--[a-z][\w-]*"
_FLAG_CLAUSES = (  # a clause between semicolons, else one between commas
    re.compile(rf"[;;]?[^;;]*{_FLAG}[^;;]*"),
    re.compile(rf"[,,]?[^;;,,]*{_FLAG}[^;;,,]*"),
)


def for_word(text: str) -> str:
    """``text`` without its clauses of advice on command-line flags (…;期限可用
    --publication-deadline 调整): a Word user cannot act on them."""
    for clause in _FLAG_CLAUSES:
        if kept := clause.sub("", text).strip():
            return kept
    return text


def _label_groups(d: Diagnostic, text: str) -> list[tuple[Span, str | None]]:
    """The places of ``d`` other than its span: each label not inside the span, and labels
    with the same message on neighbouring lines (the lines of one web-page block) as one
    range."""
    groups: list[tuple[Span, str | None]] = []
    primary = d.span
    for label in sorted(d.labels, key=lambda label: (label.span.start, label.span.end)):
        if primary is not None and primary.start <= label.span.start and label.span.end <= primary.end:
            continue
        if groups:
            last, message = groups[-1]
            if message == label.message and not text[last.end : label.span.start].strip():
                groups[-1] = (Span(last.start, max(last.end, label.span.end)), message)
                continue
        groups.append((label.span, label.message))
    return groups


def annotate_docx(path: Path, output: Path, result: FileResult) -> int:
    """Write a copy of ``path`` to ``output`` with one comment per diagnostic of
    ``result`` (the lint of ``path``); return how many. ``path`` itself is never written."""
    import docx  # deferred like the loader's: only `annotate` needs it
    from docx.text.run import Run

    if result.source is None or result.docx_map is None:
        raise AnnotateError.said("annotate-not-linted")
    try:
        data = read_bytes(path)
        if fingerprint(data) != result.docx_map.fingerprint:
            raise AnnotateError.said("annotate-changed")
        check_archive(data)
        document = docx.Document(io.BytesIO(data))
    except LoadError as e:
        raise AnnotateError(e.reason, e.zh) from None
    except AnnotateError:
        raise
    except Exception as e:  # python-docx and lxml raise many kinds on damaged files
        raise AnnotateError.said("load-docx-unreadable", error=f"{type(e).__name__}: {e}") from None
    chars = _CharMap(document, result.source.text, result.docx_map)
    whole_file = whole_file_anchor(result)
    comments = _Comments(document)
    count = 0
    for d in result.diagnostics:
        # The finding on its span; each of its other places (D301's plan heading, the lines
        # of a T402 block) gets a comment of its own, so that no label is lost in Word.
        places = [(d.span or whole_file, comment_text(d))]
        places += [(span, label_comment_text(d, message)) for span, message in _label_groups(d, result.source.text)]
        for span, text in places:
            first, last = chars.anchor(span)
            comment_id = comments.add(text)
            Run(first, document).mark_comment_range(Run(last, document), comment_id)
            count += 1
    with atomic.open_binary(output) as stream:
        document.save(stream)
    return count


class _Comments:
    """The document's comments part, to which each comment is added in constant time.
    python-docx's ``add_comment`` looks for a free id by reading the id of every comment
    already there: thousands of findings took quadratic time (20 000 never ended). Here
    the first comment is python-docx's own, and the others are copies of it, numbered on."""

    def __init__(self, document: Any) -> None:
        self._document = document
        self._blank: Any = None  # a comment as python-docx makes it, before its text
        self._next_id = 0
        self._now = dt.datetime.now(dt.UTC)

    def add(self, text: str) -> int:
        """Add a comment by govlint holding ``text`` (a paragraph per line); its id."""
        from docx.comments import Comment

        comments = self._document.comments  # the part is made on first use: none for a clean report
        if self._blank is None:
            element = comments._comments_elm.add_comment()  # reads the ids already used, once
            self._blank = copy.deepcopy(element)
        else:
            element = copy.deepcopy(self._blank)
            element.id = self._next_id
            comments._comments_elm.append(element)  # not public: python-docx adds comments one way only
        self._next_id = element.id + 1
        element.author, element.initials, element.date = AUTHOR, INITIALS, self._now
        comment = Comment(element, comments._comments_part)
        first, *others = text.split("\n")
        comment.paragraphs[0].add_run(first)
        for line in others:
            comment.add_paragraph(text=line)
        return int(element.id)


# --------------------------------------------------------------------------- the map


@dataclass(slots=True)
class _At:
    """Where one character of the linted text is shown."""

    r: Any  # its run
    child: Any  # the w:t, w:tab, w:br … in ``r`` that shows it
    index: int  # the character's index in ``child``'s text


class _CharMap:
    """An :class:`_At` for each character of the linted text ``text`` that is run text in
    ``document``, None for the others (list markers, the line and cell separators the
    loader adds, text outside any run); and the paragraph of each line."""

    def __init__(self, document: Any, text: str, docx_map: DocxMap) -> None:
        body = document.element.body
        paragraphs = list(text_paragraphs(body))
        pieces = [piece for p in paragraphs for piece in run_pieces(p)]
        if len(pieces) != len(docx_map.piece_starts):  # the fingerprint matched: a bug if so
            raise AnnotateError.said("annotate-mismatch")
        self.text = text
        self._at: list[_At | None] = [None] * len(text)
        for (r, child, piece), start in zip(pieces, docx_map.piece_starts, strict=True):
            if r is not None:
                for index in range(len(piece)):
                    self._at[start + index] = _At(r, child, index)
        # The paragraph a point comment on each line goes to; the body's first for a line
        # without one (an empty document, whose text the loader makes one empty line).
        lines = [paragraphs[i] if i >= 0 else None for i in docx_map.line_paragraphs]
        first = next((p for p in lines if p is not None), None)
        if first is None:  # no paragraph at all: a comment needs one
            first = body.add_p()
        self._line_paragraphs = [p if p is not None else first for p in lines]
        self._line_starts = [0, *(k + 1 for k, char in enumerate(text) if char == "\n")]

    def anchor(self, span: Span) -> tuple[Any, Any]:
        """The first and last run of ``span``, split so that they hold just its text."""
        end = min(span.end, len(self._at))
        shown = [(k, at) for k in range(span.start, end) if (at := self._at[k]) is not None]
        if not shown:  # a numbering marker, or no characters: a point at the paragraph's start
            line = bisect_right(self._line_starts, span.start) - 1  # not text.count: linear per finding
            empty = _point_run(self._line_paragraphs[line])
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
        if at is None or before is None or at.r is not before.r:
            return
        r, child, index = at.r, at.child, at.index
        tail = _split_run(r, child, index)
        j = k
        while j < len(self._at) and (moved := self._at[j]) is not None and moved.r is r:
            if moved.child is child and index:
                moved.child, moved.index = tail[0], moved.index - index
            moved.r = tail[1]
            j += 1


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
