"""Uploads: a multipart body read as it streams in, each file written straight into the
session's private folder under a name made here, within the loader's limits.

The name a file had on the reviewer's computer (or in a .zip) is shown, never used: a
stored file is ``00001.docx`` — a counter and the suffix, one of the formats govlint
reads — so ``../../x.txt``, ``C:\\Windows\\x``, a device name or a name of control
characters cannot place a file anywhere. A file over ``GOVLINT_MAX_FILE_MB`` stops the
upload when that many bytes have arrived, not after; a .zip is unpacked with the limits a
.docx is read with (members, bytes unpacked, ratio), each member read in bounded pieces
and never past its declared size.
"""

from __future__ import annotations

import itertools
import os
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO, NamedTuple

from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header

from checker.files import display_path
from checker.load import LOADED_SUFFIXES, unread_advice
from checker.load.limits import (
    MAX_FILE_BYTES,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_RATIO,
    ZIP_RATIO_MIN_BYTES,
)

ZIP_SUFFIX = ".zip"
ACCEPTED_SUFFIXES = (*LOADED_SUFFIXES, ZIP_SUFFIX)
# The page's choices travel as short form fields; anything longer is not the page's.
MAX_FIELD_BYTES = 400
_MAX_FIELDS = 16
_PIECE = 64 * 1024  # bytes read from a .zip member at a time
_MB = 2**20


class Refused(Exception):
    """The whole upload is refused; ``str()`` is one Chinese line for the page."""


class Arrival(NamedTuple):
    """One file of an upload: the name it came with (shown, never used as a path), where
    it was stored (a name made here), or why it was not."""

    shown: str
    path: Path | None
    refusal: str | None = None


