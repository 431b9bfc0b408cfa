"""The document model: title, report year, dates and their roles, headings, sentences."""

from __future__ import annotations

import datetime as dt

from checker.model import Document, SourceText
from checker.normalize import normalize
from checker.parse import parse, split_sentences
from conftest import SEEDS


def doc_of(text: str) -> Document:
    return parse("t.txt", SourceText(text), normalize(text))


def seed(prefix: str) -> Document:
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return doc_of(path.read_text(encoding="utf-8"))


def test_title_and_year_skip_page_chrome() -> None:
    doc = doc_of("今天是:2024年3月1日 星期五\n来源:县司法局 浏览量:12\n青山县2023年法治政府建设年度报告\n正文。\n")
    assert doc.title is not None and doc.title.text == "青山县2023年法治政府建设年度报告"
    assert doc.report_year == 2023



def test_a_page_clock_and_a_site_toolbar_are_not_the_report() -> None:
    """A clock line names a year that is not the report's; a toolbar line is no title."""
    doc = doc_of(
        "某市某区人民政府 2019年12月3日星期二\n\n无障碍 简体| 繁体\n\n"
        "某区2023年度法治政府建设情况报告\n2023年,我区坚持依法行政。\n"
    )
    assert doc.title is not None and doc.title.text == "某区2023年度法治政府建设情况报告"
    assert doc.report_year == 2023
    assert [p.text for p in doc.paragraphs] == ["2023年,我区坚持依法行政。"]
    # Without a title, the year comes from the opening sentence, not from the clock.
    untitled = doc_of("今天是2024年3月28日 星期四\n2022年,我县坚持依法行政。\n")
    assert untitled.report_year == 2022 and untitled.dates[0].role == "banner"
    # A sentence that names a weekday is body text.
    meeting = "2023年3月15日(星期三),县政府召开常务会议4次。"
    assert [p.text for p in doc_of(f"某县2023年法治政府建设年度报告\n{meeting}\n").paragraphs] == [meeting]


def test_no_title_year_from_opening_sentence() -> None:
    doc = seed("003")
    assert doc.title is None
    assert doc.report_year == 2023
    assert doc.report_year_span is not None
    assert doc.source.text[doc.report_year_span.start : doc.report_year_span.end] == "2023"


def test_seed_titles_and_years() -> None:
    assert seed("000").title.text == "湄洲岛2021年度法治政府建设工作总结"  # type: ignore[union-attr]
    assert seed("001").title.text == "金石镇2021年法治政府建设年度报告"  # type: ignore[union-attr]  # view: simplified, no pinyin
    assert seed("002").report_year == 2020
    assert seed("004").report_year == 2021


def test_date_roles() -> None:
    doc = doc_of(
        "今天是:2019年10月31日 星期三\n青山县2023年法治政府建设年度报告\n日期:2024年3月2日 来源:政府办\n"
        "2023年5月1日起施行新规定。\n青山县人民政府\n二〇二四年二月二十日\n"
    )
    roles = {(d.date, d.role) for d in doc.dates}
    assert roles == {
        (dt.date(2019, 10, 31), "banner"),
        (dt.date(2024, 3, 2), "publication"),
        (dt.date(2023, 5, 1), "other"),
        (dt.date(2024, 2, 20), "signature"),
    }


def test_seed_dates() -> None:
    def roles(name: str) -> list[tuple[str, str]]:
        return [(d.date.isoformat(), d.role) for d in seed(name).dates if d.role != "other"]

    assert roles("000") == [("2022-11-28", "publication")]
    assert roles("002") == [("2021-01-15", "publication")]
    assert roles("003") == [("2024-01-29", "signature")]
    assert roles("004") == [("2021-10-19", "publication")]


def test_heading_tree_levels_and_bodies() -> None:
    text = "一、甲部分\n(一)子项。一是做法,二是成效。\n1.细目\n(1)小项\n二、乙部分\n正文\n"
    doc = doc_of(text)
    top = doc.headings
    assert [(h.level, h.ordinal, h.text) for h in top] == [(1, 1, "甲部分"), (1, 2, "乙部分")]
    sub = top[0].children[0]
    assert (sub.level, sub.text, sub.runs_on) == (2, "子项", True)
    assert [(c.level, c.ordinal) for c in sub.children] == [(5, 1), (5, 2), (3, 1)]
    assert sub.children[2].children[0].level == 4
    body = top[0].body_span
    assert body is not None and text[body.end :].startswith("二、乙部分")


def test_full_width_and_traditional_headings() -> None:
    doc = doc_of("一、工作措施和成效\n（二）存在問題\n")
    assert doc.headings[0].children[0].text == "存在问题"
    marker = doc.headings[0].children[0].marker_span
    assert doc.source.text[marker.start : marker.end] == "（二）"


