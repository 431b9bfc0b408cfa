"""Extract stage, first half: the quantities a report states (``326件``, ``1.6万余条``,
``近305万元``, ``99.89%``, ``八十多项``, ``百分之百``).

Two passes, for speed and precision: compiled regexes (:data:`NUMBER_CANDIDATE`,
:data:`PERCENT_IN_WORDS`) find candidate spans (number + multiplier + unit; the marker
before it is read by :func:`_prefix`), then the LALR grammar :data:`GRAMMAR` (lark, built
once on first use) recognizes the Chinese numeral of each candidate that survives the
context checks, and :mod:`checker.numerals` reads its value; plain Arabic numbers, and
Chinese ones below 10 000 without 零, need no grammar (:data:`_SMALL_NUMERAL`). Never
Earley: it is ~35× slower and misreads 百分之百.

Grammar of numbers (:func:`parse_number`)
    Arabic ``1582``, ``1,582`` (groups of exactly three), ``99.563``; full-width digits
    are folded (the view has them folded already). Chinese: the standard written form
    below 10¹²: sections below 10⁴ (``一千零一十``, ``一百零五``, ``三十六``) joined by
    万 and 亿, each 零 standing for the gap before a smaller place (``一万零五``,
    ``一亿零五百万``, ``一亿零一千``);
    ``十``/``十二`` at the start (``一十二`` is accepted too), inner tens as ``一十``;
    ``两`` for 2 alone or before 百/千/万/亿, never next to 十; ``点`` + digits for a
    fraction; a lone ``零`` is 0. ``百分之`` + a Chinese number or ``百`` is a
    percentage in words. Anything else (``二〇二一``, ``三四十``, ``十四五``, ``一百二``)
    is a syntax error: not a number we can read, hence no quantity.

A quantity (:class:`Quantity`) needs a unit or a percent sign
    A bare number is a name, a date, a ranking or debris far more often than a count, so
    ``12345热线``, ``110刑事治安总警情``, ``3820战略``, ``6.26禁毒日``, ``2023年``,
    ``1月29日`` and ``1080万外来游客`` yield nothing. Units are the counting words of
    DOMAIN.md §3 plus a few more (:data:`UNITS`); the unit must follow the number
    directly (after an optional 万/亿 and 余/多).

Multipliers and money
    万/亿 after an Arabic number, or after 余/多 (``十多万人``), multiply the value:
    ``1.6万余条`` is 16000 条. Money keeps the unit as written, because reports compare
    money in that unit: ``近305万元`` is 305 with unit 万元 (also ``251余万元``); a
    Chinese numeral carries 万 as a place value, so ``三万元`` is 30000 元. Compare money
    by :attr:`Quantity.base_value` (元), or scale bounds by :attr:`Quantity.scale`.

Approximation markers → bounds (``lower``/``upper``; ``None`` = unbounded)
    exact: lower = upper = value (``达`` is not a marker: 化解率达100% is exact);
    余 多 超 超过 逾 以上: [value, ∞);  近 将近 以下: (−∞, value] (近 means just below);
    约 左右 上下: unbounded both ways — approximate either side, so a check may use it
    only loosely. Two markers (``超过90%以上``) intersect; ``approx`` then reads
    ``超过…以上``. A marker glued to a word is not one: 节约 制约 签约, 附近 最近 临近,
    赶超 高超 leave the quantity exact.

Not quantities (precision first: skipping a real count costs less than inventing one)
    - inside quotes or titles: “…” ‘…’ 「…」 《…》 "…" (up to 80 characters): slogans and
      names (“三重一大”, “1+5+N”, “八五”普法, “6.26”, “四个意识”, 《…2020年度…》);
    - ordinals: after 第 (第3次), after 届 (六届九次), X次全会, and a Chinese numeral
      before 期 (一期工程, 二期), since counts of sessions are written in Arabic (3期);
    - lists of bare numerals and ranges: after ``一、`` / ``3、`` (一、二期), and both ends
      of ``3-5人``, ``5%～10%``, ``9亿至16亿`` (a range is not a stated count); after
      ``digit:`` or ``digit/`` (times, dates);
    - a lone 一 or 二 (一批, 一次会议, 二次创业: an article or an ordinal; a count of two
      is written 两), a lone 零/〇 (零件), vague 数十/几十 (after 数, 几);
    - a unit character that starts a word: 人民 人大 人口 名单 条例 元旦 期间 户籍 …
      (:data:`NOT_A_UNIT`), and fixed political phrases 四个意识 两个维护 五个现代化 …;
    - Arabic numbers with a leading zero (``05人``, ``00%``), and numbers longer than
      32 characters (no count is; it also bounds the parser's work).
Headings (一、 (一) 1.), 一是/二是, 十九大, years and dates need no rule: no unit follows.

Multiples
    ``3倍``, ``1.5倍``, ``三倍``, ``一倍`` (增长一倍: the lone 一 is a number here) are
    quantities with the unit 倍, of no unit class: claims.py reads them as multiples of
    last year's value when the words before them say so (是上年的, 增长).
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal, cast

from checker.model import Quantity
from checker.numerals import DIGIT_VALUES, parse_numeral

if TYPE_CHECKING:
    from lark import Lark

GRAMMAR = r"""
// A numeral as written. Rules prefixed with ? are inlined when they have one child.
?start: ARABIC                              -> arabic
      | chinese
      | "百分之" chinese                    // 百分之九十五
      | "百分之" "百"                       -> one_hundred

