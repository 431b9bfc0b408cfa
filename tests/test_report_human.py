"""Tests for the human-readable report (checker.report.human)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pytest
from pytest_regressions.file_regression import FileRegressionFixture
from rich.cells import cell_len

from checker.model import Diagnostic, FileResult, Label, Severity, SourceText, Span
from checker.report.human import render_human
from checker.report.summary import summary_line

PATH = "demo/2023年度报告.txt"

TEXT = (
    "某市法治政府建设年度报告(二〇二三年)\n"
    "一、主要举措和成效\n"
    "2023年,我市坚持“依法行政”(Rule of Law),推进「放管服」改革:办理复议案件 12 件,纠错率 8.5%。\n"
    "二、存在的不足\n"
    "个别部门执法不规范。\n"
)


def diag(
    code: str,
    message: str,
    span: Span | None,
    *,
    severity: Severity = "warning",
    labels: tuple[Label, ...] = (),
    help: str | None = None,
    note: str | None = None,
) -> Diagnostic:
    return Diagnostic(code, code.lower(), severity, message, PATH, span, labels, help, note)


def span_of(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle))


def render(
    results: Sequence[FileResult],
    *,
    color: bool = False,
    lang: Literal["zh", "en"] = "zh",
    show_summary: bool = False,
) -> str:
    out = io.StringIO()
    render_human(results, out, color=color, lang=lang, show_summary=show_summary)
    return out.getvalue()


def render_one(text: str, *diagnostics: Diagnostic, lang: Literal["zh", "en"] = "zh") -> list[str]:
    """Render one file's diagnostics without the summary, as lines."""
    return render([FileResult(PATH, SourceText(text), list(diagnostics))], lang=lang).splitlines()


def code_line(lines: list[str], line_no: int) -> int:
    """Index of the code frame line showing source line ``line_no``."""
    prefix = re.compile(rf"^ *{line_no} \| ")
    return next(i for i, line in enumerate(lines) if prefix.match(line))


def assert_marked(code: str, marker: str, shown: str, char: str) -> None:
    """``shown`` (as it appears in the code line) is underlined with exactly ``char``s."""
    col = cell_len(code[: code.index(shown)])
    width = cell_len(shown)
    assert marker[col - 1] == " ", (code, marker)
    assert marker[col : col + width] == char * width, (code, marker)
    assert marker[col + width : col + width + 1] in ("", " "), (code, marker)


# --------------------------------------------------------------------------- frame basics


def test_header_location_and_frame() -> None:
    span = span_of(TEXT, "推进「放管服」改革")
    lines = render_one(TEXT, diag("W101", "表述不规范", span, help="改为“深化放管服改革”", note="见通知"))
    assert lines == [
        "warning[W101]: 表述不规范",
        " --> demo/2023年度报告.txt:3:31",
        "  |",
        "3 | 2023年,我市坚持“依法行政”(Rule of Law),推进「放管服」改革:办理复议案件 12 件,纠错率 8.5%。",
        "  |" + " " * (1 + 39) + "^" * 18,  # 39 cells of text before the span
        "  |",
        "  = help: 改为“深化放管服改革”",
        "  = note: 见通知",
        "",
    ]


@pytest.mark.parametrize(
    "needle",
    ["2023年", "我市", "“依法行政”", "Rule of Law", "「放管服」", "12 件", "8.5%。", "纠错率 8.5%"],
)
def test_carets_line_up_under_mixed_width_text(needle: str) -> None:
    lines = render_one(TEXT, diag("W101", "m", span_of(TEXT, needle)))
    i = code_line(lines, 3)
    assert_marked(lines[i], lines[i + 1], needle, "^")
    assert lines[i + 1].count("^") == cell_len(needle)


def test_tabs_are_expanded_in_text_and_markers_alike() -> None:
    text = "目录\n\t一、\t主要举措\t成效\n"
    lines = render_one(text, diag("W101", "m", span_of(text, "主要举措")))
    i = code_line(lines, 2)
    assert "\t" not in lines[i] and "\t" not in lines[i + 1]
    assert_marked(lines[i], lines[i + 1], "主要举措", "^")


def test_control_characters_are_visible_and_keep_alignment() -> None:
    text = "第一段\r落实\x1b责任制。\n"
    lines = render_one(text, diag("W101", "m", span_of(text, "责任制")))
    i = code_line(lines, 1)
    assert "\x1b" not in "".join(lines) and "\r" not in "".join(lines)
    assert_marked(lines[i], lines[i + 1], "责任制", "^")


