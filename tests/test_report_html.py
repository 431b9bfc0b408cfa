"""Tests for the HTML review page (checker.report.html): structure and escaping without a
browser, then the same page loaded in headless Chromium when one is installed."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from checker.cli import main
from checker.engine import lint_text
from checker.model import Diagnostic, FileResult, Label, SourceText, Span
from checker.report import machine, render
from checker.report.html import line_html
from checker.ruleset import RuleSet, load_rules
from checker.selection import Options
from conftest import ROOT, SEEDS

Lint = Callable[..., FileResult]
ARTIFACTS = ROOT / "tests" / "artifacts"

# Report text an attacker or a careless converter could produce.
HOSTILE = (
    "青山县2023年法治政府建设年度报告\n"
    "一、主要举措和成效<script>document.title='pwned'</script>全年办结 12 件 & 未结 0 件。\n"
    "浏览量:{{ pvCount }} </mark></span></div> <img src=x onerror=\"document.title='pwned'\">\n"
    "二、存在的不足和原因\n"
)

# Ten characters on the first line so the overlapping spans below are easy to read.
OVERLAP = "甲乙丙丁戊己庚辛壬癸\n子丑寅卯辰\n\n巳午未申酉戌亥\n"


def _render(results: Sequence[FileResult], ruleset: RuleSet, lang: str = "zh") -> str:
    out = io.StringIO()
    render("html", results, out, ruleset=ruleset, color=False, lang=lang)  # type: ignore[arg-type]
    return out.getvalue()


def _seed(lint: Lint, index: int) -> FileResult:
    path = SEEDS[index]
    return lint(path.read_text(encoding="utf-8"), path=f"seeds/{path.name}")


def _diag(code: str, span: Span | None, *, severity: str = "warning", labels: tuple[Label, ...] = ()) -> Diagnostic:
    return Diagnostic(code, code.lower(), severity, f"{code} 的说明", "overlap.txt", span, labels)  # type: ignore[arg-type]


def _overlapping() -> FileResult:
    """Crossing, nested, identical, empty and multi-line spans, and labels among them."""
    s = Span
    diagnostics = [
        _diag("X001", s(0, 6), severity="error", labels=(Label(s(4, 8), "交叉的标注"), Label(s(0, 6), "同一处"))),
        _diag("X002", s(3, 9)),  # crosses X001
        _diag("X003", s(2, 4), severity="info"),  # inside X001, crosses X002's start
        _diag("X004", s(0, 6)),  # the same span as X001
        _diag("X005", s(5, 5), severity="error"),  # empty: a marker
        _diag("X006", s(8, 14), labels=(Label(s(18, 21), "下一段"),)),  # over a line end
        _diag("X007", s(12, 20), severity="info"),  # over an empty line
        _diag("X008", None, severity="error"),  # the whole file
    ]
    return FileResult("overlap.txt", SourceText(OVERLAP), diagnostics)


# --------------------------------------------------------------------------- reading the page back


@dataclass
class Page:
    """What a strict reading of the page found."""

    lines: dict[str, str] = field(default_factory=dict)  # line anchor → text of the line
    marks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # mark anchor → (line anchor, text) pieces
    ids: Counter[str] = field(default_factory=Counter)
    index_rows: list[tuple[str, list[int]]] = field(default_factory=list)  # (path, [errors, warnings, infos])
    parts: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # report id → (class, text, href)
    scripts: list[str] = field(default_factory=list)


VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "area", "base", "col", "embed", "track"}


class Reader(HTMLParser):
    """Fails on any misnested or unclosed element; collects what the tests compare."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.line: str | None = None
        self.row: list[str] | None = None
        self.part: list[str] | None = None
        self.report = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.page.ids[a["id"]] += 1
        if tag == "article":
            self.report = a["id"]
        if tag == "div" and a.get("class") == "ln":
            self.line = a["id"]
            self.page.lines[self.line] = ""
        if tag == "mark":
            anchor = a["data-d"] + (f"-l{a['data-label']}" if "data-label" in a else "")
            self.page.marks.setdefault(anchor, []).append((self.line or "", ""))
        if tag == "tr" and self.stack and self.stack[-1][0] == "tbody":
            self.row = []
        if tag == "li" and any(t == "nav" and o.get("class") == "parts" for t, o in self.stack):
            self.part = [a["class"], "", ""]
        if tag == "a" and self.part is not None and "where" in a.get("class", ""):
            self.part[2] = a["href"]
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        top, attrs = self.stack.pop()
        assert top == tag, f"</{tag}> closes <{top}>"
        if tag == "div" and attrs.get("class") == "ln":
            self.line = None
        if tag == "tr" and self.row is not None:
            path, *numbers = self.row
            self.page.index_rows.append((path, [int(n) for n in numbers]))
            self.row = None
        if tag == "li" and self.part is not None:
            self.page.parts.setdefault(self.report, []).append((self.part[0], self.part[1], self.part[2]))
            self.part = None

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.stack]
        if tags and tags[-1] == "script":
            self.page.scripts.append(data)
        if self.line is not None and "span" in tags:
            self.page.lines[self.line] += data
            for tag, attrs in self.stack:
                if tag == "mark":
                    anchor = attrs["data-d"] + (f"-l{attrs['data-label']}" if "data-label" in attrs else "")
                    line, text = self.page.marks[anchor][-1]
                    self.page.marks[anchor][-1] = (line, text + data)
        if self.row is not None and tags[-1] in ("a", "td"):  # the path and the three counts
            self.row.append(data)
        if self.part is not None and tags[-1] in ("span", "a") and "vh" not in str(self.stack[-1][1].get("class")):
            self.part[1] += data


