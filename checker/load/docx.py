"""Word .docx loading: the body's paragraphs and table rows, in document order, one a line.

Reports are written in Word, and the numbers a reader sees before headings are often
not text at all but automatic list numbering (``一、`` from a ``chineseCounting`` list
whose level text is ``%1、``). Such markers are computed here from numbering.xml and
prepended, so that the parser finds the headings as in a plain-text copy. Counting is
kept simple: one counter per list (numId) and level, starting at the level's start
value (or its override); advancing a level restarts every deeper one.

Tables are read row by row, cells joined by a tab, at their place among the
paragraphs, so that their numbers are checked too. Headers, footers, footnotes,
comments and text boxes are not the report's body and are left out; deleted tracked
changes are left out, inserted ones kept (the text as Word shows it with markup off).

Each line gets a label a person can find in Word: ``¶37`` (the 37th paragraph of the
body, empty ones included), ``¶3(标题1)`` for a paragraph of outline level 1 (a
"Heading 1"/"标题 1" style), ``表2 行3`` (row 3 of the body's 2nd table).

The loader also returns a :class:`~checker.model.DocxMap` of where the text is in the
document, for ``govlint annotate``, which writes comments into a copy: the offset of
each piece of run text (:func:`run_pieces` of each of :func:`text_paragraphs`, in that
order) and the paragraph of each line. With it, annotate finds each character's run
by walking the document plainly, without computing list numbers again.

python-docx (and with it lxml) is imported inside :func:`load_docx` only: a run over
plain-text files never pays for it.

Before python-docx sees the archive, every part is inflated here once, within limits
(:mod:`checker.load.limits`): a bounded number of parts, deflated or stored only, none
inflating past its declared size or by a bomb's ratio, all together under a total. And
no part may declare a DOCTYPE: Word never writes one, and it is how XML entity attacks
begin (billion laughs, external entities reading local files). python-docx's own lxml
parser resolves no entities and loads no DTD either; the check makes the refusal
explicit and holds even if that changes.
"""

from __future__ import annotations

import hashlib
import io
import pathlib
import re
import struct
import unicodedata
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from checker.load.limits import MAX_UNZIPPED_BYTES, MAX_ZIP_MEMBERS, MAX_ZIP_RATIO, ZIP_RATIO_MIN_BYTES
from checker.load.text import LoadedText, LoadError, read_bytes
from checker.model import CellBox, DocxMap, TableLayout
from checker.numerals import format_digits, format_numeral