def test_empty_span_gets_one_caret() -> None:
    offset = TEXT.index("改革")
    empty = Span(offset, offset)
    lines = render_one(TEXT, diag("W101", "m", empty, labels=(Label(empty, "此处缺少内容"),)))
    i = code_line(lines, 3)
    col = cell_len(lines[i][: lines[i].index("改革")])
    assert lines[i + 1] == "  |" + " " * (col - 3) + "^ 此处缺少内容"


def test_primary_span_uses_label_message_after_carets() -> None:
    span = span_of(TEXT, "纠错率")
    lines = render_one(TEXT, diag("W101", "m", span, labels=(Label(span, "指标口径不明"),)))
    i = code_line(lines, 3)
    assert lines[i + 1].endswith("^^^^^^ 指标口径不明")
    assert "-" not in lines[i + 1]


# --------------------------------------------------------------------------- long lines


SENTENCE = "坚持以习近平新时代中国特色社会主义思想为指导,深入推进依法行政(第 3 项)。"
LONG = SENTENCE * 40  # one paragraph of about 1600 characters, as in real reports
LONG_TEXT = f"标题\n{LONG}\n"


def shown_text(code: str) -> str:
    return code.split(" | ", 1)[1]


def test_long_line_shows_a_window_around_the_span() -> None:
    needle = "深入推进依法行政"
    span = span_of(LONG_TEXT, needle, nth=20)
    lines = render_one(LONG_TEXT, diag("W101", "m", span))
    i = code_line(lines, 2)
    shown = shown_text(lines[i])
    assert shown.startswith("…") and shown.endswith("…")
    assert cell_len(shown) <= 102  # the window plus two ellipses
    assert_marked(lines[i], lines[i + 1], needle, "^")
    # The window really is around the 21st occurrence: 40 cells of context at most before it.
    assert 0 < cell_len(shown[: shown.index(needle)]) <= 41
    assert lines[1].endswith(f":2:{span.start - LONG_TEXT.index(LONG) + 1}")


def test_long_line_span_at_line_start_elides_only_the_end() -> None:
    lines = render_one(LONG_TEXT, diag("W101", "m", Span(3, 5)))
    i = code_line(lines, 2)
    shown = shown_text(lines[i])
    assert shown.startswith("坚持") and shown.endswith("…")
    assert lines[i + 1] == "  | ^^^^"


def test_long_line_span_at_line_end_uses_the_budget_before_it() -> None:
    span = Span(len(LONG_TEXT) - 3, len(LONG_TEXT) - 1)  # the closing "。" and the ")"
    lines = render_one(LONG_TEXT, diag("W101", "m", span))
    i = code_line(lines, 2)
    shown = shown_text(lines[i])
    assert shown.startswith("…") and shown.endswith("项)。")
    assert 95 <= cell_len(shown) <= 101
    assert lines[i + 1].endswith("^^^")  # ")" is one cell, "。" two


def test_span_longer_than_the_window_is_marked_to_the_window_edge() -> None:
    start = LONG_TEXT.index(LONG) + len(SENTENCE) * 10
    span = Span(start, start + len(SENTENCE) * 5)
    lines = render_one(LONG_TEXT, diag("W101", "m", span, labels=(Label(span, "太长"),)))
    i = code_line(lines, 2)
    shown = shown_text(lines[i])
    assert shown.startswith("…") and shown.endswith("…")
    carets = re.search(r"\^+", lines[i + 1])
    assert carets is not None
    assert carets.start() == cell_len(lines[i][: lines[i].index(SENTENCE)])  # the span starts a sentence
    assert carets.end() == cell_len(lines[i]) - 1  # up to the trailing ellipsis
    assert lines[i + 1].endswith(" 太长")


def test_far_apart_marks_on_one_long_line_get_a_window_each() -> None:
    first = span_of(LONG_TEXT, "依法行政", nth=2)
    second = span_of(LONG_TEXT, "依法行政", nth=30)
    lines = render_one(LONG_TEXT, diag("W101", "m", first, labels=(Label(second, "又一处"),)))
    windows = [i for i, line in enumerate(lines) if line.startswith("2 | ")]
    assert len(windows) == 2
    for i, char in zip(windows, "^-", strict=True):
        assert_marked(lines[i], lines[i + 1], "依法行政", char)
    assert lines[windows[1] + 1].endswith(" 又一处")