def read(page_html: str) -> Page:
    reader = Reader()
    reader.feed(page_html)
    reader.close()
    assert reader.stack == [], f"unclosed: {[t for t, _ in reader.stack]}"
    duplicates = [i for i, n in reader.page.ids.items() if n > 1]
    assert not duplicates, f"duplicate ids {duplicates}"
    return reader.page


def joined(pieces: list[tuple[str, str]]) -> str:
    """A mark's pieces as one text; pieces on later lines are separated by their line ends."""
    text, previous = "", None
    for line, piece in pieces:
        number = int(line.rsplit("-L", 1)[1])
        if previous is not None and number > previous:
            text += "\n" * (number - previous)
        text, previous = text + piece, number
    return text


def original(source: SourceText, pos: dict[str, Any]) -> str:
    """The characters a JSON record's line/column positions cover."""
    start = source.line_span(pos["line"]).start + pos["column"] - 1
    end = source.line_span(pos["end_line"]).start + pos["end_column"] - 1
    return source.text[start:end]


def expected_marks(results: Sequence[FileResult]) -> dict[str, tuple[str, int]]:
    """Mark anchor → (the original characters of the span, its first line), from the JSON
    records: the positions every other format reports."""
    out: dict[str, tuple[str, int]] = {}
    for i, result in enumerate(results, 1):
        assert result.source is not None
        for j, (diag, record) in enumerate(zip(result.diagnostics, machine.records([result]), strict=True), 1):
            if diag.span is None:
                continue
            out[f"r{i}-d{j}"] = (original(result.source, record), record["line"])
            for k, (label, label_record) in enumerate(zip(diag.labels, record["labels"], strict=True), 1):
                if label.span != diag.span:  # such a label is on the card, not a mark of its own
                    out[f"r{i}-d{j}-l{k}"] = (original(result.source, label_record), label_record["line"])
    return out


# --------------------------------------------------------------------------- without a browser


def test_seed_pages_are_well_formed_and_keep_every_character(lint: Lint, ruleset: RuleSet) -> None:
    results = [_seed(lint, i) for i in range(len(SEEDS))]
    page = read(_render(results, ruleset))
    for i, result in enumerate(results, 1):
        assert result.source is not None
        lines = {anchor: text for anchor, text in page.lines.items() if anchor.startswith(f"r{i}-")}
        assert lines == {f"r{i}-L{n}": result.source.line_text(n) for n in range(1, len(lines) + 1)}
        assert len(lines) >= result.source.line_count - 1  # only an empty last line may be left out
    expected = expected_marks(results)
    assert {anchor: joined(pieces) for anchor, pieces in page.marks.items()} == {a: t for a, (t, _) in expected.items()}
    for anchor, (_, line) in expected.items():
        assert page.marks[anchor][0][0] == f"{anchor.split('-')[0]}-L{line}"


def test_index_counts_each_severity(lint: Lint, ruleset: RuleSet) -> None:
    results = [_seed(lint, i) for i in range(len(SEEDS))]
    page = read(_render(results, ruleset))
    rows = dict(page.index_rows)
    for result in results:
        by_severity = Counter(d.severity for d in result.diagnostics)
        assert rows[result.path] == [by_severity["error"], by_severity["warning"], by_severity["info"]]
    assert rows["seeds/000_00ec3fcab6499c92.txt"] == [2, 3, 0]
    assert len(rows) == len(SEEDS)


