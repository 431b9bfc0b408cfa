"""The matching view: width folding, traditional → simplified, pinyin debris, offset map."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker import normalize as normalize_module
from checker.model import Span, View
from checker.normalize import PINYIN_ANNOTATION, normalize, traditional_to_simplified

SEED_TITLE = "金石鎮(zhèn)2021年法治政府建設(shè)年度報(bào)告"


def test_width_folding() -> None:
    assert normalize("（一）加强领导，全面推进：第１２项ＡＢＣｘｙｚ！").text == "(一)加强领导,全面推进:第12项ABCxyz!"
    assert normalize("\u3000\u3000一、总体情况").text == "  一、总体情况"


def test_cjk_punctuation_without_an_ascii_twin_stays() -> None:
    text = "。、“”‘’《》【】〔〕…—·"
    assert normalize(text).text == text


def test_traditional_to_simplified_on_a_seed_title() -> None:
    assert normalize(SEED_TITLE).text == "金石镇2021年法治政府建设年度报告"
    assert (
        normalize("堅持以習近平新時代中國特色社會主義思想為指導").text == "坚持以习近平新时代中国特色社会主义思想为指导"
    )


def test_simplified_text_is_unchanged() -> None:
    text = "一、2021年法治政府建设主要举措和成效\n(一)深入学习贯彻习近平法治思想,著力建设法治政府。"
    view = normalize(text)
    assert view.text == text
    assert view.span(0, len(text)) == Span(0, len(text))


def test_table_comes_from_opencc_and_is_cached() -> None:
    table = traditional_to_simplified()
    assert table is traditional_to_simplified()
    assert len(table) > 2500
    assert all(k != v for k, v in table.items())
    assert table[ord("鎮")] == ord("镇")
    assert table[ord("乾")] == ord("干")  # first candidate of "乾	干 乾"
    assert ord("著") not in table  # 著 is a simplified character too


def test_the_parsed_table_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(tmp_path))
    traditional_to_simplified.cache_clear()
    try:
        parsed = traditional_to_simplified()
        assert list(tmp_path.glob("opencc-*.pickle"))
        traditional_to_simplified.cache_clear()
        assert traditional_to_simplified() == parsed  # now from the pickle
    finally:
        traditional_to_simplified.cache_clear()


@pytest.mark.parametrize("text", ["", "法治政府", "鎮設強領導綠區　（一）", "𠀀𡃁 and 乾隆 後來", "ＡＢＣ１２３"])
def test_both_ways_of_finding_traditional_characters_agree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first text of a run is searched with a set, later ones with a compiled class."""
    monkeypatch.setattr(normalize_module, "_texts_seen", 0)
    (folded, first, uncounted), (again, second, count) = normalize_module._fold(text), normalize_module._fold(text)
    traditional = [c for c in text if ord(c) in traditional_to_simplified()]
    assert first == second == set(traditional)
    assert (uncounted, count) == (None, len(traditional))
    assert folded == again


def test_every_character_is_folded_once() -> None:
    # OpenCC maps 薴 → 苧 and 苧 → 苎: the view maps each character of the original once.
    assert normalize("薴苧").text == "苧苎"
    assert normalize("苧薴").text == "苎苧"


@given(st.text(alphabet="薴苧鎮設強法治ＡＢ１（）　\xa0a1 \n", max_size=30))
def test_folding_is_one_translation(text: str) -> None:
    assert normalize(text).text == text.translate(normalize_module._matching_table())


