"""Hostile and broken files: each refused or limited with one clear line, the run goes on.

Documents built to attack their parser (zip bombs, XML entities, cyclic or endless PDF
page trees, decompression bombs, markup that makes html.parser quadratic), a file system
that fails under the scan (no permission, link loops, files vanishing, names that are
not UTF-8), limits set from the environment, and rule files with mistakes. The bounds
on time are hang guards, not speed goals. docs/security.md describes what is tested here.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

import checker.load as load_module
import checker.load.docx as docx_module
import checker.load.html as html_module
from checker import files
from checker.cli import main
from checker.engine import lint_path
from checker.files import expand_paths
from checker.load import LoadError, load_path, pdfstreams
from checker.load.deadline import LoadTimeout, check, time_limit
from checker.ruleset import RuleSet
from checker.selection import Options
from conftest import ROOT, SEEDS

FIXTURES = Path(__file__).parent / "fixtures"
PARAGRAPH = "2023年，全县共受理行政复议案件120件，办结118件。"


def load_error(path: Path) -> str:
    """The reason ``path`` is refused; fails the test if it loads."""
    with pytest.raises(LoadError) as info:
        load_path(path)
    reason = info.value.reason
    assert reason and "\n" not in reason
    return reason


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
            prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """govlint in a fresh process with a strict UTF-8 stdout, as in a zh_CN.UTF-8 terminal
    (where a lone surrogate would crash it); the cache is conftest's private one."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "checker.cli", *args], check=False, capture_output=True, text=True, cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict", **(env or {})}, timeout=120,
    )  # fmt: skip


def assert_clean_exit(proc: subprocess.CompletedProcess[str]) -> None:
    """Exit status 2 (a file or rule file could not be read), and no traceback."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- .docx


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph(PARAGRAPH)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          compression: int = zipfile.ZIP_DEFLATED) -> bytes:  # fmt: skip
    """The archive ``data`` with parts replaced and added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def declare(data: bytes, name: str, *, size: int | None = None, flags: int | None = None) -> bytes:
    """Change what the central directory says of part ``name``: its unpacked size, its
    flags. The data stays as it is: an archive that lies."""
    out = bytearray(data)
    start = out.find(b"PK\x01\x02")
    while start != -1:
        length = int.from_bytes(out[start + 28 : start + 30], "little")
        if out[start + 46 : start + 46 + length] == name.encode():
            if size is not None:
                out[start + 24 : start + 28] = size.to_bytes(4, "little")
            if flags is not None:
                out[start + 8 : start + 10] = flags.to_bytes(2, "little")
            return bytes(out)
        start = out.find(b"PK\x01\x02", start + 1)
    raise AssertionError(f"no part {name}")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [<!ENTITY lol0 "lol">{LAUGHS}]>\n'
    f"<w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def external_entity(target: Path, encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target.as_uri()}">]>\n'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )


def test_a_real_docx_passes_every_archive_check(tmp_path: Path) -> None:
    assert load_path(write(tmp_path / "ok.docx", docx_bytes())).text == PARAGRAPH


def test_docx_bomb_is_refused_from_its_declared_size_before_inflating(tmp_path: Path) -> None:
    lying = declare(docx_bytes(), "word/document.xml", size=300 * 2**20)  # the other parts: 1 MB
    assert load_error(write(tmp_path / "bomb.docx", lying)) == "file too large (301 MB unpacked > 256 MB limit)"


def test_docx_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    bomb = rezip(docx_bytes(), add={"word/media/image1.png": bytes(20 * 2**20)})  # 20 MB in 20 KB
    reason = load_error(write(tmp_path / "bomb.docx", bomb))
    assert reason.startswith("suspected zip bomb (part 'word/media/image1.png' inflates 10")
    assert reason.endswith(":1 > 500:1 limit)")


