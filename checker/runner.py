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
from collections.abc import Iterator
from pathlib import Path

from checker import cache
from checker.engine import lint_path
from checker.files import display_path
from checker.load import LoadError
from checker.load.text import read_bytes
from checker.model import FileResult
from checker.ruleset import RuleSet, load_rules
from checker.selection import Options

# Below this many files a pool costs more to start than it saves (a pre-commit run
# usually checks one or two files).
MIN_FILES_PER_POOL = 8
_CHUNK = 32  # files per round trip to a worker: fewer trips, still ~60 chunks per 2 000 files

Job = tuple[Path, tuple[Path, ...], Options]  # a file, its rule folders, its options

_worker_rulesets: dict[tuple[Path, ...], RuleSet] = {}
_worker_use_cache = True
_worker_results_cache = False
_worker_compact = False


def _init_worker(use_cache: bool, results_cache: bool, compact: bool) -> None:
    global _worker_use_cache, _worker_results_cache, _worker_compact
    _worker_use_cache = use_cache
    _worker_results_cache = results_cache
    _worker_compact = compact


def _lint_job(job: Job) -> FileResult:
    path, rule_dirs, options = job
    if rule_dirs not in _worker_rulesets:
        _worker_rulesets[rule_dirs] = load_rules(list(rule_dirs), use_cache=_worker_use_cache)
    result = _lint(path, _worker_rulesets[rule_dirs], options, _worker_results_cache)
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
    cache_file = cache.cache_dir() / "results" / key[:2] / f"{key}.pickle"
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
    ruleset_for: dict[tuple[Path, ...], RuleSet],
    *,
    workers: int,
    use_cache: bool,
    results_cache: bool = False,
    compact: bool = False,
) -> Iterator[FileResult]:
    """Lint every job, in order. ``ruleset_for`` holds the rule sets already loaded here.
    With ``compact`` results keep only the lines their findings point at."""
    if workers <= 1 or len(jobs) < MIN_FILES_PER_POOL:
        for path, rule_dirs, options in jobs:
            if rule_dirs not in ruleset_for:
                ruleset_for[rule_dirs] = load_rules(list(rule_dirs), use_cache=use_cache)
            result = _lint(path, ruleset_for[rule_dirs], options, results_cache)
            yield result.compact() if compact else result
        return
    from concurrent.futures import ProcessPoolExecutor  # ~8 ms of imports a one-file run never needs

    _worker_rulesets.update(ruleset_for)  # forked workers start with the loaded rule sets
    initargs = (use_cache, results_cache, compact)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=initargs) as pool:
        yield from pool.map(_lint_job, jobs, chunksize=_CHUNK)
