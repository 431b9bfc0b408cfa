"""The quantity extractor: the numeral grammar, quantities in report sentences, and the
numbers that only look like quantities (names, dates, ordinals, slogans)."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from checker.extract import quantity
from checker.extract.quantity import find_quantities, parse_number, unit_class
from checker.model import Quantity
from checker.normalize import normalize
from checker.numerals import parse_numeral
from conftest import SEEDS

# --------------------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1582", 1582), ("1,582", 1582), ("12,345,678", 12345678), ("99.563", Decimal("99.563")),
        ("0", 0), ("0.5", Decimal("0.5")), ("１５８２", 1582), ("１，５８２", 1582),
        ("三十六", 36), ("一百二十", 120), ("两千", 2000), ("一万二千", 12000), ("八十", 80),
        ("十", 10), ("十二", 12), ("一百零五", 105), ("一千零一十", 1010), ("一百一十", 110),
        ("两", 2), ("两万", 20000), ("十万", 100000), ("一千零五万", 10050000),
        ("一亿零五百万", 105000000), ("一亿零一千", 100001000), ("十亿零一十", 1000000010),
        ("九千九百九十九亿九千九百九十九万九千九百九十九", 999999999999), ("零", 0),
        ("〇", 0), ("九十九点五", Decimal("99.5")), ("百分之百", 100), ("百分之九十五", 95),
        ("百分之一百", 100),
    ],
)  # fmt: skip
def test_parse_number(text: str, value: int | Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "二〇二一", "三四十", "十四五", "一二", "一百二", "十两", "两十", "百", "万", "1,58", "1.6万", "", "3人",
        "一千零两万",
    ],
)
def test_not_a_numeral(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_importing_the_module_does_not_import_lark() -> None:
    code = "import sys, checker.extract.quantity; sys.exit('lark' in sys.modules)"
    root = Path(__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0


_SMALL_ALPHABET = "一二三四五六七八九两十百千"


def test_small_numerals_are_read_as_the_grammar_reads_them() -> None:
    """Numerals below 10 000 without 零 skip the grammar (no lark import on a one-report
    run). Every string of that fast path must mean what the grammar says it means, and
    every string over its alphabet that the grammar reads must take the fast path."""
    checked = 0
    for length in range(1, 5):  # every string over the alphabet: both directions agree
        for chars in itertools.product(_SMALL_ALPHABET, repeat=length):
            text = "".join(chars)
            fast = quantity._SMALL_NUMERAL.fullmatch(text) is not None
            grammar = quantity._parse_numeral(text)
            assert fast == (grammar is not None), text
            if fast:
                assert grammar is not None and parse_numeral(text) == grammar[0], text
                percent = quantity._parse_numeral("百分之" + text)
                assert percent is not None and quantity._small_numeral("百分之" + text) == percent[0], text
                checked += 1
    for n in range(1, 10_000):  # the longer ones: every number below 10 000 without 零
        for liang in (False, True):
            text = to_chinese(n, liang)
            if "零" not in text:
                assert quantity._SMALL_NUMERAL.fullmatch(text), text
                assert parse_numeral(text) == n, text
                checked += 1
    assert quantity._small_numeral("百分之百") == quantity._parse_numeral("百分之百")[0] == 100  # type: ignore[index]
    assert checked > 5000


_CN_DIGITS = "零一二三四五六七八九"


def _section(n: int) -> str:
    """1 ≤ n < 10⁴ in the inner written form (一十 kept, one 零 per gap)."""
    out, gap = "", False
    for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // place % 10
        if not digit:
            gap = bool(out)
            continue
        out += ("零" if gap else "") + _CN_DIGITS[digit] + name
        gap = False
    return out


def to_chinese(n: int, liang: bool = False) -> str:
    """The standard written form of 0 ≤ n < 10¹²; ``liang``: 两 for 二 before 百/千 and
    for a leading 二万/二亿."""
    if n == 0:
        return "零"
    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    out = _section(yi) + "亿" if yi else ""
    if wan:
        out += ("零" if out and wan < 1000 else "") + _section(wan) + "万"
    if low:
        out += ("零" if out and (low < 1000 or not wan) else "") + _section(low)
    if out.startswith("一十"):
        out = out[1:]  # 十二, 十万: not 一十二
    if liang:
        out = re.sub("二(?=[百千])", "两", out)
        if out[:2] in ("二万", "二亿"):
            out = "两" + out[1:]
    return out


def test_the_converter_writes_standard_forms() -> None:
    assert [to_chinese(n) for n in (10, 12, 105, 1010, 10005, 110000, 100001000, 100010000)] == [
        "十", "十二", "一百零五", "一千零一十", "一万零五", "十一万", "一亿零一千", "一亿零一万",
    ]  # fmt: skip
    assert to_chinese(2200, liang=True) == "两千两百"
    assert to_chinese(20000, liang=True) == "两万"


@given(st.integers(0, 10**12 - 1), st.booleans())
@example(10, False)
@example(1010, False)
@example(100_000_010, False)
@example(1_000_000_010, False)
@example(220_002_200, True)
def test_chinese_numerals_parse_back(n: int, liang: bool) -> None:
    assert parse_number(to_chinese(n, liang)) == n


# --------------------------------------------------------------------------- quantities


def _found(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quantities(text)]


def _one(text: str) -> Quantity:
    (q,) = find_quantities(text)
    return q


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共接待群众来信来访326件445余人次,成功化解326件,化解率达100%", ["326件", "445余人次", "326件", "100%"]),
        ("受理1582条诉求,其中城市管理类625条", ["1582条", "625条"]),
        ("排查矛盾纠纷126个,化解125件,化解率99%", ["126个", "125件", "99%"]),
        ("全区涉诈警情同比下降24.21%", ["24.21%"]),
        ("共立案23宗,破案16宗,破案率69.6%", ["23宗", "16宗", "69.6%"]),
        ("完成数据采集1.6万余条", ["1.6万余条"]),
        ("行政罚款近305万元", ["近305万元"]),
        ("承接、取消、调整事项八十多项", ["八十多项"]),
        ("期内办结率、群众满意率均达百分之百", ["百分之百"]),
        ("知晓率和满意率分别为93.42%和98.36%", ["93.42%", "98.36%"]),
        ("创建达标率分别为75%、85%、85%、75%", ["75%", "85%", "85%", "75%"]),
        ("发放宣传资料5000多份,接受咨询400多人次", ["5000多份", "400多人次"]),
        ("后续照管率90%以上", ["90%以上"]),
        ("法治建设满意度超过93%", ["超过93%"]),
        ("投入约500万元,安装摄像头530个", ["约500万元", "530个"]),
        ("涉案金额251余万元", ["251余万元"]),
        ("较上年下降3.2个百分点", ["3.2个百分点"]),
        ("重新犯罪率0%,发案率0.5‰", ["0%", "0.5‰"]),
        ("组织三名班子成员、两支队伍,十三项经费", ["三名", "两支", "十三项"]),
        ("覆盖十多万人,投入三万元", ["十多万人", "三万元"]),
        ("派发各类宣传资料10万余份", ["10万余份"]),
        ("查看视频监控回放7200小时", ["7200小时"]),
        ("市委对新区两次批示精神", ["两次"]),
        ("节约经费30万元", ["30万元"]),
        ("从3人增至5人", ["3人", "5人"]),
        ("罚款36,000元", ["36,000元"]),
        ("人员约100人左右", ["约100人左右"]),
        ("整改问题百分之九十以上", ["百分之九十以上"]),
        ("受理120件,是上年的3倍", ["120件", "3倍"]),  # multiples: unit 倍
        ("比上年增长一倍", ["一倍"]),  # the lone 一 is a number before 倍
        ("增长1.5倍以上,是上年的三倍", ["1.5倍以上", "三倍"]),
    ],
)
def test_quantities_in_report_sentences(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


def test_fields_of_a_mixed_quantity() -> None:
    text = "完成数据1.6万余条"
    q = _one(text)
    assert (q.value, q.lower, q.upper, q.approx) == (16000, 16000, None, "余")
    assert str(q.value) == "16000"
    assert (q.decimals, q.unit, q.is_percent, q.numeral) == (1, "条", False, "mixed")
    assert text[q.number_start : q.number_end] == "1.6"
    assert text[q.start : q.end] == "1.6万余条"


@pytest.mark.parametrize(
    ("text", "value", "decimals", "unit", "numeral"),
    [
        ("99.89%", Decimal("99.89"), 2, "%", "arabic"),
        ("90%", 90, 0, "%", "arabic"),
        ("75.0%", Decimal("75.0"), 1, "%", "arabic"),
        ("1,582条", 1582, 0, "条", "arabic"),
        ("百分之百", 100, 0, "%", "chinese"),
        ("百分之九十五", 95, 0, "%", "chinese"),
        ("八十多项", 80, 0, "项", "chinese"),
        ("近305万元", 305, 0, "万元", "arabic"),
        ("1.5亿元", Decimal("1.5"), 1, "亿元", "arabic"),
        ("3.2个百分点", Decimal("3.2"), 1, "百分点", "arabic"),
        ("5‰", 5, 0, "‰", "arabic"),
        ("2万余条", 20000, 0, "条", "mixed"),
    ],
)
def test_value_precision_unit_and_numeral(
    text: str, value: int | Decimal, decimals: int, unit: str, numeral: str
) -> None:
    q = _one(text)
    assert (q.value, q.decimals, q.unit, q.numeral) == (value, decimals, unit, numeral)
    assert q.is_percent == (unit == "%")


@pytest.mark.parametrize(
    ("text", "lower", "upper", "approx"),
    [
        ("326件", 326, 326, None),
        ("化解率达100%", 100, 100, None),  # 达 is not approximate
        ("445余人次", 445, None, "余"),
        ("5000多份", 5000, None, "多"),
        ("超3000人", 3000, None, "超"),
        ("超过93%", 93, None, "超过"),
        ("逾200人", 200, None, "逾"),
        ("90%以上", 90, None, "以上"),
        ("近305万元", None, 305, "近"),
        ("将近50人", None, 50, "将近"),
        ("10人以下", None, 10, "以下"),
        ("约500万元", None, None, "约"),
        ("100人左右", None, None, "左右"),
        ("100人上下", None, None, "上下"),
        ("超过90%以上", 90, None, "超过…以上"),
        ("节约30万元", 30, 30, None),  # 节约 is a word, not the marker 约
        ("附近3家", 3, 3, None),
    ],
)
def test_approximation_markers_give_bounds(
    text: str, lower: int | None, upper: int | None, approx: str | None
) -> None:
    q = _one(text)
    assert (q.lower, q.upper, q.approx) == (lower, upper, approx)


def test_units_compare_by_class_and_money_by_base_value() -> None:
    assert {u: unit_class(u) for u in "件 起 宗 个 条 项 人 名 人次 次 场 场次 期 元 万元 亿元 %".split()} == {
        "件": "case", "起": "case", "宗": "case", "个": "case", "条": "case", "项": "case",
        "人": "person", "名": "person", "人次": "person-time",
        "次": "occasion", "场": "occasion", "场次": "occasion", "期": "occasion",
        "元": "money", "万元": "money", "亿元": "money", "%": "percent",
    }  # fmt: skip
    assert {unit_class(u) for u in ("份", "家", "户", "批", "‰", "百分点", None)} == {"other"}
    assert _one("近305万元").base_value == 3050000
    assert _one("罚款114600元").base_value == 114600
    assert _one("1.5亿元").base_value == 150000000
    assert _one("三万元").base_value == _one("3万元").base_value == 30000
    assert _one("326件").base_value == 326


@pytest.mark.parametrize(
    "text",
    [
        "\"3820\"战略", "“3820”战略", "12345热线", "12345政府服务热线", "12345人民热线", "6.26禁毒日",
        "“6.26”世界禁毒日", "“11.9”消防安全日", "“7.01”“4.11”涉黑专案", "“4.15”国家安全教育日",
        "2021—2025年", "2023年", "2023年度", "2020年至今", "1月29日", "2024年1月29日", "11:48:00",
        "2021-01-15 15:02", "“1+5+N”工作体系", "“1+1+9”", "110刑事治安总警情", "十九大",
        "十九届二中、三中全会", "“三重一大”", "一是落实,二是健全", "一、法治政府建设", "(一)加强领导",
        "1.落实学法制度", "第一责任人", "第3次", "第三批", "全省第9", "“八五”普法", "“七五”普法",
        "十四五规划", "增强“四个意识”", "增强四个意识、做到两个维护", "五个现代化", "“十个一”活动",
        "“三个一”", "《2021年3项重点工作方案》", "一、二期", "三、四期", "一期工程", "3-5人",
        "9亿～16亿", "3人至5人", "5%～10%", "六届九次、十次全会", "十三届全国人大一次会议",
        "解决一批问题", "二次创业", "零件", "数十人", "几十人", "十几人", "三四十人", "00%",
        "2021元旦", "雪亮工程二期", "5A旅游景区", "1080万外来游客", "“最多跑一趟”", "“两个维护”",
    ],
)  # fmt: skip
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_a_range_skips_both_ends_but_not_its_neighbours() -> None:
    assert _found("共3-5人,另有12人") == ["12人"]


PIECES = st.sampled_from(
    [
        "0", "1", "5", "9", ",", ".", "一", "二", "两", "三", "十", "百", "千", "万", "亿", "零", "〇",
        "点", "百分之", "%", "‰", "件", "人", "人次", "个", "个百分点", "元", "期", "次", "全会",
        "余", "多", "近", "约", "超过", "以上", "左右", "第", "届", "、", "-", "～", "至", ":",
        "“", "”", "《", "》", "年", "民", "\n", " ", "节", "数",
    ]
)  # fmt: skip
NUMBERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(0, 1000, places=2).map(str),
    st.integers(0, 10**12 - 1).map(to_chinese),
)
QUANTITY_LIKE = st.tuples(
    st.sampled_from(["", "近", "约", "超过", "第", "“"]),
    NUMBERS,
    st.sampled_from(["", "余", "多", "万", "万余", "亿"]),
    st.sampled_from(["", "件", "人次", "%", "元", "期", "个百分点", "年", "以上"]),
).map("".join)
TEXTS = st.lists(st.one_of(QUANTITY_LIKE, PIECES, st.characters()), max_size=30).map("".join)


@given(TEXTS)
def test_every_quantity_lies_in_the_text_and_its_number_reads_back(text: str) -> None:
    previous_end = 0
    for q in find_quantities(text):
        assert previous_end <= q.start <= q.number_start < q.number_end <= q.end <= len(text)
        previous_end = q.end
        written = parse_number(text[q.number_start : q.number_end])
        assert q.value in (written, written * 10**4, written * 10**8)
        assert q.lower is None or q.lower == q.value
        assert q.upper is None or q.upper == q.value
        assert q.unit is not None


# --------------------------------------------------------------------------- seeds

# Numbers in the seeds that name or date something: never quantities.
SEED_NON_QUANTITIES = set("12345 3820 6.26 11.9 11.1 12.4 7.01 4.11 4.15 110 2421 1279 1964".split())
SEED_NON_QUANTITIES |= {str(year) for year in range(2000, 2030)}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seeds_yield_no_names_or_dates(path: Path) -> None:
    view = normalize(path.read_text(encoding="utf-8")).text
    quantities = find_quantities(view)
    assert len(quantities) > 20
    numbers = {view[q.number_start : q.number_end] for q in quantities}
    assert not numbers & SEED_NON_QUANTITIES
    for q in quantities:
        assert view[q.end : q.end + 1] not in ("年", "月", "日")


def test_a_seed_s_counts_and_rates() -> None:
    (path,) = [p for p in SEEDS if p.name.startswith("002")]
    view = normalize(path.read_text(encoding="utf-8")).text
    found = [view[q.start : q.end] for q in find_quantities(view)]
    # 1582 = 625 + 51 + 291 + 593 + 22, in order
    i = found.index("1582条")
    assert found[i : i + 6] == ["1582条", "625条", "51条", "291条", "593条", "22条"]
    for stated in ("99.89%", "251余万元", "90%以上", "46000余份", "百分之百", "十三项", "超过93%"):
        assert stated in found


# --------------------------------------------------------------------------- no catastrophic backtracking
# A hang guard, not a speed goal (throughput is measured by bench/, never by a test):
# each input takes ~20 ms; backtracking would take minutes.


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000, "1" * 100_000 + "人", "一十" * 100_000, "一十" * 100_000 + "个",
        "1," * 50_000, "1," * 50_000 + "人", "“" * 100_000, "百分之" * 20_000,
    ],
    ids=["digits", "digits+unit", "yishi", "yishi+unit", "commas", "commas+unit", "quotes", "baifenzhi"],
)
def test_pathological_inputs_run_fast(text: str) -> None:
    find_quantities("预热3人")  # build the parser outside the timing
    start = time.perf_counter()
    find_quantities(text)
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- bounds


@given(
    digits=st.text("0123456789", min_size=1, max_size=40),
    multiplier=st.sampled_from(["", "万", "亿", "万亿", "亿万"]),
    unit=st.sampled_from(["件", "人", "元", "%", "万元", "个百分点"]),
)
@example(digits="1" * 25, multiplier="万", unit="件")  # raised decimal.InvalidOperation
def test_any_digit_string_with_a_multiplier_is_read_or_skipped_never_raises(
    digits: str, multiplier: str, unit: str
) -> None:
    for found in find_quantities(normalize(f"受理{digits}{multiplier}{unit}。").text):
        assert found.value.adjusted() < quantity.MAX_QUANTITY_DIGITS


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("受理1000000000000000000件", []),  # 10^18: beyond the bound, not a quantity
        ("受理999999999999999999件", [Decimal("999999999999999999")]),  # the largest read
        ("受理100000000000000万件", []),  # 10^14 × 万 = 10^18
        ("投入10000000000亿元", []),  # money keeps 亿元 as its unit, but is bounded as 10^18 元
        ("投入1.5亿元", [Decimal("1.5")]),
    ],
)
def test_quantities_are_bounded_at_a_documented_maximum(text: str, values: list[Decimal]) -> None:
    assert [q.value for q in find_quantities(normalize(text).text)] == values


# --------------------------------------------------------------------------- the steps of _quantity


@pytest.mark.parametrize(
    ("text", "value", "found"),
    [
        ("第3名", 3, False),  # an ordinal
        ("3-5人", 5, False),  # the upper end of a range
        ("11:48", 48, False),  # a time
        ("05件", 5, False),  # a leading 0
        ("受理35件", 35, True),
    ],
)
def test_not_a_quantity_reads_the_context(text: str, value: int, found: bool) -> None:
    assert (Decimal(value) in [q.value for q in find_quantities(text)]) is found


@pytest.mark.parametrize(
    ("number", "expected"), [("120", (Decimal(120), 0)), ("3.25", (Decimal("3.25"), 2)), ("十四五", None)]
)
def test_number_value(number: str, expected: tuple[Decimal, int] | None) -> None:
    assert quantity._number_value(number) == expected


@pytest.mark.parametrize(
    ("mult", "unit", "value", "expected_unit", "numeral"),
    [
        ("万", "件", Decimal("1.6"), "件", "mixed"),
        ("万", "元", Decimal(305), "万元", "arabic"),
        (None, "个百分点", Decimal(3), "百分点", "arabic"),
    ],
)
def test_with_multiplier(mult: str | None, unit: str, value: Decimal, expected_unit: str, numeral: str) -> None:
    scaled, unit_out, numeral_out = quantity._with_multiplier(value, unit, mult, chinese=False, words=False)
    assert (unit_out, numeral_out) == (expected_unit, numeral)
    assert scaled == (value * 10000 if mult and unit != "元" else value)


@pytest.mark.parametrize(
    ("prefix", "more", "around", "bounds"),
    [
        ("", None, None, (5, 5, None)),
        ("", "余", None, (5, None, "余")),
        ("近", None, None, (None, 5, "近")),
        ("约", None, "左右", (None, None, "约…左右")),
    ],
)
def test_bounds(
    prefix: str, more: str | None, around: str | None, bounds: tuple[int | None, int | None, str | None]
) -> None:
    assert quantity._bounds(Decimal(5), prefix, more, around) == bounds