def test_docx_part_that_inflates_past_its_declared_size(tmp_path: Path) -> None:
    # zipfile would inflate all 20 MB (up to 2 GB) before cutting it to the 1 000 declared
    lying = declare(rezip(docx_bytes(), add={"word/media/image1.png": bytes(20 * 2**20)}),
                    "word/media/image1.png", size=1000)  # fmt: skip
    assert load_error(write(tmp_path / "lying.docx", lying)) == (
        "damaged .docx file (part 'word/media/image1.png' inflates past its declared size)"
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d[: len(d) // 2], "not a .docx file (not a ZIP archive)"),
        (lambda d: rezip(d, compression=zipfile.ZIP_BZIP2),
         "unsupported compression (bzip2) of part '[Content_Types].xml': Word only deflates"),
        (lambda d: declare(d, "word/document.xml", flags=0x1),
         "encrypted part 'word/document.xml' in the .docx archive"),
        (lambda d: rezip(d, add={str(n): b"" for n in range(10_000)}),
         "too many parts in the .docx archive (10017 > 10000 limit)"),  # and python-docx's 17
        (lambda d: rezip(d, add={"word/document.xml": b"<x/>"}),
         "damaged .docx file (part 'word/document.xml' twice in the archive)"),
    ],
    ids=["cut-in-half", "bzip2", "encrypted", "too-many-parts", "duplicate-part"],
)  # fmt: skip
def test_docx_archive_tricks(tmp_path: Path, change, reason: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
        data = change(docx_bytes())
    assert load_error(write(tmp_path / "report.docx", data)) == reason


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "[Content_Types].xml", "_rels/.rels"])
@pytest.mark.parametrize("attack", ["billion-laughs", "external-entity", "external-entity-utf16"])
def test_docx_xml_with_a_doctype_is_refused(tmp_path: Path, part: str, attack: str) -> None:
    secret = write(tmp_path / "secret.txt", b"govlint-secret-4f1c")
    xml = {
        "billion-laughs": BILLION_LAUGHS.encode(),
        "external-entity": external_entity(secret).encode(),
        "external-entity-utf16": external_entity(secret, "UTF-16").encode("utf-16"),
    }[attack]
    path = write(tmp_path / "attack.docx", rezip(docx_bytes(), replace={part: xml}))
    assert load_error(path) == (
        f"refused .docx file: part {part!r} declares a DOCTYPE or entities, "
        "which Word never writes (an XML entity attack)"
    )


@pytest.mark.parametrize("attack", ["billion-laughs", "external-entity"])
def test_docx_parser_resolves_no_entity_even_without_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, attack: str
) -> None:
    """Defence in depth: python-docx's lxml parser (resolve_entities=False, no DTD
    loading) neither expands nor reads, should the DOCTYPE check ever miss a part."""
    monkeypatch.setattr(docx_module, "_DTD_MARKERS", ())
    secret = write(tmp_path / "secret.txt", b"govlint-secret-4f1c")
    xml = BILLION_LAUGHS if attack == "billion-laughs" else external_entity(secret)
    path = write(tmp_path / "attack.docx", rezip(docx_bytes(), replace={"word/document.xml": xml.encode()}))
    start = time.perf_counter()
    try:
        outcome = load_path(path).text  # the external entity: left out, the file not read
    except LoadError as e:
        outcome = e.reason  # the laughs: libxml2 stops at its amplification limit
    assert "govlint-secret" not in outcome and "lollol" not in outcome
    assert time.perf_counter() - start < 5


def test_docx_svg_image_with_a_doctype_is_not_xml_python_docx_parses(tmp_path: Path) -> None:
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    path = write(tmp_path / "report.docx", rezip(docx_bytes(), add={"word/media/image1.svg": svg}))
    assert load_path(path).text == PARAGRAPH


