"""What the desk's worker processes do with one uploaded report: lint it and, for a Word
document, write its annotated copy beside it. Runs in a worker (checker.serve.desk's
pool), never in the server's request loop; everything here is picklable in and out.

The report is linted with the defaults and the reviewer's choices only: no config file is
looked for above the upload folder (a shared temporary folder such as /tmp is anyone's, so
a ``pyproject.toml`` planted there must not decide what runs).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from checker.annotate import AnnotateError, annotate_docx
from checker.config import ConfigError, ConfigResolver, Overrides, config_from_mapping
from checker.model import FileResult
from checker.rule import RuleFileError
from checker.runner import RuleSets, as_is, lint_jobs, plan_jobs


class Choices(NamedTuple):
    """What the reviewer chose in the page, sent with each upload."""

    profile: str | None = None  # None: chosen from the report's title, as the CLI does without --profile
    deadline: tuple[int, int] | None = None  # (month, day); None: the default, 03-31
    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()


class Reviewed(NamedTuple):
    """One report's outcome: its lint result (named as the reviewer named the file), the
    number of Word comments written (None: no annotated copy), or the reason nothing could
    be done (an unknown rule code: the choices, not the file, are wrong)."""

    result: FileResult | None
    comments: int | None = None
    refusal: str | None = None


_RULESETS = RuleSets()  # per worker process: each rule set is loaded once


def review(path: Path, shown: str, choices: Choices, annotated: Path) -> Reviewed:
    """Lint the report at ``path`` and name it ``shown`` in the result; a .docx that could be
    read is annotated into ``annotated``."""
    overrides = Overrides(
        select=choices.select or None, ignore=choices.ignore, profile=choices.profile,
        publication_deadline=choices.deadline, lang="zh",
    )
    resolver = ConfigResolver(config_from_mapping({}, path.parent))
    try:
        jobs = plan_jobs([path], resolver, overrides, _RULESETS)
    except ConfigError as e:
        return Reviewed(None, refusal=e.text("zh"))
    except RuleFileError as e:  # the built-in rules: a broken installation
        return Reviewed(None, refusal=str(e))
    result = _named(next(lint_jobs(jobs, _RULESETS, workers=1, then=as_is)), shown)
    if path.suffix.lower() != ".docx" or result.source is None or result.docx_map is None:
        return Reviewed(result)
    try:
        return Reviewed(result, annotate_docx(path, annotated, result))
    except (AnnotateError, OSError):  # the findings stand; only the Word copy is missing
        return Reviewed(result)


def _named(result: FileResult, shown: str) -> FileResult:
    return result._replace(path=shown, diagnostics=[d._replace(path=shown) for d in result.diagnostics])
