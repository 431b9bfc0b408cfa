"""The .docx, .html and .pdf loaders: the text every rule sees, and where it came from.

Word and HTML inputs are built here from the seeds; the PDFs are fixtures made by
LibreOffice (tests/fixtures/make_pdf_fixtures.py regenerates them).
"""

from __future__ import annotations

import io
import pathlib
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

import checker.load.docx as docx_module
import checker.load.pdf as pdf_module
from checker.engine import lint_path, lint_text
from checker.load import LOADED_SUFFIXES, LoadError, SourceComment, load_path
from checker.load.docx import _format_number
from checker.ruleset import RuleSet
from checker.selection import Options
from conftest import ROOT, SEEDS

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
SEED_003 = ROOT / "seeds" / "003_e2cb0b1e9b765e18.txt"
LEVEL_1 = re.compile(r"[一二三四五六七八九十]{1,3}、")
LEVEL_2 = re.compile(r"\([一二三四五六七八九十]{1,3}\)")
TABLE = [["项目", "2022年", "2023年"], ["接待来访(件)", "300", "326"], ["化解率", "98%", "100%"]]


def codes(ruleset: RuleSet, text: str) -> set[str]:
    return {d.code for d in lint_text("report", text, ruleset, Options()).diagnostics}


# --------------------------------------------------------------------------- .docx builders


def add_list(document: docx.document.Document, levels: Iterable[tuple[str, str]], suffix: str = "nothing") -> str:
    """Add a multi-level list (numFmt, lvlText per level; what follows the marker) to
    the document's numbering part the way Word writes one; return its numId."""
    numbering = document.part.numbering_part.element
    abstract_id = 90 + len(numbering.findall(qn("w:abstractNum")))
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    numbering.insert(len(numbering.findall(qn("w:abstractNum"))), abstract)  # abstractNums come first
    return str(numbering.add_num(abstract_id).numId)


def number(paragraph: Paragraph, num_id: str, ilvl: int) -> None:
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def seed_docx(seed: pathlib.Path, path: pathlib.Path, *, structured: bool = False) -> pathlib.Path:
    """One paragraph per line of the seed. ``structured``: as a writer in Word would
    make it: "一、" headings in Heading 1 and "(一)" ones in Heading 2, both numbered
    automatically (the markers are not in the text), and a table after the paragraph
    that mentions the visits it counts."""
    document = docx.Document()
    num_id = add_list(document, [("chineseCounting", "%1、"), ("chineseCounting", "(%2)")])
    for line in seed.read_text(encoding="utf-8").split("\n"):
        level_1, level_2 = LEVEL_1.match(line), LEVEL_2.match(line)
        if structured and level_1:
            number(document.add_paragraph(line[level_1.end() :], style="Heading 1"), num_id, 0)
        elif structured and level_2:
            number(document.add_paragraph(line[level_2.end() :], style="Heading 2"), num_id, 1)
        else:
            document.add_paragraph(line)
        if structured and "全年共接待群众来信来访" in line:
            table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            for r, row in enumerate(TABLE):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    document.save(str(path))
    return path


# --------------------------------------------------------------------------- .docx


def test_docx_map_places_every_piece_of_run_text(tmp_path: pathlib.Path) -> None:
    """The map annotate uses: each piece of run text (in text_paragraphs / run_pieces
    order) is at its recorded offset, list markers and separators are not pieces, and
    each line names its paragraph (a line break inside one, a table row's first)."""
    path = seed_docx(SEED_003, tmp_path / "report.docx", structured=True)
    document = docx.Document(str(path))
    p = document.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    document.save(str(path))
    loaded = load_path(path)
    docx_map = loaded.docx_map
    assert docx_map is not None and docx_map.fingerprint == docx_module.fingerprint(path.read_bytes())
    paragraphs = list(docx_module.text_paragraphs(docx.Document(str(path)).element.body))
    pieces = [text for p in paragraphs for _run, _el, text in docx_module.run_pieces(p)]
    assert len(pieces) == len(docx_map.piece_starts)
    for text, start in zip(pieces, docx_map.piece_starts, strict=True):
        shown = loaded.text[start : start + len(text)]
        assert shown == text or (text == "\n" and shown == " "), (start, text)  # a break in a cell is a space
    lines = loaded.text.split("\n")
    assert len(docx_map.line_paragraphs) == len(lines)
    assert lines[-2:] == ["第一行", "第二行"]
    assert docx_map.line_paragraphs[-1] == docx_map.line_paragraphs[-2] == len(paragraphs) - 1
    heading = next(k for k, line in enumerate(lines) if line.startswith("二、"))
    assert docx_map.line_paragraphs[heading] == next(
        k for k, p in enumerate(paragraphs) if p.xpath("string(.)") == lines[heading][2:]  # the marker is not text
    )


