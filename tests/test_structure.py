"""Structure findings that the rule cases cannot state: the note of a missing part."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.checks import structure
from checker.checks.structure import SectionParams
from checker.engine import analyse, lint_text
from checker.model import Document, Span
from checker.parse import sentence_ends
from checker.ruleset import RuleSet, load_rules
from checker.selection import Options
from conftest import SEEDS


def notes(text: str, code: str) -> list[str | None]:
    result = lint_text("report.txt", text, load_rules(), Options())
    return [d.note for d in result.diagnostics if d.code == code]


def test_missing_part_note_uses_the_report_year() -> None:
    text = "青山区2021年法治政府建设年度报告\n二、存在的不足和原因\n"
    assert notes(text, "S101") == ["本报告年度为2021年:标题可写作“一、2021年推进法治政府建设的主要举措和成效”"]
    assert notes(text, "S104") == ["本报告年度为2021年:标题可写作“四、2022年推进法治政府建设的主要安排”"]


def test_no_year_no_note() -> None:
    text = "二、存在的不足和原因\n执法培训不足。\n"
    assert notes(text, "S101") == [None] and notes(text, "S104") == [None]


def _by_sentences(doc: Document, pattern: re.Pattern[str]) -> Span | None:
    """The first mention as read from the paragraphs' Sentence objects."""
    for paragraph in doc.paragraphs:
        for sentence in paragraph.sentences:
            if m := pattern.search(sentence.text):
                return doc.view.span(sentence.view_start + m.start(), sentence.view_start + m.end())
    return None


# A lead-in and mentions after pinyin the view drops: their spans are mapped back.
_PINYIN_LEAD_IN = (
    "青山县2023年法治政府建设年度报告\n法(fǎ)治(zhì)建设成效明显。但仍存在一些问题和不足:\n"
    "主要负责人履行推进法治建设第一责任人职责情况:\n"
)


@pytest.mark.parametrize("text", [*(p.read_text(encoding="utf-8") for p in SEEDS), _PINYIN_LEAD_IN])
def test_sliced_sentences_find_what_the_sentence_objects_find(ruleset: RuleSet, text: str) -> None:
    """Mentions and lead-ins are searched in sentence texts sliced from the paragraph, no
    Sentence built: the same spans as read from the paragraphs' sentences."""
    doc = analyse("report.txt", text, ruleset, with_facts=False)
    sections = [r.params for r in ruleset.rules if isinstance(r.params, SectionParams)]
    for params in sections:
        if params.mention is not None:
            assert structure._first_mention(doc, params.mention) == _by_sentences(doc, params.mention)
        if params.lead_in is not None:
            for paragraph in doc.paragraphs:
                last = paragraph.sentences[-1] if paragraph.sentences else None
                if last is None or not params.lead_in.search(last.text):
                    continue
                if params.lead_in_exclude and params.lead_in_exclude.search(last.text):
                    continue
                plain = params._replace(heading=re.compile("(?!)"), item_heading=None, unclaimed_from=())
                part = structure._find_part(doc, plain, None)  # type: ignore[arg-type]  # no context needed
                assert part is not None and part.span == last.span
                assert part.view_end == last.view_start + len(last.text)
                break


# --------------------------------------------------------------------------- many lines searched at once

_PIECES = ["问题", "存在", "不足", "和", "原因", "下一步", "计划", ":", "。", " ", "a", "1", "、", "\n"]
_LINE_PATTERNS = [
    *(r"^问题", r"问题$", r"^问题$", r"(?<!存在)问题", r"问题(?!和)", r"(?<=\d)问题", r"\b问题", r"问题\B"),
    *(r"[^a]问题", r"\s*问题", r"(?m)^问题", r"问题.{0,3}原因", r"\d+、", r"", r"(?!)"),
]


def _section_patterns() -> list[re.Pattern[str]]:
    sections = [r.params for r in load_rules().rules if isinstance(r.params, SectionParams)]
    found = [p for s in sections for p in (s.heading, s.item_heading, s.lead_in, s.mention) if p is not None]
    return found + [re.compile(p) for p in _LINE_PATTERNS]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), max_size=8))
def test_lines_searched_at_once_match_what_each_line_matches(texts: list[str]) -> None:
    """One search over the texts joined by line breaks finds the texts a search of each
    finds, whatever the pattern reads around its match (and with line breaks in a text)."""
    lines = structure._Lines(texts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(structure, "_JOIN_MIN_TEXTS", 2)  # a report's many headings, in a few
        for pattern in _section_patterns():
            expected = [i for i, text in enumerate(texts) if pattern.search(text)]
            assert list(structure._matching(lines, pattern)) == expected, pattern.pattern


@given(st.text(alphabet="问题。!?;“”()《》 \u3000a1", min_size=1))
def test_the_last_sentence_runs_to_the_end_of_a_paragraph_not_ending_in_blanks(text: str) -> None:
    """What ``_lead_in_candidates`` relies on: a lead-in pattern that matches a paragraph's
    last sentence matches the paragraph's text."""
    ends = sentence_ends(text)
    if text.strip() and not text[-1].isspace():
        assert ends and ends[-1] == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "青山县2023年法治政府建设年度报告\n一、工作\n执法存在。问题较多。\n存在\n问题\n二、计划\n还存在一些问题。\n",
        "青山县报告\n我们存在的问题是:\n“存在问题”。下一年度计划\n今后,明年工作计划如下:\n",
    ],
)
def test_a_match_across_sentences_or_paragraphs_is_not_one(
    ruleset: RuleSet, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The view is searched first for a mention, the paragraphs for a lead-in: a match across
    a sentence's or a line's end leads to the sentences, which find the first within one."""
    monkeypatch.setattr(structure, "_JOIN_MIN_TEXTS", 2)  # a report's many paragraphs, in a few
    doc = analyse("report.txt", text, ruleset, with_facts=False)
    for pattern in _section_patterns():
        assert structure._first_mention(doc, pattern) == _by_sentences(doc, pattern), pattern.pattern
    for pattern in _section_patterns():
        leading_in = [p for p in doc.paragraphs if p.sentences and pattern.search(p.sentences[-1].text)]
        candidates = list(structure._lead_in_candidates(doc, pattern))
        assert all(p in candidates for p in leading_in), pattern.pattern
