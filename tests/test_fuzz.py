"""Fuzzing: the loaders, the quantity grammar and every output format on random and
mutated input.

The only exception a loader may raise is LoadError, and what it returns is well formed;
find_quantities raises nothing and keeps its spans inside the text. Inputs: random
bytes under each suffix; a real .docx (built here with python-docx) and the PDF fixture
with bytes flipped and cut; their inner XML and content streams mutated and packed
again, so that the parsers behind the archive and the xref get garbage too; random
markup; random numerals, units and markers.

In CI the examples are fixed (derandomized) and few. For a longer, random run:
``GOVLINT_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py``; fuzz/ has an atheris harness.
A crash becomes a file under tests/fixtures/regressions/, which test_regressions replays.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import lint_text
from checker.extract.quantity import find_quantities
from checker.load import LOADED_SUFFIXES, LoadError, load_path
from checker.report import BINARY_FORMATS, FORMATS, SHEET_FORMATS, parts_for, render, render_binary
from checker.report.parts import write_all
from checker.ruleset import RuleSet
from checker.selection import Options
from conftest import ROOT
from test_hostile_files import one_page, rezip, stream
from test_loaders import seed_docx

FIXTURES = Path(__file__).parent / "fixtures"
REGRESSIONS = FIXTURES / "regressions"
_EXAMPLES = int(os.environ.get("GOVLINT_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=_EXAMPLES or examples,
        derandomize=not _EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check_load(path: Path, data: bytes) -> None:
    """Load ``data`` as ``path``: text with a label per line, or a LoadError."""
    path.write_bytes(data)
    try:
        loaded = load_path(path)
    except LoadError as e:
        assert e.reason and "\n" not in e.reason
        return
    assert "\r" not in loaded.text
    if loaded.locations is not None:
        assert len(loaded.locations) == loaded.text.count("\n") + 1


# Mutations: (position, byte to XOR) pairs, positions taken modulo the length; then
# maybe a cut. Enough to damage headers, tables and compressed data alike.
FLIPS = st.lists(st.tuples(st.integers(0, 2**32), st.integers(1, 255)), min_size=1, max_size=6)
CUT = st.none() | st.integers(0, 2**32)


def mutate(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for position, mask in flips:
        out[position % len(out)] ^= mask
    return bytes(out[: cut % len(out)] if cut is not None else out)


# --------------------------------------------------------------------------- any bytes


@fuzz(150)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(LOADED_SUFFIXES))
def test_random_bytes_under_every_suffix(workdir: Path, data: bytes, suffix: str) -> None:
    check_load(workdir / f"random{suffix}", data)


# --------------------------------------------------------------------------- .docx


@functools.cache
def real_docx() -> bytes:
    """A Word report with automatic numbering, Heading styles and a table (not a fixture:
    hypothesis would print all of it with each failing example)."""
    with tempfile.TemporaryDirectory() as folder:
        return seed_docx(ROOT / "seeds" / "003_e2cb0b1e9b765e18.txt", Path(folder) / "seed.docx",
                         structured=True).read_bytes()  # fmt: skip


def docx_part(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(real_docx())) as archive:
        return archive.read(name)


@fuzz(120)
@given(flips=FLIPS, cut=CUT)
def test_docx_with_bytes_flipped_and_cut(workdir: Path, flips: list[tuple[int, int]], cut: int | None) -> None:
    check_load(workdir / "flipped.docx", mutate(real_docx(), flips, cut))


@fuzz(120)
@given(part=st.sampled_from(["word/document.xml", "word/numbering.xml", "word/styles.xml"]), flips=FLIPS,
       cut=CUT)  # fmt: skip
def test_docx_with_its_xml_damaged(workdir: Path, part: str, flips: list[tuple[int, int]], cut: int | None) -> None:
    """The archive intact (checksums right), the XML inside it damaged."""
    check_load(workdir / "xml.docx", rezip(real_docx(), replace={part: mutate(docx_part(part), flips, cut)}))


WORD_MARKUP = st.lists(
    st.sampled_from([
        "<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>",
        "<w:tc>", "</w:tc>", "<w:br/>", "<w:tab/>", "<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>",
        '<w:pPr><w:numPr><w:ilvl w:val="8"/><w:numId w:val="1"/></w:numPr></w:pPr>',
        '<w:pPr><w:numPr><w:ilvl w:val="-99999999999"/><w:numId w:val="x"/></w:numPr></w:pPr>',
        '<w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="99"/></w:pPr>', "<w:ins>", "</w:ins>",
        "<w:del>", "</w:del>", "一、", "受理120件", "&amp;", "&#x0;", "\u200f",
    ]),
    max_size=40,
).map("".join)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@fuzz(100)
@given(body=WORD_MARKUP)
def test_docx_with_a_body_of_random_word_markup(workdir: Path, body: str) -> None:
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>'
    check_load(workdir / "markup.docx", rezip(real_docx(), replace={"word/document.xml": xml.encode()}))


# --------------------------------------------------------------------------- .pdf


@fuzz(100)
@given(flips=FLIPS, cut=CUT)
def test_pdf_fixture_with_bytes_flipped_and_cut(workdir: Path, flips: list[tuple[int, int]], cut: int | None) -> None:
    check_load(workdir / "flipped.pdf", mutate((FIXTURES / "report.pdf").read_bytes(), flips, cut))


OPERATORS = st.sampled_from([
    "BT", "ET", "q", "Q", "/F1 12 Tf", "/F9 0 Tf", "72 720 Td", "1e308 -1e308 Td", "0 0 0 0 0 0 Tm", "2 0 0 2 0 0 cm",
    "(text) Tj", "(The county accepted 120 cases of administrative review and closed 118.) Tj", "<48656c6c6f> Tj",
    "[(a) -250 (b)] TJ", "(x) '", "1 2 (y) \"", "T*", "12 TL", "3 Tr", "/Im1 Do",
    "BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI", "/GS1 gs", "(unclosed", "<<", ">>", "[", "]", "%comment", "99999999999",
    "-0.000001", "/", "()", "(\\\\)", "(\\", "\x00", "受理", "\n",
])  # fmt: skip
CONTENT = st.lists(OPERATORS, max_size=40).map(" ".join)
FILTERS = st.sampled_from([b"", b"/Filter /FlateDecode", b"/Filter /ASCIIHexDecode", b"/Filter /ASCII85Decode",
                           b"/Filter [/FlateDecode /FlateDecode]", b"/Filter /LZWDecode", b"/Filter /RunLengthDecode",
                           b"/Filter /Nonsense", b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>"])


def encode(content: bytes, filters: bytes) -> bytes:
    """``content`` encoded as ``filters`` says, where that is cheap to do here."""
    if b"FlateDecode /FlateDecode" in filters:
        return zlib.compress(zlib.compress(content))
    if b"FlateDecode" in filters:
        return zlib.compress(content)
    if b"ASCIIHex" in filters:
        return content.hex().encode() + b">"
    return content  # LZW, run-length, unknown: garbage to the decoder, which is the point


@fuzz(120)
@given(content=CONTENT, filters=FILTERS, pages=st.sampled_from([
    b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", b"<< /Type /Pages /Kids [5 0 R 5 0 R 2 0 R] /Count -1 >>",
    b"<< /Type /Pages /Kids 5 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Pages >>",
    b"[5 0 R]", b"<< /Type /Pages /Kids [5 0 R] /Count 1 /MediaBox [0 0 0 0] /Rotate 45 >>",
]))  # fmt: skip
def test_pdf_with_random_content_streams_and_page_trees(workdir: Path, content: str, filters: bytes,
                                                         pages: bytes) -> None:  # fmt: skip
    data = one_page(pages=pages, contents=stream(encode(content.encode("utf-8"), filters), filters))
    check_load(workdir / "content.pdf", data)


# --------------------------------------------------------------------------- .html


TAGS = ["div", "p", "span", "a", "table", "tr", "td", "th", "ul", "li", "br", "h1", "pre", "script", "style",
        "nav", "footer", "form", "article", "meta", "title", "img", "svg", "template", "iframe"]  # fmt: skip
ATTRIBUTES = st.sampled_from(["", ' class="TRS_Editor"', ' id="zoom"', ' class="title"', " charset=gbk",
                              ' content="x" name="ArticleTitle"', " class='", ' x="<>"', " =", "/"])
TEXT = st.sampled_from(["正文", "全年受理案件120件。", "&nbsp;", "&amp", "&#xD800;", "&#99999999;", "<!--", "-->",
                        "<![CDATA[", "]]>", "<?php ?>", "<!DOCTYPE html>", "</", "<", ">", "\n", "\x00", " "])


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner, closed: f"<{tag}{attributes}>{''.join(inner)}" + (f"</{tag}>" if closed else ""),
        st.sampled_from(TAGS), ATTRIBUTES, st.lists(children, max_size=4), st.booleans(),
    )  # fmt: skip


MARKUP = st.recursive(TEXT, element, max_leaves=40)


@fuzz(150)
@given(page=MARKUP, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_html(workdir: Path, page: str, encoding: str) -> None:
    check_load(workdir / "page.html", page.encode(encoding, "surrogatepass"))


# --------------------------------------------------------------------------- quantities


NUMERAL_TEXT = st.lists(
    st.one_of(
        st.sampled_from(list("0123456789０１２３４５６７８９〇零一二两三四五六七八九十百千万亿点.,，、-~～—至到+")),
        st.sampled_from(["百分之", "余", "多", "近", "约", "超过", "将近", "逾", "以上", "以下", "左右", "上下",
                         "分别为", "件", "起", "人次", "%", "％", "‰", "万元", "亿元", "元", "个百分点", "百分点",
                         "年", "月", "日",
                         "其中", "同比", "增长", "下降", "“", "”", "《", "》", "(", ")", "\n", " "]),
        st.characters(),
    ),
    max_size=60,
).map("".join)  # fmt: skip


@fuzz(200)
@given(text=NUMERAL_TEXT)
def test_quantity_grammar_on_random_numerals(text: str) -> None:
    end = 0
    for q in find_quantities(text):
        assert end <= q.start <= q.number_start < q.number_end <= q.end <= len(text)
        end = q.end
        assert q.lower is None or q.upper is None or q.lower <= q.upper


# --------------------------------------------------------------------------- every output format


# Report-like text: numerals and units, headings, suppression comments, the characters
# outputs must escape (markup, control characters, a lone surrogate, wide and combining).
REPORT_TEXT = st.lists(
    st.sampled_from(["一、", "（二）", "2023年", "受理", "办结", "案件", "件", "%", "同比增长", "万", "\n", "\n\n",
                     "<!-- govlint-ignore T401 -->", "XX县", "<b>", "&amp;", "]]>", "\x1b[31m", "\ud800", "\u0301",
                     "\t", "\"", "法治政府建设年度报告"])
    | st.text(max_size=8),
    max_size=80,
).map("".join)  # fmt: skip


@fuzz(60)
@given(text=REPORT_TEXT, suffix=st.sampled_from([".txt", ".md"]))
def test_every_output_format_renders_any_report(ruleset: RuleSet, text: str, suffix: str) -> None:
    """Linting, then rendering in each format (and --statistics) raises nothing; JSON and
    SARIF parse, JUnit is XML, CSV is CSV, the workbook opens."""
    import openpyxl

    result = lint_text(f"r{suffix}", text, ruleset, Options())
    assert all(d.code != "E002" for d in result.diagnostics), result.diagnostics
    for fmt in FORMATS:
        for compact in (False, True):
            results = [result.compact() if compact else result]
            if fmt in BINARY_FORMATS:
                workbook = io.BytesIO()
                render_binary(fmt, results, workbook, lang="en")
                openpyxl.load_workbook(workbook)
                continue
            out = io.StringIO()
            render(fmt, results, out, ruleset=ruleset, color=fmt == "human", lang="en")
            if fmt in ("json", "sarif"):
                json.loads(out.getvalue())
            elif fmt == "junit":
                ElementTree.fromstring(out.getvalue())
            elif fmt == "csv":
                assert len(list(csv.reader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))) == 2
        if fmt not in SHEET_FORMATS:  # the command line refuses --statistics with a sheet
            statistics = parts_for(fmt, ruleset=ruleset, color=False, lang="zh", statistics=True)
            write_all(statistics, [result], io.StringIO().write)


# --------------------------------------------------------------------------- regressions


# Each file once crashed a loader (found by this harness): its text, or the start of
# the reason it is refused. Every file of the folder must be listed here.
REGRESSION_OUTCOMES = {
    # lxml's message ended in "\n": a LoadError of two lines
    "docx-lxml-error-with-a-line-break.docx": "unreadable .docx file (XMLSyntaxError: Invalid character",
    # no word/numbering.xml (Word writes one only for lists): python-docx raised NotImplementedError
    "docx-without-numbering-part.docx": "全年受理案件120件。",
    # zipfile.ZipFile raised NotImplementedError, a traceback that ended the run
    "docx-zip-version-8.4.docx": "unreadable .docx file (NotImplementedError: zip file version 8.4)",
}


def test_every_regression_file_has_an_outcome() -> None:
    assert sorted(p.name for p in REGRESSIONS.iterdir()) == sorted(REGRESSION_OUTCOMES)


@pytest.mark.parametrize("name", sorted(REGRESSION_OUTCOMES))
def test_regressions(name: str, tmp_path: Path) -> None:
    path = REGRESSIONS / name
    try:
        outcome = load_path(path).text
    except LoadError as e:
        outcome = e.reason
    assert outcome.startswith(REGRESSION_OUTCOMES[name])
    check_load(tmp_path / name, path.read_bytes())