def test_docx_numbering_headings_and_table_from_seed_003(tmp_path: pathlib.Path, ruleset: RuleSet) -> None:
    loaded = load_path(seed_docx(SEED_003, tmp_path / "report.docx", structured=True))
    lines = loaded.text.split("\n")
    assert loaded.encoding == "docx"
    assert loaded.locations is not None and len(loaded.locations) == len(lines)
    # Automatic numbering comes back as the markers a reader sees, counted per level.
    assert lines[1] == "一、2023年工作开展情况"
    assert lines[2].startswith("(一)加强组织领导,健全组织机构。")
    assert "二、党政主要负责人履责情况" in lines and "四、2024年工作思路和打算" in lines
    assert "(一)主动学习意识不强。" in "\n".join(lines)  # the (一) level restarts under 三、
    # The table is read row by row at its place in the body, under its own labels.
    row = lines.index("项目\t2022年\t2023年")
    assert lines[row + 1 : row + 3] == ["接待来访(件)\t300\t326", "化解率\t98%\t100%"]
    assert lines[row - 1].startswith("(四)提高信访监督")
    assert loaded.locations[row : row + 3] == ("表1 行1", "表1 行2", "表1 行3")
    # ¶n counts the body's paragraphs, the table's rows not among them; headings show their level.
    assert loaded.locations[:3] == ("¶1", "¶2(标题1)", "¶3(标题2)")
    assert loaded.locations[row + 3] == f"¶{row + 1}(标题2)"  # the paragraph after the table
    # Without the table, the text is the seed's: the rules see the same report.
    seed = SEED_003.read_text(encoding="utf-8")
    assert "\n".join(lines[:row] + lines[row + 3 :]) == seed
    assert codes(ruleset, loaded.text) == codes(ruleset, seed)


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_seed_as_docx_gives_the_same_text_and_codes(seed: pathlib.Path, tmp_path: pathlib.Path,
                                                    ruleset: RuleSet) -> None:
    loaded = load_path(seed_docx(seed, tmp_path / "report.docx"))
    text = seed.read_text(encoding="utf-8")
    assert loaded.text == text
    assert loaded.locations == tuple(f"¶{n}" for n in range(1, text.count("\n") + 2))
    assert codes(ruleset, loaded.text) == codes(ruleset, text)


def test_lint_path_reads_docx(tmp_path: pathlib.Path, ruleset: RuleSet) -> None:
    as_docx = lint_path(seed_docx(SEED_003, tmp_path / "report.docx"), ruleset, Options())
    as_txt = lint_path(SEED_003, ruleset, Options())
    assert [(d.code, d.span) for d in as_docx.diagnostics] == [(d.code, d.span) for d in as_txt.diagnostics]


