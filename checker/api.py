"""The Python API: lint reports from a script, a notebook or a data-parallel job.

    from checker import lint_text, lint_paths

    for problem in lint_text(text, path="青山县2023年报告.txt"):
        print(problem.code, problem.line, problem.column, problem.message)

Both functions give what ``govlint --format json`` prints for the same files, as
:class:`~checker.report.problem.Problem` records (the README's "JSON contract", field by
field). Results are plain NamedTuples: they pickle, so a process pool, Dask or Spark can
ship them back.

``config`` is what the command line finds or is given with ``--config``:

- None: each file's own config file, discovered as the command line does (the closest
  ``govlint.toml``, ``.govlint.toml`` or ``pyproject.toml`` [tool.govlint] upward from
  the file's folder; for :func:`lint_text`, from the folder of ``path``);
- a path to a config file, used for every file;
- a mapping of the keys a config file holds (``{"ignore": ["S108"]}``), validated as a
  file is, with globs and rule folders relative to the working directory; ``{}`` is the
  defaults, whatever config files there are.

A bad config or rule file raises ConfigError or RuleFileError (``str()`` is one line);
an unreadable report is an E001 problem, as on the command line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, Union

from checker import engine
from checker.config import ConfigResolver, Overrides, check_selectors, config_from_mapping, file_settings
from checker.files import display_path
from checker.load import LoadError, decode_bytes
from checker.model import LOAD_ERROR, FileResult
from checker.report.problem import Problem, ReportIdentity, problems, report_identity
from checker.ruleset import RuleSet, builtin_rules_dir, rule_files
from checker.runner import RuleSets, lint_run, plan_jobs

__all__ = ["FileReport", "Problem", "ReportIdentity", "lint_paths", "lint_text"]

ConfigLike = Union[str, "os.PathLike[str]", Mapping[str, Any], None]


class FileReport(NamedTuple):
    """One file of :func:`lint_paths`: its problems, as the JSON output lists them."""

    path: str  # as the command line shows it
    problems: list[Problem]
    error: str | None = None  # the E001 message when the file could not be read (its only problem)
    report: ReportIdentity | None = None  # whose report, on which year; None when it could not be read


def lint_text(text: str, *, path: str | os.PathLike[str] = "report.txt", config: ConfigLike = None) -> list[Problem]:
    """The problems of a report whose text is ``text``, as if it were the UTF-8 file
    ``path`` (which need not exist: its name says whether the text is Markdown, whose
    comments can suppress findings, and where its config file is found)."""
    file = Path(path)
    found_config = _resolver(config).for_path(file)
    settings = file_settings(file, found_config, Overrides())
    ruleset = _RULESETS.get(settings.rule_dirs)
    check_selectors(found_config, Overrides(), ruleset.by_code)
    shown = display_path(file)
    try:
        # As the command line reads a UTF-8 file: a leading BOM dropped, line ends unified.
        loaded = decode_bytes(text.encode("utf-8", "surrogatepass"))
    except LoadError as e:
        return problems(engine.unreadable(shown, e.text(settings.options.lang), ruleset, settings.options))
    return problems(engine.lint_text(shown, loaded.text, ruleset, settings.options))


def lint_paths(
    paths: Iterable[str | os.PathLike[str]], *, config: ConfigLike = None, jobs: int = 1
) -> list[FileReport]:
    """A :class:`FileReport` per report file of ``paths``, in order; folders are searched
    as the command line searches them. ``jobs`` > 1 lints in that many processes."""
    rulesets = _RULESETS
    planned = plan_jobs([Path(p) for p in paths], _resolver(config), Overrides(), rulesets)
    # Problems need only the lines findings point at: compact results, cached by content.
    linted = lint_run(planned, rulesets, workers=jobs, results_cache=rulesets.use_cache, compact=True)
    return [_file_report(result) for result in linted]


def _file_report(result: FileResult) -> FileReport:
    found = problems(result)
    unreadable = len(found) == 1 and found[0].code == LOAD_ERROR
    return FileReport(result.path, found, found[0].message if unreadable else None, report_identity(result.identity))


def _resolver(config: ConfigLike) -> ConfigResolver:
    if config is None:
        return ConfigResolver()
    if isinstance(config, Mapping):
        return ConfigResolver(config_from_mapping(config, Path.cwd()))
    return ConfigResolver(Path(config))


class _KeptRuleSets(RuleSets):
    """Rule sets kept from call to call in this process (loading one and planning its
    rules costs more than linting a short report), loaded again when a rule file changes."""

    def __init__(self) -> None:
        super().__init__()
        self._stamps: dict[tuple[Path, ...], tuple[tuple[str, int, int], ...]] = {}

    def get(self, rule_dirs: tuple[Path, ...]) -> RuleSet:
        stamp = tuple(
            (str(file), stat.st_mtime_ns, stat.st_size)
            for file in rule_files([builtin_rules_dir(), *rule_dirs])
            for stat in (file.stat(),)
        )
        if self._stamps.get(rule_dirs) != stamp:
            self.loaded.pop(rule_dirs, None)
            self._stamps[rule_dirs] = stamp
        return super().get(rule_dirs)


_RULESETS = _KeptRuleSets()