# --------------------------------------------------------------------------- labels, lines


class _NoWholeLines(SourceText):
    """A source that refuses to hand out a whole line: a frame must take only an excerpt."""

    def line_text(self, line: int) -> str:
        raise AssertionError(f"the whole of line {line} was read")


def test_a_frame_on_a_huge_line_reads_only_an_excerpt_of_it() -> None:
    # One finding per chrome word on a line of a million characters: reading the whole line
    # for each finding made the output quadratic (20 000 findings never finished).
    line = ("浏览量" + "推进" * 20) * 23_000
    text = "报告\n" + line + "\n"
    spans = [span_of(text, "浏览量", nth=n) for n in (0, 11_000, 22_999)]
    lines = render([FileResult(PATH, _NoWholeLines(text), [diag("T402", "m", s) for s in spans])]).splitlines()
    frames = [i for i, shown in enumerate(lines) if shown.startswith("2 | ")]
    assert len(frames) == 3
    for i in frames:
        assert cell_len(shown_text(lines[i])) <= 102
        assert_marked(lines[i], lines[i + 1], "浏览量", "^")
    assert shown_text(lines[frames[0]]).startswith("浏览量")  # the line's start: nothing elided before
    assert shown_text(lines[frames[2]]).endswith("…")


def test_a_sparse_source_gives_the_same_frame_as_the_whole_text() -> None:
    span = span_of(LONG_TEXT, "深入推进依法行政", nth=20)
    whole = FileResult(PATH, SourceText(LONG_TEXT), [diag("W101", "m", span)])
    assert render([whole.compact()]) == render([whole])


def test_labels_on_one_line_follow_rustc_layout() -> None:
    lines = render_one(
        TEXT,
        diag(
            "W102",
            "数据前后不一致",
            span_of(TEXT, "12 件"),
            labels=(Label(span_of(TEXT, "2023年"), "年份"), Label(span_of(TEXT, "8.5%"), "比例")),
        ),
    )
    i = code_line(lines, 3)
    code = lines[i]
    col_year = cell_len(code[: code.index("2023年")])
    col_count = cell_len(code[: code.index("12 件")])
    col_ratio = cell_len(code[: code.index("8.5%")])
    assert lines[i + 1 :] == [
        "  |"
        + " " * (col_year - 3)
        + "------"
        + " " * (col_count - col_year - 6)
        + "^^^^^"
        + " " * (col_ratio - col_count - 5)
        + "---- 比例",
        "  |" + " " * (col_year - 3) + "|",
        "  |" + " " * (col_year - 3) + "年份",
        "",
    ]


def test_overlapping_labels_get_their_own_row() -> None:
    span = span_of(TEXT, "“依法行政”")
    lines = render_one(
        TEXT,
        diag("W102", "m", span, labels=(Label(span_of(TEXT, "依法"), "重叠"), Label(span, "主"))),
    )
    i = code_line(lines, 3)
    assert_marked(lines[i], lines[i + 1], "“依法行政”", "^")
    assert lines[i + 1].endswith(" 主")
    assert_marked(lines[i], lines[i + 2], "依法", "-")
    assert lines[i + 2].endswith(" 重叠")


def test_labels_on_other_lines_are_shown_in_line_order() -> None:
    text = "".join(f"第{n}行内容。\n" for n in range(1, 13))
    lines = render_one(
        text,
        diag(
            "W103",
            "m",
            span_of(text, "第12行"),
            labels=(Label(span_of(text, "第9行"), "先出现"), Label(span_of(text, "第8行"), "相邻")),
        ),
    )
    assert lines[1] == "  --> demo/2023年度报告.txt:12:1"
    assert lines[2:] == [
        "   |",
        " 8 | 第8行内容。",
        "   | ----- 相邻",
        " 9 | 第9行内容。",
        "   | ----- 先出现",
        "...",
        "12 | 第12行内容。",
        "   | ^^^^^^",
        "",
    ]