def test_docx_list_levels_restart_style_numbering_and_run_content(tmp_path: pathlib.Path) -> None:
    document = docx.Document()
    num_id = add_list(
        document,
        [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "%1.%4")],
        suffix="tab",
    )
    for text, ilvl in [("甲", 0), ("乙", 1), ("丙", 1), ("丁", 2), ("2023年", 2), ("戊", 0), ("己", 1), ("庚", 3)]:
        number(document.add_paragraph(text), num_id, ilvl)
    number(document.add_paragraph("不编号"), "0", 0)  # numId 0 switches numbering off
    document.add_paragraph("列表一", style="List Number")  # numbering from the style
    document.add_paragraph("列表二", style="List Number")
    document.add_paragraph("子弹", style="List Bullet")  # bullets are no markers
    body = document.add_paragraph("第一行")
    body.add_run().add_break()  # a line break inside a paragraph: two lines, one ¶
    body.add_run("第二行")
    tracked = '<w:{0} {1} w:id="{2}" w:author="a"><w:r><w:{3}>{4}</w:{3}></w:r></w:{0}>'
    body._p.append(parse_xml(tracked.format("del", nsdecls("w"), 1, "delText", "删")))  # deleted: gone
    body._p.append(parse_xml(tracked.format("ins", nsdecls("w"), 2, "t", "增")))  # inserted: kept
    document.save(str(tmp_path / "list.docx"))
    loaded = load_path(tmp_path / "list.docx")
    assert loaded.text.split("\n") == [
        # Word's tab after the marker: nothing after punctuation, a space where the
        # marker would run into the words ("2. 2023年" is not the number 2.2023)
        "一、甲", "（一）乙", "（二）丙", "1.丁", "2. 2023年", "二、戊", "（一）己", "二.1 庚",
        "不编号", "1.列表一", "2.列表二", "子弹", "第一行", "第二行增",
    ]
    assert loaded.locations is not None and loaded.locations[-2:] == ("¶13", "¶13")


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
        (20, "chineseCountingThousand", "二十"), (35, "chineseCounting", "三十五"),
        (101, "chineseCountingThousand", "一百零一"), (110, "chineseCountingThousand", "一百一十"),
        (1005, "chineseCountingThousand", "一千零五"), (12, "chineseLegalSimplified", "壹拾贰"),
        (3, "ideographTraditional", "丙"), (3, "decimalEnclosedCircle", "③"), (7, "decimalFullWidth", "７"),
        (2023, "ideographDigital", "二〇二三"), (4, "upperRoman", "IV"), (27, "lowerLetter", "aa"),
        (5, "decimalZero", "05"), (5, "someFutureFormat", "5"),
    ],
)
def test_word_number_formats(n: int, fmt: str, expected: str) -> None:
    assert _format_number(n, fmt) == expected


def test_docx_that_is_not_one(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(LoadError, match=r"legacy Word format \(\.doc\) despite the \.docx suffix"):
        load_path(path)
    path.write_text("一、标题", encoding="utf-8")
    with pytest.raises(LoadError, match=r"not a \.docx file"):
        load_path(path)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "不是 Word 文档")
    path.write_bytes(archive.getvalue())
    with pytest.raises(LoadError, match=r"unreadable \.docx file"):
        load_path(path)
    seed_docx(SEED_003, path)
    monkeypatch.setattr(docx_module, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(LoadError, match=r"file too large \(\d+ MB unpacked > 0 MB limit\)"):
        load_path(path)


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_damaged_files_give_text_or_a_load_error(suffix: str, tmp_path: pathlib.Path) -> None:
    good = (seed_docx(SEED_003, tmp_path / "good.docx") if suffix == ".docx" else FIXTURES / "report.pdf").read_bytes()
    path = tmp_path / f"damaged{suffix}"
    for offset in range(0, len(good), len(good) // 20):
        path.write_bytes(good[:offset] + bytes([good[offset] ^ 0x55]) + good[offset + 1 :])
        try:
            load_path(path)
        except LoadError:
            pass
        path.write_bytes(good[:offset])  # truncated
        try:
            load_path(path)
        except LoadError:
            pass


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".DOC"])
def test_legacy_word_formats_are_refused(suffix: str, tmp_path: pathlib.Path) -> None:
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(LoadError, match=r"format .*: save it as \.docx .*soffice --headless --convert-to docx"):
        load_path(path)


# --------------------------------------------------------------------------- .html

PAGE = """<!DOCTYPE html>
<html><head>
<!-- {padding} -->
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="ArticleTitle" content="龙门街道2023年法治政府建设年度报告">
<title>龙门街道2023年法治政府建设年度报告_巫山县人民政府</title>
<style>.nav {{ color: red }}</style>
<script>var share = "<div>分享到微博</div>"; document.write("浏览次数");</script>
</head>
<body>
<div class="top"><div class="logo">巫山县人民政府</div>
<nav><ul><li><a href="/">首页</a><li><a href="/zwgk">政务公开</a><li><a href="/hd">政民互动</a></ul></nav></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
<div class="main-wrap">
 <div class="left"><h3>相关信息</h3><ul><li><a href="#">关于印发2023年普法工作要点的通知</a>
  <li><a href="#">龙门街道召开2023年法治建设推进会议并部署下一步工作</a></ul></div>
 <div class="right">
  <h1 class="article-title">龙门街道2023年法治政府建设年度报告</h1>
  <div class="info">发布时间：2024-01-29 来源：龙门街道 浏览次数：<span>{{{{ pvCount }}}}</span>
   字体：[<a>大</a> <a>中</a> <a>小</a>]</div>
  <div id="zoom"><div class="TRS_Editor">
{body}
  </div></div>
  <div class="share">分享到：<a>微信</a> <a>微博</a> 【<a>打印本页</a>】【<a>关闭窗口</a>】</div>
 </div>
</div>
<footer><p>主办单位：巫山县人民政府办公室&nbsp;&nbsp;网站标识码：5001370001</p><p>渝ICP备12345678号</p></footer>
<script src="/stat.js"></script>
</body></html>
"""


