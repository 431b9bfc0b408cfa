"""Which rules run on a file, and at what severity: the options of one lint.

Selection comes in layers (a config file, then the command line, then per-file ignores),
applied in order as Ruff applies its own: a layer's ``select`` replaces what the layers
before it chose, ``extend-select`` adds and ``ignore`` removes. A severity override may
also turn a rule "off".
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from checker.checks import Settings
from checker.model import Severity
from checker.rule import Rule
from checker.ruleset import RuleSet

Level = Literal["error", "warning", "info", "off"]


class Selection(NamedTuple):
    """One layer of rule selection: a config file, then the command line, then per-file ignores."""

    select: tuple[str, ...] | None = None  # replaces what earlier layers selected; None keeps it
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


class Options(NamedTuple):
    select: tuple[str, ...] = ()  # codes or prefixes; empty selects every rule
    ignore: tuple[str, ...] = ()
    profile: str | None = None  # None: chosen from the report's title (checker.engine.resolve_profile)
    lang: str = "zh"
    settings: Settings = Settings()
    # Layers from configuration, applied in order before select/ignore above.
    layers: tuple[Selection, ...] = ()
    # (code or prefix, level): the most specific entry wins; "off" disables the rule.
    severity: tuple[tuple[str, Level], ...] = ()
    # The run holds two reports or more (inputs and --previous): each file keeps the digest
    # the rules across reports read. A run of one file cannot pair it, and a digest costs
    # about a third of linting a report (checker.runner.lint_run sets it).
    compare_reports: bool = False


def _matches(code: str, selectors: tuple[str, ...]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def severity_override(code: str, options: Options) -> Level | None:
    best: tuple[int, Level] | None = None
    for selector, level in options.severity:
        if _matches(code, (selector,)):
            rank = -1 if selector == "ALL" else len(selector)
            if best is None or rank > best[0]:
                best = (rank, level)
    return best[1] if best else None


def effective_severity(code: str, default: Severity, options: Options) -> Severity:
    level = severity_override(code, options)
    return default if level is None or level == "off" else level


def is_selected(code: str, options: Options) -> bool:
    """Whether the layers select ``code``: a layer's select resets the choice, its
    extend-select adds, its ignore removes; a severity of "off" removes too."""
    on = True
    for layer in (*options.layers, Selection(options.select or None, (), options.ignore)):
        if layer.select is not None:
            on = _matches(code, layer.select)
        if _matches(code, layer.extend_select):
            on = True
        if _matches(code, layer.ignore):
            on = False
    return on and severity_override(code, options) != "off"


def active_rules(ruleset: RuleSet, options: Options) -> list[Rule]:
    return [
        rule
        for rule in ruleset.rules
        if rule.kind != "builtin" and options.profile in rule.profiles and is_selected(rule.code, options)
    ]