@pytest.mark.parametrize(("lang", "note"), [("zh", "(延续至第 4 行)"), ("en", "(continues to line 4)")])
def test_multi_line_span_is_marked_to_the_end_of_its_first_line(lang: Literal["zh", "en"], note: str) -> None:
    span = Span(TEXT.index("主要举措"), TEXT.index("存在"))
    lines = render_one(TEXT, diag("W104", "m", span), lang=lang)
    i = code_line(lines, 2)
    assert lines[i] == "2 | 一、主要举措和成效"
    assert lines[i + 1] == "  |     " + "^" * cell_len("主要举措和成效") + " " + note
    assert not any(line.startswith(("3 |", "4 |")) for line in lines)


def test_span_ending_with_a_newline_is_a_single_line_span() -> None:
    start = TEXT.index("个别部门")
    lines = render_one(TEXT, diag("W104", "m", Span(start, len(TEXT))))
    assert lines[4].endswith("^" * cell_len("个别部门执法不规范。"))


# --------------------------------------------------------------------------- whole-file, order


def test_whole_file_diagnostic_has_no_frame() -> None:
    lines = render_one(
        TEXT,
        diag(
            "S103",
            "缺少“党政主要负责人履行推进法治建设第一责任人职责情况”部分",
            None,
            severity="error",
            help="增加一个部分\n标题如“二、……”",
            note="见《法治政府建设与责任落实督察工作规定》第二十五条",
        ),
    )
    assert lines == [
        "error[S103]: 缺少“党政主要负责人履行推进法治建设第一责任人职责情况”部分",
        " --> demo/2023年度报告.txt",
        "  = help: 增加一个部分",
        "          标题如“二、……”",
        "  = note: 见《法治政府建设与责任落实督察工作规定》第二十五条",
        "",
    ]


def test_unreadable_file_prints_path_only_and_counts_as_error() -> None:
    unreadable = FileResult(
        "gone.txt", None, [Diagnostic("E001", "io", "warning", "无法读取文件", "gone.txt", None)]
    )
    out = render([unreadable], show_summary=True, lang="en")
    assert out == "warning[E001]: 无法读取文件\n --> gone.txt\n\n1 error in 1 file\n"


def test_diagnostics_are_sorted_whole_file_first_then_by_offset_and_code() -> None:
    later, earlier = span_of(TEXT, "个别部门"), span_of(TEXT, "我市")
    lines = render_one(
        TEXT,
        diag("W2", "d", later),
        diag("W9", "c", earlier),
        diag("W1", "b", earlier),
        diag("S1", "a", None),
    )
    headers = [line for line in lines if line.startswith("warning[")]
    assert headers == ["warning[S1]: a", "warning[W1]: b", "warning[W9]: c", "warning[W2]: d"]


# --------------------------------------------------------------------------- summary


def results_with(*severities: Severity, files: int = 1) -> list[FileResult]:
    first = FileResult("a.txt", SourceText(""), [diag("X1", "m", None, severity=s) for s in severities])
    return [first] + [FileResult(f"{n}.txt", SourceText(""), []) for n in range(1, files)]


@pytest.mark.parametrize(
    ("severities", "files", "zh", "en"),
    [
        (
            ("error",) * 4 + ("warning",) * 7 + ("info",),
            5,
            "共发现 4 个错误、7 个警告、1 条提示(5 个文件)",
            "4 errors, 7 warnings, 1 info in 5 files",
        ),
        (("error", "warning"), 1, "共发现 1 个错误、1 个警告(1 个文件)", "1 error, 1 warning in 1 file"),
        (("info", "info"), 2, "共发现 2 条提示(2 个文件)", "2 info in 2 files"),
        ((), 5, "未发现问题(5 个文件)", "All checks passed (5 files)"),
        ((), 1, "未发现问题(1 个文件)", "All checks passed (1 file)"),
    ],
)
def test_summary_line(severities: tuple[Severity, ...], files: int, zh: str, en: str) -> None:
    results = results_with(*severities, files=files)
    assert summary_line(results, "zh") == zh
    assert summary_line(results, "en") == en


def test_summary_is_printed_last_unless_disabled() -> None:
    results = [FileResult(PATH, SourceText(TEXT), [diag("W101", "m", span_of(TEXT, "我市"))])]
    assert render(results, show_summary=True).endswith("\n\n共发现 1 个警告(1 个文件)\n")
    assert "共发现" not in render(results, show_summary=False)
    assert render([], show_summary=True, lang="en") == "All checks passed (0 files)\n"


# --------------------------------------------------------------------------- colour, markup


