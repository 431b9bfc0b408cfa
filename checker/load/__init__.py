"""The load stage: turn a file on disk into text, or say in one line why it can't be.

:func:`load_path` picks a loader by file suffix. Only plain text exists so far; loaders
for .docx, .html and .pdf will be added to ``_LOADERS``. Unknown suffixes are read as
text, so that a report saved as ``报告.doc.txt`` or without a suffix still loads.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable

from checker.load.text import LoadedText, LoadError, decode_bytes, load_text

__all__ = ["LoadError", "LoadedText", "decode_bytes", "load_path"]

_LOADERS: dict[str, Callable[[pathlib.Path], LoadedText]] = {
    ".txt": load_text,
    ".md": load_text,
}


def load_path(path: str | os.PathLike[str]) -> LoadedText:
    """Read and decode ``path``; raise :class:`LoadError` with the reason if it fails."""
    path = pathlib.Path(path)
    loader = _LOADERS.get(path.suffix.lower(), load_text)
    return loader(path)
