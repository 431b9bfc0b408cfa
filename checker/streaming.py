"""The check command's report, written as the files are linted (issue 19).

A run over an archive of thousands of reports must not hold every result until it ends. So
each file is filtered by the baseline and rendered in the worker that linted it
(:class:`PerFile`, the runner's ``then``), and what crosses back to this process is the
file's part of the report and its tally (:class:`FilePart`), never its result. The parts go
out as they come (checker.report.parts.PartWriter), except where findings may still join
them: the rules across reports need every file first, so a run that has them holds the parts
(in a spool that moves to a temporary file) and the files' digests (on disk:
checker.crossfile.DigestStore) until the phase, then writes each file's findings across
reports after its own. The review page and the summary sheet, one document built from every
result, are made from :func:`checker.runner.lint_run`'s results instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from checker.crossfile import DigestStore, Stored, compares, findings_across, joined, stored
from checker.engine import failed
from checker.messages import Lang
from checker.model import FileResult
from checker.report.parts import Parts, PartWriter
from checker.report.summary import Tally
from checker.runner import Job, RuleSets, as_is, compared, lint_jobs

if TYPE_CHECKING:
    from checker.baseline import Baseline
    from checker.ruleset import RuleSet
    from checker.selection import Options


class FilePart(NamedTuple):
    """What this process keeps of a linted file."""

    text: str  # its part of the report
    tally: Tally
    hidden: int  # findings the baseline held
    entry: Stored | None  # its entry for the phase across reports, if it left a digest


class Outcome(NamedTuple):
    """What the run's exit status and notes need."""

    tally: Tally
    hidden: int  # findings the baseline held, in every file


class PerFile:
    """Made into each file by the worker that linted it (picklable: it goes to the workers
    once, when they start)."""

    def __init__(self, parts: Parts, baseline: Baseline | None, ruleset: RuleSet, lang: Lang) -> None:
        self.parts, self.baseline = parts, baseline
        self.ruleset, self.lang = ruleset, lang  # for the E002 of a part that cannot be rendered

    def __call__(self, result: FileResult, job: Job) -> FilePart:
        entry = stored(result, whole=self.baseline is not None)
        shown, hidden = self.filtered(result._replace(digest=None))
        text, tally = self.rendered(shown, job.fail_on)
        return FilePart(text, tally, hidden, entry)

    def filtered(self, result: FileResult) -> tuple[FileResult, int]:
        """``result`` without the findings the baseline holds, and how many it held."""
        if self.baseline is None:
            return result, 0
        (kept_result,) = self.baseline.filter([result])
        return kept_result, len(result.diagnostics) - len(kept_result.diagnostics)

    def rendered(self, result: FileResult, fail_on: str, *, new_file: bool = True) -> tuple[str, Tally]:
        """``result``'s part and tally; a renderer that fails on it (a bug) must not lose the
        other files': the part is then an E002 naming the failure. With ``new_file`` False the
        findings join a file already counted."""
        try:
            text = self.parts.part(result, fail_on)
        except Exception as e:
            detail = " ".join(f"{type(e).__name__}: {e}".split())[:300]
            result = failed(result.path, f"rendering failed: {detail}", self.ruleset, self.lang)
            text = self.parts.part(result, fail_on)
        return text, Tally.of([result], fail_on, files=new_file)


def write_report(
    jobs: list[Job],
    rulesets: RuleSets,
    per_file: PerFile,
    write: Callable[[str], object],
    *,
    workers: int,
    results_cache: bool = False,
    compact: bool = False,
    previous: Sequence[Job] = (),
    progress: Callable[[Iterator[FilePart]], Iterator[FilePart]] | None = None,
    also: Sequence[tuple[FileResult, str]] = (),
) -> Outcome:
    """Lint every job and write the report (``per_file``'s format) to ``write`` as the files
    come, then the findings across reports, with the ``previous`` reports (``--previous``)
    as last year's partners only; ``also``: results linted otherwise (standard input), with
    their fail-on, written after the files'."""
    jobs, previous = compared(jobs, previous)
    settings = [(rulesets.get(job.rule_dirs), job.options) for job in jobs]
    distinct = {(id(ruleset), options): (ruleset, options) for ruleset, options in settings}.values()
    comparing = len(jobs) + len(previous) >= 2 and any(compares(*setting) for setting in distinct)
    writer = PartWriter(per_file.parts, write, hold=comparing)
    store = DigestStore() if comparing else None
    hidden = 0
    try:
        linted = lint_jobs(jobs, rulesets, workers=workers, then=per_file, results_cache=results_cache, compact=compact)
        for part in progress(linted) if progress is not None else linted:
            writer.add(part.text, part.tally)
            hidden += part.hidden
            if store is not None:
                store.add(part.entry)
        for result, fail_on in also:
            shown, held = per_file.filtered(result)
            writer.add(*per_file.rendered(shown, fail_on))
            hidden += held
        if store is not None:
            earlier = lint_jobs(previous, rulesets, workers=1, then=as_is, results_cache=results_cache, compact=True)
            for result in earlier:
                store.add(stored(result))
            hidden += _across(store, jobs, settings, per_file, writer)
    finally:
        if store is not None:
            store.close()
    writer.close()
    return Outcome(writer.tally, hidden)


def _across(
    store: DigestStore, jobs: list[Job], settings: list[tuple[RuleSet, Options]], per_file: PerFile, writer: PartWriter
) -> int:
    """The phase across reports: each finding's part follows its file's; returns how many
    findings the baseline held."""
    hidden = 0
    for index, found in sorted(findings_across(store.corpus(len(jobs)), store.paths, settings).items()):
        entry = store.result(index)
        assert entry is not None  # a file with findings across reports left a digest
        shown, held = per_file.filtered(joined(entry, found, settings[index][0]))
        hidden += held
        writer.add_later(index, *per_file.rendered(shown, jobs[index].fail_on, new_file=False))
    return hidden