def test_seed_001_broken_headings_are_not_headings() -> None:
    doc = seed("001")
    texts = [h.text for h in doc.headings]
    assert texts == ["工作措施和成效", "存在问题", "下一步工作打算"]
    assert doc.headings[2].children == []  # (一)(二)(三) were eaten by mojibake


def test_sentences_respect_quotes_and_brackets() -> None:
    text = "他说:“好。很好。”然后离开。《条例(试行。)》已施行;完"
    parts = [text[s:e] for s, e in split_sentences(text)]
    assert parts == ["他说:“好。很好。”然后离开。", "《条例(试行。)》已施行;", "完"]


def test_chrome_lines_are_not_paragraphs() -> None:
    doc = seed("004")
    assert all("阅读:" not in p.text and "扫一扫" not in p.text for p in doc.paragraphs)


def test_a_derived_value_is_computed_once_per_document() -> None:
    doc = seed("003")
    calls: list[int] = []
    first = doc.derived("answer", lambda: calls.append(1) or 42)
    assert (first, doc.derived("answer", lambda: calls.append(1) or 0)) == (42, 42)
    assert calls == [1]


def test_line_of_is_the_line_of_the_position() -> None:
    source = SourceText("一\n二二\n\n三")
    for offset in range(-1, source.length() + 2):
        assert source.line_of(offset) == source.position(offset).line
        sparse = source.keep_lines({2})
        assert sparse.line_of(offset) == sparse.position(offset).line


def test_official_document_header_forms_the_title_block() -> None:
    doc = doc_of(
        "青府〔2025〕3号\n青山县人民政府\n关于2024年度法治政府建设情况的报告\n市人民政府:\n2024年,我县坚持依法行政。\n"
    )
    assert doc.title is not None and doc.title.text == "关于2024年度法治政府建设情况的报告"
    assert doc.report_year == 2024  # not 2025, the year of the 发文字号
    assert [(line.kind, line.line) for line in doc.title.lines] == [("document-number", 1), ("issuer", 2), ("title", 3)]
    assert doc.title.issuer() == "青山县人民政府"
    assert [p.line for p in doc.paragraphs] == [4, 5]  # the header is not body text


def test_two_line_titles() -> None:
    issuer_first = doc_of("青山县人民政府\n2022年度法治政府建设情况报告\n正文。\n")
    assert issuer_first.title is not None and issuer_first.title.text == "2022年度法治政府建设情况报告"
    assert issuer_first.title.issuer() == "青山县人民政府" and issuer_first.report_year == 2022
    split = doc_of("青山县2022年度\n法治政府建设情况报告\n正文。\n")
    assert split.title is not None and split.title.text == "青山县2022年度\n法治政府建设情况报告"
    assert [line.kind for line in split.title.lines] == ["title", "title"] and split.title.issuer() is None
    assert [p.text for p in split.paragraphs] == ["正文。"]


def test_title_from_a_metadata_row_and_below_breadcrumbs() -> None:
    row = doc_of("索引号:0012  标题:青山区2023年法治政府建设年度报告  发布日期:2024-03-20\n正文。\n")
    assert row.title is not None and row.title.text == "青山区2023年法治政府建设年度报告" and row.report_year == 2023
    shown = doc_of("标题:青山区2023年法治政府建设年度报告\n青山区2023年法治政府建设年度报告\n正文。\n")
    assert shown.title is not None and shown.title.line == 2 and [p.text for p in shown.paragraphs] == ["正文。"]
    crumbs = doc_of(
        "您当前的位置:首页 > 政务公开\n中国政府网 青山区人民政府网\n青山区2022年法治政府建设年度报告\n正文。\n"
    )
    assert crumbs.title is not None and crumbs.title.line == 3


def test_headings_joined_to_the_line_before() -> None:
    doc = doc_of(
        "2022年,我县坚持依法行政,现将有关情况报告如下:一、主要举措和成效 (一)强化组织领导。"
        "常务会议研究4次。二、存在的不足和原因 培训不足。\n"
    )
    assert [(h.marker, h.text, h.joined) for h in doc.all_headings()] == [
        ("一、", "主要举措和成效", True),
        ("(一)", "强化组织领导", True),
        ("二、", "存在的不足和原因", True),
    ]
    assert [p.text for p in doc.paragraphs] == [
        "2022年,我县坚持依法行政,现将有关情况报告如下:",
        "一、主要举措和成效",
        "(一)强化组织领导。常务会议研究4次。",
        "二、存在的不足和原因 培训不足。",
    ]
    assert doc.report_year == 2022  # the opening sentence, before the joined headings


def test_converter_marks_in_level_one_markers() -> None:
    doc = doc_of("一,、主要举措和成效\n二.存在的不足和原因\n")
    assert [(h.level, h.ordinal, h.marker, h.text) for h in doc.headings] == [
        (1, 1, "一,、", "主要举措和成效"),
        (1, 2, "二.", "存在的不足和原因"),
    ]
