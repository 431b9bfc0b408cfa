"""checker.numerals: Chinese numerals read and written, round trips over the whole range."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from checker.extract import quantity
from checker.numerals import format_digits, format_numeral, parse_digits, parse_numeral, parse_ordinal

EXAMPLES = {
    "零": 0, "〇": 0, "两": 2, "十": 10, "十一": 11, "二十": 20, "一十": 10, "一百一十": 110, "一百零五": 105,
    "两千三百零五": 2305, "二千三百零五": 2305, "一万零五十": 10050, "十万": 100_000, "十五万": 150_000,
    "五十万一千": 501_000, "两万两千": 22_000, "一万零两": 10_002, "一亿零五百万": 105_000_000,
    "一亿一千万": 110_000_000, "一亿零两万": 100_020_000,
    "三万九千零五十亿九千四百三十四万七千二百九十五": 3_905_094_347_295, "一万亿": 10**12,
}  # fmt: skip
NOT_NUMERALS = [
    "", "万", "亿", "一千五", "一千零五百", "一百十", "两十", "十两", "二十两", "十两万", "一百零两", "零五",
    "五零", "一百零", "一万二", "一万零零五", "二二", "一二三", "十十", "一万二万", "三亿十万", "二〇二一", "五点",
]  # fmt: skip


@pytest.mark.parametrize(("text", "value"), EXAMPLES.items())
def test_examples(text: str, value: int) -> None:
    assert parse_numeral(text) == value


@pytest.mark.parametrize("text", NOT_NUMERALS)
def test_malformed_numerals_are_not_read(text: str) -> None:
    assert parse_numeral(text) is None


@given(st.integers(0, 10**12))
@example(0)
@example(10)
@example(10_050)
@example(100_000_000)
@example(10**12)
def test_format_then_parse_is_the_number(n: int) -> None:
    assert parse_numeral(format_numeral(n)) == n


@given(st.integers(0, 10**12 - 1))
def test_the_quantity_grammar_reads_what_is_written(n: int) -> None:
    """The grammar recognizes every numeral written here below 10¹² (from 10¹² on a 亿
    multiplier holds 万, which the grammar leaves out), and reads it as this module does."""
    parsed = quantity._parse_numeral(format_numeral(n))
    assert parsed is not None and parsed[0] == n


@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿", min_size=1, max_size=8))
def test_the_grammar_and_the_module_agree(text: str) -> None:
    """A string the grammar reads means the same here; one read here and not by the grammar
    has a 亿 multiplier with 万 (一万亿)."""
    grammar = quantity._parse_numeral(text)
    value = parse_numeral(text)
    if grammar is not None:
        assert value == grammar[0]
    elif value is not None:
        assert "万" in text.partition("亿")[0]


def test_examples_of_writing() -> None:
    assert [format_numeral(n) for n in (0, 10, 11, 20, 105, 110, 2305, 10_050, 100_003, 105_000_000)] == [
        "零", "十", "十一", "二十", "一百零五", "一百一十", "二千三百零五", "一万零五十", "十万零三", "一亿零五百万",
    ]  # fmt: skip
    assert format_numeral(10**12) == "一万亿"
    assert [format_numeral(n, legal=True) for n in (11, 105, 2305)] == ["壹拾壹", "壹佰零伍", "贰仟叁佰零伍"]
    with pytest.raises(ValueError):
        format_numeral(-1)


@given(st.integers(1, 99))
def test_ordinals_round_trip(n: int) -> None:
    assert parse_ordinal(format_numeral(n)) == n


def test_ordinals() -> None:
    ordinals = [parse_ordinal(t) for t in ("一", "九", "十", "十二", "二十", "二十三", "一十")]
    assert ordinals == [1, 9, 10, 12, 20, 23, 10]
    for text in ("", "两", "零", "十十", "一二", "一百", "二十十", "〇十"):
        assert parse_ordinal(text) is None, text


@given(st.integers(0, 9999))
@example(2023)
@example(2000)
def test_years_round_trip(year: int) -> None:
    assert parse_digits(format_digits(year)) == year


def test_years() -> None:
    assert format_digits(2023) == "二〇二三" and format_digits(2005, legal=True) == "贰零零伍"
    assert parse_digits("二〇二三") == parse_digits("二零二三") == 2023
    assert parse_digits("二〇〇〇") == 2000
    for text in ("", "两〇二三", "二十", "二〇二三年"):
        assert parse_digits(text) is None, text
