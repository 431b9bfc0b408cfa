"""Safe autofixes for plain-text and Markdown reports: ``govlint --fix`` and ``--diff``.

The fixes are the findings' own: a rule whose matches are certain debris says so in its
rule file (the ``fix`` param of the pattern kind), and its findings carry the edits —
T403 deletes converter pinyin, T402 deletes a line that holds nothing but page chrome
(checker.checks.patterns says exactly what). This module lints the text and applies the
edits of the findings the lint kept, and does nothing else: a rule the file's settings do
not select, or a finding a suppression comment covers, is not fixed.

The edits of one fix are applied together or not at all. A fix that overlaps one applied
before it waits for the next pass, which lints the text again; passes go on to a fixpoint
(deleting one annotation can make the next one match: 鎮(zhèn)(zhèn)). Suppression comments
keep their lines as they are, and are never edited themselves (checker.suppress).

The file's own bytes are decoded again (the loader unified line ends), the edits are mapped
from the lint's offsets to the file's text, and the result is encoded as the file was: a
GBK/CRLF file stays GBK/CRLF, a BOM stays. A file whose bytes would not survive that round
trip is left alone. Writes are atomic: a temporary file in the same folder, then ``os.replace``.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import stat
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from checker import atomic
from checker.engine import lint_text
from checker.load import LoadError, decode_bytes
from checker.load.text import read_bytes
from checker.messages import SaidError
from checker.model import Edit, Fix
from checker.ruleset import RuleSet
from checker.selection import Options

# Formats whose text is not the file's text: fixing them would need a writer per format.
UNFIXABLE_SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".doc", ".wps")
_MAX_PASSES = 10
# Files up to this size are compared byte for byte before the fixed copy replaces them.
_COMPARED_BYTES = 4 * 2**20
_LINE_END = re.compile(r"(\r\n|\r|\n)")  # the loader's unification, in reverse
_BOM = {
    "utf-8-sig": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


class FixError(SaidError):
    """A file that cannot be fixed safely: the reason in English and Chinese."""


@dataclass(frozen=True, slots=True)
class FileFix:
    path: Path
    before: str  # decoded, with the file's own line ends
    after: str
    counts: Counter[str]  # code → fixes made (annotations deleted, lines deleted)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def describe(self) -> str:
        return ", ".join(f"{code} ×{n}" for code, n in sorted(self.counts.items()))

    def diff(self) -> str:
        """A unified diff, shown with ``\\n`` line ends whatever the file uses."""
        before = self.before.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)
        after = self.after.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, str(self.path), str(self.path))
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def fixable(path: Path) -> bool:
    """Whether ``path`` is read as plain text (a .txt, .md or unknown suffix)."""
    return path.suffix.lower() not in UNFIXABLE_SUFFIXES


def fix_file(path: Path, ruleset: RuleSet, options: Options, *, write: bool, force: bool = False) -> FileFix:
    """Plan the fixes of ``path`` and, if ``write``, apply them atomically.

    The target of a symlink is fixed, not the link. The new file keeps the old one's
    permissions and, where this process may give them, its owner and group. A file with
    several hard links (fixing would split them) or without write permission is refused
    unless ``force``; and a file changed by someone else while it was being fixed is left
    as they made it (FixError either way)."""
    target = Path(os.path.realpath(path))
    try:
        before_stat = os.stat(target)
        data = read_bytes(target)
        loaded = decode_bytes(data)
    except LoadError as e:
        raise FixError(e.reason, e.zh) from None
    bom = _BOM.get(loaded.encoding, b"")
    codec = "utf-8" if loaded.encoding == "utf-8-sig" else loaded.encoding
    before = data[len(bom) :].decode(codec)
    if _LINE_END.sub("\n", before) != loaded.text or (bom + before.encode(codec)) != data:
        raise FixError.said("fix-round-trip", encoding=loaded.encoding)
    after, counts = fix_text(before, str(path), ruleset, options)
    result = FileFix(path, before, after, counts)
    if write and result.changed:
        if not force:
            _refuse_unsafe(target, before_stat)
        with atomic.open_binary(
            target,
            mode=stat.S_IMODE(before_stat.st_mode),
            owner=(before_stat.st_uid, before_stat.st_gid),
            before_replace=lambda: _unchanged_since_read(target, before_stat, data),
        ) as f:
            f.write(bom + after.encode(codec))
    return result


def _refuse_unsafe(target: Path, info: os.stat_result) -> None:
    if info.st_nlink > 1:
        raise FixError.said("fix-hard-links", links=info.st_nlink)
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if not info.st_mode & writable_bits or not os.access(target, os.W_OK):
        raise FixError.said("fix-read-only")


def _unchanged_since_read(target: Path, read: os.stat_result, data: bytes) -> None:
    """Raise unless ``target`` is still the file that was read: same inode, size and
    modification time, and, for a small file, the same bytes (a write within the clock's
    resolution keeps the time)."""
    try:
        now = os.stat(target)
        same = (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (
            read.st_dev, read.st_ino, read.st_size, read.st_mtime_ns
        )
        if same and now.st_size <= _COMPARED_BYTES:
            same = read_bytes(target) == data
    except (OSError, LoadError):
        same = False
    if not same:
        raise FixError.said("fix-changed")


def fix_text(text: str, path: str, ruleset: RuleSet, options: Options) -> tuple[str, Counter[str]]:
    """``text`` (any line ends) with the safe fixes of its findings applied, and the
    edits made per code. ``path`` decides the format (Markdown comments) and the settings."""
    counts: Counter[str] = Counter()
    for _ in range(_MAX_PASSES):
        unified = _LINE_END.sub("\n", text)
        found = [
            (d.code, d.fix)
            for d in lint_text(path, unified, ruleset, options).diagnostics
            if d.fix is not None and d.fix.applicability == "safe"
        ]
        applied = _compatible(found)
        if not applied:
            break
        text = _apply(text, [edit for _, fix in applied for edit in fix.edits])
        for code, fix in applied:
            counts[code] += len(fix.edits)
    return text, +counts


# --------------------------------------------------------------------------- applying


def _compatible(fixes: list[tuple[str, Fix]]) -> list[tuple[str, Fix]]:
    """The fixes to apply in this pass: in text order, each whose edits overlap no edit
    of a fix taken before it."""
    taken: list[tuple[str, Fix]] = []
    spans: list[tuple[int, int]] = []
    for code, fix in sorted(fixes, key=lambda item: (item[1].edits[0].start, item[1].edits[0].end, item[0])):
        if not any(e.start < end and start < e.end for e in fix.edits for start, end in spans):
            taken.append((code, fix))
            spans.extend((e.start, e.end) for e in fix.edits)
    return taken


def _apply(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` (offsets in ``text`` with unified ``\\n`` line ends, none
    overlapping another) applied: each offset is mapped to its line of ``text``, so
    that the line ends of ``text`` are kept."""
    pieces = _LINE_END.split(text)
    unified_starts, original_starts = [0], [0]
    for line, end in zip(pieces[0::2], pieces[1::2]):
        unified_starts.append(unified_starts[-1] + len(line) + 1)
        original_starts.append(original_starts[-1] + len(line) + len(end))

    def original(offset: int) -> int:
        line = bisect_right(unified_starts, offset) - 1
        return original_starts[line] + offset - unified_starts[line]

    out: list[str] = []
    position = 0
    for edit in sorted(edits):
        start = original(edit.start)
        out += [text[position:start], edit.replacement]
        position = original(edit.end)
    return "".join(out) + text[position:]