@pytest.mark.parametrize("texts_seen", [1, 2])
def test_a_traditional_report_folds_the_same_with_both_tables(texts_seen: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """From the second text of a run on, a many-character fold reads a list, not the dict;
    a text with an astral character to fold keeps the dict (the list covers the BMP), and
    one the table lacks stays (the class holds every one)."""
    text = (Path(__file__).parent.parent / "seeds" / "001_abc1dbf2d171ed56.txt").read_text(encoding="utf-8")
    astral = "".join(chr(c) for c in traditional_to_simplified() if c > 0xFFFF)[:3]
    for sample in (text, text + astral, text + "\U0001f600（一）"):
        monkeypatch.setattr(normalize_module, "_texts_seen", texts_seen - 1)
        folded, _, _ = normalize_module._fold(sample)
        assert folded == sample.translate(normalize_module._matching_table())


@pytest.mark.parametrize(
    ("original", "view"),
    [
        ("鎮(zhèn)", "镇"),
        ("設（shè）", "设"),  # full-width parentheses
        ("領(lǐng)導(dǎo)", "领导"),
        ("強(qiáng)化", "强化"),
        ("社區(qū)", "社区"),
        ("綠(lǜ)色", "绿色"),  # ü with a tone mark
        ("取保候?qū)?人", "取保候?人"),  # mojibake ate the opening parenthesis
        ("?。ㄒ唬?qiáng)化領(lǐng)導(dǎo)", "?。ㄒ唬化领导"),
    ],
)
def test_pinyin_annotations_are_removed(original: str, view: str) -> None:
    assert normalize(original).text == view


@pytest.mark.parametrize(
    "text",
    [
        "(一)",
        "（一）",
        "办法(试行)",
        "规划(2021—2025年)",
        "中央商务区(CBD)",
        "村(社区)",
        "镇(zhen)",  # no tone mark
        "镇(zhuangzhèn)",  # eight letters
        "镇 (zhèn)",  # not right after the character
        "ABC(zhèn)",  # after Latin, not Han
        "镇(Zhèn)",  # upper case is no converter's output
        "是否?(试行)",
        "为什么?",
        "镇(zhèn",  # never closed
        "(zhèn)",  # nothing before it
    ],
)
def test_things_that_stay_untouched(text: str) -> None:
    assert normalize(text).text == text.translate(str.maketrans("（）", "()"))


def test_offsets_map_back_around_a_removed_annotation() -> None:
    view = normalize(SEED_TITLE)
    # 金 石 镇 | (zhèn) | 2 0 2 1 ...
    assert [view.to_original(i) for i in range(5)] == [0, 1, 2, 9, 10]
    assert view.to_original(len(view.text)) == len(SEED_TITLE)


def test_span_covers_a_removed_annotation_inside_it_but_not_one_just_after() -> None:
    view = normalize(SEED_TITLE)
    assert view.span(0, 3) == Span(0, 3)  # 金石镇: the (zhèn) after it is not included
    assert view.span(2, 4) == Span(2, 10)  # 镇2: (zhèn) lies inside
    assert view.span(3, 3) == Span(9, 9)
    whole = view.span(0, len(view.text))
    assert whole == Span(0, len(SEED_TITLE))
    word = view.text.index("建设年度")
    original = SEED_TITLE.index("建設")
    assert view.span(word, word + 2) == Span(original, original + 2)  # 建设 → 建設
    span = view.span(word, word + 4)  # 建设年度 → 建設(shè)年度
    assert SEED_TITLE[span.start : span.end] == "建設(shè)年度"


def test_annotation_at_the_very_end() -> None:
    view = normalize("金石鎮(zhèn)")
    assert view.text == "金石镇"
    assert view.to_original(3) == len("金石鎮(zhèn)")
    assert view.span(0, 3) == Span(0, 3)
    assert view.span(3, 3) == Span(9, 9)


def test_adjacent_deletions() -> None:
    text = "候?qū)?qū)人"
    view = normalize(text)
    assert view.text == "候人"
    assert view.to_original(1) == text.index("人")


def test_out_of_range_offsets_raise() -> None:
    view = normalize("法治")
    with pytest.raises(IndexError):
        view.to_original(3)
    with pytest.raises(IndexError):
        view.to_original(-1)
    with pytest.raises(IndexError):
        view.span(1, 0)


def test_empty_text() -> None:
    view = normalize("")
    assert view == View("")
    assert view.to_original(0) == 0
    assert view.span(0, 0) == Span(0, 0)


def test_pathological_inputs_run_fast() -> None:
    for text in ("鎮(" * 100_000, "鎮(zhzhzhzhzhzh" * 50_000, "?" * 500_000, "鎮(zhèn" * 100_000):
        start = time.perf_counter()
        normalize(text)
        assert time.perf_counter() - start < 1.0


# Pieces that make annotations, near-misses and full-width forms likely in random text.
PIECES = st.sampled_from(
    [
        "鎮", "設", "報", "镇", "(", ")", "（", "）", "?", "？", "\ufffd", "zh", "è", "ǜ", "ng",
        "Ａ", "１", "　", "(zhèn)", "（shè）", "?qiáng)", "(一)", "(CBD)", "\n", "𠀀",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.characters()), max_size=60).map("".join)


def _per_character(text: str) -> str:
    """Steps 1–2 computed one character at a time, independently of the view's table."""
    return "".join(normalize(ch).text for ch in text)


@given(TEXTS)
def test_every_view_character_comes_from_its_original_character(text: str) -> None:
    view = normalize(text)
    mapped = [view.to_original(i) for i in range(len(view.text) + 1)]
    assert mapped[-1] == len(text)
    assert mapped == sorted(set(mapped))  # strictly increasing
    for i, j in enumerate(mapped[:-1]):
        assert view.text[i] == normalize(text[j]).text


@given(TEXTS)
def test_exactly_the_annotations_are_removed(text: str) -> None:
    view = normalize(text)
    folded = _per_character(text)
    kept = {view.to_original(i) for i in range(len(view.text))}
    removed = [j for j in range(len(text)) if j not in kept]
    expected = [j for m in PINYIN_ANNOTATION.finditer(folded) for j in range(*m.span())]
    assert removed == expected


@given(TEXTS, st.data())
def test_a_span_holds_exactly_what_its_view_range_shows(text: str, data: st.DataObject) -> None:
    view = normalize(text)
    start = data.draw(st.integers(0, len(view.text)))
    end = data.draw(st.integers(start, len(view.text)))
    span = view.span(start, end)
    assert normalize(text[span.start : span.end]).text == view.text[start:end]
    if end > start:
        assert span.start == view.to_original(start)
        assert span.end == view.to_original(end - 1) + 1


@pytest.mark.parametrize("texts_seen", [0, 5])
def test_t405_counts_the_same_whether_or_not_normalize_counted(
    texts_seen: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first text of a run is not counted by normalize; T405 then counts it itself."""
    from checker.engine import lint_text
    from checker.ruleset import load_rules
    from checker.selection import Options

    monkeypatch.setattr(normalize_module, "_texts_seen", texts_seen)
    text = (Path(__file__).parent.parent / "seeds" / "001_abc1dbf2d171ed56.txt").read_text(encoding="utf-8")
    result = lint_text("001.txt", text, load_rules(), Options(select=("T405",)))
    (finding,) = result.diagnostics
    assert (finding.message, [label.span for label in finding.labels]) == (
        "文中有 1435 个繁体字(如 鎮、設、報)",
        [Span(2, 3), Span(19, 20), Span(27, 28)],
    )
