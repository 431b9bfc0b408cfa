"""Replace a file only once its new content is complete: the one way govlint writes files
(reports, annotated copies, fixed reports, its caches).

The content goes to a temporary file beside the target, is flushed to the disk (fsync)
and renamed over the target (``os.replace``, atomic on POSIX and Windows): a reader sees
the old file or the new one, never half of one, and an error or an interruption leaves
the old file and no temporary file behind.

What is replaced is a regular file: a symbolic link is followed (the link stays, its
target gets the new content), and a device, FIFO or terminal (``-o /dev/null``,
``-o /dev/stdout``) is opened and written, as a shell's ``>`` would, never renamed over.

Permissions: a new file gets what ``open`` would give it (0o666 less the umask: the
temporary file is created with that mode, so the umask is never changed, not even for a
moment); ``mode`` sets them instead (``--fix`` keeps the report's own, the caches are
private).

Stdlib only, and not ``tempfile`` (~4 ms of imports on a path a cached run takes): a
random name opened with ``O_EXCL`` is what ``mkstemp`` does.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, TextIO

_NEW_FILE_MODE = 0o666  # less the umask, as for any file a program creates
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


@contextmanager
def open_text(path: Path, *, mode: int | None = None, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` when the block ends without error."""
    with _replacing(path, mode, durable=True) as fd, os.fdopen(fd, "w", encoding=encoding, closefd=False) as stream:
        yield stream


@contextmanager
def open_binary(
    path: Path,
    *,
    mode: int | None = None,
    durable: bool = True,
    owner: tuple[int, int] | None = None,
    before_replace: Callable[[], object] | None = None,
) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` when the block ends without error.
    ``durable=False`` skips the fsync: for a cache, whose file lost in a crash is rebuilt.
    ``owner`` (uid, gid) is given to the new file where this process may (root may; a user
    may keep a group of theirs); ``before_replace`` runs last and may raise to keep ``path``
    as it is (``--fix`` checks there that nobody changed the file meanwhile)."""
    with (
        _replacing(path, mode, durable=durable, owner=owner, before_replace=before_replace) as fd,
        os.fdopen(fd, "wb", closefd=False) as stream,
    ):
        yield stream


@contextmanager
def _replacing(
    path: Path,
    mode: int | None,
    *,
    durable: bool,
    owner: tuple[int, int] | None = None,
    before_replace: Callable[[], object] | None = None,
) -> Iterator[int]:
    """The descriptor of a new temporary file beside ``path``, renamed over it at the end;
    for a ``path`` that exists and is not a regular file, the descriptor of ``path``."""
    path = Path(os.path.realpath(path))  # a symbolic link stays: the file it points to is replaced
    if _exists_irregular(path):  # /dev/null, a FIFO, a terminal: written into, never replaced
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            yield fd
        finally:
            os.close(fd)
        return
    tmp = path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, _FLAGS, _NEW_FILE_MODE if mode is None else mode)
    try:
        try:
            yield fd
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if owner is not None and hasattr(os, "chown"):
            with suppress(PermissionError):  # not ours to give: the file is ours, as any new file
                os.chown(tmp, *owner)
        if mode is not None:
            os.chmod(tmp, mode)  # exactly ``mode`` (after chown, which may clear set-id bits)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise



def _exists_irregular(path: Path) -> bool:
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return False