def seed_page(seed: pathlib.Path) -> str:
    paragraphs = seed.read_text(encoding="utf-8").split("\n")
    body = "\n".join(f"<p style='text-indent:2em'>{p}</p>" for p in paragraphs)
    return PAGE.format(body=body, padding="x" * 2000)  # the meta charset after 2 KB of comment


def test_html_page_gives_the_article_only(tmp_path: pathlib.Path, ruleset: RuleSet) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(seed_page(SEED_003).encode("gbk"))
    loaded = load_path(path)
    seed = SEED_003.read_text(encoding="utf-8")
    assert loaded.encoding == "html/gb18030"
    # The heading before the article body is its title; the QR-code lines at the end
    # of seed 003 are inside the body and stay, for T402 to report.
    assert loaded.text == "龙门街道2023年法治政府建设年度报告\n" + seed
    assert loaded.locations is not None and len(loaded.locations) == loaded.text.count("\n") + 1
    html_lines = path.read_bytes().decode("gbk").split("\n")
    assert "<h1" in html_lines[int(loaded.locations[0][1:]) - 1]
    assert "一、2023年工作开展情况" in html_lines[int(loaded.locations[2][1:]) - 1]
    # With its title found, the page loses seed 003's S105; its chrome is still T402.
    assert codes(ruleset, loaded.text) == codes(ruleset, seed) - {"S105"}


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ('<meta charset="gbk"><p>法治政府建设年度报告</p>'.encode("gbk"), "html/gb18030"),
        ('<meta charset="gb2312"><p>法治政府建设年度报告</p>'.encode(), "html/utf-8"),  # mislabelled
        ("<p>法治政府建设年度报告</p>".encode("gbk"), "html/gb18030"),  # undeclared: detected
        ('<?xml version="1.0" encoding="big5"?><p>法治政府建設年度報告</p>'.encode("big5"), "html/big5"),
        ('<meta charset="utf-8"><p>法治政府建设年度报告</p>'.encode("gbk"), "html/gb18030"),  # wrong label
        ("\ufeff<p>法治政府建设年度报告</p>".encode(), "html/utf-8-sig"),
    ],
)
def test_html_decoding(data: bytes, encoding: str, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(data)
    loaded = load_path(path)
    assert loaded.encoding == encoding
    assert loaded.text in ("法治政府建设年度报告", "法治政府建設年度報告")


def test_html_text_layout(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<div class='article-content'>\n<p>一、  主要\n 举措&amp;成效&nbsp;&nbsp;情况</p>"
        "<p>第一行<br>第二行<br><br>第三行</p><p>&#x4e00;&#19968;</p>"
        "<p>&nbsp;</p><p>&nbsp;</p><table><tr><td>项目<td>数量<tr><td>案件<td>12</table>"
        "<ul><li>条目甲<li>条目乙</ul><pre>  保留\n  缩进</pre><form>姓名：<input>验证码：</form>"
        "<div class='share'>分享到：</div></div>",
        encoding="utf-8",
    )
    assert load_path(path).text.split("\n") == [
        "一、 主要 举措&成效  情况", "第一行", "第二行", "", "第三行", "一一", "项目\t数量", "案件\t12",
        "条目甲", "条目乙", "  保留", "  缩进", "分享到：",
    ]


LAYOUT_TABLE_PAGE = """<html><body><table><tr><td colspan=2>青山镇人民政府 今天是2024年1月15日 星期一</td></tr>
<tr><td class="left"><p>信息公开目录</p><p>通知公告</p><p>政策文件</p></td>
<td><table><tr><td class="wzbt">青山镇2023年法治政府建设年度报告</td></tr>
<tr><td>发布日期：2024-01-15 浏览次数：100</td></tr>
<tr><td><p>{long}</p><p>{long}</p><table><tr><td>项目</td><td>2023年</td></tr></table></td></tr></table></td>
</tr></table><div class="bottom">版权所有：青山镇人民政府 地址：青山镇人民路1号 联系电话：12345</div></body></html>"""


def test_html_without_cms_classes_takes_the_container_of_the_text(tmp_path: pathlib.Path) -> None:
    long = "坚持依法行政，全面推进法治政府建设。" * 20
    path = tmp_path / "page.html"
    path.write_text(LAYOUT_TABLE_PAGE.format(long=long), encoding="utf-8")
    # An old table layout: the cell with the text, its title cell (class wzbt, 文章标题)
    # before it; no banner, sidebar, date line or footer.
    assert load_path(path).text.split("\n") == ["青山镇2023年法治政府建设年度报告", long, long, "项目\t2023年"]


def test_html_report_sections_are_not_taken_for_the_article(tmp_path: pathlib.Path) -> None:
    big, small = "加强组织领导，完善工作机制。" * 30, "存在的不足和原因分析。" * 10
    path = tmp_path / "page.html"
    path.write_text(
        f"<form id='aspnetForm'><div class='TRS_Editor'><div class='section-content'><p>一、成效</p><p>{big}</p>"
        f"</div><div class='section-content'><p>二、不足</p><p>{small}</p></div></div></form>",
        encoding="utf-8",
    )
    assert load_path(path).text.split("\n") == ["一、成效", big, "二、不足", small]


def test_html_short_page_keeps_its_text(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<body><div><span></span></div><p>短文。</p><div class='x'>其他</div></body>", encoding="utf-8")
    assert load_path(path).text == "短文。\n其他"


def test_html_returns_the_page_comments_with_their_lines(tmp_path: pathlib.Path) -> None:
    """Comments are not text, but suppressions are read from them: the loader returns them,
    with the source line each starts on; a "comment" inside a script is script text."""
    page = tmp_path / "p.html"
    page.write_text(
        "<html><body><!-- cms: top -->\n<div class=\"zoom\">\n<p>正文第一段。</p>\n"
        "<!-- govlint-disable T402\n  -- 转载 -->\n<script>var s = '<!-- not a comment -->';</script>\n"
        "</div></body></html>\n",
        encoding="utf-8",
    )
    loaded = load_path(page)
    assert loaded.text == "正文第一段。"
    assert loaded.comments == (SourceComment(1, " cms: top "), SourceComment(4, " govlint-disable T402\n  -- 转载 "))


def test_html_title_from_meta_when_no_heading(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<meta name='ArticleTitle' content='青山镇2023年法治政府建设年度报告'><div id='zoom'><p>正文。</p></div>",
        encoding="utf-8",
    )
    assert load_path(path).text == "青山镇2023年法治政府建设年度报告\n正文。"


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 100_000 + "正文" + "</div>" * 100_000,
        "<div>" + "<span>" * 100_000 + "正文" + "</div>" * 100_000,
        "<b>" * 100_000 + "正文" + "</i>" * 100_000,
        "<ul>" + "<li><div>正文" * 50_000,
    ],
    ids=["nested", "unclosed", "stray-end-tags", "implied-ends"],
)
def test_html_deep_nesting_neither_recurses_nor_hangs(html: str, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    start = time.perf_counter()
    text = load_path(path).text
    assert time.perf_counter() - start < 10
    assert set(text.split("\n")) == {"正文"}


TAG_SOUP = st.lists(
    st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<li>", "<td>", "<tr>", "</table>", "<br>", "<a>", "</a>",
                     "<script>", "</script>", "<pre>", "<!--", "-->", "<![CDATA[", "&", "&nbsp;", "&#x", ";", "<",
                     ">", "'", '"', "<meta charset=gbk>", "<form>", "<nav>", "法治", "\n", " "]),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(soup=TAG_SOUP, raw=st.binary(max_size=40))
