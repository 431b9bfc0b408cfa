"""HTML loading: the article of a saved web page, as the reader sees it, one block a line.

Reports are published on government websites, and a page saved from one holds far more
than the report: navigation, headers and footers, share bars, comment forms, related
links. The loader keeps the article only:

1. **Decoding**: a byte-order mark; else UTF-8 if the bytes are valid UTF-8 (pages
   labelled GB2312 but saved as UTF-8 are common, and a GBK text with Chinese in it is
   practically never valid UTF-8); else the charset a ``<meta charset>``, an
   ``http-equiv`` Content-Type or an XML declaration names (GB2312 and GBK are read as
   their superset GB18030); else the plain-text detection of :mod:`checker.load.text`.
2. **Tree**: the stdlib ``html.parser`` (no lxml/bs4 dependency; 7 ms to import against
   22 ms for ``lxml.html``) feeds a small element tree, with the end tags that HTML lets a page
   leave out (``<p>``, ``<li>``, ``<td>``, ``<tr>``) closed as a browser would. No step
   recurses over the tree, so 100 000 nested tags cost time, not the stack; a page of
   more than :data:`~checker.load.limits.MAX_HTML_ELEMENTS` elements is refused, as
   memory grows with them (~300 bytes each).
3. **Article**: text counts by Chinese characters, outside links (lists of related
   articles are links), scripts and page chrome (``nav``, ``header``, ``footer``,
   ``aside``). The article is the innermost element that Chinese government CMSs and
   HTML5 use for it (``TRS_Editor``, ``Custom_UnionStyle``, ``zoom``,
   ``pages_content``, ``article-content``, ``<article>``, classes with content, detail,
   main …) that holds more than half the page's text — stepping into an inner one only
   while it keeps nearly all the outer one's (80 %, or all but 100 characters), so
   that a section of the report is never taken for the whole. Without one: from the
   page down, the container (``div``, ``td``, ``section`` … never a paragraph) that
   keeps nearly all its parent's text.
   The title usually stands just before the article body, outside it: the nearest
   heading before it (``h1``–``h3``, a ``title`` or ``bt`` class) becomes the first line,
   else ``<meta name="ArticleTitle">``.
4. **Text**: block elements and ``<br>`` end lines, table cells are joined by a tab,
   whitespace collapses as in a browser, entities are decoded and ``&nbsp;`` is a space.
   Inside the article, navigation, asides, footers, forms and scripts are dropped;
   other chrome stays for rule T402 to report.

Each line is labelled ``L<n>``, the line of the HTML source where its text starts.
The page's comments are returned too, each with its source line: suppression comments
(``<!-- govlint-disable … -->``) are read from them, never from the file a second time.
"""

from __future__ import annotations

import codecs
import pathlib
import re
from html.parser import HTMLParser

from checker.load.limits import MAX_HTML_ELEMENTS
from checker.load.text import LoadedText, LoadError, SourceComment, decode_bytes, read_bytes
from checker.model import CellBox, TableLayout

# Never text of the report, wherever they are.
_SKIP = frozenset(
    "script style noscript template head title iframe frameset object embed svg math canvas "
    "select option textarea button video audio map".split()
)
# Page chrome: not counted when looking for the article, dropped inside it.
_CHROME = frozenset({"nav", "header", "footer", "aside"})
# Dropped inside the article (a comment form), but may wrap a whole page (ASP.NET).
_DROP_IN_ARTICLE = frozenset({"nav", "footer", "aside", "form"})
_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main "
    "menu nav ol p pre section summary table tbody tfoot thead tr td th ul".split()
)
_LINE_BLOCKS = _BLOCK - {"td", "th"}  # cells of a row share its line
_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
# A start tag of these closes an open <p> (HTML's "p end tag omission").
_CLOSES_P = _BLOCK - {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "body", "html"}
# Tags whose start closes an open one of the same kind, up to a boundary.
_IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr"}), frozenset({"table"})),
}
_IMPLIED_END_DEPTH = 64  # how far up an implied end looks: only nearby elements close

