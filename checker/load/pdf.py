"""PDF loading: the text layer, with wrapped lines joined back into paragraphs.

pdfplumber (over pdfminer.six) reads the characters with their positions and orders
them on the page; pypdf, faster, puts quotation marks set in a Western font out of
place and spaces between digits and Chinese (docs/loaders.md has the measurement).

A PDF has no paragraphs, only lines. A line is joined to the next one when

* it is *full*: it reaches the text's right edge within three characters, counting
  the next line's unbreakable start (a number, a Latin word, a character held to the
  closing marks after it) as if it stood at the end: a line breaks when what follows
  does not fit;
* it is not centred or right-aligned (starting four characters in or more), and
  neither line is a table row (a gap of more than 1.5 characters inside);
* the next line is not *indented* (a Chinese paragraph, and most headings, start two
  characters in), does not start with a heading marker (``一、`` ``（一）`` ``1.``
  ``（1）`` ``第一章``), and has the same font size;
* the line does not end a sentence (``。！？；：…``, maybe followed by a closing quote
  or bracket) — unless its paragraph started indented: paragraphs are then marked by
  indentation, and a next line that is not indented goes on after a full stop too.

Headings and the short last lines of paragraphs are not full and a signature is
right-aligned, so they stay on lines of their own. The same test joins a paragraph across a page break; page
numbers alone on the first or last line of a page (``— 3 —``, ``第3页 共7页``) are
dropped. Each line is labelled with its page, ``p.3``, or ``p.3-4`` when it goes on
over a page break.

pdfplumber is imported inside :func:`load_pdf` only: a run over text files never pays
for it.

Hostile PDFs are bounded: a page tree claiming or holding more than
:data:`~checker.load.limits.MAX_PAGES` pages is refused before any page is read (a
tree whose Kids point back to itself is walked once: pdfminer skips nodes it has
seen), streams decode within a budget (:mod:`checker.load.pdfstreams`), and the load's
time limit is also checked between pages (:mod:`checker.load.deadline`).
"""

from __future__ import annotations

import io
import itertools
import logging
import pathlib
import re
from dataclasses import dataclass
from typing import Any

from checker.load import deadline, pdfstreams
from checker.load.limits import MAX_PAGES
from checker.load.text import LoadedText, LoadError, read_bytes

# A page with fewer characters than this is empty or a scan with a watermark or stamp
# in its text layer (phone scanner apps write their name on every page).
MIN_TEXT_PAGE_CHARS = 20

# pdfminer and pdfplumber log a warning for each oddity they work around ("Invalid
# MediaBox in /Page"), thousands for a hostile file; without a handler of their own
# Python prints them, bare, on stderr. A NullHandler keeps them out of govlint's output;
# an application that configures logging still receives them.
for _library in ("pdfminer", "pdfplumber"):
    logging.getLogger(_library).addHandler(logging.NullHandler())

_SENTENCE_END = re.compile(r"[。！？!?；;：:…][”’」』）)】〕》]*$")
_HEADING_START = re.compile(
    r"[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、](?!\d)"
    r"|第[一二三四五六七八九十\d]+[章节条部分]"
)
_PAGE_NUMBER = re.compile(
    r"[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/,，]?\s*共\s*\d{1,4}\s*页)?[-—–\s]*"
)
_FULL_SLACK = 3.0  # character widths a full line may stop short of the right edge
# What cannot start a line or be split: a line ends early when the next one starts so.
_UNBREAKABLE = re.compile(r"[!-~，。、；：！？）》」』”’〕】]")
_INDENT = 1.0  # character widths in from the left edge that make a line indented
_ALIGNED_RIGHT = 4.0  # … and that make a full line centred or right-aligned (a signature)
_TABLE_GAP = 1.5  # character widths between two characters of a line that make it a table row


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    size: float  # font size of its largest character
    spread: bool  # has a gap of several characters inside: a table row or tabbed columns
    lead: float  # width of its unbreakable start (a number, a Latin word, closing marks)
    first_page: int
    last_page: int


def load_pdf(path: pathlib.Path) -> LoadedText:
    """Read the text layer of a PDF; raise :class:`LoadError` for a scan, an encrypted
    or damaged file, or one beyond :data:`MAX_PAGES`."""
    data = read_bytes(path)
    if b"%PDF-" not in data[:1024]:
        raise LoadError.said("load-pdf-no-header")
    pages = _read_pages(data)
    text_pages = sum(1 for page in pages if sum(len(line.text) for line in page) >= MIN_TEXT_PAGE_CHARS)
    if text_pages == 0:
        count = {"en": "1 page" if len(pages) == 1 else f"{len(pages)} pages", "zh": f"共 {len(pages)} 页"}
        raise LoadError.said("load-pdf-scanned", count=count)
    if text_pages * 2 < len(pages):
        raise LoadError.said("load-pdf-scanned-partly", text_pages=text_pages, pages=len(pages))
    lines = _join([line for page in pages for line in _without_page_numbers(page)])
    return LoadedText(
        "\n".join(line.text for line in lines),
        "pdf",
        tuple(_label(line) for line in lines),
    )


