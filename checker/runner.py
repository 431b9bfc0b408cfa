"""Linting many files: in this process, or spread over worker processes (``-j``).

Results come back in input order whatever the number of workers, so every output is
deterministic. Each worker loads the rule set once (from the rule cache).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from checker.engine import Options, lint_path
from checker.model import FileResult
from checker.ruleset import RuleSet, load_rules

# Below this many files a pool costs more to start than it saves (a pre-commit run
# usually checks one or two files).
MIN_FILES_PER_POOL = 8
_CHUNK = 8

Job = tuple[Path, tuple[Path, ...], Options]  # a file, its rule folders, its options

_worker_rulesets: dict[tuple[Path, ...], RuleSet] = {}
_worker_use_cache = True


def _init_worker(use_cache: bool) -> None:
    global _worker_use_cache
    _worker_use_cache = use_cache


def _lint_job(job: Job) -> FileResult:
    path, rule_dirs, options = job
    if rule_dirs not in _worker_rulesets:
        _worker_rulesets[rule_dirs] = load_rules(list(rule_dirs), use_cache=_worker_use_cache)
    return lint_path(path, _worker_rulesets[rule_dirs], options)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def lint_jobs(
    jobs: list[Job], ruleset_for: dict[tuple[Path, ...], RuleSet], *, workers: int, use_cache: bool
) -> Iterator[FileResult]:
    """Lint every job, in order. ``ruleset_for`` holds the rule sets already loaded here."""
    if workers <= 1 or len(jobs) < MIN_FILES_PER_POOL:
        for path, rule_dirs, options in jobs:
            if rule_dirs not in ruleset_for:
                ruleset_for[rule_dirs] = load_rules(list(rule_dirs), use_cache=use_cache)
            yield lint_path(path, ruleset_for[rule_dirs], options)
        return
    _worker_rulesets.update(ruleset_for)  # forked workers start with the loaded rule sets
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(use_cache,)) as pool:
        yield from pool.map(_lint_job, jobs, chunksize=_CHUNK)
