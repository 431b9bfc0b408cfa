"""Bounded work for pdfminer: decoding PDF streams, and interpreting a page.

pdfminer decodes a stream whole: ``zlib.decompress`` turns a 200 KB stream into 200 MB
(deflate inflates up to 1032 times, and filters can be chained), LZW and run-length
codes are as generous, and its CCITT fax decoder allocates rows as wide as the stream
says. On a damaged Flate stream it falls back to inflating byte by byte into a growing
``bytes``: quadratic, 3 s for a 400 KB stream and hours for a damaged embedded font,
which merely damaged files have.

pdfminer looks these decoders up as attributes of ``pdfminer.pdftypes`` at each call;
:func:`install` replaces them with linear ones that share one budget per load
(:func:`budget`) and raise :class:`~checker.load.LoadError` when it is spent. Text
extraction never decodes an image, so a fax-encoded stream being decoded is hostile
and refused.

A page is bounded too: one content stream can hold a million text operators in a few MB
(3.9 GB and a minute before this bound). :func:`page` counts, for the page being read,
the operators pdfminer interprets and the characters it lays out, and refuses the file
past :data:`MAX_PDF_PAGE_OPERATORS` or :data:`MAX_PDF_PAGE_CHARS` — before the layout
of those characters is built.
"""

from __future__ import annotations

import io
import types
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, cast

from checker.load.limits import MAX_PDF_PAGE_CHARS, MAX_PDF_PAGE_OPERATORS, MAX_UNZIPPED_BYTES
from checker.load.text import LoadError

if TYPE_CHECKING:
    from pdfminer.pdfinterp import PDFContentParser

# Bytes the load under way may still decode; None outside a load (each stream then gets
# the whole limit).
_left: ContextVar[list[int] | None] = ContextVar("govlint_pdf_decode_budget", default=None)
# Operators and characters of the page being read: [operators, characters]; None outside.
_page_counts: ContextVar[list[int] | None] = ContextVar("govlint_pdf_page_counts", default=None)


@contextmanager
def budget() -> Iterator[None]:
    """Let the streams decoded in the block produce :data:`MAX_UNZIPPED_BYTES` in all."""
    token = _left.set([MAX_UNZIPPED_BYTES])
    try:
        yield
    finally:
        _left.reset(token)


@contextmanager
def page() -> Iterator[None]:
    """Count the operators and characters of one page read in the block."""
    token = _page_counts.set([0, 0])
    try:
        yield
    finally:
        _page_counts.reset(token)


def install() -> None:
    """Put the bounded decoders and counters in place of pdfminer's (again and again: cheap)."""
    from pdfminer import converter, pdfinterp, pdftypes

    # Swapped by name with setattr: pdfminer's types describe its own attributes (a class, a
    # method, names pdftypes imports without exporting), not a replacement put in their place.
    if not issubclass(pdfinterp.PDFContentParser, _CountingContentParser):
        setattr(pdfinterp, "PDFContentParser", _counting_parser(pdfinterp.PDFContentParser))  # noqa: B010
    render_char = converter.PDFLayoutAnalyzer.render_char
    if render_char.__module__ != __name__:  # not counted yet
        setattr(converter.PDFLayoutAnalyzer, "render_char", _counting_render_char(render_char))  # noqa: B010
    for name, decoder in _DECODERS.items():
        setattr(pdftypes, name, decoder)


def _room() -> int:
    left = _left.get()
    return MAX_UNZIPPED_BYTES if left is None else left[0]


def _spend(size: int) -> None:
    """Charge ``size`` decoded bytes to the load; refuse the file past its budget."""
    if size > _room():
        raise LoadError.said("load-pdf-streams-too-large", limit=MAX_UNZIPPED_BYTES // 2**20)
    if (left := _left.get()) is not None:
        left[0] -= size


def _inflate(data: bytes) -> bytes:
    """``zlib.decompress``, bounded."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, _room() + 1)
    if not inflater.eof and len(out) <= _room():  # cut short, as zlib.decompress says;
        raise zlib.error("incomplete or truncated stream")  # pdfminer then calls _inflate_damaged
    _spend(len(out))
    return out


def _inflate_damaged(data: bytes) -> bytes:
    """What a stream with a wrong checksum, or cut short, inflates to (pdfminer's
    ``decompress_corrupted``, linear and bounded)."""
    try:
        out = zlib.decompressobj().decompress(data, _room() + 1)
    except zlib.error:  # a wrong checksum: the data before its 4 bytes; other damage raises
        out = zlib.decompressobj().decompress(data[:-4], _room() + 1)
    _spend(len(out))
    return out


def _lzw(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    room = _room()
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        out += chunk
        if len(out) > room:
            break
    _spend(len(out))
    return bytes(out)


def _run_length(data: bytes) -> bytes:
    """RunLengthDecode (ISO 32000-1, 7.4.5); pdfminer's builds a list of ints."""
    out = bytearray()
    room = _room()
    i = 0
    while i < len(data) and data[i] != 128 and len(out) <= room:  # 128: end of data
        length = data[i]
        if length < 128:  # the next length + 1 bytes as they are
            out += data[i + 1 : i + 2 + length]
            i += 2 + length
        else:  # the next byte 257 - length times
            out += data[i + 1 : i + 2] * (257 - length)
            i += 2
    _spend(len(out))
    return bytes(out)


def _fax(data: bytes, params: object) -> bytes:
    raise LoadError.said("load-pdf-fax")


class _CountingContentParser:
    """Marks the counting subclass of pdfminer's content parser (made in :func:`install`)."""


def _counting_parser(base: type[PDFContentParser]) -> type[PDFContentParser]:
    def nextobject(self: Any) -> Any:
        found = base.nextobject(self)
        counts = _page_counts.get()
        if counts is not None and isinstance(found[1], PSKeyword):
            counts[0] += 1
            if counts[0] > MAX_PDF_PAGE_OPERATORS:
                raise LoadError.said("load-pdf-page-operators", limit=MAX_PDF_PAGE_OPERATORS)
        return found

    from pdfminer.psparser import PSKeyword

    # type() with a base that is a variable: mypy cannot follow it, the subclass is a PDFContentParser.
    subclass = type("CountingPDFContentParser", (base, _CountingContentParser), {"nextobject": nextobject})
    return cast("type[PDFContentParser]", subclass)


def _counting_render_char(render_char: Callable[..., float]) -> Callable[..., float]:
    def counted(self: Any, *args: Any, **kwargs: Any) -> float:
        counts = _page_counts.get()
        if counts is not None:
            counts[1] += 1
            if counts[1] > MAX_PDF_PAGE_CHARS:
                raise LoadError.said("load-pdf-page-chars", limit=MAX_PDF_PAGE_CHARS)
        return render_char(self, *args, **kwargs)

    return counted


# pdftypes uses zlib.decompress and zlib.error; the rest of zlib stays as it is.
_ZLIB = types.SimpleNamespace(**{name: getattr(zlib, name) for name in dir(zlib) if not name.startswith("_")})
_ZLIB.decompress = _inflate

# The names pdftypes looks up at each call → the bounded replacements.
_DECODERS: dict[str, object] = {
    "zlib": _ZLIB,
    "decompress_corrupted": _inflate_damaged,
    "lzwdecode": _lzw,
    "rldecode": _run_length,
    "ccittfaxdecode": _fax,
}
