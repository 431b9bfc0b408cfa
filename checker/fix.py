"""Safe autofixes for plain-text and Markdown reports: ``govlint --fix`` and ``--diff``.

Only what is certain is fixed, with the rules' own compiled patterns:

* **T403** — converter pinyin annotations are deleted: ``金石鎮(zhèn)`` → ``金石鎮``.
* **T402** — a line is deleted when it holds web-page chrome and every character of
  it is chrome (T402), pinyin (T403), a template placeholder (T401), a space or
  punctuation: ``浏览量:{{ pvCount }}``, ``扫一扫在手机打开当前页``, ``| | |``. A line with
  any other text (``日期:2022年11月28日 来源:政法委``) stays whole.

Nothing else is touched: not numbers, dates, placeholders in sentences, traditional
characters or mojibake. Fixes follow the lint: a rule the file's settings do not
select, or a match a suppression comment covers, is not fixed.

The file's own bytes are decoded again (the loader unified line ends), the fixes are
applied line by line, and the result is encoded as the file was: a GBK/CRLF file stays
GBK/CRLF, a BOM stays. A file whose bytes would not survive that round trip is left
alone. Writes are atomic: a temporary file in the same folder, then ``os.replace``.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import stat
import tempfile
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from checker.engine import MARKDOWN_SUFFIX, markdown_suppressions
from checker.load import LoadError, decode_bytes
from checker.load.text import read_bytes
from checker.model import Diagnostic, SourceText, Span, View
from checker.normalize import normalize
from checker.rule import Rule
from checker.ruleset import RuleSet
from checker.selection import Options, active_rules

PLACEHOLDER, CHROME, PINYIN = "T401", "T402", "T403"
# Formats whose text is not the file's text: fixing them would need a writer per format.
UNFIXABLE_SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".doc", ".wps")
# Deleting one annotation can make the next one match (鎮(zhèn)(zhèn)): fix to a fixpoint.
_MAX_PASSES = 10
_LINE_END = re.compile(r"(\r\n|\r|\n)")  # the loader's unification, in reverse
_BOM = {
    "utf-8-sig": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


class FixError(Exception):
    """A file that cannot be fixed safely; ``str()`` is one English line."""


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


def fix_file(path: Path, ruleset: RuleSet, options: Options, *, write: bool) -> FileFix:
    """Plan the fixes of ``path`` and, if ``write``, apply them atomically."""
    try:
        data = read_bytes(path)
        loaded = decode_bytes(data)
    except LoadError as e:
        raise FixError(e.reason) from None
    bom = _BOM.get(loaded.encoding, b"")
    codec = "utf-8" if loaded.encoding == "utf-8-sig" else loaded.encoding
    before = data[len(bom) :].decode(codec)
    if _LINE_END.sub("\n", before) != loaded.text or (bom + before.encode(codec)) != data:
        raise FixError(f"the {loaded.encoding} text would not be written back byte for byte")
    after, counts = fix_text(before, str(path), ruleset, options)
    result = FileFix(path, before, after, counts)
    if write and result.changed:
        # Same permissions as the file had; the target of a symlink is replaced, not the link.
        mode = stat.S_IMODE(os.stat(path).st_mode)
        write_atomic(Path(os.path.realpath(path)), lambda f: f.write(bom + after.encode(codec)), mode=mode)
    return result


def fix_text(text: str, path: str, ruleset: RuleSet, options: Options) -> tuple[str, Counter[str]]:
    """``text`` (any line ends) with the certain fixes applied, and the count per code."""
    pieces = _LINE_END.split(text)
    lines, ends = pieces[0::2], [*pieces[1::2], ""]
    counts: Counter[str] = Counter()
    for _ in range(_MAX_PASSES):
        deletions, dropped = _plan("\n".join(lines), path, ruleset, options)
        if not deletions and not dropped:
            break
        counts[PINYIN] += sum(1 for line, _s, _e in deletions if line not in dropped)
        counts[CHROME] += len(dropped)
        lines = _delete(lines, deletions)
        kept = [i for i in range(len(lines)) if i not in dropped]
        lines, ends = [lines[i] for i in kept], [ends[i] for i in kept]
    return "".join(line + end for line, end in zip(lines, ends)), +counts


def write_atomic(path: Path, write: Callable[[IO[bytes]], object], *, mode: int | None = None) -> None:
    """Replace ``path`` with what ``write`` writes, only once it is complete: an error
    or an interruption leaves the old file (and no temporary file) behind. ``mode``
    defaults to that of a new file (0o666 less the umask)."""
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True, slots=True)
class _Match:
    code: str
    span: Span


def _plan(
    text: str, path: str, ruleset: RuleSet, options: Options
) -> tuple[list[tuple[int, int, int]], set[int]]:
    """Pinyin to delete as (line index, start column, end column), and the 0-based
    indices of chrome lines to delete, for ``text`` with ``\\n`` line ends."""
    # As the lint does: rules see comments as blanks, and the comments apply.
    suppressions, analysed = markdown_suppressions(path, text)
    active = {rule.code: rule for rule in active_rules(ruleset, options) if rule.kind == "pattern"}
    view = normalize(analysed)
    source = SourceText(analysed)  # the same lines as ``text``: comments are blanked in place
    matches = [
        m for code in (PLACEHOLDER, CHROME, PINYIN) if code in active
        for m in _matches(active[code], analysed, view, source)
    ]
    if suppressions is not None:
        diagnostics = [Diagnostic(m.code, "", "error", "", path, m.span) for m in matches]
        kept, _notices = suppressions.apply(diagnostics, source, [r.code for r in ruleset.rules], frozenset(active))
        kept_ids = {id(d) for d in kept}
        matches = [m for m, d in zip(matches, diagnostics) if id(d) in kept_ids]

    starts = [source.line_span(n).start for n in range(1, source.line_count + 1)]
    covered: dict[int, list[Span]] = {}
    chrome_lines: set[int] = set()
    deletions: list[tuple[int, int, int]] = []
    for m in matches:
        first = bisect_right(starts, m.span.start) - 1
        last = bisect_right(starts, max(m.span.start, m.span.end - 1)) - 1
        for line in range(first, last + 1):
            covered.setdefault(line, []).append(m.span)
        if m.code == CHROME:
            chrome_lines.update(range(first, last + 1))
        elif m.code == PINYIN and first == last:
            deletions.append((first, m.span.start - starts[first], m.span.end - starts[first]))
    lines = text.split("\n")  # coverage is judged on the file's text: a comment is not chrome
    dropped = {
        n for n in chrome_lines
        # A blank line inside a match (阅读:\n\n1279) is layout, not chrome: it stays.
        if lines[n].strip()
        and _all_covered(lines[n], starts[n], covered[n])
        and not _markdown_table_row(path, lines, n)
    }
    return deletions, dropped


def _matches(rule: Rule, analysed: str, view: View, source: SourceText) -> Iterator[_Match]:
    """Every match of the rule's patterns (overlaps included: they all cover), mapped to
    the original text, on lines no longer than the rule's ``max_line_length``."""
    params = rule.params
    on_view = params.target == "view"
    for item in params.patterns:
        for m in item.regex.finditer(view.text if on_view else analysed):
            # As the finding, the match covers words, not the spaces around them: a line
            # pattern's match starts with the newline before its line (rules/hygiene.toml),
            # and 阅读:\s* may end with the blank lines after it, which are not chrome.
            matched = m.group()
            start, end = m.end() - len(matched.lstrip()), m.start() + len(matched.rstrip())
            if end <= start:  # only spaces
                continue
            span = view.span(start, end) if on_view else Span(start, end)
            line = source.position(span.start).line
            if params.max_line_length is not None and len(source.line_text(line).strip()) > params.max_line_length:
                continue
            yield _Match(rule.code, span)


