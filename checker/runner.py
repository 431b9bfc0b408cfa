"""Linting many files: in this process, or spread over worker processes (``-j``).

Results come back in input order whatever the number of workers, so every output is
deterministic. Each worker loads the rule set once (from the rule cache). A results
cache keyed by file content, rule set, options and govlint's own code (like Ruff's)
makes re-linting an unchanged archive cost only hashing.
"""

from __future__ import annotations

import functools
import hashlib
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NamedTuple, TypeVar, cast

from checker import cache
from checker.config import ConfigResolver, Overrides, check_selectors, file_settings
from checker.crossfile import across_reports
from checker.engine import lint_path
from checker.files import display_path, expand_paths
from checker.load import LoadError
from checker.load.text import read_bytes
from checker.model import FileResult
from checker.rule import Rule
from checker.ruleset import RuleSet, load_rules
from checker.selection import Options

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# Below this many files a pool costs more to start than it saves (a pre-commit run
# usually checks one or two files).
MIN_FILES_PER_POOL = 8
_CHUNK = 32  # most files per round trip to a worker: fewer trips, still ~60 chunks per 2 000 files
# Most worker processes a run starts, whatever -j asks (-j 99999999999999999999 would
# exhaust the process table): more than the cores only adds memory.
MAX_WORKERS = 64

_T = TypeVar("_T")


class Job(NamedTuple):
    """One file to lint, with what its config (or the command line) says."""

    path: Path
    rule_dirs: tuple[Path, ...]  # the extra rule folders: --rules, then the config's
    options: Options
    fail_on: str  # the lowest severity that fails this file


class RuleSets:
    """The rule sets of one run, each loaded once: files whose configs name different
    rule folders need different rule sets."""

    def __init__(self, *, use_cache: bool = True) -> None:
        self.use_cache = use_cache
        self.loaded: dict[tuple[Path, ...], RuleSet] = {}

    def get(self, rule_dirs: tuple[Path, ...]) -> RuleSet:
        if rule_dirs not in self.loaded:
            self.loaded[rule_dirs] = load_rules(list(rule_dirs), use_cache=self.use_cache)
        return self.loaded[rule_dirs]

    def described(self, default_dirs: tuple[Path, ...]) -> RuleSet:
        """One rule set describing every rule that ran (SARIF lists them); with none
        loaded (no file to lint), the rule set of ``default_dirs``."""
        rulesets = list(self.loaded.values())
        if not rulesets:
            return self.get(default_dirs)
        if len(rulesets) == 1:
            return rulesets[0]
        by_code: dict[str, Rule] = {}
        for ruleset in rulesets:
            for rule in ruleset.rules:
                by_code.setdefault(rule.code, rule)
        return RuleSet.of(list(by_code.values()), rulesets[0].vocabulary)


def plan_jobs(
    paths: list[Path],
    resolver: ConfigResolver,
    overrides: Overrides,
    rulesets: RuleSets,
    unread: Callable[[Path], None] | None = None,
) -> list[Job]:
    """A job per report file of ``paths`` (folders searched; ``unread`` is called with each
    file found in a format govlint does not read), with its config's
    settings. Each rule set is loaded here, and each selector checked against it, so a
    bad rule file or an unknown code fails before any work."""
    jobs: list[Job] = []
    checked: set[tuple[Path | None, tuple[Path, ...]]] = set()
    for path in expand_paths(paths, resolver.excluded, unread):
        config = resolver.for_path(path)
        settings = file_settings(path, config, overrides)
        ruleset = rulesets.get(settings.rule_dirs)
        if (config_path := config.path if config else None, settings.rule_dirs) not in checked:
            check_selectors(config, overrides, ruleset.by_code)
            checked.add((config_path, settings.rule_dirs))
        jobs.append(Job(path, settings.rule_dirs, settings.options, settings.fail_on))
    return jobs


def as_is(result: FileResult, job: Job) -> FileResult:
    """What :func:`lint_jobs` makes of a file when the caller wants its result itself."""
    return result


_worker_rulesets: dict[tuple[Path, ...], RuleSet] = {}
_worker_use_cache = True
_worker_results_cache = False
_worker_compact = False
_worker_then: Callable[[FileResult, Job], object] = as_is