def test_plain_output_has_no_escape_codes_and_no_wrapping() -> None:
    results = [FileResult(PATH, SourceText(LONG_TEXT), [diag("W101", "很长的消息" * 40, Span(3, 300))])]
    out = render(results, show_summary=True)
    assert "\x1b" not in out
    assert out.splitlines()[0] == "warning[W101]: " + "很长的消息" * 40


def test_color_output_has_escape_codes() -> None:
    results = [
        FileResult(PATH, SourceText(TEXT), [diag("E101", "m", span_of(TEXT, "我市"), severity="error")])
    ]
    out = render(results, color=True, show_summary=True)
    assert "\x1b[1;31merror[E101]" in out
    assert re.sub(r"\x1b\[[0-9;]*m", "", out) == render(results, show_summary=True)


def test_markup_like_text_is_printed_literally() -> None:
    text = "字体:[ ] 【大 中 小】 [bold]重要[/bold] [red]\n"
    span = span_of(text, "[bold]重要[/bold]")
    for color in (False, True):
        out = render(
            [
                FileResult(
                    PATH,
                    SourceText(text),
                    [
                        diag(
                            "W1",
                            "含 [bold]x[/bold] 标记",
                            span,
                            labels=(Label(span_of(text, "[ ]"), "[red]"),),
                            help="删除 [/] 与 :smile:",
                        )
                    ],
                )
            ],
            color=color,
        )
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert "含 [bold]x[/bold] 标记" in plain
        assert "1 | 字体:[ ] 【大 中 小】 [bold]重要[/bold] [red]" in plain
        assert re.search(r"^  \|      \[red\]$", plain, re.M)  # hangs below its "---"
        assert "= help: 删除 [/] 与 :smile:" in plain


def test_plain_output_does_not_import_rich_console_or_text() -> None:
    """Without colour (pre-commit hooks, CI) only ``rich.cells`` is needed: rich's Console
    and Text are most of a cold start's rendering cost."""
    code = textwrap.dedent(
        f"""
        import io, sys
        from checker.model import Diagnostic, FileResult, Label, SourceText, Span
        from checker.report.human import render_human

        text = {TEXT!r}
        start = text.index("我市")
        span = Span(start, start + 2)
        found = Diagnostic("W101", "w101", "warning", "m", "a.txt", span, (Label(span, "标签"),), "帮助", "注")
        out = io.StringIO()
        render_human([FileResult("a.txt", SourceText(text), [found])], out, color=False)
        assert "^^^^ 标签" in out.getvalue(), out.getvalue()
        print(sorted(name for name in ("rich.console", "rich.text") if name in sys.modules))
        """
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --------------------------------------------------------------------------- snapshot


def test_full_rendering_snapshot(file_regression: FileRegressionFixture) -> None:
    text = (
        "XX县2023年度法治政府建设情况报告\n"
        "\n"
        "一、主要举措和成效\n"
        "(一)深入学习贯彻习近平法治思想。县政府常务会议会前学法 12 次,组织领导干部旁听庭审 3 场。\n"
        "(二)严格规范公正文明执法。全年办理行政复议案件 25 件,其中撤销 2 件、确认违法 1 件,纠错率 20%。\n"
        "二、存在的不足和原因\n"
        "个别部门行政执法“三项制度”落实不到位。\n"
        "XX县人民政府\n"
        "2023年1月15日\n"
    )
    diagnostics = [
        diag(
            "S103",
            "缺少“党政主要负责人履行推进法治建设第一责任人职责情况”部分",
            None,
            severity="error",
            help="增加一个部分,标题如“二、党政主要负责人履行推进法治建设第一责任人职责情况”",
        ),
        diag(
            "N201",
            "纠错率与案件数不符",
            span_of(text, "纠错率 20%"),
            severity="warning",
            labels=(
                Label(span_of(text, "25 件"), "共 25 件"),
                Label(span_of(text, "2 件、确认违法 1 件"), "纠错 3 件"),
                Label(span_of(text, "纠错率 20%"), "3 / 25 = 12%"),
            ),
            help="核对数字:3 / 25 = 12%",
        ),
        diag(
            "D301",
            "成文日期早于报告年度结束",
            span_of(text, "2023年1月15日"),
            severity="info",
            labels=(Label(span_of(text, "2023年度"), "报告年度"),),
            note="年度报告应在次年 3 月 1 日前公开",
        ),
    ]
    file_regression.check(
        render([FileResult(PATH, SourceText(text), diagnostics)], show_summary=True),
        extension=".txt",
    )