def test_checklist_seed_000_lacks_the_leaders_part(lint: Lint, ruleset: RuleSet) -> None:
    result = _seed(lint, 0)
    page = read(_render([result], ruleset))
    s103 = next(i for i, d in enumerate(result.diagnostics, 1) if d.code == "S103")
    assert page.parts["r1"] == [
        ("found", "✓主要举措和成效一、法治政府工作建设的举措和成效", "#r1-L9"),
        ("found", "✓存在的不足和原因二、存在问题", "#r1-L51"),
        ("missing", "✗党政主要负责人履行第一责任人职责缺失 S103", ""),
        ("found", "✓下一年度主要安排三、2022年工作计划", "#r1-L63"),
    ]
    assert f'<a class="code" href="#r1-d{s103}">S103</a>' in _render([result], ruleset)


def test_checklist_seed_003_has_all_four_parts(lint: Lint, ruleset: RuleSet) -> None:
    page = read(_render([_seed(lint, 3)], ruleset, lang="en"))
    assert page.parts["r1"] == [
        ("found", "✓Main measures and results一、2023年工作开展情况", "#r1-L2"),
        ("found", "✓Shortcomings and their causes三、存在的不足和原因", "#r1-L12"),
        ("found", "✓Principal leaders' duties as first responsible persons二、党政主要负责人履责情况", "#r1-L10"),
        ("found", "✓Next year's plan四、2024年工作思路和打算", "#r1-L18"),
    ]


def test_checklist_lists_the_section_rules_that_ran(lint: Lint, ruleset: RuleSet) -> None:
    """The checklist is the outline of the lint: a part whose rule did not run (not in the
    profile, not selected) is not listed, so the page never contradicts the findings."""
    text = SEEDS[4].read_text(encoding="utf-8")
    assert "r1" not in read(_render([lint(text, path="004.txt", profile="summary")], ruleset)).parts
    result = lint(text, path="004.txt", select=("S101", "S104"))
    assert [state[:1] for state in read(_render([result], ruleset)).parts["r1"]] == [("found",), ("found",)]


SECTION_RULE = r"""
[[rule]]
code = "X801"
name = "missing-annex"
kind = "section"
severity = "warning"
summary = "缺少“附件”部分"
summary_en = "The annex is missing"
message = "缺少“附件”部分"
message_en = "missing part: annex"
explanation = "示例规则。"
source = "示例"
example = { fail = "一、情况", pass = "一、情况\n二、附件" }
[rule.params]
heading = ["附件"]
"""


def test_checklist_of_a_rule_set_with_other_parts(lint: Lint, tmp_path: Path) -> None:
    """A section rule of one's own is a part of the checklist, named by its summary when it
    declares no part_name; a part rule that stays silent (suppressed) is neither found nor missing."""
    (tmp_path / "annex.toml").write_text(SECTION_RULE, encoding="utf-8")
    ruleset = load_rules([tmp_path], use_cache=False)
    text = "青山县2023年法治政府建设年度报告\n一、主要举措和成效\n正文。\n"
    result = lint_text("r.txt", text, ruleset, Options(select=("S101", "X801")))
    assert read(_render([result], ruleset)).parts["r1"] == [
        ("found", "✓主要举措和成效一、主要举措和成效", "#r1-L2"),
        ("missing", "✗缺少“附件”部分缺失 X801", ""),
    ]
    disabled = "<!-- govlint-disable-file X801 -- 无附件 -->\n" + text
    silenced = lint_text("r.md", disabled, ruleset, Options(select=("X801",)))
    assert read(_render([silenced], ruleset)).parts["r1"] == [("absent", "–缺少“附件”部分未找到(未检查)", "")]