def _read_pages(data: bytes) -> list[list[_Line]]:
    try:
        import pdfplumber  # deferred: 74 ms, paid only by .pdf inputs
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise LoadError.said("load-pdf-unavailable", error=e) from None
    pdfstreams.install()
    try:
        with pdfstreams.budget():
            # Not `with pdfplumber.open(…)`: PDF.close() walks the page tree again, so a
            # tree that failed or hung would do it again, past the time limit.
            pdf = pdfplumber.open(io.BytesIO(data), password="", raise_unicode_errors=False)
            _check_page_count(pdf.doc)
            lines = []
            for number, page in enumerate(pdf.pages, 1):
                deadline.check()
                with pdfstreams.page():
                    lines.append(_page_lines(page, number))
            return lines
    except LoadError:
        raise
    except Exception as e:  # pdfminer raises a wide range of errors on damaged files
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e  # pdfplumber wraps them
        if isinstance(cause, LoadError):  # a limit, reached inside pdfminer
            raise cause from None
        if isinstance(cause, PDFPasswordIncorrect):
            raise LoadError.said("load-pdf-password") from None
        if isinstance(cause, PDFEncryptionError):
            raise LoadError.said("load-pdf-undecryptable", error=cause) from None
        raise LoadError.said("load-pdf-unreadable", error=f"{type(cause).__name__}: {cause}") from None


def _check_page_count(document: Any) -> None:
    """Refuse a PDF over the page limit, from the count its page tree claims, then by
    walking the tree no further than the limit (pdfplumber's ``pages`` walks it all)."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    root = resolve1(document.catalog.get("Pages"))
    claimed = resolve1(root.get("Count")) if isinstance(root, dict) else None
    if isinstance(claimed, int) and claimed > MAX_PAGES:
        raise LoadError.said("load-pdf-too-long", pages=claimed, limit=MAX_PAGES)
    if sum(1 for _ in itertools.islice(PDFPage.create_pages(document), MAX_PAGES + 1)) > MAX_PAGES:
        raise LoadError.said("load-pdf-too-long-found", limit=MAX_PAGES)


def _page_lines(page: Any, number: int) -> list[_Line]:
    lines = []
    # Spaces only where the PDF has them, or where characters stand a character width
    # apart (table cells): pdfplumber's default (3 pt) puts spaces into justified lines.
    for line in page.extract_text_lines(return_chars=True, keep_blank_chars=True, x_tolerance_ratio=1.0):
        chars = line["chars"]
        size = max((char["size"] for char in chars), default=0.0)
        spread = any(b["x0"] - a["x1"] > _TABLE_GAP * size for a, b in itertools.pairwise(chars))
        # A character held to the marks or digits after it ("毒”、", "理,2021") moves with them.
        unbreakable = 1 if len(chars) > 1 and _UNBREAKABLE.match(chars[1]["text"]) else 0
        while unbreakable < len(chars) and _UNBREAKABLE.match(chars[unbreakable]["text"]):
            unbreakable += 1
        lead = chars[unbreakable - 1]["x1"] - chars[0]["x0"] if unbreakable else 0.0
        lines.append(_Line(line["text"], line["x0"], line["x1"], size, spread, lead, number, number))
    return lines


def _without_page_numbers(page: list[_Line]) -> list[_Line]:
    if page and _PAGE_NUMBER.fullmatch(page[-1].text):
        page = page[:-1]
    if page and _PAGE_NUMBER.fullmatch(page[0].text):
        page = page[1:]
    return page


def _join(lines: list[_Line]) -> list[_Line]:
    if not lines:
        return []
    # The text's edges: the extremes of the line ends, less a few outliers (a wide
    # table, a stamp) that would stretch them.
    trim = len(lines) // 50
    left = sorted(line.x0 for line in lines)[trim]
    right = sorted(line.x1 for line in lines)[-1 - trim]

    def full(line: _Line, after: _Line) -> bool:
        return line.x1 + after.lead >= right - _FULL_SLACK * line.size

    def indented(line: _Line) -> bool:
        return line.x0 >= left + _INDENT * line.size

    out = [lines[0]]
    for line in lines[1:]:
        last = out[-1]
        if (
            full(last, line)
            and last.x0 < left + _ALIGNED_RIGHT * last.size
            and not indented(line)
            and not (last.spread or line.spread)
            and abs(line.size - last.size) < 0.5
            and not _HEADING_START.match(line.text)
            and (indented(last) or not _SENTENCE_END.search(last.text))
        ):
            # ASCII words wrapped across lines keep a space between them
            ascii_words = last.text[-1:].isascii() and last.text[-1:].isalnum() and line.text[:1].isascii()
            gap = " " if ascii_words else ""
            text = last.text + gap + line.text
            out[-1] = _Line(text, last.x0, line.x1, line.size, False, last.lead, last.first_page, line.last_page)
        else:
            out.append(line)
    return out


def _label(line: _Line) -> str:
    if line.first_page == line.last_page:
        return f"p.{line.first_page}"
    return f"p.{line.first_page}-{line.last_page}"
