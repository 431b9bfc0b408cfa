"""Reports written a file at a time: each streamed format as a head, a part per file and a tail.

A run over an archive of thousands of reports must not hold every result until it ends
(docs/performance.md, issue 19). So the formats that list findings — human, concise, json,
github, junit, sarif, and the ``--statistics`` table — are written as parts: a file's part is
rendered as soon as the file is linted (in the ``-j`` worker that linted it: checker.streaming),
and what the report's end needs of it is a :class:`Tally`. :class:`PartWriter` puts the parts
together; the whole-run renderers (``checker.report.render``) are the same parts written one
after another, so a report reads the same however it was made. The review page (html) and the
summary sheet (csv, xlsx) are one document built from every result, and are not streamed.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import IO, Protocol

from checker.messages import Lang
from checker.model import FileResult
from checker.report.summary import Tally, tally_line

# Held parts stay in memory up to this size, then go to a temporary file.
_SPOOL_MEMORY = 8 << 20


class Parts(Protocol):
    """A format written a file at a time."""

    # Written between two parts that both have text (JSON's comma).
    between: str
    # The head needs the whole run's tally (JUnit's totals): the parts wait until the end.
    totals_first: bool

    @property
    def cap(self) -> int | None:
        """Most records the report may hold (SARIF: what GitHub accepts), or None. A part
        is then its records joined by ``between``, no record holding ``between``."""
        ...

    def head(self, tally: Tally) -> str:
        """Written before the first part that has text."""
        ...

    def part(self, result: FileResult, fail_on: str) -> str:
        """``result``'s findings, each failing at ``fail_on`` or above ("" for none)."""
        ...

    def tail(self, tally: Tally, wrote: bool) -> str:
        """Written last; the whole report when no part had text (``wrote`` False)."""
        ...

    def join(self, texts: list[str]) -> str:
        """One file's parts as one: its own, then those of its findings added later."""
        ...


class Lines:
    """The defaults of a format whose parts are lines: no head, nothing between parts, no
    cap, no tail (a subclass overrides what it has)."""

    between = ""
    totals_first = False

    @property
    def cap(self) -> int | None:
        return None

    def head(self, tally: Tally) -> str:
        return ""

    def tail(self, tally: Tally, wrote: bool) -> str:
        return ""

    def join(self, texts: list[str]) -> str:
        return self.between.join(text for text in texts if text)


class PartWriter:
    """Writes a report part by part, in the files' order, to ``write``.

    Each part goes out as it comes, unless the head needs the run's totals or findings may
    still join the parts of files already linted (``hold``: the rules across reports, which
    run once every file is linted, :meth:`add_later`). Then the parts wait, as UTF-8 in a
    spool that moves to a temporary file past a few megabytes, until :meth:`close`; a file's
    later findings follow its own part."""

    def __init__(self, parts: Parts, write: Callable[[str], object], *, hold: bool = False) -> None:
        self.parts = parts
        self.tally = Tally()
        self._write = write
        self._wrote = False
        self._records = 0
        self._spool: IO[bytes] | None = None
        if hold or parts.totals_first:
            import tempfile  # ~5 ms of imports a run that streams never needs

            self._spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY)  # noqa: SIM115 (closed by close())
        self._ends = array("q")  # where each held part ends in the spool
        self._counts = array("q")  # and how many findings it holds
        self._later: dict[int, list[tuple[str, int]]] = {}

    def add(self, text: str, tally: Tally) -> None:
        """The next file's part, and its tally."""
        self.tally.add(tally)
        if self._spool is None:
            self._emit(text, tally.findings())
            return
        self._spool.write(text.encode("utf-8", "surrogatepass"))
        self._ends.append(self._spool.tell())
        self._counts.append(tally.findings())

    def add_later(self, index: int, text: str, tally: Tally) -> None:
        """More findings of the ``index``-th file (0-based), to follow its part; only
        while the parts are held."""
        assert self._spool is not None, "parts written as they came cannot take later findings"
        self.tally.add(tally)
        if tally.findings() and not self._counts[index] and index not in self._later:
            self.tally.clean -= 1  # a file clean on its own has findings now
        self._later.setdefault(index, []).append((text, tally.findings()))

    def close(self) -> None:
        """Write what is held, then the tail."""
        if self._spool is not None:
            self._spool.seek(0)
            start = 0
            for index, (end, count) in enumerate(zip(self._ends, self._counts)):
                own = self._spool.read(end - start).decode("utf-8", "surrogatepass")
                start = end
                later = self._later.get(index, [])
                if later:
                    own = self.parts.join([own, *(text for text, _ in later)])
                    count += sum(records for _, records in later)
                self._emit(own, count)
            self._spool.close()
        self._write(self.parts.tail(self.tally, self._wrote))

    def _emit(self, text: str, records: int) -> None:
        cap = self.parts.cap
        if cap is not None and self._records + records > cap:
            kept = max(0, cap - self._records)
            text = self.parts.between.join(text.split(self.parts.between)[:kept]) if kept else ""
        self._records += records
        if not text:
            return
        self._write((self.parts.between if self._wrote else self.parts.head(self.tally)) + text)
        self._wrote = True


def write_all(
    parts: Parts, results: Sequence[FileResult], write: Callable[[str], object], fail_on: Sequence[str] = ()
) -> None:
    """The whole report of ``results`` (``fail_on``: each result's, default error)."""
    writer = PartWriter(parts, write)
    for index, result in enumerate(results):
        level = fail_on[index] if fail_on else "error"
        writer.add(parts.part(result, level), Tally.of([result], level))
    writer.close()


class HumanParts(Lines):
    """Code frames (checker.report.human), then the summary line. A file without findings
    adds nothing, and a clean run prints the summary line without importing rich (so these
    parts are here, not in checker.report.human)."""

    def __init__(self, *, color: bool, lang: Lang, width: int | None) -> None:
        self.color, self.lang, self.width = color, lang, width

    def part(self, result: FileResult, fail_on: str) -> str:
        if not result.diagnostics:
            return ""
        from checker.report.human import human_part

        return human_part(result, color=self.color, lang=self.lang, width=self.width)

    def tail(self, tally: Tally, wrote: bool) -> str:
        if not wrote:
            return tally_line(tally, self.lang) + "\n"
        from checker.report.human import human_summary

        return human_summary(tally, color=self.color, lang=self.lang)
