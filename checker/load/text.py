"""Plain-text loading: read a file's bytes and decode them without guessing wrong.

Detection order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); strict UTF-8;
strict GB18030 (the superset of GB2312/GBK that Chinese Windows tools write).

Two traps make the order alone unsafe, and each has its own guard:

* GB18030 accepts most byte strings, including UTF-8 Chinese (that is how mojibake
  like ``鍙戝竷`` is made). A file that fails UTF-8 only at a few places but is
  otherwise good UTF-8 is therefore refused as corrupt UTF-8, never re-read as GB18030.
* Short binary files and texts in other legacy encodings (Big5 above all) also decode
  as GB18030. After a GB18030 decode the text must look like Chinese text: no control
  or private-use characters, and nearly every character ASCII or one of the frequent
  characters of GB2312 (simplified) or Big5 level 1 (traditional).

Stdlib only and one pass over the bytes in the common (UTF-8) case: this runs on every
file of a pre-commit hook. :class:`LoadError` and :class:`LoadedText` are shared by all
loaders of the package.
"""

from __future__ import annotations

import codecs
import os
import pathlib
import re
import stat
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from checker.load.limits import MAX_FILE_BYTES
from checker.messages import SaidError, os_reason, say
from checker.model import DocxMap, TableLayout

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_TEXT_CONTROLS = frozenset("\t\n\v\f\r")
# A real text may hold a rare character (朱镕基's 镕 is GBK but not GB2312); binary or
# Big5 read as GB18030 is full of them. Measured on the seeds: ≥ 99.7 % frequent.
_MAX_RARE_SHARE = 0.1
_RARE_ALLOWANCE = 1
# Judge "damaged UTF-8 or GBK?" on the bytes up to the first error and this many after:
# decoding GBK with errors="replace" is slow, and the verdict is clear well before.
_UTF8_SAMPLE_BYTES = 64 * 1024


class LoadError(SaidError):
    """A file that cannot be turned into text: the reason in English and Chinese (every
    reason is a catalogue entry of checker.messages, ``LoadError.said(key, …)``; an
    operating system's reason is said by ``os_reason``)."""

    def __init__(self, reason: str, zh: str | None = None) -> None:
        # One line whatever a library put in its message (lxml ends some with "\n").
        one_line = [" ".join(part.strip() for part in text.splitlines() if part.strip()) for text in (reason, zh or "")]
        super().__init__(one_line[0], one_line[1] or None)


class SourceComment(NamedTuple):
    """A comment of the file that the loaded text leaves out (a web page's ``<!-- … -->``),
    for the stages that read comments (suppressions)."""

    line: int  # 1-based line of the file where the comment starts
    text: str  # what is between its delimiters


class LoadedText(NamedTuple):
    text: str  # decoded, BOM removed, every line end "\n"
    # As detected: "utf-8", "utf-8-sig", "utf-16-le", "gb18030", ...; for other formats
    # the format, with the encoding where there is one: "docx", "pdf", "html/gb18030".
    encoding: str
    # One label per line of ``text`` ("¶37", "表2 行3", "p.3") for formats whose line
    # numbers mean nothing to a person; None for plain text, whose lines are the file's.
    locations: tuple[str, ...] | None = None
    comments: tuple[SourceComment, ...] = ()  # the file's comments, where ``text`` drops them (HTML)
    docx_map: DocxMap | None = None  # where a Word document's text is in its XML
    # The tables of a .docx or HTML file, cell by cell (a row is one line of ``text``, its
    # cells joined by a tab): the parse stage reads them as tables (checker/tables.py).
    tables: tuple[TableLayout, ...] = ()