def _init_worker(
    use_cache: bool, results_cache: bool, compact: bool, then: Callable[[FileResult, Job], object]
) -> None:
    global _worker_use_cache, _worker_results_cache, _worker_compact, _worker_then
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is for the parent: terminate() ends a worker
    _worker_use_cache = use_cache
    _worker_results_cache = results_cache
    _worker_compact = compact
    _worker_then = then


def _lint_chunk(jobs: list[Job]) -> list[object]:
    return [_worker_then(_lint_job(job), job) for job in jobs]


def _lint_job(job: Job) -> FileResult:
    if job.rule_dirs not in _worker_rulesets:
        _worker_rulesets[job.rule_dirs] = load_rules(list(job.rule_dirs), use_cache=_worker_use_cache)
    result = _lint(job.path, _worker_rulesets[job.rule_dirs], job.options, _worker_results_cache)
    # Compacting here sends a few lines back to the parent instead of the whole text.
    return result.compact() if _worker_compact else result


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Changes with govlint's own code, so a new version never reuses old results."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source.relative_to(Path(__file__).parent)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _lint(path: Path, ruleset: RuleSet, options: Options, results_cache: bool) -> FileResult:
    """Lint one file; with the results cache, an unchanged file costs only its hash.
    Cached results are compact (see FileResult.compact): the caller asks for them only
    when no output needs the whole text."""
    if not results_cache:
        return lint_path(path, ruleset, options)
    try:
        data = read_bytes(path)  # bounded like every load: no FIFO hang, no oversized read
    except LoadError:
        return lint_path(path, ruleset, options)  # reports the reason as E001
    limits = sorted((k, v) for k, v in os.environ.items() if k.startswith("GOVLINT_MAX_"))  # loader limits
    key = hashlib.sha256(
        f"{_code_fingerprint()}\0{ruleset.key}\0{options!r}\0{limits}\0{path.suffix.lower()}\0".encode() + data
    ).hexdigest()
    cache_file = cache.entry("results", key[:2], f"{key}.pickle")
    cached = cache.read(cache_file, FileResult)
    if cached is not None:
        shown = display_path(path)
        return cached._replace(path=shown, diagnostics=[d._replace(path=shown) for d in cached.diagnostics])
    result = lint_path(path, ruleset, options).compact()
    if result.source is not None:  # an unreadable file may be readable next time
        cache.write(cache_file, result)
    return result


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def lint_jobs(
    jobs: list[Job],
    rulesets: RuleSets,
    *,
    workers: int,
    then: Callable[[FileResult, Job], _T],
    results_cache: bool = False,
    compact: bool = False,
) -> Iterator[_T]:
    """``then(result, job)`` of every job, in order: in the worker that linted the file, so
    that what crosses back to this process is what the caller keeps of it (a rendered part
    rather than the result: checker.streaming), or the result itself (:func:`as_is`). With
    ``compact`` results keep only the lines their findings point at."""
    workers = min(workers, MAX_WORKERS, len(jobs))
    if workers <= 1 or len(jobs) < MIN_FILES_PER_POOL:
        for job in jobs:
            result = _lint(job.path, rulesets.get(job.rule_dirs), job.options, results_cache)
            yield then(result.compact() if compact else result, job)
        return
    from concurrent.futures import ProcessPoolExecutor  # ~8 ms of imports a one-file run never needs

    _worker_rulesets.update(rulesets.loaded)  # forked workers start with the loaded rule sets
    initargs = (rulesets.use_cache, results_cache, compact, then)
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=initargs)  # no process yet
    with sigterm_ends_the_run() as sigterm:
        try:
            # Chunks submitted here rather than by pool.map, whose clean-up cancels the futures
            # that the pool's thread then fails as broken (see _stop_workers). Submitting
            # starts the workers: a SIGTERM that came while forking (whose callbacks ignore
            # the handler's exception) takes effect once they are all known to the pool.
            with sigterm.held():
                chunks = deque(pool.submit(_lint_chunk, chunk) for chunk in _chunks(jobs, workers))
            while chunks:  # each chunk let go once read: a future holds its result as long as it lives
                yield from cast("list[_T]", chunks.popleft().result())
        except BaseException:  # SIGTERM, Ctrl-C, a closed consumer: no worker may outlive the run
            with sigterm.held():
                _stop_workers(pool)
            raise
        finally:
            # Also on success: a thread of the pool left running at exit races the
            # interpreter's own clean-up of it (a traceback on stderr).
            with sigterm.held():
                pool.shutdown(wait=True)