def test_report_text_is_escaped_everywhere(lint: Lint, ruleset: RuleSet) -> None:
    result = lint(HOSTILE, path='<b>"x"</b>&.txt')
    hostile = "<img src=x onerror=alert(1)> </mark>"
    start = HOSTILE.index("<script>")
    result.diagnostics.append(
        Diagnostic(
            "X900",
            hostile,
            "error",
            hostile,
            result.path,
            Span(start, start + 8),
            (Label(Span(HOSTILE.index("</mark>"), HOSTILE.index("</mark>") + 7), hostile),),
            hostile,
            hostile,
        )
    )
    page_html = _render([result], ruleset)
    assert page_html.lower().count("<script") == 1  # the page's own
    assert "<img" not in page_html and "</mark></span></div>" not in page_html and '<b>"x"' not in page_html
    assert "&lt;script&gt;</mark>" in page_html and "document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page_html
    assert "{{ pvCount }}" in page_html  # no template engine: braces are plain text
    page = read(page_html)
    assert page.lines["r1-L2"] == HOSTILE.splitlines()[1]
    assert joined(page.marks[f"r1-d{len(result.diagnostics)}"]) == "<script>"
    assert len(page.scripts) == 1 and "pwned" not in page.scripts[0]  # no report text in the script


def test_control_characters_never_reach_the_page(ruleset: RuleSet) -> None:
    text = "甲\x00乙\x0b丙\x85丁\n"
    page_html = _render([FileResult("c.txt", SourceText(text), [_diag("X1", Span(0, 4))])], ruleset)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", page_html)
    assert read(page_html).lines["r1-L1"] == "甲\ufffd乙\ufffd丙\ufffd丁"


def test_overlapping_spans_nest_or_split(ruleset: RuleSet) -> None:
    result = _overlapping()
    page_html = _render([result], ruleset)
    page = read(page_html)  # asserts well-formed and no duplicate id
    expected = {
        "r1-d1": "甲乙丙丁戊己",
        "r1-d1-l1": "戊己庚辛",
        "r1-d2": "丁戊己庚辛壬",
        "r1-d3": "丙丁",
        "r1-d4": "甲乙丙丁戊己",
        "r1-d5": "",
        "r1-d6": "壬癸\n子丑寅",
        "r1-d6-l1": "巳午未",
        "r1-d7": "丑寅卯辰\n\n巳午",
    }
    assert {anchor: text for anchor, (text, _) in expected_marks([result]).items()} == expected
    assert {anchor: joined(pieces) for anchor, pieces in page.marks.items()} == expected
    assert [text for _, text in page.marks["r1-d2"]] == ["丁", "戊己", "庚辛壬"]  # split where X003, X001 end
    assert page.lines == {"r1-L1": OVERLAP[:10], "r1-L2": "子丑寅卯辰", "r1-L3": "", "r1-L4": "巳午未申酉戌亥"}
    assert 'id="r1-d8"' in page_html and "X008" in page_html  # the whole-file finding, as a card
    assert page_html.count('class="pc"') == 7  # one [CODE] print tag per located finding


def test_crossing_marks_are_closed_and_reopened() -> None:
    from checker.report.html import _Mark, _Piece

    a, b = _Mark("r1-d1", 1, None, "A1", "error"), _Mark("r1-d2", 2, None, "B2", "info")
    got = line_html("abcdef", [_Piece(0, 4, a, True, True), _Piece(2, 6, b, True, True)])
    anchor = 'id="{0}" tabindex="0" aria-describedby="{0}-card"'
    open_a = f'<mark class="m error" data-d="r1-d1" data-code="A1" {anchor.format("r1-d1")}>'
    open_b = f'<mark class="m info" data-d="r1-d2" data-code="B2" {anchor.format("r1-d2")}>'
    tag = '<span class="pc" data-code="{}"></span>'
    assert got == (
        f"{open_a}ab{open_b}cd</mark></mark>{tag.format('A1')}"
        f'<mark class="m info" data-d="r1-d2" data-code="B2">ef</mark>{tag.format("B2")}'
    )


def test_unreadable_file_has_no_text(ruleset: RuleSet) -> None:
    result = FileResult("gone.txt", None, [_diag("E001", None, severity="error")])
    page = read(_render([result], ruleset))
    assert page.lines == {} and page.index_rows == [("gone.txt", [1, 0, 0])]


def test_interface_language(lint: Lint, ruleset: RuleSet) -> None:
    result = _seed(lint, 0)
    zh, en = _render([result], ruleset), _render([result], ruleset, lang="en")
    assert '<html lang="zh-CN">' in zh and "必备部分" in zh and "Required parts" not in zh
    assert '<html lang="en">' in en and "Required parts" in en and "必备部分" not in en
    assert "修改建议" not in en and "line 3, column 4" in en


