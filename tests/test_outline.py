"""The outline a lint computes for outputs: title and parts, as the rules saw them."""

from __future__ import annotations

import pickle

from checker.model import FileResult, OutlinePart, Span

TEXT = "青山县2023年法治政府建设年度报告\n一、主要举措和成效\n全年办理{{ n }}件。\n二、存在的不足和原因\n"


def test_title_and_parts_of_the_section_rules_that_ran(lint) -> None:
    result = lint(TEXT, select=("S101", "S103", "T401"))
    assert result.outline is not None
    assert result.outline.title == "青山县2023年法治政府建设年度报告"
    assert result.outline.title_span == Span(0, 18)
    heading = TEXT.index("一、")
    assert result.outline.parts == (
        OutlinePart(
            "S101", "主要举措和成效", "Main measures and results", Span(heading, heading + 9), "一、主要举措和成效"
        ),
        OutlinePart(
            "S103", "党政主要负责人履行第一责任人职责", "Principal leaders' duties as first responsible persons",
            None, "",
        ),
    )
    assert result.outline.parts[0].name_in("en") == "Main measures and results"


def test_no_section_rule_no_parts(lint) -> None:
    result = lint("没有标题的一行字\n", select=("T",))
    assert result.outline is not None and (result.outline.title, result.outline.parts) == (None, ())
    assert result.outline.duties is None and result.outline.published is None


def test_markdown_comments_do_not_reach_the_outline_but_texts_are_original(lint) -> None:
    comment = "<!-- govlint-disable-file T401 -- 模板 -->"
    result = lint(comment + "\n" + TEXT, path="r.md", select=("S101",))
    assert result.outline is not None and result.outline.title == "青山县2023年法治政府建设年度报告"
    assert result.outline.parts[0].heading == "一、主要举措和成效"


def test_outline_survives_compact_and_pickling(lint) -> None:
    result = lint(TEXT)
    assert result.outline is not None
    kept = pickle.loads(pickle.dumps(result.compact()))
    assert isinstance(kept, FileResult) and kept.outline == result.outline
