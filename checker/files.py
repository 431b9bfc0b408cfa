"""Which files a run reads, and how their names are shown.

Folders are searched for report files (the suffixes the loaders read); a name is shown
so that every output can hold it on one line, whatever bytes the file system gave.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from checker.load import LOADED_SUFFIXES, UNREAD_FORMATS

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def display_path(path: Path) -> str:
    """``path`` as text that every output can hold on one line (JSON, a UTF-8 terminal or
    file). File names are untrusted: a byte that is not UTF-8 (Linux keeps such names in
    ``str`` as lone surrogates) and a control character (a line break, a terminal escape
    sequence) show as escapes, ``\\xff``, ``\\x1b``; other names are unchanged."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def expand_paths(
    paths: list[Path],
    excluded: Callable[[Path], bool] | None = None,
    unread: Callable[[Path], None] | None = None,
) -> Iterator[Path]:
    """Files as given; folders searched recursively for report files, in a stable order.
    ``excluded`` prunes what a folder search finds (files named on the command line stay);
    ``unread`` is called with each file a search finds in a report format govlint does not
    read (.doc, .wps, .ofd …: see UNREAD_FORMATS), so that none is skipped without a word.

    Nothing that goes wrong is skipped in silence: a folder that cannot be listed is
    yielded itself, and a file that cannot be read (a broken or looping link, a file
    gone since the listing) as it is, so that loading reports why (E001). Symbolic links
    to folders are not followed (no loops), nor links to files outside the folder searched
    (as Ruff and ESLint: ``t/p.txt -> /etc/passwd`` would be read, quoted in an HTML report,
    or rewritten by --fix); a link named on the command line is followed. FIFOs, sockets
    and devices found in a folder are skipped, as opening a FIFO would wait for a writer."""
    for path in paths:
        if os.path.isdir(path):  # unlike Path.is_dir, never raises (a folder without access)
            inside = _inside(path)
            found: list[Path] = []
            not_read: list[Path] = []
            unlistable: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=unlistable.append):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not (excluded and excluded(Path(root) / d))
                )
                for f in files:
                    file = Path(root) / f
                    if f.startswith("~$") or (excluded and excluded(file)) or not inside(file):  # ~$: Word's lock
                        continue
                    if f.lower().endswith(LOADED_SUFFIXES):
                        if _may_be_report(file):
                            found.append(file)
                    elif file.suffix.lower() in UNREAD_FORMATS:
                        not_read.append(file)
            found.extend(Path(error.filename) for error in unlistable)
            if unread:
                for file in sorted(not_read):
                    unread(file)
            yield from sorted(found)
        else:
            yield path  # a missing file becomes an E001 diagnostic when it is loaded


def _inside(folder: Path) -> Callable[[Path], bool]:
    """Whether a file found in ``folder`` resolves (through symbolic links) inside it."""
    real_folder = os.path.realpath(folder)

    def inside(path: Path) -> bool:
        if not os.path.islink(path):  # os.walk does not follow folder links: only a file link can leave
            return True
        real = os.path.realpath(path)
        return os.path.commonpath([real_folder, real]) == real_folder

    return inside


def _may_be_report(path: Path) -> bool:
    """A regular file, or one that cannot be examined (loading will say why)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True
