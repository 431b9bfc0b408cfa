"""A compiled rule: what checker.ruleschema makes of a ``[[rule]]`` table, and what the
engine, the reports and ``govlint explain`` read. Below both checker.ruleschema (which
builds rules) and checker.ruleset (which loads and caches them), so that neither imports
the other's way back.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from checker.checks import Text
from checker.model import Severity

# The kinds of report govlint knows. A rule names those it applies to (default: all); a
# run picks one with --profile or the config, else from the report's title (the rule
# files' ``[profile.<name>] title``), else "annual".
PROFILES = ("annual", "summary", "disclosure")
DEFAULT_PROFILE = "annual"


class ProfileTitle(NamedTuple):
    """A profile chosen for a report whose title matches (a rule file's ``[profile.<name>]``)."""

    profile: str
    title: re.Pattern[str]


class RuleFileError(Exception):
    """A rule file that cannot be used. ``str()`` is one line naming file, rule and field."""


class Rule(NamedTuple):
    code: str
    name: str
    kind: str
    severity: Severity
    summary: Text
    messages: dict[str, Text]  # variant → template with {placeholders}
    help: Text | None
    explanation: str
    source: str
    example_fail: str
    example_pass: str
    profiles: frozenset[str]
    file: str
    params: Any = None  # what the kind's params model compiled: the kind's check reads it

    def message(self, variant: str, args: dict[str, object], lang: str) -> str:
        template = self.messages.get(variant, self.messages["default"]).get(lang)
        return fill(template, args)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, args: dict[str, object]) -> str:
    """Substitute ``{name}`` placeholders. Deliberately not str.format: a format string can
    reach attributes (``{x.__class__}``), and rule files are not trusted with that."""
    return _PLACEHOLDER.sub(lambda m: str(args.get(m.group(1), m.group(0))), template)


def placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))
