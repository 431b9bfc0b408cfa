"""Encoding debris found by the bytes that made it: a run of text is re-encoded and tested
against what a wrong decoding does to it, rather than matched against examples.

- **UTF-8 read as GBK**: UTF-8 bytes decoded as GBK give runs of rare characters (“科学”
  → 绉戝); encoded back to GBK, such a run is valid UTF-8 again. A run is debris when its
  GBK bytes, from a character boundary, hold UTF-8 sequences that decode to Chinese text
  (two characters at least, or one punctuation mark: “ → 鈥).
- **GBK out of step**: a GBK text that lost one byte, or gained one, pairs every byte
  after it with the wrong neighbour until an ASCII byte brings it back in step (“(一)” →
  ?。ㄒ唬?; 科學 → ?茖W). The byte that could not be paired shows as “?”. A run after such
  a “?” (and any ASCII punctuation or digits after it, which are read on their own and
  leave the bytes after them out of step: ?!笆奈濉睍r) is debris when dropping its first
  byte again decodes to Chinese text while the run itself holds what a report never does:
  a phonetic symbol, a pinyin letter, a character of neither the simplified nor the
  traditional standard set, or an ASCII letter glued into the characters (a trail byte on
  its own).

Each finder yields ``(start, end)`` character offsets of exactly the damaged characters.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from checker.load.text import decode_grid

_MAX_RUN = 8  # characters of a run tested after a "?": debris is short, text goes on
_MAX_SKIPPED = 3  # ASCII punctuation and digits between a "?" and the run it begins
# Punctuation a report uses: what decoded debris may hold besides characters.
_PUNCTUATION = frozenset(
    "\u3002\uff0c\u3001\uff1b\uff1a\uff1f\uff01\u201c\u201d\u2018\u2019\uff08\uff09\u300a\u300b"
    "\u3008\u3009\u3010\u3011\u2014\u2026\u00b7\u300c\u300d\u300e\u300f"
)
_UNPAIRED = re.compile("[?\ufffd][?\ufffd]*")
# Two or more UTF-8 sequences of three bytes (CJK, its punctuation, full-width forms, “”…).
_UTF8_RUN = re.compile(rb"(?:[\xe2-\xe9\xef][\x80-\xbf][\x80-\xbf])+")


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@functools.cache
def _standard(char: str) -> bool:
    """A character of the simplified (GB2312) or the traditional (Big5) standard set."""
    for encoding in ("gb2312", "big5"):
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            continue
        return True
    return False


def _reads_as_text(text: str) -> bool:
    return bool(text) and all((_is_han(c) and _standard(c)) or c in _PUNCTUATION for c in text)


def _gbk(char: str) -> bytes | None:
    try:
        return char.encode("gbk")
    except UnicodeEncodeError:
        return None


# --------------------------------------------------------------------------- UTF-8 read as GBK


@functools.cache
def _utf8_lead_chars() -> re.Pattern[str]:
    """The characters whose GBK bytes are a UTF-8 lead of three bytes (E2–E9, EF) and a
    continuation byte (80–BF): the first character of every run of such debris (GBK pairs
    the lead with the byte after it, which UTF-8 makes a continuation)."""
    chars = sorted(decode_grid("gbk", (*range(0xE2, 0xEA), 0xEF), range(0x80, 0xC0)))
    # The character after it starts with the second continuation byte (80–BF): a rare GBK
    # lead, which keeps the common characters of the first set from being tried at all.
    seconds = sorted(decode_grid("gbk", range(0x81, 0xC0), range(0x40, 0xFF)))
    return re.compile("[" + re.escape("".join(chars)) + "](?=[" + re.escape("".join(seconds)) + "])")


def utf8_read_as_gbk(text: str) -> Iterator[tuple[int, int]]:
    lead = _utf8_lead_chars()
    position = 0
    while (m := lead.search(text, position)) is not None:
        start = m.start()
        position = start + 1
        offsets = [0]  # byte offset of each character of the window
        data = bytearray()
        for char in text[start : start + 3 * _MAX_RUN]:
            encoded = _gbk(char)
            if encoded is None or char == "\n":
                break
            data += encoded
            offsets.append(len(data))
        run = _UTF8_RUN.match(bytes(data))
        if run is None:
            continue
        decoded = run.group().decode("utf-8")
        if not _reads_as_text(decoded) or (len(decoded) < 2 and decoded not in _PUNCTUATION):
            continue
        # The run ends inside the character that holds its last byte: that one is damaged too.
        end = start + next(i for i, offset in enumerate(offsets) if offset >= run.end())
        yield start, end
        position = end


# --------------------------------------------------------------------------- GBK out of step


def _out_of_step(run: str) -> int:
    """How many characters of ``run`` (which follows an unpaired byte) are GBK out of
    step: the longest prefix whose bytes, less the first, decode to text while the
    prefix itself does not read as text; 0 if none."""
    for k in range(len(run), 0, -1):
        prefix = run[:k]
        data = prefix.encode("gbk")[1:]
        try:
            decoded = data.decode("gbk")
        except UnicodeDecodeError:
            try:  # the last byte's partner is the next "?"
                decoded = data[:-1].decode("gbk")
            except UnicodeDecodeError:
                continue
        if not _reads_as_text(decoded):
            continue
        odd = prefix[-1].isascii() or any(
            (not _is_han(c) and c not in _PUNCTUATION) or not _standard(c) for c in prefix
        )
        if odd:
            return k
    return 0


def gbk_out_of_step(text: str) -> Iterator[tuple[int, int]]:
    # Most reports hold neither mark. A pattern starting with a class makes re test every
    # character against it (~6 ns each); ``in`` finds a character ~20 × faster.
    if "?" not in text and "\ufffd" not in text:
        return
    for m in _UNPAIRED.finditer(text):
        # ASCII punctuation or digits after the "?" (“?!笆奈濉” of “！“十四五”): a byte that can
        # be no trail byte is read on its own, and the bytes after it may still be out of step.
        run_start = m.end()
        while run_start < len(text) and run_start - m.end() < _MAX_SKIPPED and "\x21" <= text[run_start] <= "\x3f":
            run_start += 1
        run_end = run_start
        while run_end < len(text) and run_end - run_start < _MAX_RUN:
            char = text[run_end]
            if char.isascii():
                if "\x40" <= char <= "\x7e":  # a trail byte shown on its own ends the run
                    run_end += 1
                break
            if char.isspace() or _gbk(char) is None:
                break
            run_end += 1
        damaged = _out_of_step(text[run_start:run_end])
        if not damaged:
            continue
        end = run_start + damaged
        if end == run_end and (after := _UNPAIRED.match(text, end)):  # the unpaired byte that ends it
            end = after.end()
        yield m.start(), end


FINDERS = {"utf8-read-as-gbk": utf8_read_as_gbk, "gbk-out-of-step": gbk_out_of_step}