def _all_covered(line: str, line_start: int, spans: list[Span]) -> bool:
    """Whether every character of ``line`` is in a span, a space or punctuation (the
    colon of ``浏览量:`` is not in the chrome pattern, and is no text of the report)."""
    covered = bytearray(len(line))
    for span in spans:
        lo, hi = max(span.start - line_start, 0), min(span.end - line_start, len(line))
        covered[lo:hi] = b"\x01" * max(hi - lo, 0)
    return all(
        covered[i] or ch.isspace() or unicodedata.category(ch).startswith("P") for i, ch in enumerate(line)
    )


def _markdown_table_row(path: str, lines: list[str], n: int) -> bool:
    """In Markdown ``| | |`` next to another table line is a table's empty (header)
    row: deleting it would break the table."""
    if not path.lower().endswith(MARKDOWN_SUFFIX) or not lines[n].lstrip().startswith("|"):
        return False
    return any(0 <= k < len(lines) and lines[k].lstrip().startswith("|") for k in (n - 1, n + 1))


def _delete(lines: list[str], deletions: list[tuple[int, int, int]]) -> list[str]:
    """``lines`` without the given (line, start, end) ranges; overlapping ranges merge."""
    by_line: dict[int, list[tuple[int, int]]] = {}
    for line, start, end in deletions:
        by_line.setdefault(line, []).append((start, end))
    out = list(lines)
    for line, ranges in by_line.items():
        text, kept, pos = lines[line], [], 0
        for start, end in sorted(ranges):
            kept.append(text[pos : max(start, pos)])
            pos = max(pos, end)
        out[line] = "".join(kept) + text[pos:]
    return out
