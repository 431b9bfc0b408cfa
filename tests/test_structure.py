"""Structure findings that the rule cases cannot state: the note of a missing part."""

from __future__ import annotations

import re

import pytest

from checker.checks import structure
from checker.checks.structure import SectionParams
from checker.engine import analyse, lint_text
from checker.model import Document, Span
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
