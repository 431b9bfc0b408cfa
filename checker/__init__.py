"""govlint: a linter for Chinese government annual reports (see README.md).

The Python API is ``from checker import lint_text, lint_paths`` (checker.api).
"""

from typing import TYPE_CHECKING

from checker import regexcache

if TYPE_CHECKING:
    from checker.api import FileReport, Problem, ReportIdentity, lint_paths, lint_text

__all__ = ["FileReport", "Problem", "ReportIdentity", "lint_paths", "lint_text"]

# Before any module compiles its patterns: they come from the compiled-regex cache.
regexcache.preload()


def __getattr__(name: str) -> object:
    """The API on first use: every ``import checker.…`` runs this file, and the API
    imports the whole pipeline, which the command line imports piece by piece."""
    if name == "__version__":
        from checker.version import VERSION

        return VERSION
    if name in __all__:
        from checker import api

        return getattr(api, name)
    raise AttributeError(f"module 'checker' has no attribute {name!r}")
