"""Inputs that made a stage superlinear (issue: hostile input, second round). Not timed: each
test pins the mechanism that keeps the work linear, so it fails the same way on any machine."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from checker.checks import numbers
from checker.model import FileResult
from checker.ruleset import RuleSet

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