def test_html_any_input_gives_text_or_a_load_error(
    soup: str, raw: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("soup") / "page.html"
    for data in (soup.encode("utf-8"), raw, soup.encode("utf-8") + raw):
        path.write_bytes(data)
        try:
            loaded = load_path(path)
        except LoadError:
            continue
        assert loaded.locations is not None and len(loaded.locations) == loaded.text.count("\n") + 1


def test_html_binary_file_is_a_load_error(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(LoadError, match="binary file"):
        load_path(path)


# --------------------------------------------------------------------------- .pdf


def test_pdf_text_layer_with_wrapped_lines_joined(ruleset: RuleSet) -> None:
    loaded = load_path(FIXTURES / "report.pdf")
    source = (FIXTURES / "report.txt").read_text(encoding="utf-8").strip()
    # Every paragraph, wrapped over up to six lines and once over a page break, is one
    # line again; headings and the signature stay apart; "— 1 —" page numbers are gone.
    assert loaded.text == source
    assert loaded.encoding == "pdf"
    assert loaded.locations == ("p.1",) * 4 + ("p.1-2",) + ("p.2",) * 6
    assert codes(ruleset, loaded.text) == codes(ruleset, source)


def test_pdf_with_an_owner_password_only_opens() -> None:
    assert load_path(FIXTURES / "owner-password.pdf").text.startswith("青山镇2023年法治政府建设年度报告\n2023年，")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("scanned.pdf", "scanned PDF, no text layer (2 pages): run OCR first"),
        ("encrypted.pdf", "encrypted PDF: it needs a password to open"),
    ],
)
def test_pdf_that_cannot_be_read(name: str, reason: str) -> None:
    with pytest.raises(LoadError) as error:
        load_path(FIXTURES / name)
    assert error.value.reason == reason