chinese: integer ("点" FRACTION)?

?integer: _ZERO                             -> zero
        | lead "亿" after_yi?              -> yi
        | lead "万" after_wan?             -> wan
        | lead

// After 亿: the 万 section starting at 千 (一亿二千万), or 零 and a smaller number.
?after_yi: thousands "万" after_wan?       -> wan
         | _ZERO below_1000 "万" after_wan? -> wan
         | _ZERO section

// After 万: a full section starting at 千 (一万二千), or 零 and a smaller one (一万零五).
?after_wan: thousands
          | _ZERO below_1000

?lead: section
     | "十" ones?                           -> ten      // 十, 十二: only at the start

?section: thousands | below_1000
?below_1000: hundreds | tens | digit

thousands: digit "千" after_thousand?
?after_thousand: hundreds | _ZERO tens | _ZERO ones
hundreds: digit "百" after_hundred?
?after_hundred: tens | _ZERO ones
tens: ones "十" ones?

digit: DIGIT | LIANG                        // alone or before 百 千 万 亿
ones: DIGIT                                 // next to 十 or after 零

ARABIC: /[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|[0-9]+(\.[0-9]+)?/
DIGIT: /[一二三四五六七八九]/
LIANG: "两"
_ZERO: /[零〇]/
FRACTION: /[零〇一二三四五六七八九]+/
"""

# Counting units (DOMAIN.md §3) and a few more; 万元/亿元 arise from 万/亿 + 元.
UNITS: tuple[str, ...] = (
    "个百分点", "百分点", "人次", "批次", "场次", "剂次", "户次", "件次", "小时", "平方米", "公里",
    "%", "‰", "件", "起", "宗", "人", "名", "批", "场", "次", "期", "项", "份", "家", "户", "个",
    "条", "元", "处", "块", "所", "例", "篇", "张", "台", "辆", "支", "轮", "亩", "倍",
)  # fmt: skip

_UNIT_CLASS: dict[str, str] = {
    **dict.fromkeys(("件", "起", "宗", "个", "条", "项", "例"), "case"),
    **dict.fromkeys(("人", "名"), "person"),
    "人次": "person-time",
    **dict.fromkeys(("次", "场", "场次", "期"), "occasion"),
    **dict.fromkeys(("元", "万元", "亿元"), "money"),
    "%": "percent",
}

# Words that begin with a unit character: the number before them counts nothing
# (12345人民热线, 2021元旦, X次全会) or is a fixed political phrase (四个意识).
_NOT_A_UNIT_WORDS = (
    "人民|人大|人口|人才|人社|人防|人身|人力|人事|人文|人居|人员|人工|名单|名称|名义|名录"
    "|条例|条件|条款|元旦|元宵|元素|元年|元月|期间|期限|户籍|户口|户外|家庭|家属|家长"
    "|起诉|起草|起来|起到|起点|宗教|宗旨|场所|场地|场景|处理|处置|处罚|批准|批复|批示"
    "|份额|次日|次全会|张贴|台账|所有|所属|支持|支部|支出"
    "|个意识|个自信|个维护|个全面|个确立|个现代化|个走在|个一百年"
).split("|")
NOT_A_UNIT: re.Pattern[str] = re.compile("|".join(map(re.escape, _NOT_A_UNIT_WORDS)))
# The first two characters of each (every word has two or more): a unit that starts none of
# them, as nearly every unit, needs no match of the alternation.
_NOT_A_UNIT_STARTS = frozenset(word[:2] for word in _NOT_A_UNIT_WORDS)

_CN_CHARS = "〇零一二两三四五六七八九十百千万亿"
_CN_FRACTION = r"(?:点[〇零一二三四五六七八九]++)?+"
_PREFIXES = ("将近", "超过", "近", "约", "超", "逾")
_PREFIX_ENDS = frozenset(marker[-1] for marker in _PREFIXES)

# Candidates come from two patterns, each starting with what re can skip ahead to (a
# character class, a literal): a pattern that starts with an optional group or a
# look-behind is tried at every character of the text, ~10× slower. The markers before a
# number (_PREFIXES) are read by _prefix, not matched.
_AROUND = r"(?P<around>左右|以上|以下|上下)?+"
NUMBER_CANDIDATE: re.Pattern[str] = re.compile(
    # A number, multipliers, 余/多 and a unit. Possessive quantifiers: a number is taken
    # whole or not at all, never retried shorter, so failing costs linear time.
    r"(?P<number>[0-9〇零一二两三四五六七八九十]"
    # Arabic (not right after a digit or a point: the middle of a number) ...
    r"(?:(?<=[0-9])(?<![0-9.].)(?:[0-9]{0,2}+(?:,[0-9]{3})++|[0-9]*+)(?:\.[0-9]++)?+"
    # ... or Chinese, which starts with a digit or 十 (百姓, 千万, 万一 are words).
    rf"|(?<=[^0-9])(?<![{_CN_CHARS}].)[{_CN_CHARS}]*+{_CN_FRACTION})"
    r")"
    # What may follow a number, as one class: most numerals of a text (进一步, 统一, 十九大)
    # are followed by none of it, and a class fails them in one test where the groups below
    # and the units' alternation take one test each.
    rf"(?=[万亿余多{re.escape(''.join(sorted({unit[0] for unit in UNITS})))}])"
    r"(?P<mult1>[万亿])?+(?P<more>[余多])?+(?P<mult2>[万亿])?+"
    rf"(?P<unit>{'|'.join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))})"
    + _AROUND
)
# A percentage in words (百分之九十五); no unit follows.
PERCENT_IN_WORDS: re.Pattern[str] = re.compile(rf"(?P<number>百分之[{_CN_CHARS}]++{_CN_FRACTION})" + _AROUND)

# Quoted stretches within one line; bounded, so an unpaired quote costs at most 80 steps.
_QUOTED = re.compile(r"“[^“”\n]{0,80}”|‘[^‘’\n]{0,80}’|「[^「」\n]{0,80}」|《[^《》\n]{0,80}》|\"[^\"\n]{0,80}\"")

_LOWER_MARKERS = frozenset({"余", "多", "超", "超过", "逾", "以上"})
_UPPER_MARKERS = frozenset({"近", "将近", "以下"})
# A prefix glued to the word before it is part of that word: 节约30万元 is exact.
_NOT_A_PREFIX_AFTER: dict[str, str] = {"约": "节制签预契相违履邀", "近": "附最临靠贴亲邻", "超": "赶高"}
_RANGE_JOINERS = frozenset("-~～—–至到+")
_ARABIC_DIGITS = frozenset("0123456789")
_NUMERAL_CHARS = frozenset(_CN_CHARS) | _ARABIC_DIGITS
_MAX_NUMBER_LENGTH = 32
# The largest quantity read (exclusive), as a power of ten: a report's largest figures are
# sums in 亿元 (~10^12). Beyond it a "number" is debris, and Decimal's 28 digits would
# overflow when 万/亿 scale it (1111111111111111111111111万件 raised InvalidOperation).
MAX_QUANTITY_DIGITS = 18
_ONE = Decimal(1)
_FULL_WIDTH = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF0C: ord(","), 0xFF0E: ord(".")}


def unit_class(unit: str | None) -> str:
    """The class a unit compares within: "case", "person", "person-time", "occasion",
    "money", "percent" or "other" (份 家 户 批 ‰ 百分点 …)."""
    return _UNIT_CLASS.get(unit or "", "other")


@cache
def _parser() -> Lark:
    from lark import Lark  # lazy: importing this module must not import lark

    from checker import cache

    # Building the LALR tables takes ~50 ms; lark's own cache (keyed by the grammar and
    # lark's version) makes later runs load them instead.
    # The tables are a pickle that lark loads: only from this user's own cache.
    tables = cache.entry("quantity-grammar.lark")
    if cache.usable(tables):
        try:
            return Lark(GRAMMAR, parser="lalr", cache=str(tables))
        except OSError:
            pass
    return Lark(GRAMMAR, parser="lalr")


_PLAIN_ARABIC = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.(\d+))?")
# The Chinese numerals reports mostly write: below 10 000, without 零 (八十, 一百二十, 两千三百,
# 十五): exactly the strings of the grammar over 一…九 两 十 百 千 (tests/test_quantity.py
# checks that against the grammar, string by string). Reading them here keeps lark
# (~30 ms to import and load) out of a one-report run; everything else goes to the grammar.
_D, _O = "[一二三四五六七八九两]", "[一二三四五六七八九]"  # 两 before 百/千 or alone, never next to 十
_SMALL_NUMERAL = re.compile(
    rf"十{_O}?|{_O}十{_O}?|{_D}百(?:{_O}十{_O}?)?|{_D}千(?:{_D}百(?:{_O}十{_O}?)?)?|{_D}"
)


def _small_numeral(text: str) -> int | None:
    """The value of a small numeral, also as a percentage in words (百分之九十, 百分之百);
    None when the grammar has to decide."""
    if text.startswith("百分之"):
        text = text[3:]
        if text == "百":
            return 100
    return parse_numeral(text) if _SMALL_NUMERAL.fullmatch(text) else None


def _parse(text: str) -> tuple[Decimal, int]:
    """(value, decimals) of a numeral; ValueError if it is not one."""
    plain = _PLAIN_ARABIC.fullmatch(text)
    if plain:  # most numbers in a report: Decimal reads them as the grammar would, without lark
        return Decimal(text.replace(",", "")), len(plain.group(1) or "")
    small = _small_numeral(text)
    if small is not None:
        return Decimal(small), 0
    parsed = _parse_numeral(text)
    if parsed is None:
        raise ValueError(f"not a number: {text!r}")
    return parsed


@lru_cache(maxsize=4096)
def _parse_numeral(text: str) -> tuple[Decimal, int] | None:
    """The grammar's reading of a numeral, None if it is not one. Cached: a report repeats
    its numerals (一百, 三十多) and an archive repeats them across reports."""
    from lark.exceptions import LarkError

    text = text.strip().translate(_FULL_WIDTH)
    try:
        _parser().parse(text)  # the grammar says whether it is a numeral; checker.numerals reads it
    except LarkError:
        return None
    if text[0] in "0123456789":  # ARABIC: 1,582 or 007
        plain = text.replace(",", "")
        return Decimal(plain), len(plain.partition(".")[2])
    text = text.removeprefix("百分之")
    if text == "百":  # 百分之百
        return Decimal(100), 0
    integer, _, fraction = text.partition("点")
    value = parse_numeral(integer)
    assert value is not None  # every integer of the grammar is a numeral of checker.numerals
    decimals = "".join(str(DIGIT_VALUES[c]) for c in fraction)
    return (Decimal(f"{value}.{decimals}") if decimals else Decimal(value)), len(decimals)


def parse_number(text: str) -> Decimal:
    """The value of one numeral: ``三十六`` → 36, ``1,582`` → 1582, ``百分之百`` → 100.
    Multipliers after Arabic numbers (``1.6万``) belong to the quantity, not the numeral.
    Raises ValueError for anything else, e.g. ``二〇二一`` (a year, not a count)."""
    return _parse(text)[0]


def find_quantities(view_text: str) -> list[Quantity]:
    """All quantities in ``view_text`` (a normalized view or a part of one), in order."""
    candidates = _candidates(view_text)
    if not candidates:
        return []
    quoted = [m.span() for m in _QUOTED.finditer(view_text)]
    quoted_starts = [s for s, _ in quoted]
    found: list[Quantity] = []
    previous_end = -1  # where the previous candidate ended: "3人至5人" is a range
    for m in candidates:
        if m.start() < previous_end:
            continue  # inside the previous candidate (百分之九十五 holds 九十五)
        start = m.start()
        prefix = _prefix(view_text, start, previous_end) if start and view_text[start - 1] in _PREFIX_ENDS else ""
        q = _quantity(view_text, m, prefix, previous_end)
        previous_end = m.end()
        if q is None:
            continue
        i = bisect.bisect_right(quoted_starts, q.number_start) - 1
        if i < 0 or q.number_start >= quoted[i][1]:
            found.append(q)
    return found


# --------------------------------------------------------------------------- helpers


def _candidates(text: str) -> list[re.Match[str]]:
    """Both kinds of candidate, in text order."""
    numbers = list(NUMBER_CANDIDATE.finditer(text))
    if "百分之" not in text:
        return numbers
    return sorted([*numbers, *PERCENT_IN_WORDS.finditer(text)], key=lambda m: m.start())


def _prefix(text: str, start: int, previous_end: int) -> str:
    """The approximation marker written right before a number at ``start`` (将近, 超过, 近,
    约, 超, 逾), or "". Two-character markers first; never inside the previous candidate.
    The caller checks first that the character before ``start`` ends a marker."""
    for marker in _PREFIXES:
        begin = start - len(marker)
        if begin >= max(previous_end, 0) and text.startswith(marker, begin):
            return marker
    return ""


def _quantity(text: str, m: re.Match[str], prefix: str, previous_end: int) -> Quantity | None:
    """The quantity of one candidate, or None when its context says it is not one."""
    # The groups in one call (~50 a report): number, multiplier, 余/多, multiplier, unit, around.
    words = m.re is PERCENT_IN_WORDS
    if words:
        (number, around), unit, mult1, more, mult2 = m.groups(), None, None, None, None
    else:
        number, mult1, more, mult2, unit, around = m.groups()
    if len(number) > _MAX_NUMBER_LENGTH:
        return None
    ns, ne = m.span(1)
    start = ns - len(prefix)
    if prefix and start > 0 and text[start - 1] in _NOT_A_PREFIX_AFTER.get(prefix, ""):
        prefix = ""
        start = ns
    chinese = number[0] not in _ARABIC_DIGITS
    if _not_a_quantity(text, m, start, previous_end, number, unit, chinese, words):
        return None
    mult = mult1 or mult2
    if (mult1 and mult2) or (mult and unit in ("%", "‰", "个百分点", "百分点")):
        return None
    parsed = _number_value(number)
    if parsed is None:
        return None
    value, decimals = parsed
    scale = 8 if "亿" in (mult1, mult2) else 4 if mult else 0
    if value.adjusted() + scale >= MAX_QUANTITY_DIGITS:
        return None
    if mult or words or unit == "个百分点":
        value, unit, numeral = _with_multiplier(value, unit, mult, chinese, words)
    else:  # most quantities: the value and unit as written
        numeral = "chinese" if chinese else "arabic"
    if prefix or more or around:
        lower, upper, approx = _bounds(value, prefix, more, around)
    else:  # exact
        lower, upper, approx = value, value, None
    # Positional: keyword arguments cost twice as much, and reports state ~50 quantities.
    # value, lower, upper, approx, decimals, unit, is_percent, numeral, start, end, number span
    return Quantity(value, lower, upper, approx, decimals, unit, unit == "%", numeral, start, m.end(), ns, ne)


def _not_a_quantity(
    text: str,
    m: re.Match[str],
    start: int,
    previous_end: int,
    number: str,
    unit: str | None,
    chinese: bool,
    words: bool,
) -> bool:
    """Whether the words around a candidate make it something else: an ordinal (第3), the
    ends of a range (3-5人), a time or a date (11:48, 2021/1/15), a list number (一、),
    a unit that is a word's start, a lone 一 or 二, a number with a leading 0."""
    before = text[start - 1] if start > 0 else "\n"
    before2 = text[start - 2] if start > 1 else "\n"
    if before in "第届" or (chinese and before in "数几"):
        return True
    if before in _RANGE_JOINERS and (before2 in _NUMERAL_CHARS or previous_end == start - 1):
        return True  # the upper end of a range: 3-5人, 5%～10%, 3人至5人
    if (before in ":/" and before2 in _ARABIC_DIGITS) or (before == "、" and before2 in _NUMERAL_CHARS):
        return True  # 11:48, 2021/1/15, 一、二期
    end = m.end()
    if end + 1 < len(text) and text[end] in _RANGE_JOINERS and text[end + 1] in _NUMERAL_CHARS:
        return True  # the lower end of a range: 3人-5人
    if unit:
        unit_start = m.start("unit")
        if text[unit_start : unit_start + 2] in _NOT_A_UNIT_STARTS and NOT_A_UNIT.match(text, unit_start):
            return True
    if chinese and not words and ((number in ("一", "二") and unit != "倍") or number in ("零", "〇") or unit == "期"):
        return True  # 一批 二次创业 零件 一期工程; but 增长一倍 is a multiple
    return not chinese and len(number) > 1 and number[0] == "0" and number[1] != "."


def _number_value(number: str) -> tuple[Decimal, int] | None:
    """The value of the digits as written and their decimals; None for Chinese numerals
    that are no number (十四五, 三四十, 一二)."""
    if number.isdigit():  # most numbers: ASCII digits only (the candidate pattern's), no leading 0
        return Decimal(number), 0
    try:
        return _parse(number)
    except ValueError:
        return None


def _with_multiplier(
    value: Decimal, unit: str | None, mult: str | None, chinese: bool, words: bool
) -> tuple[Decimal, str | None, Literal["arabic", "chinese", "mixed"]]:
    """The value with 万/亿 applied, its unit (money keeps the multiplier: 305万元; 百分之
    is %; 个百分点 is 百分点) and how its numeral was written."""
    numeral: Literal["arabic", "chinese", "mixed"] = "chinese" if chinese else "arabic"
    if words:
        unit = "%"
    elif unit == "元" and mult:
        unit = mult + "元"  # money stays in the unit as written: 305万元
    elif mult:
        value = value.scaleb(4 if mult == "万" else 8)
        if cast(int, value.as_tuple().exponent) > 0:  # an int: the value is finite
            value = value.quantize(_ONE)  # 16000, not 1.6E+4
        numeral = "chinese" if chinese else "mixed"
    if unit == "个百分点":
        unit = "百分点"
    return value, unit, numeral


def _bounds(
    value: Decimal, prefix: str, more: str | None, around: str | None
) -> tuple[Decimal | None, Decimal | None, str | None]:
    """Lower and upper bound and the approximation markers as written: 余/超过/以上 leave
    the upper bound open, 近/以下 the lower one, 约/左右 both; an exact number is its own
    bounds."""
    if not (prefix or more or around):
        return value, value, None
    markers = [x for x in (prefix, more, around) if x]
    lower = None if _LOWER_MARKERS.isdisjoint(markers) else value
    upper = None if _UPPER_MARKERS.isdisjoint(markers) else value
    return lower, upper, "…".join(markers)