def test_docx_xml_nested_too_deeply_is_refused_by_lxml(tmp_path: Path) -> None:
    deep = f"<w:document {W}><w:body>{'<w:sdt><w:sdtContent>' * 5000}</w:body></w:document>".encode()
    reason = load_error(write(tmp_path / "deep.docx", rezip(docx_bytes(), replace={"word/document.xml": deep})))
    assert reason.startswith("unreadable .docx file (XMLSyntaxError:")


# --------------------------------------------------------------------------- .pdf


def pdf(*objects: bytes) -> bytes:
    """A PDF of ``objects`` (1 0 obj first, the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), filters, data)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (A page of the report, with its text layer.) Tj ET"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"


def one_page(pages: bytes = b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", contents: bytes = stream(TEXT)) -> bytes:
    """A one-page PDF: 1 catalog, 2 page tree, 3 font, 4 content stream, 5 the page."""
    return pdf(CATALOG, pages, FONT, contents, PAGE)


@pytest.fixture
def quick_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "MAX_FILE_SECONDS", 1)


def test_pdf_built_here_loads(tmp_path: Path) -> None:
    assert load_path(write(tmp_path / "ok.pdf", one_page())).text == "A page of the report, with its text layer."


def test_pdf_page_tree_whose_kids_point_back_to_itself_is_walked_once(tmp_path: Path) -> None:
    cyclic = one_page(pages=b"<< /Type /Pages /Kids [2 0 R 5 0 R 2 0 R 5 0 R] /Count 1 >>")
    assert load_path(write(tmp_path / "cyclic.pdf", cyclic)).locations == ("p.1",)


def test_pdf_claiming_a_huge_page_count_is_refused_before_reading_pages(tmp_path: Path) -> None:
    claims = one_page(pages=b"<< /Type /Pages /Kids [5 0 R] /Count 2000000000 >>")
    assert load_error(write(tmp_path / "claims.pdf", claims)) == "PDF too long (2000000000 pages > 300 page limit)"


def test_pdf_holding_more_pages_than_it_claims_is_refused_at_the_limit(tmp_path: Path) -> None:
    many = pdf(CATALOG, b"<< /Type /Pages /Kids [%s] /Count 1 >>" % b" ".join(b"%d 0 R" % n for n in range(5, 306)),
               FONT, stream(TEXT), *[PAGE] * 301)  # fmt: skip
    assert load_error(write(tmp_path / "many.pdf", many)) == "PDF too long (more than the 300 page limit)"


def test_pdf_object_that_refers_to_itself_meets_the_time_limit(tmp_path: Path, quick_limit: None) -> None:
    # pdfminer's resolve1 follows 2 0 R → 2 0 R … for ever; PDF.close() would start again
    start = time.perf_counter()
    reason = load_error(write(tmp_path / "loop.pdf", one_page(pages=b"2 0 R")))
    assert reason == "too slow to load (more than the 1 s limit)"
    assert time.perf_counter() - start < 5


def test_pdf_page_with_too_many_characters_is_refused_before_its_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One content stream of a million one-glyph text operators took 3.9 GB and a minute.
    monkeypatch.setattr(pdfstreams, "MAX_PDF_PAGE_CHARS", 500)
    shows = b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * 600 + b"ET"
    reason = load_error(write(tmp_path / "chars.pdf", one_page(contents=stream(shows))))
    assert reason == "PDF page too long (more than 500 characters on one page)"


def test_pdf_page_with_too_many_operators_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfstreams, "MAX_PDF_PAGE_OPERATORS", 1_000)
    path_ops = b"0 0 m " + b"1 1 l " * 1_200 + b"S " + TEXT
    reason = load_error(write(tmp_path / "ops.pdf", one_page(contents=stream(path_ops))))
    assert reason == "PDF page too complex (more than 1000 operators on one page)"


def test_pdf_page_bounds_count_each_page_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfstreams, "MAX_PDF_PAGE_CHARS", len(b"A page of the report, with its text layer.") + 5)
    two = pdf(CATALOG, b"<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 2 >>", FONT, stream(TEXT), PAGE, PAGE)
    loaded = load_path(write(tmp_path / "two.pdf", two))  # each page within the bound, the file above it
    assert loaded.text.count("A page of the report") == 2


def test_pdf_flate_bomb_is_refused_within_the_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfstreams, "MAX_UNZIPPED_BYTES", 8 * 2**20)
    bomb = zlib.compress(TEXT + b"\n" + b" " * (64 * 2**20), 9)  # 64 MB in 64 KB
    path = write(tmp_path / "bomb.pdf", one_page(contents=stream(bomb, b"/Filter /FlateDecode")))
    assert load_error(path) == "PDF streams too large (they inflate past the 8 MB limit)"


def test_pdf_budget_counts_every_stream_of_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfstreams, "MAX_UNZIPPED_BYTES", 8 * 2**20)
    part = zlib.compress(TEXT + b"\n" + b" " * (3 * 2**20))  # 3 MB each, 12 MB together
    contents = b"[%s]" % b" ".join(b"%d 0 R" % n for n in range(6, 10))
    page = PAGE.replace(b"/Contents 4 0 R", b"/Contents " + contents)
    streams = [stream(part, b"/Filter /FlateDecode")] * 4
    pages = b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>"
    path = write(tmp_path / "streams.pdf", pdf(CATALOG, pages, FONT, stream(TEXT), page, *streams))
    assert load_error(path) == "PDF streams too large (they inflate past the 8 MB limit)"


def test_pdf_chained_filters_and_run_length_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfstreams, "MAX_UNZIPPED_BYTES", 8 * 2**20)
    runs = b"\x81 " * (2**20 // 8)  # 128 spaces for every 2 bytes: 16 MB
    layered = zlib.compress(runs, 9)
    path = write(tmp_path / "runs.pdf", one_page(contents=stream(layered, b"/Filter [/FlateDecode /RunLengthDecode]")))
    assert load_error(path) == "PDF streams too large (they inflate past the 8 MB limit)"


def test_pdf_run_length_stream_decodes(tmp_path: Path) -> None:
    encoded = bytes([len(TEXT) - 1]) + TEXT + b"\x80"  # one literal run, then end of data
    path = write(tmp_path / "rl.pdf", one_page(contents=stream(encoded, b"/Filter /RunLengthDecode")))
    assert load_path(path).text == "A page of the report, with its text layer."


def test_pdf_fax_encoded_content_is_refused(tmp_path: Path) -> None:
    fax = stream(b"\x00" * 64, b"/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 2000000000 >>")
    assert load_error(write(tmp_path / "fax.pdf", one_page(contents=fax))) == (
        "PDF text stream encoded as a fax image (CCITTFaxDecode): refused"
    )


def test_pdf_damaged_flate_stream_is_read_in_linear_time(tmp_path: Path) -> None:
    # pdfminer's own fallback inflates byte by byte into a growing bytes: minutes for this
    body = TEXT + b"\n" + b"".join(b"%% line %d of a long content stream\n" % n for n in range(200_000))
    damaged = zlib.compress(body)[:-4] + b"\0\0\0\0"  # a wrong checksum
    path = write(tmp_path / "damaged.pdf", one_page(contents=stream(damaged, b"/Filter /FlateDecode")))
    start = time.perf_counter()
    assert load_path(path).text == "A page of the report, with its text layer."
    assert time.perf_counter() - start < 5


def test_pdf_library_warnings_stay_off_stderr(tmp_path: Path) -> None:
    odd = pdf(CATALOG, b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>", FONT, stream(TEXT),
              PAGE.replace(b"[0 0 612 792]", b"[0 0 x]"))  # fmt: skip  # "Invalid MediaBox in /Page"
    proc = run_cli("--format", "concise", "--lang", "en", str(write(tmp_path / "odd.pdf", odd)))
    assert_clean_exit(proc)
    assert proc.stderr == "" and "E001" in proc.stdout


def test_pdf_truncated_fixture_is_refused(tmp_path: Path) -> None:
    data = (FIXTURES / "report.pdf").read_bytes()
    reason = load_error(write(tmp_path / "cut.pdf", data[: len(data) // 2]))
    assert reason.startswith(("unreadable PDF file", "scanned PDF")), reason


# --------------------------------------------------------------------------- .html


def test_html_of_100_000_nested_tags_loads_in_bounded_time(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.html", ("<div>" * 100_000 + "正文" + "</div>" * 100_000).encode())
    start = time.perf_counter()
    assert load_path(path).text == "正文"
    assert time.perf_counter() - start < 10


def test_html_with_too_many_elements_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module, "MAX_HTML_ELEMENTS", 50_000)
    path = write(tmp_path / "huge.html", b"<p>" + b"<b>" * 60_000 + "正文".encode())
    assert load_error(path) == "HTML page too large (more than 50000 elements)"


def test_html_that_makes_html_parser_quadratic_meets_the_time_limit(tmp_path: Path, quick_limit: None) -> None:
    path = write(tmp_path / "slow.html", b"<!--" * 200_000)  # html.parser of 3.11.7: minutes
    start = time.perf_counter()
    try:
        load_path(path)  # a Python whose html.parser is linear reads it at once
    except LoadTimeout as e:
        assert e.reason == "too slow to load (more than the 1 s limit)"
    assert time.perf_counter() - start < 5


# --------------------------------------------------------------------------- time limit


def test_time_limit_interrupts_the_main_thread_and_restores_the_signal() -> None:
    start = time.perf_counter()
    with pytest.raises(LoadTimeout), time_limit(1):
        while True:
            pass
    assert time.perf_counter() - start < 3
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_time_limit_in_another_thread_is_checked_between_steps() -> None:
    outcome: list[str] = []

    def load() -> None:
        with time_limit(1):
            time.sleep(1.1)
            try:
                check()
            except LoadTimeout as e:
                outcome.append(e.reason)

    worker = threading.Thread(target=load)
    worker.start()
    worker.join()
    assert outcome == ["too slow to load (more than the 1 s limit)"]
    check()  # outside a load: no limit


def test_time_limit_leaves_someone_elses_timer_alone() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with time_limit(1):
            time.sleep(0.4)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- limits from the environment


def test_limits_come_from_the_environment(tmp_path: Path) -> None:
    big = write(tmp_path / "big.txt", b"a" * (2 * 2**20))
    proc = run_cli("--format", "json", "--no-cache", str(big), str(SEEDS[3]), env={"GOVLINT_MAX_FILE_MB": "1"})
    assert_clean_exit(proc)
    items = json.loads(proc.stdout)
    errors = [i["message"] for i in items if i["code"] == "E001"]
    assert errors == ["无法读取文件:文件太大(2.0 MB,超过 1 MB 的上限)"]
    assert any(i["path"] == str(SEEDS[3]) for i in items), "the other file was still linted"


def test_an_invalid_limit_fails_every_file_with_one_line(tmp_path: Path) -> None:
    proc = run_cli("--format", "json", "--lang", "en", "--no-cache", str(SEEDS[3]),
                   env={"GOVLINT_MAX_PDF_PAGES": "lots"})  # fmt: skip
    assert_clean_exit(proc)
    [item] = json.loads(proc.stdout)
    assert item["code"] == "E001"
    assert item["message"].endswith("invalid GOVLINT_MAX_PDF_PAGES='lots': expected a whole number from 1 to 1000000")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("GOVLINT_MAX_FILE_SECONDS", "10000000000"),  # overflowed the timer: a traceback
        ("GOVLINT_MAX_FILE_MB", "99999999999999999999999"),  # overflowed the read size
        ("GOVLINT_MAX_PDF_PAGES", "9" * 5000),  # more digits than int() takes
    ],
)
def test_a_limit_too_large_for_the_system_is_one_line_not_a_traceback(variable: str, value: str) -> None:
    proc = run_cli("--format", "json", "--lang", "en", "--no-cache", str(SEEDS[3]), env={variable: value})
    assert_clean_exit(proc)
    [item] = json.loads(proc.stdout)
    assert item["code"] == "E001"
    assert f"invalid {variable}=" in item["message"] and "expected a whole number from 1 to" in item["message"]
    assert len(item["message"]) < 200


# --------------------------------------------------------------------------- file system


def load_errors(path: Path, ruleset: RuleSet) -> list[tuple[str, str]]:
    """The E001 findings of linting ``path``, as (code, message)."""
    return [(d.code, d.message) for d in lint_path(path, ruleset, Options(lang="en")).diagnostics if d.code == "E001"]


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A folder of reports: a.txt, and sub/b.txt."""
    (tmp_path / "reports" / "sub").mkdir(parents=True)
    write(tmp_path / "reports" / "a.txt", PARAGRAPH.encode())
    write(tmp_path / "reports" / "sub" / "b.txt", PARAGRAPH.encode())
    return tmp_path / "reports"


