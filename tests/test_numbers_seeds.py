"""Recall on real text: each seed with one figure changed so that a claim breaks, and the
right code firing at the right characters. The unmutated seeds give no numeric finding
(tests/test_seeds.py snapshots), so every finding here comes from the mutation."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine import lint_text
from checker.normalize import traditional_to_simplified
from checker.selection import Options
from conftest import SEEDS


def seed_text(prefix: str) -> str:
    path: Path = next(p for p in SEEDS if p.name.startswith(prefix))
    return path.read_text(encoding="utf-8")


def mutate(prefix: str, old: str, new: str) -> str:
    text = seed_text(prefix)
    assert text.count(old) == 1, f"{old!r} must occur once in seed {prefix}"
    return text.replace(old, new)


CASES = [
    # (id, seed, old, new, code, the characters the finding points at)
    ("resolved-more-than-received", "003", "成功化解326件", "成功化解330件", "N201", "330件"),
    ("approximate-part-exceeds", "003", "成功化解326件", "成功化解330余件", "N201", "330余件"),
    ("full-rate-with-shortfall", "003", "成功化解326件", "成功化解320件", "N206", "100%"),
    ("rate-mismatch", "003", "化解125件,化解率99%", "化解125件,化解率89%", "N202", "89%"),
    ("chinese-numerals", "003", "有效化解125件,化解率99%", "有效化解一百二十件,化解率99%", "N202", "99%"),
    ("two-decimal-rate", "002", "调解成功率99.89%", "调解成功率99.98%", "N202", "99.98%"),
    ("part-exceeds-in-long-paragraph", "002", "调处成功890件", "调处成功892件", "N201", "892件"),
    ("breakdown-exceeds-total", "002", "城市管理类625条", "城市管理类925条", "N203", "其中"),
    ("breakdown-item-exceeds-total", "002", "城市管理类625条", "城市管理类1625条", "N201", "1625条"),
    ("one-decimal-rate", "004", "破案率69.6%", "破案率96.6%", "N202", "96.6%"),
    ("cases-solved-exceed-filed", "004", "破案16宗", "破案26宗", "N201", "26宗"),
    ("decline-over-100", "004", "同比下降24.21%", "同比下降124.21%", "N204", "124.21%"),
    ("bounded-rate-over-100", "000", "安全感率99.563%", "安全感率109.563%", "N204", "109.563%"),
    ("rate-change-in-percent", "000", "执法工作满意率99.07%", "执法工作满意率99.07%,同比提高2%", "N207", "2%"),
    (
        "growth-mismatch",
        "003",
        "全年共接待群众来信来访326件",
        "全年共接待群众来信来访由300件增至326件,增长10%,",
        "N205",
        "10%",
    ),
    (
        "metric-conflict",
        "003",
        "有效化解125件,化解率99%。",
        "有效化解125件,化解率99%。全年接待群众来信来访330件,均已登记。",
        "N208",
        "330件",
    ),
]


@pytest.mark.parametrize(("seed", "old", "new", "code", "at"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_mutation_is_caught(ruleset, seed: str, old: str, new: str, code: str, at: str) -> None:
    text = mutate(seed, old, new)
    result = lint_text("mutated.txt", text, ruleset, Options(select=("N",)))
    found = [d for d in result.diagnostics if d.code == code]
    assert found, [(d.code, d.message) for d in result.diagnostics]
    span = found[0].span
    assert span is not None and text[span.start : span.end] == at


def test_traditional_full_width_mutation(ruleset) -> None:
    """The same claim after a traditional converter and with full-width punctuation."""
    old = "公安部门共立涉黑恶案件23宗,破案16宗,破案率69.6%"
    simplified_to_traditional = {v: k for k, v in traditional_to_simplified().items()}
    converted = "".join(chr(simplified_to_traditional.get(ord(c), ord(c))) for c in old)
    converted = converted.replace(",", "，").replace("23", "２３").replace("69.6%", "９６．６％")
    assert converted != old
    text = mutate("004", old, converted)
    result = lint_text("mutated.txt", text, ruleset, Options(select=("N",)))
    found = [d for d in result.diagnostics if d.code == "N202"]
    assert found, [(d.code, d.message) for d in result.diagnostics]
    span = found[0].span
    assert span is not None and text[span.start : span.end] == "９６．６％"
    assert "16 / 23 = 69.57%" in found[0].message