class Folder:
    """A session's private folder (0700, made with its first file) and the names of the files
    stored in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # next() of a count is atomic: a .zip unpacked in a thread and an upload under way
        # in the server's loop never draw the same number.
        self._numbers = itertools.count(1)

    def new_file(self, suffix: str) -> tuple[Path, IO[bytes]]:
        """A new file of ``suffix`` (one of ACCEPTED_SUFFIXES), open for writing, readable by
        this user only; never an existing one (O_EXCL: a planted link is not followed)."""
        assert suffix in ACCEPTED_SUFFIXES
        self.path.mkdir(mode=0o700, exist_ok=True)  # made with the first file: a page left unused makes none
        path = self.path / f"{next(self._numbers):05d}{suffix}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        return path, os.fdopen(fd, "wb")


def shown_name(name: str) -> str:
    """A name from the reviewer's computer or a .zip as the page shows it: controls escaped
    (a line break or a terminal escape), never empty."""
    return display_path(Path(name)) if name.strip() else "(无名文件)"


def suffix_of(name: str) -> str:
    """The lower-case suffix of the last component of ``name`` (``/`` or ``\\`` separated)."""
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def refusal_for_suffix(name: str) -> str | None:
    """Why a file named ``name`` is not taken, or None if it is in an accepted format."""
    suffix = suffix_of(name)
    if suffix in ACCEPTED_SUFFIXES:
        return None
    advice = unread_advice(Path(f"x{suffix}"), "zh") if suffix else None
    formats = "、".join(s for s in ACCEPTED_SUFFIXES if s != ".htm")
    kind = f"“{suffix}”文件" if suffix else "没有扩展名的文件"
    return advice or f"不接受{kind}:请上传 {formats} 文件"


def too_large(size: int | None = None) -> str:
    limit = MAX_FILE_BYTES // _MB
    what = f"({size / _MB:.0f} MB)" if size else ""
    return f"文件过大{what}:每个文件不能超过 {limit} MB(GOVLINT_MAX_FILE_MB)"


class Receiver:
    """Feeds a multipart body to python-multipart as it arrives: form fields are kept
    (short ones), file parts are written into ``folder``; :meth:`feed` raises
    :class:`Refused` as soon as a file passes the size limit. :meth:`discard` removes
    what an unfinished upload wrote."""

    def __init__(self, content_type: str, folder: Folder) -> None:
        kind, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise Refused("上传格式不对:需要 multipart/form-data")
        self.folder = folder
        self.fields: dict[str, str] = {}
        self.arrivals: list[Arrival] = []
        self._written: list[Path] = []
        self._headers: dict[bytes, bytes] = {}
        self._field, self._value = b"", b""
        self._name: str | None = None  # the form field of the part under way
        self._filename: str | None = None
        self._field_bytes = bytearray()
        self._file: IO[bytes] | None = None
        self._path: Path | None = None
        self._size = 0
        callbacks = {
            "on_part_begin": self._part_begin, "on_header_field": self._header_field,
            "on_header_value": self._header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }  # fmt: skip
        self._parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]

    def feed(self, chunk: bytes) -> None:
        try:
            self._parser.write(chunk)
        except Refused:
            raise
        except Exception as e:  # python-multipart's parse errors: a damaged or hostile body
            raise Refused(f"上传内容无法读取({type(e).__name__})") from None

    def finish(self) -> None:
        """The body ended: a part still open means it was cut short."""
        self._parser.finalize()
        if self._file is not None or self._name is not None:
            raise Refused("上传中断:文件没有传完整")

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        for path in self._written:
            path.unlink(missing_ok=True)

    def _part_begin(self) -> None:
        self._headers = {}
        self._field_bytes.clear()
        self._size = 0

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        self._filename = None if filename is None else filename.decode("utf-8", "replace")
        if self._filename is None:
            if len(self.fields) >= _MAX_FIELDS:
                raise Refused("上传内容无法读取(表单字段过多)")
            return
        shown = shown_name(self._filename)
        refusal = refusal_for_suffix(self._filename)
        if refusal is not None:
            self.arrivals.append(Arrival(shown, None, refusal))
            return
        self._path, self._file = self.folder.new_file(suffix_of(self._filename))
        self._written.append(self._path)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._filename is None:
            self._field_bytes += data[start:end]
            if len(self._field_bytes) > MAX_FIELD_BYTES:
                raise Refused("上传内容无法读取(表单字段过长)")
            return
        if self._file is None:  # a refused file: its bytes are dropped as they come
            return
        self._size += end - start
        if self._size > MAX_FILE_BYTES:
            raise Refused(f"{shown_name(self._filename)}:{too_large()}")
        self._file.write(data[start:end])

    def _part_end(self) -> None:
        if self._filename is None and self._name is not None:
            self.fields[self._name] = self._field_bytes.decode("utf-8", "replace")
        elif self._file is not None and self._path is not None and self._filename is not None:
            self._file.close()
            self._file = None
            self.arrivals.append(Arrival(shown_name(self._filename), self._path))
        self._name = self._filename = None


def unpack(arrival: Arrival, folder: Folder) -> tuple[list[Arrival], int]:
    """The reports in the .zip ``arrival``, each stored in ``folder`` (the archive itself is
    removed), and how many members were skipped as not reports (images, spreadsheets, folders).
    A member over a limit is refused alone; an archive over one is refused whole."""
    assert arrival.path is not None
    try:
        return _unpack(arrival, arrival.path, folder)
    finally:
        arrival.path.unlink(missing_ok=True)


def _unpack(arrival: Arrival, path: Path, folder: Folder) -> tuple[list[Arrival], int]:
    def refused(reason: str) -> tuple[list[Arrival], int]:
        return [Arrival(arrival.shown, None, reason)], 0

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return refused("不是有效的 zip 压缩包")
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            return refused(f"压缩包内文件过多({len(members)} 个,上限 {MAX_ZIP_MEMBERS} 个,GOVLINT_MAX_ZIP_MEMBERS)")
        reports = [info for info in members if suffix_of(_member_name(info)) in LOADED_SUFFIXES]
        unpacked = sum(info.file_size for info in reports)
        if unpacked > MAX_UNZIPPED_BYTES:
            return refused(
                f"压缩包解压后过大({unpacked / _MB:.0f} MB,上限 {MAX_UNZIPPED_BYTES // _MB} MB,GOVLINT_MAX_UNZIPPED_MB)"
            )
        found = [_member(archive, info, f"{arrival.shown}/{shown_name(_member_name(info))}", folder)
                 for info in reports]
        return found, len(members) - len(reports)


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its archiver meant it: without the UTF-8 flag, zipfile reads the
    name as code page 437, but Windows in Chinese writes it in GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, folder: Folder) -> Arrival:
    if info.flag_bits & 0x1:
        return Arrival(shown, None, "压缩包内文件已加密,无法读取")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return Arrival(shown, None, "压缩方式不受支持(只接受 deflate 或不压缩)")
    if info.file_size > MAX_FILE_BYTES:
        return Arrival(shown, None, too_large(info.file_size))
    if info.file_size > ZIP_RATIO_MIN_BYTES and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        return Arrival(shown, None, f"疑似压缩炸弹(压缩比 {ratio:.0f}:1,上限 {MAX_ZIP_RATIO}:1,GOVLINT_MAX_ZIP_RATIO)")
    path, out = folder.new_file(suffix_of(_member_name(info)))
    try:
        with out, archive.open(info) as member:
            _copy(member.read, out, info.file_size)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, _Overflow):
        path.unlink(missing_ok=True)
        return Arrival(shown, None, "压缩包内文件已损坏")
    return Arrival(shown, path)


class _Overflow(Exception):
    """A member inflates past the size it declares."""


def _copy(read: Callable[[int], bytes], out: IO[bytes], declared: int) -> None:
    """Copy in pieces, never holding or writing more than ``declared`` + one piece."""
    written = 0
    while piece := read(_PIECE):
        written += len(piece)
        if written > declared:
            raise _Overflow
        out.write(piece)
