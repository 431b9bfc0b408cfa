"""Suppression comments in Markdown and HTML: each form, G001 (no reason), G002 (unused),
G003 (unknown code or directive), and comments that never become findings themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine import lint_path
from checker.load import SourceComment
from checker.model import Diagnostic, FileResult
from checker.ruleset import RuleSet
from checker.selection import Options
from checker.suppress import from_html
from test_config import CLEAN

CHROME = "浏览量:25"  # T402 on a line of its own


def codes(result: FileResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def only(result: FileResult, code: str) -> Diagnostic:
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, [(d.code, d.message) for d in result.diagnostics]
    return found[0]


def line_of(result: FileResult, diagnostic: Diagnostic) -> int:
    assert result.source is not None and diagnostic.span is not None
    return result.source.position(diagnostic.span.start).line


def report(*middle: str) -> str:
    """The clean report with ``middle`` lines inserted after its opening paragraph."""
    title, opening, rest = CLEAN.split("\n", 2)
    return "\n".join((title, opening, *middle, rest))


def test_clean_report_has_no_findings(lint) -> None:
    assert codes(lint(report(), path="r.md")) == []
    assert codes(lint(report(CHROME), path="r.md")) == ["T402"]


# --------------------------------------------------------------------------- the forms


def test_disable_next_line(lint) -> None:
    text = report("<!-- govlint-disable-next-line T402 -- 转载页面保留 -->", "", CHROME)
    assert codes(lint(text, path="r.md")) == []  # blank lines are skipped
    # The line after the next one is not covered. (T402 merges adjacent chrome lines
    # into one finding: keep them apart.)
    text = report("<!-- govlint-disable-next-line T402 -- 转载页面保留 -->", CHROME, "正文。", CHROME)
    result = lint(text, path="r.md")
    assert codes(result) == ["T402"]
    assert line_of(result, only(result, "T402")) == 6


def test_stacked_comments_all_reach_the_next_text_line(lint) -> None:
    text = report(
        "<!-- govlint-disable-next-line T402 -- 转载页面 -->",
        "<!-- govlint-disable-next-line T401 -- 模板示例 -->",
        CHROME + "{{ n }}",
    )
    assert codes(lint(text, path="r.md")) == []


def test_disable_enable_range(lint) -> None:
    text = report(
        "<!-- govlint-disable T402 -- 附录为网页原文 -->",
        CHROME, "正文。", "扫一扫",
        "<!-- govlint-enable T402 -->",
        "正文。",
        CHROME,
    )
    result = lint(text, path="r.md")
    assert codes(result) == ["T402"]
    assert line_of(result, result.diagnostics[0]) == 9  # the chrome line after the enable


def test_unterminated_disable_runs_to_the_end(lint) -> None:
    text = report("<!-- govlint-disable T -- 附录 -->", CHROME, "正文。", "{{ n }}")
    assert codes(lint(text, path="r.md")) == []


def test_enable_closes_only_its_codes(lint) -> None:
    text = report(
        "<!-- govlint-disable T401, T402 -- 附录 -->",
        "{{ a }}",
        "<!-- govlint-enable T401 -->",
        "正文。",
        CHROME,
        "{{ b }}",
    )
    assert codes(lint(text, path="r.md")) == ["T401"]


def test_disable_file_also_covers_whole_file_findings(lint) -> None:
    text = report(CHROME).replace("二、存在的不足和原因", "二、其他")  # S102: no span
    assert "S102" in codes(lint(text, path="r.md"))
    assert codes(lint("<!-- govlint-disable-file S102, T402 -- 节选 -->\n" + text, path="r.md")) == []


def test_next_line_and_ranges_never_cover_whole_file_findings(lint) -> None:
    text = report().replace("二、存在的不足和原因", "二、其他")
    text = "<!-- govlint-disable S102 -- 节选 -->\n<!-- govlint-disable-next-line S102 -- 节选 -->\n" + text
    result = lint(text, path="r.md")
    assert "S102" in codes(result)
    assert len([d for d in result.diagnostics if d.code == "G002"]) == 2


def test_codes_space_or_comma_separated_and_prefixes(lint) -> None:
    for codes_text in ("T401 T402", "T401,T402", "t40", "T"):
        text = report(f"<!-- govlint-disable-next-line {codes_text} -- 示例 -->", CHROME + "{{ n }}")
        assert codes(lint(text, path="r.md")) == [], codes_text


def test_no_code_means_every_code(lint) -> None:
    text = report("<!-- govlint-disable-next-line -- 示例 -->", CHROME + "{{ n }}")
    assert codes(lint(text, path="r.md")) == []


# --------------------------------------------------------------------------- G001 G002 G003


def test_suppression_without_reason_is_g001_and_still_applies(lint) -> None:
    comment = "<!-- govlint-disable-next-line T402 -->"
    text = report(comment, CHROME)
    g001 = only(lint(text, path="r.md"), "G001")
    assert codes(lint(text, path="r.md")) == ["G001"]
    assert g001.severity == "warning" and g001.span is not None
    assert text[g001.span.start : g001.span.end] == comment
    assert "govlint-disable-next-line T402" in g001.message
    for no_reason in ("T402 --", "T402 -- ", "T402 --> x"):
        assert "G001" in codes(lint(report(f"<!-- govlint-disable-next-line {no_reason} -->", CHROME), path="r.md"))


def test_enable_needs_no_reason(lint) -> None:
    text = report("<!-- govlint-disable T402 -- 附录 -->", CHROME, "<!-- govlint-enable T402 -->")
    assert codes(lint(text, path="r.md")) == []


def test_unused_suppression_is_g002_at_the_comment(lint) -> None:
    comment = "<!-- govlint-disable-next-line T402, T401 -- 转载 -->"
    text = report(comment, CHROME)
    result = lint(text, path="r.md")
    g002 = only(result, "G002")
    assert codes(result) == ["G002"]
    assert g002.span is not None and text[g002.span.start : g002.span.end] == comment
    assert "T401" in g002.message and "T402" not in g002.message


def test_unused_range_and_enable_without_disable(lint) -> None:
    text = report(
        "<!-- govlint-disable T402 -- 附录 -->",
        "正文。",
        "<!-- govlint-enable T402 -->",
        "<!-- govlint-enable T401 -->",
    )
    assert codes(lint(text, path="r.md")) == ["G002", "G002"]


def test_redundant_broader_suppression_is_the_unused_one(lint) -> None:
    text = report("<!-- govlint-disable-next-line T402 -- 转载 -->", CHROME)
    text = "<!-- govlint-disable-file T402 -- 转载 -->\n" + text
    result = lint(text, path="r.md")
    assert codes(result) == ["G002"]
    assert line_of(result, result.diagnostics[0]) == 1


def test_the_innermost_open_range_is_the_used_one(lint) -> None:
    text = report(
        "<!-- govlint-disable T402 -- 外层 -->",
        "<!-- govlint-disable T4 -- 已关闭 -->",
        "<!-- govlint-enable T4 -->",
        "<!-- govlint-disable T402 -- 内层 -->",
        CHROME,
        "<!-- govlint-enable T402 -->",
    )
    result = lint(text, path="r.md")
    assert codes(result) == ["G002", "G002"]  # the outer range and the one closed before the chrome
    assert [line_of(result, d) for d in result.diagnostics] == [3, 4]


def test_unused_is_judged_only_for_rules_that_ran(lint) -> None:
    text = report("<!-- govlint-disable-next-line N201, T402 -- 含上年结转 -->", "正文。")
    assert codes(lint(text, path="r.md", select=("S",))) == []
    assert codes(lint(text, path="r.md", select=("T", "G"))) == ["G002"]


def test_unknown_code_is_g003_not_g002(lint) -> None:
    text = report("<!-- govlint-disable-next-line T4020 含上年结转 -- 说明 -->", CHROME)
    result = lint(text, path="r.md")
    g003 = only(result, "G003")
    assert sorted(codes(result)) == ["G003", "T402"]
    assert "T4020" in g003.message and "含上年结转" in g003.message


def test_unknown_directive_is_g003(lint) -> None:
    result = lint(report("<!-- govlint-disble T402 -- 转载 -->", CHROME), path="r.md")
    assert sorted(codes(result)) == ["G003", "T402"]
    assert "govlint-disble" in only(result, "G003").message


def test_g_codes_follow_selection_and_severity(lint) -> None:
    text = report("<!-- govlint-disable-next-line T402 -->", CHROME, "<!-- govlint-enable T401 -->")
    assert codes(lint(text, path="r.md", ignore=("G",))) == []
    result = lint(text, path="r.md", severity=(("G001", "error"), ("G002", "off")))
    assert [(d.code, d.severity) for d in result.diagnostics] == [("G001", "error")]


def test_english_messages(lint) -> None:
    result = lint(report("<!-- govlint-disable-next-line X999 -- r -->"), path="r.md", lang="en")
    assert only(result, "G003").message == "invalid suppression: unknown code X999"


# --------------------------------------------------------------------------- the comment itself


def test_comment_line_produces_no_other_finding(lint) -> None:
    # Entities, chrome words, placeholders and years inside a comment are not report text.
    comment = "<!-- govlint-disable-next-line T402 -- 浏览量&nbsp;分享 {{ x }} 2019年 XX县 -->"
    text = comment + "\n" + report()
    assert codes(lint(text, path="r.md")) == ["G002"]  # and the title is still found on line 2
    text = "<!-- govlint-disable-file T4 -- 节选 浏览量 -->\n" + report()
    assert codes(lint(text, path="r.md", select=("S", "D", "T", "G"))) == ["G002"]


def test_multiline_comment_is_blanked_and_keeps_line_numbers(lint) -> None:
    text = "<!-- govlint-disable-file T401\n  -- 模板 {{ x }}\n-->\n" + report("{{ n }}")
    result = lint(text, path="r.md")
    assert codes(result) == []
    assert result.source is not None and result.source.text == text  # diagnostics show the original


def test_plain_text_has_no_comments(lint) -> None:
    text = report("<!-- govlint-disable-next-line T402 -- 转载 -->", CHROME)
    assert codes(lint(text, path="r.txt")) == ["T402"]


@pytest.mark.parametrize("code", ["G001", "G002", "G003"])
def test_shipped_examples(lint, ruleset: RuleSet, code: str) -> None:
    rule = ruleset.by_code[code]
    assert code in codes(lint(report(rule.example_fail), path="r.md")), "example.fail passes"
    assert code not in codes(lint(report(rule.example_pass), path="r.md")), "example.pass fails"


# --------------------------------------------------------------------------- HTML


PAGE = """<html><head><meta charset="utf-8"><title>x</title></head>
<body>
<div class="article-content">
<h1>青山县2023年法治政府建设年度报告</h1>
{comment1}
<p>2023年,我县坚持依法行政,全年审查规范性文件12件,办理行政复议案件30件。</p>
{comment2}
<p>浏览量:25</p>
<p>全年办理{{{{ n }}}}件。</p>
</div>
</body></html>
"""


def test_html_comments_map_through_the_loaders_line_labels(tmp_path: Path, ruleset: RuleSet) -> None:
    page = tmp_path / "page.html"
    options = Options(select=("T", "G"))
    page.write_text(PAGE.format(comment1="", comment2=""), encoding="utf-8")
    assert sorted(codes(lint_path(page, ruleset, options))) == ["T401", "T402"]
    page.write_text(
        PAGE.format(
            comment1="<!-- govlint-disable-file T401 -->",
            comment2="<!-- govlint-disable-next-line T402 -- 转载页面 -->",
        ),
        encoding="utf-8",
    )
    result = lint_path(page, ruleset, options)
    g001 = only(result, "G001")
    assert codes(result) == ["G001"]
    assert g001.span is None and "(L5)" in g001.message  # not in the article text: the page line


def test_html_next_line_misses_when_the_comment_is_elsewhere(tmp_path: Path, ruleset: RuleSet) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        PAGE.format(comment1="<!-- govlint-disable-next-line T402 -- 转载页面 -->", comment2=""), encoding="utf-8"
    )
    assert sorted(codes(lint_path(page, ruleset, Options(select=("T402", "G"))))) == ["G002", "T402"]


def test_html_directives_come_from_the_loaders_comments() -> None:
    """The page is not read again: the comments the loader returned are all there is. A
    comment over several lines scopes from its last line; other comments are no directives."""
    text = "标题\n浏览量:25\n正文。"
    comments = (
        SourceComment(2, " a CMS comment "),
        SourceComment(7, " govlint-disable-next-line T402\n -- 转载页面 "),
    )
    suppressions = from_html(comments, text, ("L3", "L9", "L10"))
    assert suppressions is not None
    [directive] = suppressions.directives
    assert (directive.action, directive.selectors, directive.reason) == ("disable-next-line", ("T402",), "转载页面")
    assert (directive.first_line, directive.last_line, directive.span) == (7, 8, None)
    assert suppressions.text_lines == [3, 9, 10]
    assert from_html(comments[:1], text, None) is None