def deny(monkeypatch: pytest.MonkeyPatch, *denied: Path) -> None:
    """os.scandir and os.open (which read_bytes opens with) fail with EACCES on ``denied``,
    as for a user without the permission (the tests may run as root, who has every permission)."""
    real_scandir, real_open = os.scandir, os.open
    names = {os.fspath(p) for p in denied}

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if os.fspath(path) in names:
            raise PermissionError(13, os.strerror(13), os.fspath(path))
        return real_scandir(path)

    def opener(file: str | os.PathLike[str], *args: Any, **kwargs: Any) -> int:
        if os.fspath(file) in names:
            raise PermissionError(13, os.strerror(13), os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", opener)


def test_unreadable_folder_is_reported_and_the_scan_goes_on(
    reports: Path, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny(monkeypatch, reports / "sub")
    found = list(expand_paths([reports]))
    assert found == [reports / "a.txt", reports / "sub"]
    assert load_errors(reports / "a.txt", ruleset) == []
    assert load_errors(reports / "sub", ruleset) == [
        ("E001", "cannot read file: folder cannot be listed: permission denied")
    ]


def test_unreadable_folder_named_on_the_command_line(
    reports: Path, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny(monkeypatch, reports)
    assert list(expand_paths([reports])) == [reports]
    assert load_errors(reports, ruleset)[0][1].endswith("folder cannot be listed: permission denied")


def test_unreadable_file_and_folder_through_the_cli(
    reports: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    deny(monkeypatch, reports / "sub", reports / "a.txt")
    write(reports / "c.txt", PARAGRAPH.encode())
    assert main(["--format", "json", "--lang", "en", "--no-cache", str(reports)]) == 2
    items = json.loads(capsys.readouterr().out)
    errors = {Path(i["path"]).name: i["message"] for i in items if i["code"] == "E001"}
    assert errors == {
        "a.txt": "cannot read file: permission denied",
        "sub": "cannot read file: folder cannot be listed: permission denied",
    }
    assert any(i["path"].endswith("c.txt") for i in items), "the other file was still linted"


def without_root_powers() -> tuple[str, ...]:
    """A command prefix under which permissions hold: none for a user; for root (tests
    in a container), setpriv dropping the capabilities that override them; else skip."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        return ()
    caps = "-dac_override,-dac_read_search"
    prefix = ("setpriv", "--bounding-set", caps, "--inh-caps", caps, "--")
    try:
        subprocess.run([*prefix, "true"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("root reads and lists everything, and setpriv cannot drop that")
    return prefix


def test_chmod_000_file_and_folder(reports: Path) -> None:
    prefix = without_root_powers()
    (reports / "a.txt").chmod(0)
    (reports / "sub").chmod(0)
    try:
        proc = run_cli("--format", "json", "--lang", "en", "--no-cache", str(reports), prefix=prefix)
    finally:
        (reports / "sub").chmod(0o755)
    assert_clean_exit(proc)
    errors = {Path(i["path"]).name: i["message"] for i in json.loads(proc.stdout) if i["code"] == "E001"}
    assert errors == {
        "a.txt": "cannot read file: permission denied",
        "sub": "cannot read file: folder cannot be listed: permission denied",
    }


def test_symlink_loop_between_files(reports: Path, ruleset: RuleSet) -> None:
    (reports / "loop-a.txt").symlink_to("loop-b.txt")
    (reports / "loop-b.txt").symlink_to("loop-a.txt")
    found = list(expand_paths([reports]))
    assert reports / "loop-a.txt" in found and reports / "loop-b.txt" in found
    assert load_errors(reports / "loop-a.txt", ruleset) == [
        ("E001", "cannot read file: too many levels of symbolic links")
    ]


def test_symlinked_folder_pointing_to_its_parent_is_not_followed(reports: Path) -> None:
    (reports / "sub" / "up").symlink_to("..")
    assert list(expand_paths([reports])) == [reports / "a.txt", reports / "sub" / "b.txt"]


def test_fifo_in_a_folder_is_skipped_not_waited_for(reports: Path) -> None:
    os.mkfifo(reports / "pipe.txt")
    assert list(expand_paths([reports])) == [reports / "a.txt", reports / "sub" / "b.txt"]


def test_file_deleted_between_listing_and_linting(
    reports: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def listed_then_deleted(paths: list[Path], excluded: object = None, unread: object = None) -> Iterator[Path]:
        found = list(expand_paths(paths))
        (reports / "a.txt").unlink()
        yield from found

    monkeypatch.setattr("checker.runner.expand_paths", listed_then_deleted)
    assert main(["--format", "json", "--lang", "en", "--no-cache", str(reports)]) == 2
    items = json.loads(capsys.readouterr().out)
    assert [(Path(i["path"]).name, i["message"]) for i in items if i["code"] == "E001"] == [
        ("a.txt", "cannot read file: no such file or directory")
    ]
    assert any(i["path"].endswith("b.txt") for i in items)


NOT_UTF8 = os.fsdecode(b"\xb1\xa8\xb8\xe6\xff.txt")  # "报告" in GBK, then a stray byte


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names there are always Unicode")
def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    write(tmp_path / NOT_UTF8, SEEDS[3].read_bytes())
    write(tmp_path / os.fsdecode(b"\xff\xfe.txt"), b"\xff\xfe\x00")  # unreadable: E001
    shown = {str(tmp_path / "\\xb1\\xa8\\xb8\\xe6\\xff.txt"), str(tmp_path / "\\xff\\xfe.txt")}

    as_json = run_cli("--format", "json", "--no-cache", str(tmp_path), cwd=tmp_path)
    assert_clean_exit(as_json)
    assert {i["path"] for i in json.loads(as_json.stdout)} == shown

    human = run_cli("--color", "never", "--no-cache", str(tmp_path), cwd=tmp_path)
    assert_clean_exit(human)
    assert all(path in human.stdout for path in shown)

    to_file = run_cli("--format", "sarif", "-o", "out.sarif", "--no-cache", str(tmp_path), cwd=tmp_path)
    assert_clean_exit(to_file)
    assert (tmp_path / "out.sarif").read_text(encoding="utf-8")


def test_file_names_with_control_characters(tmp_path: Path) -> None:
    # a line break would split a finding's line; an escape sequence would rewrite the terminal
    write(tmp_path / "a\x1b]0;pwned\x07\nb.txt", b"\xff\xfe\x00")
    proc = run_cli("--format", "concise", "--lang", "en", "--no-cache", str(tmp_path), cwd=tmp_path)
    assert_clean_exit(proc)
    assert proc.stdout.splitlines()[0] == (
        f"{tmp_path}/a\\x1b]0;pwned\\x07\\x0ab.txt:1:1: E001 [error] cannot read file: "
        "not valid UTF-16-LE text despite its byte-order mark (byte 0x00 at offset 2)"
    )


def test_display_path_keeps_unicode_names() -> None:
    assert files.display_path(Path("报告/2023年　总结.txt")) == "报告/2023年　总结.txt"
    assert files.display_path(Path(NOT_UTF8)) == "\\xb1\\xa8\\xb8\\xe6\\xff.txt"


# --------------------------------------------------------------------------- rule and config files


VALID_RULE = """\
[[rule]]
code = "X901"
name = "my-rule"
kind = "pattern"
severity = "warning"
summary = "s"
summary_en = "s"
message = "m {match}"
message_en = "m {match}"
explanation = "e"
source = "src"
example = { fail = "法制政府", pass = "法治政府" }
[rule.params]
patterns = [{ regex = "法制政府", label = { zh = "l", en = "l" } }]
"""
DATE_RULE = VALID_RULE.replace('"X901"', '"X902"').replace('"my-rule"', '"my-date-rule"').replace(
    'kind = "pattern"', 'kind = "date-relation"').replace("m {match}", "m").replace(
    'patterns = [{ regex = "法制政府", label = { zh = "l", en = "l" } }]',
    'roles = ["publication"]\ncondition = "date <= date(report_year + 1, 3, 31)"')  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID_RULE.replace('severity = "warning"', 'severity = "warning'), "invalid TOML: Illegal character"),
        (VALID_RULE.replace('kind = "pattern"', 'kind = "magic"'), "mine.toml:3: rule X901: field 'kind'"),
        (VALID_RULE.replace('regex = "法制政府"', 'regex = "法制("'),
         "mine.toml:3: rule X901: field 'params': regular expression '法制(' does not compile"),
        (DATE_RULE.replace("date <= date(", "date <= date(("),
         "mine.toml:3: rule X902: field 'params': condition 'date <= date((report_year + 1, 3, 31)'"),
        (DATE_RULE.replace("report_year + 1", "report_yaer + 1"),
         ("mine.toml:3: rule X902: field 'params': condition 'date <= date(report_yaer + 1, 3, 31)': "
          "unknown name 'report_yaer'")),
        (VALID_RULE.replace('"X901"', '"S101"'), "mine.toml:3: rule S101: duplicate code 'S101' (first defined in"),
        (VALID_RULE + "\n" + VALID_RULE, "mine.toml:18: rule X901: duplicate code 'X901' (first defined in"),
    ],
    ids=["invalid-toml", "unknown-kind", "bad-regex", "expression-syntax", "unknown-name", "duplicate-builtin",
         "duplicate-in-file"],
)  # fmt: skip
def test_bad_rule_file_names_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "rules").mkdir()
    write(tmp_path / "rules" / "mine.toml", ("# my rules\n" + text).encode())
    write(tmp_path / "a.txt", PARAGRAPH.encode())
    proc = run_cli("--rules", "rules", "--no-cache", "a.txt", cwd=tmp_path)
    assert_clean_exit(proc)
    assert proc.stdout == "" and proc.stderr.count("\n") == 1, proc.stderr
    message = proc.stderr.removeprefix("govlint: error: ")
    assert message.startswith(str(Path("rules") / "mine.toml")), message
    assert expected in message, message
    if "invalid TOML" in expected:
        assert "(at line 6, column 20)" in message


def test_bad_config_toml_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "govlint.toml", b'select = ["S"]\nignore = ["T402"\nprofile = "annual"\n')
    write(tmp_path / "a.txt", PARAGRAPH.encode())
    proc = run_cli("--no-cache", "a.txt", cwd=tmp_path)
    assert_clean_exit(proc)
    assert proc.stderr == "govlint: error: govlint.toml: invalid TOML: Unclosed array (at line 3, column 1)\n"