def _chunks(jobs: list[Job], workers: int) -> Iterator[list[Job]]:
    """``jobs`` in chunks for ``workers``, smaller and smaller towards the end (guided
    self-scheduling): a run ends when its last chunk does, and a large last chunk leaves the
    other workers idle while one finishes it. Each chunk is a quarter of a worker's share of
    the jobs left, at most _CHUNK: 1 000 files for 2 workers make 24 chunks of 32, then 30
    smaller ones down to a file; 200 files make 29 chunks from 25 files down."""
    start = 0
    while start < len(jobs):
        size = min(_CHUNK, -(-(len(jobs) - start) // (workers * 4)))
        yield jobs[start : start + size]
        start += size


class _SigtermHandler:
    """SIGTERM to this process ends the run as Ctrl-C does (SystemExit(143) in the main
    thread, which stops the workers), instead of killing it and orphaning its workers;
    but not while the pool is being taken down, which must finish (:meth:`held`)."""

    def __init__(self) -> None:
        self.holding = False
        self.received: int | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.holding:
            self.received = signum
        else:
            raise SystemExit(128 + signum)

    @contextmanager
    def held(self) -> Iterator[None]:
        """A SIGTERM received inside takes effect when the block is done."""
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.received is not None:
            raise SystemExit(128 + self.received)


def compared(jobs: Sequence[Job], previous: Sequence[Job]) -> tuple[list[Job], list[Job]]:
    """The jobs, set to leave digests for the rules across reports when the run has two
    reports or more (else no report has a partner: no digests)."""
    if len(jobs) + len(previous) < 2:
        return list(jobs), list(previous)
    return (
        [job._replace(options=job.options._replace(compare_reports=True)) for job in jobs],
        [job._replace(options=job.options._replace(compare_reports=True)) for job in previous],
    )


def lint_run(
    jobs: list[Job],
    rulesets: RuleSets,
    *,
    workers: int,
    results_cache: bool = False,
    compact: bool = False,
    previous: Sequence[Job] = (),
    progress: Callable[[Iterator[FileResult]], Iterator[FileResult]] | None = None,
) -> list[FileResult]:
    """Every job's result (:func:`lint_jobs`; ``progress`` sees them as they come), then the
    rules across reports over the digests the files left (checker.crossfile), with the
    ``previous`` reports (``--previous``) as last year's partners only: linted for their
    digests, their own findings dropped. Holds every result: a run that only writes a
    report streams it instead (checker.streaming)."""
    jobs, earlier_jobs = compared(jobs, previous)
    linted = lint_jobs(jobs, rulesets, workers=workers, then=as_is, results_cache=results_cache, compact=compact)
    results = list(progress(linted) if progress is not None else linted)
    earlier = list(lint_jobs(earlier_jobs, rulesets, workers=1, then=as_is, results_cache=results_cache, compact=True))
    return across_reports(results, [(rulesets.get(job.rule_dirs), job.options) for job in jobs], earlier)


@contextmanager
def sigterm_ends_the_run() -> Iterator[_SigtermHandler]:
    """Install a :class:`_SigtermHandler` for the block. Only the main thread can set a
    handler: elsewhere SIGTERM keeps its own (and the handler yielded is not installed)."""
    handler = _SigtermHandler()
    if threading.current_thread() is not threading.main_thread():
        yield handler
        return
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield handler
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now, and leave the pool's own thread nothing to wait for.

    The pool can only wait for the chunks under way, so its workers are terminated, which
    it does not expect: a worker killed while sending a result leaves a message cut short,
    which the pool's thread would wait for for ever (this process holds the pipe's other
    end: closing it gives that thread an end of file); and a future cancelled here that
    the thread then fails as broken raises in the thread (a traceback on stderr). So the
    futures are left to the thread, which fails them once it sees the workers gone."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # not public
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()
    result_queue = getattr(pool, "_result_queue", None)  # not public either
    if result_queue is not None:
        result_queue._writer.close()
    pool.shutdown(wait=False)
    # Let that thread end before this run does: left running, it races the interpreter's
    # exit, which closes the descriptors it still reads ("Exception ignored in threading").
    manager = getattr(pool, "_executor_manager_thread", None)  # not public either
    if manager is not None:
        manager.join(timeout=5)
