"""Chinese numerals, read and written: the one place every stage takes them from.

Three forms occur in reports:

* **counting** numerals with places — 十一, 一百零五, 两千三百, 一万零五十, 三亿, 一万亿:
  :func:`parse_numeral` and :func:`format_numeral`;
* **ordinals** of headings and items, 一 … 九十九 (一、 (十二) 二十三是): :func:`parse_ordinal`;
  they are written as counting numerals;
* **digit by digit**, as years are written — 二〇二三年: :func:`parse_digits` and
  :func:`format_digits`.

:func:`parse_numeral` reads only well-formed numerals: places in descending order, each
a tenth of the one before, or a 零 for the gap (一千零五; 一千五 and 一千零五百 are not
numerals); a section after 万 or 亿 starts at its 千 or after a 零 (一万二千, 一万零五,
not 一万二); 十 without a digit only at the start (十二, 十万); 两 before 百 or 千, or as the
only digit of its section (两, 两万, 一万零两), never next to 十; 〇 as 零. The quantity
grammar (checker.extract.quantity) decides what a numeral is in a sentence, with the same
rules and one limit more: it has no 亿 multiplier with 万 (一万亿), which is read here, as
:func:`format_numeral` writes numbers from 10¹² on (tests/test_numerals.py checks that
the two agree). The grammar keeps the recognition, and its values come from here.

Imports nothing from checker: every layer may use it.
"""

from __future__ import annotations

# Each digit character's value: 〇 and 零 are both zero, 两 is two.
DIGIT_VALUES: dict[str, int] = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_DIGITS = "零一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"  # 大写: the characters of amounts and Word's legal numbering
_YEAR_DIGITS = "〇一二三四五六七八九"
_PLACES = {"十": 10, "百": 100, "千": 1000}
_ORDINAL_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_MAX_FORMATTED = 10**16  # 一亿亿 would need a second 亿
_BOUNDARY = None  # the mark of a section's end (万, 亿) among the terms
_Term = tuple[int, int, bool | None]


def parse_numeral(text: str) -> int | None:
    """The value of a counting numeral (module docstring), None if ``text`` is not one."""
    if text in ("零", "〇"):
        return 0
    # Terms (digit, place as a power of ten, 零 before it or the end of a section), from the left.
    terms: list[_Term] = []
    below_yi: list[_Term] = []  # the terms since the last 亿 (一万亿: 万 and 亿 multiply)
    section: list[_Term] = []  # the terms since the last 万 or 亿
    digit: int | None = None
    zero = False
    for index, char in enumerate(text):
        if char in _PLACES:
            if digit is None:
                if index != 0 or char != "十":  # 十二, 十万: a bare 十 only at the start
                    return None
                digit = 1
            elif text[index - 1] == "两" and char == "十":
                return None
            section.append((digit, _PLACES[char], zero))
            digit, zero = None, False
        elif char in "万亿":
            if digit is not None:
                section.append((digit, 1, zero))
                digit, zero = None, False
            if zero or not (section or (char == "亿" and below_yi)):
                return None
            # The section ends with a mark at its ones place: the next section starts at its
            # top place (一万二千), or lower after a 零 (一万零五), whatever zeros end this one.
            section.append((0, 1, _BOUNDARY))
            if char == "万":
                below_yi += [(d, place * 10**4, z) for d, place, z in section]
            else:
                terms += [(d, place * 10**8, z) for d, place, z in below_yi + section]
                below_yi = []
            section = []
        elif char in "零〇":
            if digit is not None or zero or not (section or below_yi or terms):
                return None
            zero = True
        elif char in DIGIT_VALUES:
            if digit is not None:
                return None
            # 两 before 百 or 千, or as the only digit of its section (两, 两万, 一万零两), never
            # next to 十 (二十二, not 十两) or as the ones of a longer section (一百零二).
            if char == "两" and text[index + 1 : index + 2] not in ("百", "千") and section:
                return None
            digit = DIGIT_VALUES[char]
        else:
            return None
    if digit is not None:
        section.append((digit, 1, zero))
    elif zero:
        return None  # a trailing 零
    terms += below_yi + section
    if not terms:
        return None
    value = 0
    previous = 0
    for position, (digit, place, mark) in enumerate(terms):
        # Places descend: each the next lower one, or lower still after a 零.
        if mark is _BOUNDARY:
            fits = place <= previous
        else:
            fits = place * 100 <= previous if mark else place * 10 == previous
        if position and not fits:
            return None
        value += digit * place
        previous = place
    return value


def format_numeral(n: int, *, legal: bool = False) -> str:
    """``n`` (0 ≤ n < 10¹⁶) as a counting numeral: 零, 十一, 一百一十, 二千三百零五, 一万零五十,
    一亿零五百万. ``legal``: in the characters of amounts, 壹拾壹 (no bare 拾)."""
    if not 0 <= n < _MAX_FORMATTED:
        raise ValueError(f"no counting numeral for {n}")
    if n == 0:
        return "零"
    digits = _LEGAL_DIGITS if legal else _DIGITS
    places = "拾佰仟" if legal else "十百千"
    return _format(n, digits, places, bare_ten=not legal)


def _format(n: int, digits: str, places: str, *, bare_ten: bool) -> str:
    for power, name in ((10**8, "亿"), (10**4, "万")):
        if n >= power:
            high, low = divmod(n, power)
            text = _format(high, digits, places, bare_ten=bare_ten) + name
            if low:  # 一万零五十: 零 when the next place is not the tenth of this one
                text += ("零" if low < power // 10 else "") + _format(low, digits, places, bare_ten=False)
            return text
    out: list[str] = []
    gap = False
    for place, name in ((1000, places[2]), (100, places[1]), (10, places[0]), (1, "")):
        digit = n // place % 10
        if digit == 0:
            gap = bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        if not (digit == 1 and place == 10 and not out and bare_ten):  # 十一, not 一十一
            out.append(digits[digit])
        out.append(name)
    return "".join(out)


def parse_ordinal(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23: the numbers of headings and items (1 … 99)."""
    if len(text) == 1:  # most headings and items
        return 10 if text == "十" else _ORDINAL_DIGITS.get(text)
    tens, ten, ones = text.partition("十")
    if not ten or len(tens) > 1 or len(ones) > 1:
        return None
    tens_value = _ORDINAL_DIGITS.get(tens, 0 if not tens else -1)
    ones_value = _ORDINAL_DIGITS.get(ones, 0 if not ones else -1)
    if tens_value < 0 or ones_value < 0:
        return None
    return (tens_value or 1) * 10 + ones_value


def parse_digits(text: str) -> int | None:
    """二〇二三 → 2023: each character a digit (〇 or 零 for zero), as years are written."""
    if not text:
        return None
    value = 0
    for char in text:
        digit = DIGIT_VALUES.get(char)
        if digit is None or char == "两":
            return None
        value = value * 10 + digit
    return value


def format_digits(n: int, *, legal: bool = False) -> str:
    """2023 → 二〇二三 (``legal``: 贰零贰叁), digit by digit, for n ≥ 0."""
    digits = "零壹贰叁肆伍陆柒捌玖" if legal else _YEAR_DIGITS
    return "".join(digits[int(d)] for d in str(n))
