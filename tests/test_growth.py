"""Inputs that made a stage superlinear (issue: hostile input, second round). Not timed: each
test pins the mechanism that keeps the work linear, so it fails the same way on any machine."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from checker import engine, parse, suppress
from checker.checks import numbers
from checker.extract import claims
from checker.model import Diagnostic, FileResult, SourceText, Span
from checker.ruleset import RuleSet
from checker.selection import Options

TITLE = "2023年法治政府建设情况报告\n"


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls = [0]
    original = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # 2 000 counts in one sentence: the sentence was scanned for comparison words per count.
        (TITLE + "受理复议案件" + "、".join(f"{i}件" for i in range(1, 2001)) + "。\n", 1),
        # 2 000 sentences in one paragraph: each count searched the paragraph's sentences.
        (TITLE + "".join(f"受理复议案件{i}件。" for i in range(1, 2001)) + "\n", 2000),
    ],
)
def test_metric_conflict_reads_each_sentence_once(
    lint: Callable[..., FileResult], monkeypatch: pytest.MonkeyPatch, text: str, sentences: int
) -> None:
    reads = _counting(monkeypatch, numbers, "_sentence_text")
    result = lint(text, select=("N208",))
    assert reads[0] == sentences
    assert [d.code for d in result.diagnostics] == ["N208"]  # found, and reported once


def test_respectively_bisects_the_quantities_once(
    lint: Callable[..., FileResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2 000 分别 in one paragraph: each built the list of every quantity's start again.
    text = TITLE + "".join(f"复议和诉讼案件分别为{i}件和{i + 1}件。" for i in range(1, 2001)) + "\n"
    lists: list[int] = []
    original = claims._following_run

    def recorded(text: str, quantities: list[object], starts: list[int], end: int) -> object:
        lists.append(id(starts))
        return original(text, quantities, starts, end)  # type: ignore[arg-type]

    monkeypatch.setattr(claims, "_following_run", recorded)
    lint(text, select=("N201",))
    assert len(lists) == 2000 and len(set(lists)) == 1  # one list of starts for the paragraph


def test_inline_items_words_are_bounded(ruleset: RuleSet) -> None:
    # 5 000 一是/二是 items and no 。: each item's words ran to the end of the paragraph.
    text = TITLE + "".join(f"{'一二三四五六七八九'[i % 9]}是加强执法监督{i}次;" for i in range(5000)) + "\n"
    doc = engine.analyse("report.txt", text, ruleset, with_facts=False)
    items = [h for h in doc.all_headings() if h.level == 5]
    assert len(items) == 5000
    assert max(len(h.text) for h in items) <= parse._MAX_ITEM_WORDS
    assert items[-1].text == "加强执法监督4999次;"  # the last one still runs to the paragraph's end


def test_linting_makes_no_reference_cycles(ruleset: RuleSet) -> None:
    """engine.collector_paused turns the cycle collector off for a file: safe only while the
    pipeline leaves no cyclic garbage behind (else each file's cycles would wait for the next)."""
    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    table = "| 类别 | 件数 |\n| --- | --- |\n| 甲 | 1 |\n| 合计 | 2 |\n"
    texts.append(TITLE + "<!-- govlint-disable-next-line N201 -->\n" + table)
    engine.lint_text("warm-up.md", texts[-1], ruleset, Options())
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for i, text in enumerate(texts):
            engine.lint_text(f"report{i}.md", text, ruleset, Options())
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_collector_is_back_after_a_file(lint: Callable[..., FileResult]) -> None:
    assert gc.isenabled()
    lint(TITLE)
    assert gc.isenabled()


class _NotScanned(list):  # type: ignore[type-arg]
    def __iter__(self) -> Iterator[int]:
        raise AssertionError("the text lines were scanned")


def test_next_line_comments_bisect_the_text_lines(ruleset: RuleSet) -> None:
    # 2 000 next-line comments: each looked for the text line after it by scanning them all.
    comment = "<!-- govlint-disable-next-line N201 -- 含上年结转 -->\n"
    text = TITLE + "".join(f"{comment}受理案件{i}件。\n" for i in range(2000))
    found, analysed = suppress.from_markdown(text)
    assert found is not None
    found.text_lines = _NotScanned(found.text_lines)
    kept, notices = found.apply([], SourceText(analysed), [r.code for r in ruleset.rules], frozenset({"N201"}))
    assert kept == [] and len(notices) == 2000  # every comment unused, each with its line found


def test_findings_meet_only_the_comments_that_may_cover_them(ruleset: RuleSet) -> None:
    """2 000 closed ranges and 2 000 next-line comments, a finding under each next-line
    comment: each finding was compared with every comment's codes (146 s for 12 000)."""
    block = (
        "<!-- govlint-disable T403 -- 段 -->\n正文。\n<!-- govlint-enable T403 -->\n"
        "<!-- govlint-disable-next-line N201 -- 含上年结转 -->\n受理案件{i}件。\n"
    )
    text = TITLE + "".join(block.format(i=i) for i in range(2000))
    found, analysed = suppress.from_markdown(text)
    assert found is not None
    compared = [0]

    class Code(str):
        def startswith(self, prefix: object, *args: object) -> bool:
            compared[0] += 1
            return super().startswith(prefix, *args)  # type: ignore[arg-type]

    starts = [m.start() for m in re.finditer("受理案件", analysed)]
    findings = [Diagnostic(Code("N201"), "n", "warning", "m", "r.md", Span(at, at + 4)) for at in starts]
    codes = [r.code for r in ruleset.rules]
    kept, notices = found.apply(findings, SourceText(analysed), codes, frozenset({"N201", "T403"}))
    assert kept == [] and len(notices) == 2000  # every finding suppressed, every range unused
    assert compared[0] == 2000  # each finding with the one comment of its line


def test_part_whole_searches_each_paragraph_for_carry_over_once(ruleset: RuleSet) -> None:
    """Issue 20 item 9's kind: a one-line report of 6 000 excesses took 50 s, N201 searching
    the whole paragraph for 结转/累计 once per finding."""
    from checker.engine import lint_text
    from checker.selection import Options

    searched: list[int] = []
    pattern = ruleset.vocabulary.carry_over
    assert pattern is not None

    class Counting:
        def search(self, text: str) -> object:
            searched.append(len(text))
            return pattern.search(text)

    counting = ruleset._replace(vocabulary=ruleset.vocabulary._replace(carry_over=Counting()))
    text = "青山县2023年法治政府建设年度报告\n" + "全年受理案件12件,其中化解13件," * 50 + "\n"
    result = lint_text("r.txt", text, counting, Options(select=("N201",)))
    assert [d.code for d in result.diagnostics].count("N201") == 50
    assert len(searched) == 1