_ARTICLE_CLASS = re.compile(
    r"trs_editor|custom_unionstyle|zoom|pages?[_-]?content|article|content|detail|main|zhengwen|正文",
    re.IGNORECASE,
)
_TITLE_CLASS = re.compile(r"title|biaoti|bt(?![a-z])", re.IGNORECASE)  # bt: 标题 ("wzbt", "xl_bt")
_TITLE_MAX = 120
# An element inside another holds "nearly all" its text when it has this share of it,
# or all but this many characters: the rest is a title, a date line, a share bar.
# A section of a report holds less of the whole.
_DOMINANT = 0.8
_CHROME_CHARS = 100
# What the article may be: elements that hold paragraphs, not paragraphs themselves.
_CONTAINERS = frozenset(
    "html body div section article main table tbody thead tfoot tr td th form center blockquote".split()
)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"[ \t\n\r\f]+")
_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_CHARSET_SCAN_BYTES = 8192  # CMS pages put long comments and scripts before the meta
_GB = frozenset({"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "gb_2312-80", "euc-cn", "chinese"})


def load_html(path: pathlib.Path) -> LoadedText:
    """Read a saved web page and return its article's text (see the module docstring)."""
    source, encoding = _decode(read_bytes(path))
    try:
        tree = _TreeBuilder(source)
    except LoadError:  # too many elements, the time limit
        raise
    except Exception as e:  # html.parser is lenient, but not proven on every input
        raise LoadError.said("load-html-unreadable", error=f"{type(e).__name__}: {e}") from None
    article = _article(tree)
    extractor = _Text()
    lines = extractor.extract(article)
    title = _title(tree, article)
    shift = 0
    if title and (not lines or lines[0][0].strip() != title[0]):  # some CMSs repeat it in the body
        lines.insert(0, title)
        shift = 1
    lines = lines or [("", 1)]  # an empty text is one empty line, and has its label
    return LoadedText(
        "\n".join(text for text, _ in lines),
        f"html/{encoding}",
        tuple(f"L{line}" for _, line in lines),
        tuple(tree.comments),
        tables=extractor.layouts(lines, shift),
    )


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes) -> tuple[str, str]:
    """A BOM; valid UTF-8; the declared charset; the plain-text detection."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" not in data:
        try:
            return _unify(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            pass
        declared = _declared_charset(data)
        if declared:
            try:
                return _unify(data.decode(declared)), declared
            except UnicodeDecodeError:
                pass  # mislabelled: detect instead
    loaded = decode_bytes(data)  # BOMs, binary files and undeclared GB18030
    return loaded.text, loaded.encoding


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:_CHARSET_SCAN_BYTES])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    if name in _GB:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _unify(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- tree


class _Element:
    __slots__ = ("tag", "klass", "parent", "children", "line", "cjk", "chrome", "spans")

    def __init__(self, tag: str, klass: str, parent: _Element | None, line: int, chrome: bool) -> None:
        self.tag = tag
        self.klass = klass  # id and class attributes, for the CMS keywords
        self.parent = parent
        self.children: list[_Element | tuple[str, int]] = []  # elements and (text, source line)
        self.line = line
        self.cjk = 0  # Chinese characters of the subtree, outside links, scripts and chrome
        self.chrome = chrome  # inside script, style, nav, header, footer or aside
        self.spans = (1, 1)  # a table cell's rowspan and colspan


class _TreeBuilder(HTMLParser):
    """Builds the element tree, counting Chinese text as it goes."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", "", None, 1, False)
        self.elements: list[_Element] = [self.root]  # in document order: parents before children
        self.article_title: tuple[str, int] | None = None  # <meta name="ArticleTitle">, its line
        self.comments: list[SourceComment] = []
        self._stack = [self.root]
        self._open: dict[str, int] = {}
        self._links = 0  # open <a> elements
        self.feed(source)
        self.close()
        for element in reversed(self.elements):  # children before parents: subtree sums
            if element.parent is not None:
                element.parent.cjk += element.cjk

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = dict(attrs)
            content = _SPACES.sub(" ", (values.get("content") or "").replace("\xa0", " ")).strip()
            if (values.get("name") or "").lower() == "articletitle" and content:
                self.article_title = content, self.getpos()[0]
        self._implied_ends(tag)
        parent = self._stack[-1]
        klass = " ".join(value or "" for name, value in attrs if name in ("id", "class"))
        chrome = parent.chrome or tag in _SKIP or tag in _CHROME
        element = _Element(tag, klass, parent, self.getpos()[0], chrome)
        if tag in ("td", "th"):
            values = dict(attrs)
            element.spans = (_span(values.get("rowspan")), _span(values.get("colspan")))
        parent.children.append(element)
        self.elements.append(element)
        if len(self.elements) > MAX_HTML_ELEMENTS:  # the root, not an element of the page, is one more
            raise LoadError.said("load-html-too-large", limit=MAX_HTML_ELEMENTS)
        if tag not in _VOID:
            self._push(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self._open.get(tag):
            return  # a stray end tag: browsers ignore it too
        while self._pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        parent = self._stack[-1]
        parent.children.append((data, self.getpos()[0]))
        if parent.chrome or self._links:
            return
        parent.cjk += len(_CJK.findall(data))

    def handle_comment(self, data: str) -> None:
        self.comments.append(SourceComment(self.getpos()[0], data))

    def _implied_ends(self, tag: str) -> None:
        if tag in _CLOSES_P and self._stack[-1].tag == "p":
            self._pop()
        rule = _IMPLIED_END.get(tag)
        if rule is None:
            return
        closes, boundary = rule
        for depth, element in enumerate(reversed(self._stack[-_IMPLIED_END_DEPTH:])):
            if element.tag in boundary:
                return
            if element.tag in closes:
                for _ in range(depth + 1):
                    self._pop()
                return

    def _push(self, element: _Element) -> None:
        self._stack.append(element)
        self._open[element.tag] = self._open.get(element.tag, 0) + 1
        if element.tag == "a":
            self._links += 1

    def _pop(self) -> _Element:
        element = self._stack.pop()
        self._open[element.tag] -= 1
        if element.tag == "a":
            self._links -= 1
        return element


# --------------------------------------------------------------------------- article


def _article(tree: _TreeBuilder) -> _Element:
    root = tree.root
    if root.cjk == 0:
        return root  # no Chinese text: the whole page
    # Article-like elements with most of the page's text form a chain of nested
    # elements (two cannot each hold more than half); step in while the inner one
    # keeps nearly all of the outer one's text.
    chain = [e for e in tree.elements if e.cjk * 2 > root.cjk and not e.chrome and _article_like(e)]
    if chain:
        chosen = chain[0]
        for inner in chain[1:]:
            if _nearly_all(inner, chosen):
                chosen = inner
        return chosen
    # No article-like element: step in from the root while one container keeps nearly
    # all the text, never into a paragraph (a table or signature beside it would go).
    node = root
    while True:
        containers = [c for c in node.children if isinstance(c, _Element) and c.tag in _CONTAINERS]
        biggest = max(containers, key=lambda c: c.cjk, default=None)
        if biggest is None or not _nearly_all(biggest, node):
            return node
        node = biggest


def _nearly_all(inner: _Element, outer: _Element) -> bool:
    more_than_half = inner.cjk * 2 > outer.cjk
    return more_than_half and (inner.cjk >= _DOMINANT * outer.cjk or outer.cjk - inner.cjk <= _CHROME_CHARS)


def _article_like(element: _Element) -> bool:
    return element.tag in ("article", "main") or bool(_ARTICLE_CLASS.search(element.klass))


def _ancestors(element: _Element) -> set[int]:
    out = set()
    node: _Element | None = element
    while node is not None:
        out.add(id(node))
        node = node.parent
    return out


def _title(tree: _TreeBuilder, article: _Element) -> tuple[str, int] | None:
    """The nearest heading before the article and outside it, in the same region of the
    page (the article's great-grandparent); else the ArticleTitle meta tag."""
    region = article
    for _ in range(3):
        region = region.parent or region
    ancestors = _ancestors(article)
    # Document order puts the region's descendants right after it, the article among them.
    start = tree.elements.index(region)
    end = tree.elements.index(article)
    for element in reversed(tree.elements[start:end]):
        if id(element) in ancestors or element.chrome:
            continue
        if element.tag in ("h1", "h2", "h3") or _TITLE_CLASS.search(element.klass):
            lines = _Text().extract(element)
            text = " ".join(line for line, _ in lines)
            if text and len(text) <= _TITLE_MAX and _CJK.search(text):
                return text, lines[0][1]
    return tree.article_title


# --------------------------------------------------------------------------- text


class _Text:
    """Lines of an element's text as a browser lays them out."""

    def __init__(self) -> None:
        self._lines: list[tuple[str, int]] = []
        self._pieces: list[str] = []
        self._line = 0  # source line of the current line's first text
        # Data tables (_data_table), each row a line, cells joined by a tab: the tables' cells
        # as (index in _lines, which _tidy turns into the index in its lines; start and end in
        # that line; grid row, column, rowspan, colspan).
        self._tables: list[list[tuple[int, int, int, int, int, int, int]]] = []
        self._row_lines: dict[int, int] = {}

    def extract(self, top: _Element) -> list[tuple[str, int]]:
        pre = 0
        stack: list[_Element | tuple[str, int] | str] = [top]
        while stack:
            item = stack.pop()
            if isinstance(item, str):  # the end of an element: its tag
                if item in _LINE_BLOCKS:
                    self._break()
                pre -= item == "pre"
                continue
            if isinstance(item, tuple):
                text, line = item
                text = text.replace("\xa0", " ") if pre else _SPACES.sub(" ", text).replace("\xa0", " ")
                if text.strip(" ") and not self._pieces:
                    self._line = line
                self._pieces.append(text)
                continue
            tag = item.tag
            if (
                item is not top
                and (tag in _SKIP or tag in _DROP_IN_ARTICLE)
                # …but not a form holding most of the text: ASP.NET wraps pages in one
                and not (tag == "form" and item.cjk * 2 >= top.cjk > 0)
            ):
                continue
            if tag == "table" and _data_table(item):
                self._break()
                self._table(item)
                continue
            if tag == "br":
                self._break(force=True)
            elif tag in ("td", "th") and "".join(self._pieces).strip(" "):
                self._pieces.append("\t")
            elif tag in _LINE_BLOCKS:
                self._break()
            pre += tag == "pre"
            stack.append(tag)
            stack.extend(reversed(item.children))
        self._break()
        return self._tidy()

    def _table(self, table: _Element) -> None:
        """A data table, each row a line of its cells joined by a tab; the cells placed on
        the grid as a browser places them (a rowspan holds its slots in the rows below)."""
        cells: list[tuple[int, int, int, int, int, int, int]] = []
        taken: set[tuple[int, int]] = set()  # grid slots that a rowspan from above holds
        row_index = 0
        for row in _rows(table):
            texts = [(cell, _cell_text(cell)) for cell in _cells(row)]
            if not any(text for _, text in texts):
                continue
            line_index = len(self._lines)
            self._row_lines[line_index] = line_index
            at = column = 0
            pieces: list[str] = []
            for cell, text in texts:
                while (row_index, column) in taken:
                    column += 1
                rows, columns = cell.spans
                if rows > 1 and len(taken) < _MAX_SLOTS:  # the slots it holds in the rows below
                    below = range(row_index + 1, row_index + rows)
                    taken.update((r, c) for r in below for c in range(column, column + columns))
                at += bool(pieces)  # the tab before it
                cells.append((line_index, at, at + len(text), row_index, column, rows, columns))
                pieces.append(text)
                at += len(text)
                column += columns
            self._lines.append(("\t".join(pieces), row.line))
            row_index += 1
        if cells and len(taken) < _MAX_SLOTS:  # else spans no report's table has: its text only
            self._tables.append(cells)

    def layouts(self, lines: list[tuple[str, int]], shift: int) -> tuple[TableLayout, ...]:
        """The data tables' cells, placed in the text of ``lines`` (_tidy's lines, with
        ``shift`` lines put before them)."""
        starts = [0]
        for text, _ in lines:
            starts.append(starts[-1] + len(text) + 1)
        layouts: list[TableLayout] = []
        for number, cells in enumerate(self._tables, 1):
            boxes = []
            for index, start, end, row, column, rows, columns in cells:
                line = self._row_lines[index] + shift
                base = starts[line]
                boxes.append(CellBox(line + 1, base + start, base + end, row, column, rows, columns))
            layouts.append(TableLayout(f"表{number}", tuple(boxes), "html"))
        return tuple(layouts)

    def _break(self, force: bool = False) -> None:
        """End the current line; a block boundary adds no empty line, a <br> does."""
        text = "".join(self._pieces)
        if "\n" in text:  # inside <pre>: its lines and their indentation stay
            parts = text.split("\n")
            self._lines.extend((part.rstrip(" "), self._line + k) for k, part in enumerate(parts))
        elif text.strip(" ") or force:
            self._lines.append((text.strip(" "), self._line))
        self._pieces = []

    def _tidy(self) -> list[tuple[str, int]]:
        """At most one empty line in a row, none at either end."""
        out: list[tuple[str, int]] = []
        for index, (text, line) in enumerate(self._lines):
            text = text.strip(" \t") if not text.strip() else text
            if text or (out and out[-1][0]):
                if index in self._row_lines:
                    self._row_lines[index] = len(out)
                out.append((text, line))
        while out and not out[-1][0]:
            out.pop()
        return out


# --------------------------------------------------------------------------- data tables

_CELL_MAX = 60  # a data table's cells are short: a longer one is a layout table holding text
_MAX_SPAN = 63
_MAX_SLOTS = 100_000  # grid slots that rowspans hold in one table
_CELL_BREAKS = _BLOCK | {"br"}


def _span(value: str | None) -> int:
    """A rowspan or colspan as a browser reads it: a positive number, bounded."""
    try:
        return min(max(1, int(value or 1)), _MAX_SPAN)
    except ValueError:
        return 1


def _rows(table: _Element) -> list[_Element]:
    """The rows of ``table`` (through thead, tbody, tfoot), not those of a table inside it."""
    rows: list[_Element] = []
    for child in table.children:
        if isinstance(child, _Element):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += [row for row in child.children if isinstance(row, _Element) and row.tag == "tr"]
    return rows


def _cells(row: _Element) -> list[_Element]:
    return [cell for cell in row.children if isinstance(cell, _Element) and cell.tag in ("td", "th")]


def _cell_text(cell: _Element) -> str:
    """A cell's text on one line: its paragraphs and line breaks become spaces."""
    pieces: list[str] = []
    stack: list[_Element | tuple[str, int]] = [cell]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            pieces.append(item[0])
            continue
        if item is not cell and item.tag in _SKIP:
            continue
        if item.tag in _CELL_BREAKS:
            pieces.append(" ")
        stack.extend(reversed(item.children))
    return _SPACES.sub(" ", "".join(pieces).replace("\xa0", " ")).strip()


def _data_table(table: _Element) -> bool:
    """A table of figures, not one that lays out a page: two rows at least, short cells,
    no table inside."""
    rows = _rows(table)
    if len(rows) < 2:
        return False
    for row in rows:
        for cell in _cells(row):
            if len(_cell_text(cell)) > _CELL_MAX or _has_table(cell):
                return False
    return True


def _has_table(element: _Element) -> bool:
    stack = [element]
    while stack:
        item = stack.pop()
        if item is not element and item.tag == "table":
            return True
        stack.extend(child for child in item.children if isinstance(child, _Element))
    return False