# The start of an XML document type declaration or entity declaration, in the encodings
# an OOXML part may use (UTF-8, UTF-16).
_DTD_MARKERS = tuple(
    m.encode(codec) for m in ("<!DOCTYPE", "<!ENTITY") for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
# Parts python-docx keeps as bytes and never parses, which may rightly hold a DOCTYPE:
# SVG images, web pages imported whole (altChunk).
_UNPARSED_SUFFIXES = (".svg", ".htm", ".html", ".xhtml", ".mht")
_COMPRESSION_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature … file name length, extra field length

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # the namespace of Word's XML
_P, _TBL, _TR, _TC, _R = W + "p", W + "tbl", W + "tr", W + "tc", W + "r"
_VAL = W + "val"
# Elements whose children are the content (block-level or run-level wrappers).
_WRAPPERS = frozenset(
    W + tag
    for tag in ("sdt", "sdtContent", "customXml", "smartTag", "r", "hyperlink", "ins", "moveTo", "fldSimple",
                "dir", "bdo")
)
_TABLE_PARTS = frozenset({_TBL, _TR, _TC})
_MAX_LEVELS = 9
_MAX_COLUMNS = 63  # Word's own limit on a table's columns


def load_docx(path: pathlib.Path) -> LoadedText:
    """Read a .docx file; raise :class:`LoadError` if it is not a readable Word document."""
    data = read_bytes(path)
    check_archive(data)
    try:
        import docx  # deferred: 52 ms with lxml, paid only by .docx inputs
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise LoadError.said("load-docx-unavailable", error=e) from None
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(_numbering_root(document))
        styles = _Styles(document.styles.element)
        extractor = _Extractor(styles, numbering)
        lines, locations = extractor.body(document.element.body)
    except LoadError:  # the time limit
        raise
    except Exception as e:  # python-docx and lxml raise many kinds on damaged files
        raise LoadError.said("load-docx-unreadable", error=f"{type(e).__name__}: {e}") from None
    docx_map = DocxMap(fingerprint(data), extractor.piece_starts, extractor.line_paragraphs)
    return LoadedText(
        "\n".join(lines), "docx", tuple(locations), docx_map=docx_map, tables=tuple(extractor.tables)
    )


def fingerprint(data: bytes) -> str:
    """What a :class:`DocxMap` records of the file it maps: its map fits only these bytes."""
    return hashlib.sha256(data).hexdigest()


def _numbering_root(document: Any) -> Any:
    """numbering.xml, which Word writes only for a document with lists; else an empty
    one (python-docx's ``numbering_part`` raises NotImplementedError then)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml

    try:
        return document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:
        return parse_xml(f'<w:numbering xmlns:w="{W[1:-1]}"/>')


def check_archive(data: bytes) -> None:
    """Refuse an archive that would cost too much to unpack, or whose XML declares a DTD
    (raise :class:`LoadError`): call it before python-docx reads ``data``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: a .doc renamed to .docx
            raise LoadError.said("load-docx-is-doc") from None
        raise LoadError.said("load-docx-not-zip") from None
    except Exception as e:  # damaged archives raise more kinds ("zip file version 8.4")
        raise LoadError.said("load-docx-unreadable", error=f"{type(e).__name__}: {e}") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise LoadError.said("load-docx-too-many-parts", count=len(members), limit=MAX_ZIP_MEMBERS)
    inflated = sum(info.file_size for info in members)
    if inflated > MAX_UNZIPPED_BYTES:
        limit = MAX_UNZIPPED_BYTES // 2**20
        raise LoadError.said("load-unpacked-too-large", size=inflated / 2**20, limit=limit)
    names: set[str] = set()
    for info in members:
        if info.filename in names:  # python-docx would read one, a check the other
            raise LoadError.said("load-docx-part-twice", name=info.filename)
        names.add(info.filename)
        content = _unpack(data, info)
        if not info.filename.lower().endswith(_UNPARSED_SUFFIXES) and any(m in content for m in _DTD_MARKERS):
            raise LoadError.said("load-docx-entities", name=info.filename)


def _unpack(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The content of one part, inflated here rather than by zipfile: zipfile inflates a
    part whole in one call capped only at 2 GB and cuts the result to the declared size
    afterwards, so a part that lies about its size could take gigabytes first."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise LoadError.said("load-docx-encrypted-part", name=name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        method = _COMPRESSION_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise LoadError.said("load-docx-compression", method=method, name=name)
    if info.file_size > ZIP_RATIO_MIN_BYTES and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        raise LoadError.said("load-zip-bomb", name=name, ratio=ratio, limit=MAX_ZIP_RATIO)
    header = data[info.header_offset : info.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
        raise LoadError.said("load-docx-part-misplaced", name=name)
    _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    raw = data[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        content = raw
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # a ZIP member is raw deflate
        try:
            content = inflater.decompress(raw, info.file_size + 1)
        except zlib.error as e:
            raise LoadError.said("load-docx-part-error", name=name, error=e) from None
        if len(content) > info.file_size:
            raise LoadError.said("load-docx-part-overflow", name=name)
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        raise LoadError.said("load-docx-part-corrupt", name=name)
    return content


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True, slots=True)
class _Style:
    based_on: str | None
    outline: int | None  # 0-based outline level; 9 means body text
    num_id: str | None
    ilvl: int | None
    heading_name: int | None  # N of a style named "heading N" / "标题 N"


_HEADING_NAME = re.compile(r"(?:heading|标题)\s*([1-9])", re.IGNORECASE)


class _Styles:
    def __init__(self, root: Any) -> None:
        self._styles: dict[str, _Style] = {}
        for style in root.iterchildren(W + "style"):
            ppr = style.find(W + "pPr")
            name = _val(style.find(W + "name")) or ""
            heading = _HEADING_NAME.fullmatch(name.strip())
            num_id, ilvl = _num_pr(ppr)
            self._styles[style.get(W + "styleId", "")] = _Style(
                based_on=_val(style.find(W + "basedOn")),
                outline=_int(_val(ppr.find(W + "outlineLvl"))) if ppr is not None else None,
                num_id=num_id,
                ilvl=ilvl,
                heading_name=int(heading.group(1)) if heading else None,
            )

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        """The style and the styles it is based on, nearest first (cycles cut)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            style_id = style.based_on

    def outline_level(self, style_id: str | None) -> int | None:
        """1-based heading level the style gives a paragraph, or None for body text."""
        for style in self.chain(style_id):
            if style.outline is not None:
                return style.outline + 1 if style.outline < _MAX_LEVELS else None
            if style.heading_name is not None:
                return style.heading_name
        return None

    def numbering(self, style_id: str | None) -> tuple[str, int | None] | None:
        for style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None


# --------------------------------------------------------------------------- numbering


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    fmt: str
    text: str  # lvlText: "%1、", "（%1）", "%1.%2"
    suffix: str  # what Word puts after the marker: "tab", "space" or "nothing"
    legal: bool  # isLgl: every %n shown as a decimal ("1.1" under "一、")
    style: str | None  # the paragraph style linked to this level


_DEFAULT_LEVEL = _Level(1, "decimal", "", "tab", False, None)


class _Numbering:
    """numbering.xml: the levels of each list, and the running counters."""

    def __init__(self, root: Any) -> None:
        abstract: dict[str, dict[int, _Level]] = {}
        links: dict[str, str] = {}  # abstractNumId → style named by numStyleLink
        for node in root.iterchildren(W + "abstractNum"):
            key = node.get(W + "abstractNumId", "")
            abstract[key] = dict(map(_level, node.iterchildren(W + "lvl")))
            link = _val(node.find(W + "numStyleLink"))
            if link:
                links[key] = link
        self._abstract_of: dict[str, str] = {}
        self._levels: dict[str, dict[int, _Level]] = {}
        for num in root.iterchildren(W + "num"):
            num_id = num.get(W + "numId", "")
            self._abstract_of[num_id] = _val(num.find(W + "abstractNumId")) or ""
            levels = dict(abstract.get(self._abstract_of[num_id], {}))
            for override in num.iterchildren(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl")) or 0
                if (lvl := override.find(W + "lvl")) is not None:
                    levels[ilvl] = _level(lvl)[1]
                if (start := _int(_val(override.find(W + "startOverride")))) is not None:
                    levels[ilvl] = replace(levels.get(ilvl, _DEFAULT_LEVEL), start=start)
            self._levels[num_id] = levels
        self._links = links
        self._counters: dict[str, list[int | None]] = {}

    def resolve_links(self, styles: _Styles) -> None:
        """A list defined by a list style (numStyleLink) takes its levels from the list
        that style points to."""
        for num_id, abstract_id in self._abstract_of.items():
            style = self._links.get(abstract_id)
            target = styles.numbering(style) if style else None
            if target and target[0] in self._levels and target[0] != num_id:
                self._levels[num_id] = {**self._levels[target[0]], **self._levels[num_id]}

    def marker(self, num_id: str, ilvl: int | None, style_id: str | None) -> tuple[str, str] | None:
        """Advance the list's counter; return (marker text, suffix), or None when the
        paragraph shows no number (numId 0, an unknown list, a bullet)."""
        levels = self._levels.get(num_id)
        if not levels:
            return None
        if ilvl is None:  # numbering from a style: the level linked to that style
            ilvl = next((i for i, level in levels.items() if style_id and level.style == style_id), 0)
        ilvl = min(max(ilvl, 0), _MAX_LEVELS - 1)
        level = levels.get(ilvl, _DEFAULT_LEVEL)
        counters = self._counters.setdefault(num_id, [None] * _MAX_LEVELS)
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        counters[ilvl + 1 :] = [None] * (_MAX_LEVELS - ilvl - 1)
        if level.fmt in ("bullet", "none") or not level.text:
            return None

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            value = counters[k]
            if value is None:  # a level above that never appeared shows its start value
                value = levels.get(k, _DEFAULT_LEVEL).start
            return _format_number(value, "decimal" if level.legal else levels.get(k, _DEFAULT_LEVEL).fmt)

        return re.sub(r"%([1-9])", number, level.text), level.suffix


def _level(lvl: Any) -> tuple[int, _Level]:
    start = _int(_val(lvl.find(W + "start")))
    return _int(lvl.get(W + "ilvl")) or 0, _Level(
        start=1 if start is None else start,  # the schema's default is 0; Word always writes it
        fmt=_val(lvl.find(W + "numFmt")) or "decimal",
        text=_val(lvl.find(W + "lvlText")) or "",
        suffix=_val(lvl.find(W + "suff")) or "tab",
        legal=_on(lvl.find(W + "isLgl")),
        style=_val(lvl.find(W + "pStyle")),
    )


_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _format_number(n: int, fmt: str) -> str:
    """``n`` in one of Word's number formats (ST_NumberFormat); unknown ones as decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _chinese(n, legal=False)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese(n, legal=True)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return format_digits(n)
    if fmt == "ideographTraditional" and 1 <= n <= len(_STEMS):
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= len(_BRANCHES):
        return _BRANCHES[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word: a … z, aa … zz
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 4000:
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)


def _chinese(n: int, *, legal: bool) -> str:
    """Chinese counting below 10 000 (十一, 二十, 一百零五; 壹拾壹); digit by digit from
    there on and for 0 (〇), as Word numbers."""
    return format_numeral(n, legal=legal) if 0 < n < 10000 else format_digits(abs(n), legal=legal)


def _roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


# --------------------------------------------------------------------------- body


class _Extractor:
    """The body's text, line by line with each line's label, and the map of where it is
    (:attr:`piece_starts`, :attr:`line_paragraphs`: see :class:`DocxMap`)."""

    def __init__(self, styles: _Styles, numbering: _Numbering) -> None:
        self._styles = styles
        self._numbering = numbering
        numbering.resolve_links(styles)
        self.piece_starts = array("i")
        self.line_paragraphs = array("i")
        self._paragraphs_read = 0  # paragraphs read so far, in the order of text_paragraphs
        self.tables: list[TableLayout] = []  # the body's tables, cell by cell

    def body(self, body: Any) -> tuple[list[str], list[str]]:
        lines: list[str] = []
        locations: list[str] = []
        paragraphs = tables = 0
        offset = 0  # where the next line starts in the text
        for block in _blocks(body):
            if block.tag == _P:
                paragraphs += 1
                level = self._outline_level(block)
                label = f"¶{paragraphs}" + (f"(标题{level})" if level else "")
                index = self._paragraphs_read
                for line in self._paragraph(block, offset).split("\n"):  # a line break (w:br) inside
                    lines.append(line)
                    locations.append(label)
                    self.line_paragraphs.append(index)
                    offset += len(line) + 1
            else:
                tables += 1
                grid = _Grid()
                for row_number, row in enumerate(_children(block, _TR), 1):
                    first = self._paragraphs_read
                    line, cells = self._row(row, offset)
                    grid.add_row(row, cells, len(lines) + 1)
                    lines.append(line)
                    locations.append(f"表{tables} 行{row_number}")
                    self.line_paragraphs.append(first if self._paragraphs_read > first else -1)
                    offset += len(line) + 1
                self.tables.append(TableLayout(f"表{tables}", grid.boxes()))
        if not lines:  # an empty text is one empty line
            self.line_paragraphs.append(-1)
            return [""], ["¶1"]
        return lines, locations

    def _row(self, row: Any, start: int) -> tuple[str, list[tuple[Any, int, int]]]:
        """A table row as one line: cells joined by a tab, a cell's paragraphs by a space;
        and each cell (``w:tc``) with where its text starts and ends in the text."""
        cells: list[str] = []
        bounds: list[tuple[Any, int, int]] = []
        at = start
        for tc in _children(row, _TC):
            at += bool(cells)  # the tab before it
            cell_start = at
            texts: list[str] = []
            for p in _paragraphs(tc):
                at += bool(texts)  # the space before it
                texts.append(self._paragraph(p, at))
                at += len(texts[-1])
            cells.append(" ".join(texts).replace("\n", " "))  # one character for another: offsets hold
            bounds.append((tc, cell_start, at))
        return "\t".join(cells), bounds

    def _outline_level(self, p: Any) -> int | None:
        ppr = p.find(W + "pPr")
        direct = _int(_val(ppr.find(W + "outlineLvl"))) if ppr is not None else None
        if direct is not None:
            return direct + 1 if direct < _MAX_LEVELS else None
        return self._styles.outline_level(_style_id(p))

    def _paragraph(self, p: Any, start: int) -> str:
        """The paragraph as Word shows it: its list marker, then its runs' text, which
        begins at offset ``start`` of the text."""
        pieces = [text for _run, _element, text in run_pieces(p)]
        text = "".join(pieces)
        shown = self._marked(p, text)
        at = start + len(shown) - len(text)
        for piece in pieces:
            self.piece_starts.append(at)
            at += len(piece)
        self._paragraphs_read += 1
        return shown

    def _marked(self, p: Any, text: str) -> str:
        """``text`` after the paragraph's list marker, if it shows one."""
        ppr = p.find(W + "pPr")
        num_id, ilvl = _num_pr(ppr)
        style_id = _style_id(p)
        if num_id is None:  # numbering from the style; a direct ilvl still picks the level
            from_style = self._styles.numbering(style_id)
            if from_style is None:
                return text
            num_id, ilvl = from_style[0], from_style[1] if ilvl is None else ilvl
        marked = self._numbering.marker(num_id, ilvl, style_id)
        if marked is None:
            return text
        marker, suffix = marked
        return marker + _separator(marker, suffix, text) + text


class _Grid:
    """A Word table's cells on its grid: ``w:gridBefore`` and ``w:gridSpan`` move a cell
    right, ``w:vMerge`` continues the cell above it (Word writes an empty cell there)."""

    def __init__(self) -> None:
        self._boxes: list[CellBox] = []
        self._rows = 0
        self._open: dict[int, int] = {}  # grid column → index in _boxes of a vertical merge it continues

    def add_row(self, tr: Any, cells: list[tuple[Any, int, int]], line: int) -> None:
        trpr = tr.find(W + "trPr")
        before = _int(_val(trpr.find(W + "gridBefore"))) if trpr is not None else None
        column = min(max(0, before or 0), _MAX_COLUMNS)
        for tc, start, end in cells:
            tcpr = tc.find(W + "tcPr")
            stated = _int(_val(tcpr.find(W + "gridSpan"))) if tcpr is not None else None
            span = min(max(1, stated or 1), _MAX_COLUMNS)  # a hostile file's 10**9 makes no grid that wide
            merge = tcpr.find(W + "vMerge") if tcpr is not None else None
            above = self._open.get(column)
            if merge is not None and _val(merge) in (None, "continue") and above is not None:
                box = self._boxes[above]
                self._boxes[above] = box._replace(row_span=self._rows - box.row + 1)
            else:
                self._boxes.append(CellBox(line, start, end, self._rows, column, 1, span))
                if merge is not None:  # restart
                    self._open[column] = len(self._boxes) - 1
                else:
                    self._open.pop(column, None)
            column += span
        self._rows += 1

    def boxes(self) -> tuple[CellBox, ...]:
        return tuple(self._boxes)


def _separator(marker: str, suffix: str, text: str) -> str:
    """What stands for Word's tab or space after a marker: nothing after punctuation
    ("一、加强", as typed text has it), a space after a word ("第一章 总则") and
    between "1." and a digit, so that "1. 2023年" is not read as the number 1.2023."""
    if suffix == "nothing" or not text:
        return ""
    if unicodedata.category(marker[-1]).startswith("P"):
        return " " if marker[-1] == "." and text[:1].isdigit() else ""
    return " "


def run_pieces(p: Any) -> Iterator[tuple[Any, Any, str]]:
    """(run, element, text) for each element of paragraph ``p`` that shows text, in order:
    its text is the paragraph's. The walk enters only wrappers that Word displays (a
    whitelist), so that deleted text, field codes, drawings and text boxes stay out. The
    run is None where the element is not directly in one (never in Word's files)."""
    stack: list[tuple[Any, Any]] = [(el, None) for el in reversed(p)]
    while stack:
        el, run = stack.pop()
        tag = el.tag
        if tag in _WRAPPERS:
            inner = el if tag == _R else None
            stack.extend((child, inner) for child in reversed(el))
            continue
        if tag == W + "t":
            text = (el.text or "").replace("\n", " ").replace("\r", " ")
        elif tag in (W + "tab", W + "ptab"):
            text = "\t"
        elif tag == W + "br":  # page and column breaks are no line break
            text = "\n" if el.get(W + "type") in (None, "textWrapping") else ""
        elif tag == W + "cr":
            text = "\n"
        elif tag == W + "noBreakHyphen":
            text = "-"
        else:
            continue
        if text:
            yield run, el, text


def text_paragraphs(body: Any) -> Iterator[Any]:
    """Every paragraph whose text the loader reads, in the order it reads them: those of
    the body, and of each table row by row and cell by cell (nested tables included)."""
    for block in _blocks(body):
        if block.tag == _P:
            yield block
            continue
        for row in _children(block, _TR):
            for tc in _children(row, _TC):
                yield from _paragraphs(tc)


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body or cell in document order, through content
    controls and custom XML (which often wrap a whole table of contents)."""
    stack = list(reversed(container))
    while stack:
        el = stack.pop()
        if el.tag in (_P, _TBL):
            yield el
        elif el.tag in _WRAPPERS:
            stack.extend(reversed(el))


def _children(container: Any, tag: str) -> Iterator[Any]:
    """Rows of a table or cells of a row, through content controls around them."""
    stack = list(reversed(container))
    while stack:
        el = stack.pop()
        if el.tag == tag:
            yield el
        elif el.tag in _WRAPPERS:
            stack.extend(reversed(el))


def _paragraphs(cell: Any) -> Iterator[Any]:
    """Every paragraph of a cell, those of nested tables included, in order."""
    stack = list(reversed(cell))
    while stack:
        el = stack.pop()
        if el.tag == _P:
            yield el
        elif el.tag in _WRAPPERS or el.tag in _TABLE_PARTS:
            stack.extend(reversed(el))


# --------------------------------------------------------------------------- XML helpers


def _val(el: Any) -> str | None:
    return None if el is None else el.get(_VAL)


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _on(el: Any) -> bool:
    """A toggle such as <w:isLgl/>: on when present, unless its val says off."""
    return el is not None and _val(el) not in ("0", "false", "off")


def _style_id(p: Any) -> str | None:
    ppr = p.find(W + "pPr")
    return _val(ppr.find(W + "pStyle")) if ppr is not None else None


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    num_pr = ppr.find(W + "numPr") if ppr is not None else None
    if num_pr is None:
        return None, None
    return _val(num_pr.find(W + "numId")), _int(_val(num_pr.find(W + "ilvl")))
