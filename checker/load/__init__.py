"""The load stage: turn a file on disk into text, or say in one line why it can't be.

:func:`load_path` picks a loader by file suffix: plain text, Word .docx, a saved web
page, a PDF's text layer. Each returns the same :class:`LoadedText`, so every later
stage works on plain text. Unknown suffixes are read as text, so that a report saved
as ``报告.doc.txt`` or without a suffix still loads.

The loaders for other formats live in their own modules and are imported on first use
only: a run over text files never imports python-docx, pdfplumber or html.parser.

Report files are untrusted: every load is bounded in size (:mod:`checker.load.limits`)
and in time (:mod:`checker.load.deadline`); docs/security.md has the whole picture.
"""

from __future__ import annotations

import importlib
import os
import pathlib
import shlex
from collections.abc import Callable

from checker.load import limits
from checker.load.deadline import time_limit
from checker.load.limits import MAX_FILE_SECONDS
from checker.load.text import LoadedText, LoadError, SourceComment, decode_bytes, load_text
from checker.messages import say

__all__ = [
    "LOADED_SUFFIXES", "UNREAD_FORMATS", "LoadError", "LoadedText", "SourceComment", "decode_bytes", "load_path",
    "unread_advice",
]

# suffix → "module:function" of its loader
_LOADERS: dict[str, str] = {
    ".txt": "checker.load.text:load_text",
    ".md": "checker.load.text:load_text",
    ".docx": "checker.load.docx:load_docx",
    ".html": "checker.load.html:load_html",
    ".htm": "checker.load.html:load_html",
    ".pdf": "checker.load.pdf:load_pdf",
}
# Every suffix that names a report format, for folder scanning.
LOADED_SUFFIXES = tuple(_LOADERS)
# Formats reports come in that govlint does not read, with what to do (the catalogue entry
# of checker.messages): a file of one is refused (E001) when named, and named in a note
# when a folder search finds it.
UNREAD_FORMATS: dict[str, str] = {
    ".doc": "unread-doc", ".wps": "unread-wps", ".rtf": "unread-rtf", ".ofd": "unread-ofd",
    ".xls": "unread-sheet", ".xlsx": "unread-sheet",
}  # fmt: skip


def unread_advice(path: pathlib.Path, lang: str = "en") -> str | None:
    """What to do with ``path`` if it is in a report format govlint does not read."""
    suffix = path.suffix.lower()
    key = UNREAD_FORMATS.get(suffix)
    if key is None:
        return None
    return say(key, lang, suffix=suffix, convert=say("convert", lang, path=shlex.quote(str(path))))


def load_path(path: str | os.PathLike[str]) -> LoadedText:
    """Read and decode ``path``; raise :class:`LoadError` with the reason if it fails."""
    if limits.PROBLEM:
        raise LoadError.said("load-bad-limit", **limits.PROBLEM)
    path = pathlib.Path(path)
    suffix = path.suffix.lower()
    if (advice := unread_advice(path)) is not None:
        raise LoadError(advice, unread_advice(path, "zh"))
    with time_limit(MAX_FILE_SECONDS):
        return _loader(suffix)(path)


def _loader(suffix: str) -> Callable[[pathlib.Path], LoadedText]:
    target = _LOADERS.get(suffix)
    if target is None:
        return load_text
    module, function = target.split(":")
    loader: Callable[[pathlib.Path], LoadedText] = getattr(importlib.import_module(module), function)
    return loader
