"""`govlint annotate`: one Word comment per finding, on exactly the characters it is about."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from checker.annotate import AUTHOR, AnnotateError, annotate_docx, comment_text
from checker.cli import main
from checker.engine import lint_path
from checker.load import load_path
from checker.model import Diagnostic, FileResult, SourceText, Span
from checker.ruleset import RuleSet
from checker.selection import Options
from conftest import SEEDS
from test_loaders import seed_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "青山县2023年法治政府建设年度报告"
AUTO_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")  # seed_docx's lists
PINYIN_PARAGRAPH = "金石鎮(zhèn)坚持依法行政。"


def add_list(document: docx.document.Document, start: int | None = None) -> str:
    """A one-level "一、" list in numbering.xml; ``start`` overrides where it starts."""
    numbering = document.part.numbering_part.element
    abstract_id = 90 + len(numbering.findall(qn("w:abstractNum")))
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
    )
    numbering.insert(len(numbering.findall(qn("w:abstractNum"))), abstract)  # abstractNums come first
    num = numbering.add_num(abstract_id)
    if start is not None:
        num.append(parse_xml(
            f'<w:lvlOverride {nsdecls("w")} w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        ))
    return str(num.numId)


def heading(document: docx.document.Document, text: str, num_id: str) -> None:
    p = document.add_paragraph(text, style="Heading 1")
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def build_report(path: Path) -> Path:
    """A report as a writer makes one in Word: formatted runs, automatic "一、" numbering
    (a second list restarts at 四: a numbering gap whose marker is not text), a table."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    p = document.add_paragraph("日期:2024年2月1日 浏览量:")
    p.add_run("{{ pvCount }}").bold = True
    first_list = add_list(document)
    heading(document, "2023年推进法治政府建设的主要举措和成效", first_list)
    p = document.add_paragraph()
    p.add_run("金石鎮(zhèn)").italic = True
    p.add_run("坚持依法行政。")
    p = document.add_paragraph("全年")
    p.add_run("受理矛盾纠纷120件,成功化解126件").bold = True
    p.add_run(",群众满意。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "办理案件"
    table.cell(0, 1).text = "{{ caseCount }}件"
    heading(document, "存在的不足和原因", first_list)
    document.add_paragraph("基层执法力量不足,主要是编制没有随任务增加。")
    heading(document, "2024年推进法治政府建设的主要安排", add_list(document, start=4))
    document.add_paragraph("深化行政执法体制改革。")
    document.save(str(path))
    return path


# --------------------------------------------------------------------------- reading the result


def comments(path: Path) -> dict[str, tuple[str, str]]:
    """comment id → (author, text: its paragraphs joined by newlines)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/comments.xml"))
    return {
        c.get(W + "id"): (
            c.get(W + "author"),
            "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p")),
        )
        for c in root.iter(W + "comment")
    }


def ranges(path: Path) -> dict[str, tuple[str, str, etree._Element]]:
    """comment id → (the text between its commentRangeStart and commentRangeEnd, the
    text of the paragraph it starts in, the first run inside it or None)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    open_ranges: dict[str, list[str]] = {}
    starts: dict[str, tuple[str, list]] = {}
    found: dict[str, tuple[str, str, etree._Element]] = {}
    for el in root.iter():
        if el.tag == W + "commentRangeStart":
            paragraph = next(el.iterancestors(W + "p"))
            open_ranges[el.get(W + "id")] = []
            starts[el.get(W + "id")] = ("".join(t.text or "" for t in paragraph.iter(W + "t")), [])
        elif el.tag == W + "t":
            for key, texts in open_ranges.items():
                texts.append(el.text or "")
                if not starts[key][1]:
                    starts[key][1].append(el.getparent())
        elif el.tag == W + "commentRangeEnd":
            key = el.get(W + "id")
            paragraph_text, first_run = starts[key]
            found[key] = ("".join(open_ranges.pop(key)), paragraph_text, first_run[0] if first_run else None)
    assert not open_ranges, "every range is closed"
    return found


def by_code(result: FileResult) -> dict[str, Diagnostic]:
    return {d.code: d for d in result.diagnostics}


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    return build_report(tmp_path / "报告.docx")


# --------------------------------------------------------------------------- tests


def test_each_finding_is_a_comment_on_exactly_its_characters(report: Path, ruleset: RuleSet) -> None:
    before = report.read_bytes(), report.stat().st_mtime_ns
    assert main(["annotate", str(report)]) == 1  # errors found, as a lint run
    output = report.with_name("报告.reviewed.docx")
    assert (report.read_bytes(), report.stat().st_mtime_ns) == before

    result = lint_path(report, ruleset, Options())
    assert result.source is not None
    found = by_code(result)
    assert {"S103", "S106", "T401", "T402", "T403", "N201"} <= set(found)
    notes = comments(output)
    spans = ranges(output)
    # A comment per finding on its span, and one on each of its other places (labels).
    assert len(notes) == len(spans) > len(result.diagnostics)
    assert sum(note in {comment_text(d) for d in result.diagnostics} for _, note in notes.values()) == len(
        result.diagnostics
    )
    text_of = {note: key for key, (_author, note) in notes.items()}
    assert {author for author, _ in notes.values()} == {AUTHOR}

    def commented(code: str) -> tuple[str, str, etree._Element]:
        d = found[code]
        assert comment_text(d) == f"{d.code} {d.name}: {d.message}\n{d.help}"
        return spans[text_of[comment_text(d)]]

    # Part of a run: the run is split, the commented piece keeps its formatting.
    enclosed, paragraph, run = commented("T403")
    assert (enclosed, paragraph) == ("(zhèn)", PINYIN_PARAGRAPH)
    assert run.find(f"{W}rPr/{W}i") is not None
    enclosed, paragraph, run = commented("N201")  # the 化解 count, in the middle of a bold run
    assert (enclosed, paragraph) == ("126件", "全年受理矛盾纠纷120件,成功化解126件,群众满意。")
    assert run.find(f"{W}rPr/{W}b") is not None
    assert commented("T402")[:2] == ("浏览量", "日期:2024年2月1日 浏览量:{{ pvCount }}")
    # A table cell.
    cell = next(d for d in result.diagnostics if d.code == "T401" and "caseCount" in d.message)
    assert spans[text_of[comment_text(cell)]][:2] == ("{{ caseCount }}", "{{ caseCount }}件")
    # The marker "四、" is numbering, not text: a point comment at the paragraph's start.
    assert result.source.text[found["S106"].span.start : found["S106"].span.end] == "四、"
    assert commented("S106")[:2] == ("", "2024年推进法治政府建设的主要安排")
    # A missing part (no span) is anchored on the title.
    assert found["S103"].span is None
    assert commented("S103")[:2] == (TITLE, TITLE)
    # Every finding on text encloses exactly the text it points at.
    for d in result.diagnostics:
        if d.span is not None and d.code != "S106":
            assert spans[text_of[comment_text(d)]][0] == result.source.text[d.span.start : d.span.end]

    # Splitting runs and adding comments changed no text: the copy lints the same.
    again = lint_path(output, ruleset, Options())
    assert [(d.code, d.span) for d in again.diagnostics] == [(d.code, d.span) for d in result.diagnostics]


def test_overlapping_spans_across_runs_stay_exact(tmp_path: Path) -> None:
    """Spans that nest, overlap and share runs: each split keeps every earlier range exact."""
    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("甲乙").bold = True
    p.add_run("丙丁戊己").italic = True
    path = tmp_path / "r.docx"
    document.save(str(path))
    loaded = load_path(path)
    text = loaded.text
    assert text == "甲乙丙丁戊己"
    spans = [Span(0, 6), Span(1, 3), Span(2, 5), Span(3, 4), Span(0, 1), Span(5, 6)]
    findings = [Diagnostic(f"X{k}", "test", "error", "m", str(path), span) for k, span in enumerate(spans)]
    result = FileResult(str(path), SourceText(text), findings, docx_map=loaded.docx_map)
    assert annotate_docx(path, tmp_path / "out.docx", result) == len(spans)
    found = ranges(tmp_path / "out.docx")
    notes = {note.split(" ")[0]: key for key, (_author, note) in comments(tmp_path / "out.docx").items()}
    for d in findings:
        assert d.span is not None
        assert found[notes[d.code]][0] == text[d.span.start : d.span.end], d.code


def test_point_comment_after_a_line_break_goes_to_its_own_paragraph(tmp_path: Path) -> None:
    """Lines, not paragraphs, index the point comments: a paragraph with a line break
    (w:br) holds two lines, and the paragraph after it is still found."""
    document = docx.Document()
    p = document.add_paragraph("甲乙")
    p.add_run().add_break()
    p.add_run("丙丁")
    num_id = add_list(document)
    heading(document, "戊己", num_id)  # its marker "一、" is not text
    path = tmp_path / "r.docx"
    document.save(str(path))
    loaded = load_path(path)
    assert loaded.text == "甲乙\n丙丁\n一、戊己"
    marker = Diagnostic("X1", "test", "error", "m", str(path), Span(6, 8))
    result = FileResult(str(path), SourceText(loaded.text), [marker], docx_map=loaded.docx_map)
    assert annotate_docx(path, tmp_path / "out.docx", result) == 1
    [(enclosed, paragraph, _run)] = ranges(tmp_path / "out.docx").values()
    assert (enclosed, paragraph) == ("", "戊己")


def test_a_document_changed_since_the_lint_is_refused(report: Path, ruleset: RuleSet) -> None:
    result = lint_path(report, ruleset, Options())
    document = docx.Document(str(report))
    document.paragraphs[0].runs[0].text = "青山县2023年度法治政府建设报告"
    document.save(str(report))
    with pytest.raises(AnnotateError, match="changed since it was linted"):
        annotate_docx(report, report.with_name("out.docx"), result)
    assert not report.with_name("out.docx").exists()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_reports_in_word(seed: Path, tmp_path: Path, ruleset: RuleSet) -> None:
    """Each seed as a Word document (automatic heading numbers, a table): every comment
    holds its finding's text, less an automatic number it starts with."""
    path = seed_docx(seed, tmp_path / "report.docx", structured=True)
    output = tmp_path / "out.docx"
    main(["annotate", str(path), "-o", str(output)])
    result = lint_path(path, ruleset, Options())
    assert result.source is not None
    found = ranges(output)
    keys = {}
    for key, (_author, note) in comments(output).items():
        keys.setdefault(note, []).append(key)
    for d in result.diagnostics:
        enclosed = found[keys[comment_text(d)].pop(0)][0]
        if d.span is not None:
            flagged = result.source.text[d.span.start : d.span.end]
            assert enclosed == AUTO_NUMBER.sub("", flagged, count=1), d.code


def test_default_output_and_refusals(report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "report.txt"
    text.write_text(TITLE + "\n", encoding="utf-8")
    assert main(["annotate", str(text)]) == 2
    assert ".docx files only" in capsys.readouterr().err

    before = report.read_bytes()
    assert main(["annotate", str(report), "-o", str(report)]) == 2
    assert "is the report itself" in capsys.readouterr().err
    assert report.read_bytes() == before

    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    assert main(["annotate", str(broken)]) == 2
    assert "不是 .docx 文件" in capsys.readouterr().err  # E001's reason, in the findings' language (zh)
    assert main(["annotate", "--lang", "en", str(broken)]) == 2
    assert "not a .docx file" in capsys.readouterr().err
    assert not (tmp_path / "broken.reviewed.docx").exists()

    assert main(["annotate", str(report), "-o", str(tmp_path / "审阅.docx"), "--select", "T403"]) == 1
    assert len(comments(tmp_path / "审阅.docx")) == 1


def test_clean_report_exits_0_with_a_copy_without_comments(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(TITLE)
    path = tmp_path / "r.docx"
    document.save(str(path))
    assert main(["annotate", str(path), "--select", "T"]) == 0
    with zipfile.ZipFile(tmp_path / "r.reviewed.docx") as archive:
        assert "word/comments.xml" not in archive.namelist()


def test_empty_document_gets_its_comments_on_a_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))  # a body without a paragraph
    assert main(["annotate", str(path)]) == 1  # every part is missing
    found = ranges(tmp_path / "empty.reviewed.docx")
    assert len(found) == len(comments(tmp_path / "empty.reviewed.docx")) >= 4
    assert {enclosed for enclosed, _p, _r in found.values()} == {""}


def test_interrupted_write_leaves_nothing(report: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = report.read_bytes()

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert main(["annotate", str(report)]) == 2
    assert sorted(p.name for p in report.parent.iterdir()) == [report.name]
    assert report.read_bytes() == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_comments(report: Path, tmp_path: Path) -> None:
    """LibreOffice opens the copy and shows each comment (as a PDF note at its range's
    end); page-1.png in the test's tmp folder is there to look at."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    output = tmp_path / "reviewed.docx"
    main(["annotate", str(report), "-o", str(output)])
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", export, "--outdir", str(tmp_path), str(output)],
        check=True, capture_output=True, timeout=180,
    )
    pdf_path = tmp_path / "reviewed.pdf"
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "page")],
                       check=True, capture_output=True, timeout=60)
    with pdfplumber.open(pdf_path) as pdf:
        notes = [resolve1(a) for a in resolve1(pdf.pages[0].page_obj.attrs.get("Annots")) or []]
        texts = [resolve1(a["Contents"]).decode("utf-16") for a in notes if resolve1(a.get("Subtype")).name == "Text"]
        page_text = pdf.pages[0].extract_text()
    assert len(texts) == len(comments(output))
    assert any(t.startswith("T403 pinyin-annotation: 转换器留下的拼音注音“(zhèn)”") for t in texts)
    assert any(t.startswith("N201 part-exceeds-whole:") for t in texts)
    assert "(zhèn)" in page_text and "{{ caseCount }}" in page_text  # the text itself is intact