def decode_bytes(data: bytes) -> LoadedText:
    """Decode ``data`` as described in the module docstring; raise :class:`LoadError`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, len(bom), encoding)
    nul = data.find(b"\x00")
    if nul != -1:
        raise LoadError.said("load-binary", where=nul)
    try:
        return LoadedText(_unify_line_ends(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as utf8_error:
        if _mostly_utf8(data[: utf8_error.start + _UTF8_SAMPLE_BYTES]):
            raise LoadError.said("load-invalid-utf8", where=_describe(data, utf8_error.start)) from None
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            # The encoding that got further is the likelier one: point at its first bad byte.
            where = _describe(data, max(utf8_error.start, gb_error.start))
            raise LoadError.said("load-not-text", where=where) from None
    _check_plausible_chinese(text)
    return LoadedText(_unify_line_ends(text), "gb18030")


def read_bytes(path: pathlib.Path) -> bytes:
    """The bytes of ``path``, at most :data:`MAX_FILE_BYTES`; OSError → LoadError.
    Only a regular file is read: a FIFO, a device or a socket is refused before any read
    (a FIFO would wait for a writer, ``/dev/zero`` never ends)."""
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; the check is on what was opened.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as f:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise _directory_error(path)
            if not stat.S_ISREG(info.st_mode):
                raise LoadError.said("load-not-regular", kind=_file_kind(info.st_mode))
            if info.st_size > MAX_FILE_BYTES:
                raise LoadError.said("load-too-large", size=info.st_size / 2**20, limit=MAX_FILE_BYTES // 2**20)
            # Bounded read: a file that grows while it is read (a log) stops at the limit.
            # Sized by the file first: a read of the limit itself allocates the whole limit
            # (50 MB) for every file, 3 × the time of reading a report of 16 KB.
            data = f.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew (or says size 0, as /proc does): read on
                data += f.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as e:
        # A folder without read permission fails to open with EACCES, not EISDIR.
        raise (_directory_error(path) if os.path.isdir(path) else _os_error(e)) from None
    if len(data) > MAX_FILE_BYTES:
        raise LoadError.said("load-too-large-read", limit=MAX_FILE_BYTES // 2**20)
    return data


def load_text(path: pathlib.Path) -> LoadedText:
    """Read and decode a plain-text file."""
    return decode_bytes(read_bytes(path))


# --------------------------------------------------------------------------- helpers


def _decode_with_bom(data: bytes, bom_length: int, encoding: str) -> LoadedText:
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        text = data[bom_length:].decode(codec)
    except UnicodeDecodeError as e:
        where = _describe(data, bom_length + e.start)
        raise LoadError.said("load-bom-invalid", encoding=encoding.upper(), where=where) from None
    if "\x00" in text:
        raise LoadError.said("load-nul-in-text", encoding=encoding.upper())
    return LoadedText(_unify_line_ends(text), encoding)


def _unify_line_ends(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mostly_utf8(data: bytes) -> bool:
    """True when valid multi-byte UTF-8 characters outnumber the invalid sequences.

    GBK Chinese forms a valid UTF-8 sequence now and then by chance, about one for
    every four invalid ones on the seeds; a damaged UTF-8 file is the other way round.
    """
    decoded = data.decode("utf-8", errors="replace")
    invalid = decoded.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(decoded) - decoded.count("\ufffd") - _ascii_count(data)
    return valid > invalid


def _ascii_count(data: bytes) -> int:
    return len(data) - len(data.translate(None, bytes(range(128))))


def _check_plausible_chinese(text: str) -> None:
    unusual = _unusual_character().findall(text)
    for ch in sorted(set(unusual)):
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F or 0xE000 <= code <= 0xF8FF:
            raise LoadError.said("load-control-character", code=code)
    if len(unusual) > max(_RARE_ALLOWANCE, _MAX_RARE_SHARE * len(text)):
        raise LoadError.said("load-rare-characters", count=len(unusual), total=len(text))


@lru_cache(maxsize=1)
def _unusual_character() -> re.Pattern[str]:
    """Matches any character that is not printable ASCII, text whitespace, in GB2312, or
    among Big5's symbols and level-1 characters. A regex scans at C speed (10 ms for
    7 M characters) where set() or translate() take 10–30 times longer."""
    gb2312 = decode_grid("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    big5 = decode_grid("big5", range(0xA1, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    codes = sorted(map(ord, gb2312 | big5 | _TEXT_CONTROLS | {chr(c) for c in range(0x20, 0x7F)}))
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(
        re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in ranges
    )
    return re.compile(f"[^{members}]")


def decode_grid(codec: str, leads: Iterable[int], trails: Iterable[int]) -> set[str]:
    """Every character of a double-byte code table's cells, in one decode. Each cell is
    followed by a space so that an unassigned cell (U+FFFD, maybe for one byte only) cannot
    shift the next; the trail byte of such a cell, decoded alone, is ASCII and left out."""
    row = bytes(trails)
    cells = bytearray(b" " * (3 * len(row)))  # lead, trail, space: filled by slices, not byte by byte
    cells[1::3] = row
    grid = bytearray()
    for lead in leads:
        cells[0::3] = bytes((lead,)) * len(row)
        grid += cells
    return {c for c in grid.decode(codec, errors="replace") if c >= "\x80"} - {"\ufffd"}


def _describe(data: bytes, offset: int) -> dict[str, str]:
    """Where a byte is, in each language (an argument of :meth:`LoadError.said`)."""
    return {lang: say("load-where", lang, byte=data[offset], offset=offset) for lang in ("zh", "en")}


def _directory_error(path: pathlib.Path) -> LoadError:
    """Folder scanning hands over a folder it could not list (checker.files.expand_paths):
    list it again to say why."""
    try:
        with os.scandir(path):
            pass
    except OSError as e:
        return LoadError.said("load-unlistable", reason={lang: os_reason(e, lang) for lang in ("zh", "en")})
    return LoadError.said("load-directory")


def _os_error(e: OSError) -> LoadError:
    return LoadError(os_reason(e, "en"), os_reason(e, "zh"))


def _file_kind(mode: int) -> dict[str, str]:
    """What the file is, in each language (an argument of :meth:`LoadError.said`); a pipe's
    reason says how to give standard input (``govlint -``, not ``/dev/stdin``)."""
    if stat.S_ISFIFO(mode):
        key = "kind-pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        key = "kind-device"
    elif stat.S_ISSOCK(mode):
        key = "kind-socket"
    else:
        key = "kind-other"
    return {lang: say(key, lang) for lang in ("zh", "en")}