def test_output_is_deterministic_and_offline(lint: Lint, ruleset: RuleSet) -> None:
    results = [_seed(lint, i) for i in range(len(SEEDS))]
    first, second = _render(results, ruleset), _render(results, ruleset)
    assert first == second
    assert not re.search(r"(src|href)=\"(https?:)?//", first) and "@import" not in first and "url(" not in first


def test_snapshot_seed_003(lint: Lint, ruleset: RuleSet, file_regression: FileRegressionFixture) -> None:
    file_regression.check(_render([_seed(lint, 3)], ruleset), extension=".html")


def test_cli_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    assert main(["--format", "html", "-o", str(out), str(ROOT / "seeds")]) == 1
    page = read(out.read_text(encoding="utf-8"))
    assert len(page.index_rows) == len(SEEDS)


# --------------------------------------------------------------------------- in a real browser


def _chromium() -> str | None:
    for name in (os.environ.get("GOVLINT_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and (found := shutil.which(name)):
            return found
    return None


CHROMIUM = _chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium binary found (chromium, chromium-browser, google-chrome or $GOVLINT_CHROMIUM); "
    "on Debian: apt-get install -y chromium",
)

# Injected into a copy of the page: what the browser itself made of each mark, after
# hovering one and following a sidebar link, written into the DOM for --dump-dom.
PROBE = """<script>
addEventListener("load", () => {
  const marks = {};
  for (const m of document.querySelectorAll("mark.m")) {
    const anchor = m.dataset.d + (m.dataset.label ? "-l" + m.dataset.label : "");
    const r = m.getBoundingClientRect();
    (marks[anchor] ||= []).push([m.closest(".ln").id, m.textContent, r.width > 0 && r.height > 0]);
  }
  const mark = document.getElementById("r1-d1");
  mark.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
  const pop = document.getElementById("pop");
  const popup = pop.hidden ? "" : pop.textContent;
  document.querySelector('.finds a[href="#r1-d2"]').click();
  setTimeout(() => {
    const active = [...document.querySelectorAll(".active")].map((e) => e.tagName + "#" + (e.dataset.d || ""));
    const out = document.createElement("pre");
    out.id = "probe";
    out.textContent = JSON.stringify({marks, popup, active, title: document.title, hash: location.hash});
    document.body.append(out);
  }, 200);
});
</script>"""


def _chromium_run(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_chromium
def test_marks_in_chromium_match_the_json_spans(lint: Lint, ruleset: RuleSet) -> None:
    results = [_seed(lint, i) for i in range(len(SEEDS))] + [lint(HOSTILE, path="hostile.txt"), _overlapping()]
    page_html = _render(results, ruleset)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "review.html").write_text(page_html, encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="govlint-chromium-") as tmp:
        probed = Path(tmp) / "probed.html"
        probed.write_text(page_html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
        proc = _chromium_run("--dump-dom", probed.as_uri(), profile=Path(tmp) / "profile")
    found = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout, re.S)
    assert found, f"no probe output; chromium said: {proc.stderr[-2000:]}"
    probe = json.loads(html.unescape(found.group(1)))

    assert probe["title"].startswith("govlint")  # neither <script> nor onerror in the report ran
    expected = expected_marks(results)
    assert set(probe["marks"]) == set(expected)  # no mark missing, none extra
    for anchor, (text, line) in expected.items():
        pieces = probe["marks"][anchor]
        assert joined([(where, piece) for where, piece, _ in pieces]) == text, anchor
        assert pieces[0][0] == f"{anchor.split('-')[0]}-L{line}", anchor
        assert all(visible for _, piece, visible in pieces if piece), f"{anchor} is not visible"
    assert "D302" in probe["popup"] and "发布日期为2022年11月28日" in probe["popup"]
    assert probe["hash"] == "#r1-d2"
    assert {"MARK#r1-d2", "A#r1-d2", "DIV#r1-d2"} <= set(probe["active"])


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@needs_chromium
def test_screenshot(lint: Lint, ruleset: RuleSet) -> None:
    """A picture of the page to judge by eye, kept in tests/artifacts/ (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "review-seeds.html"
    page.write_text(_render([_seed(lint, i) for i in range(len(SEEDS))], ruleset), encoding="utf-8")
    shot = ARTIFACTS / "review-seeds.png"
    shot.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="govlint-chromium-") as tmp:
        proc = _chromium_run(f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri(), profile=Path(tmp))
    assert shot.exists(), proc.stderr[-2000:]
    assert _png_size(shot) == (1280, 2000)