def test_pdf_limits_and_damage(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "MAX_PAGES", 1)
    with pytest.raises(LoadError, match=r"PDF too long \(2 pages > 1 page limit\)"):
        load_path(FIXTURES / "report.pdf")
    path = tmp_path / "report.pdf"
    path.write_bytes(b"not a pdf at all")
    with pytest.raises(LoadError, match="not a PDF file"):
        load_path(path)
    path.write_bytes((FIXTURES / "report.pdf").read_bytes()[:3000])  # truncated
    with pytest.raises(LoadError, match=r"unreadable PDF file|scanned PDF"):
        load_path(path)


def line(text: str, x0: float = 90, x1: float = 520, size: float = 12, page: int = 1) -> pdf_module._Line:
    return pdf_module._Line(text, x0, x1, size, False, 0.0, page, page)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # wrapped: the line is full and does not end a sentence
        ([line("加强组织领导，健全"), line("组织机构。", x1=200)], ["加强组织领导，健全组织机构。"]),
        # a full line that ends a sentence in a paragraph that started indented goes on
        ([line("全年召开会议", x0=114), line("共12次。"), line("研究事项。", x1=200)],
         ["全年召开会议共12次。研究事项。"]),
        # ... but not in one that started flush: the break may be the paragraph's end
        ([line("全年召开会议12次。"), line("研究事项。", x1=200)], ["全年召开会议12次。", "研究事项。"]),
        # a short line (a heading) stays apart; so does an indented next line
        ([line("一、工作成效", x1=200), line("全年召开会议。")], ["一、工作成效", "全年召开会议。"]),
        ([line("全年召开会议"), line("二是加强学习。", x0=114)], ["全年召开会议", "二是加强学习。"]),
        # the next line starts a heading, or is set in another size
        ([line("全年召开会议"), line("（二）加强学习")], ["全年召开会议", "（二）加强学习"]),
        ([line("全年召开会议"), line("二、存在问题", size=16)], ["全年召开会议", "二、存在问题"]),
        # a line that ends early because the next starts with an unbreakable number
        ([line("接待群众", x1=470), pdf_module._Line("2023人次", 90, 300, 12, False, 60.0, 1, 1)],
         ["接待群众2023人次"]),
        # Latin words wrapped keep their space
        ([line("the rule of"), line("law", x1=120)], ["the rule of law"]),
    ],
)
def test_pdf_line_joining(lines: list[pdf_module._Line], expected: list[str]) -> None:
    assert [joined.text for joined in pdf_module._join(lines)] == expected


def test_pdf_page_numbers_are_dropped_at_page_edges_only() -> None:
    page = [line("— 3 —"), line("正文"), line("12"), line("第3页 共7页")]
    assert [kept.text for kept in pdf_module._without_page_numbers(page)] == ["正文", "12"]


# --------------------------------------------------------------------------- dispatch


def test_loaded_suffixes() -> None:
    assert set(LOADED_SUFFIXES) == {".txt", ".md", ".docx", ".html", ".htm", ".pdf"}


def test_text_runs_import_no_format_library() -> None:
    """Cold start: linting a .txt file must not pay for python-docx, pdfplumber or html.parser."""
    script = (
        "import sys\n"
        "from checker.cli import main\n"
        "from checker.load import load_path\n"
        f"load_path({str(SEED_003)!r})\n"
        "heavy = {'docx', 'lxml', 'pdfplumber', 'pdfminer', 'html.parser'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
