"""For each file: load → normalize → parse → run the active rules → diagnostics."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from checker.checks import NUMERIC_KINDS, Context, Finding, Settings, registry
from checker.load import LoadError, load_path
from checker.model import Diagnostic, Document, FileResult, Label, SourceText
from checker.normalize import normalize
from checker.parse import parse
from checker.ruleset import Rule, RuleSet

TEXT_SUFFIXES = (".txt", ".md")
LOAD_ERROR = "E001"
INTERNAL_ERROR = "E002"


@dataclass(frozen=True, slots=True)
class Options:
    select: tuple[str, ...] = ()  # codes or prefixes; empty selects every rule
    ignore: tuple[str, ...] = ()
    profile: str = "annual"
    lang: str = "zh"
    settings: Settings = field(default_factory=Settings)


def _matches(code: str, selectors: tuple[str, ...]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def active_rules(ruleset: RuleSet, options: Options) -> list[Rule]:
    return [
        rule
        for rule in ruleset.rules
        if rule.kind != "builtin"
        and options.profile in rule.profiles
        and (not options.select or _matches(rule.code, options.select))
        and not _matches(rule.code, options.ignore)
    ]


def _diagnostic(rule: Rule, finding: Finding, path: str, lang: str) -> Diagnostic:
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        severity=finding.severity or rule.severity,
        message=rule.message(finding.variant, dict(finding.args), lang),
        path=path,
        span=finding.span,
        labels=tuple(Label(label.span, label.text.get(lang)) for label in finding.labels),
        help=rule.help.get(lang) if rule.help else None,
        note=finding.note.get(lang) if finding.note else None,
    )


def _builtin(ruleset: RuleSet, code: str, path: str, reason: str, lang: str) -> Diagnostic:
    rule = ruleset.by_code[code]
    return Diagnostic(
        code=code,
        name=rule.name,
        severity="error",
        message=rule.message("default", {"reason": reason}, lang),
        path=path,
        span=None,
    )


def check_document(doc: Document, rules: list[Rule], ruleset: RuleSet, options: Options) -> list[Diagnostic]:
    kinds = registry()
    ctx = Context(options.settings, {r.code: r.params for r in ruleset.rules}, ruleset.vocabulary)
    diagnostics: list[Diagnostic] = []
    for rule in rules:
        try:
            findings = list(kinds[rule.kind](doc, rule.params, ctx))
        except Exception as e:  # a bug in one rule must not hide the others' findings
            reason = f"rule {rule.code} failed: {type(e).__name__}: {e}"
            diagnostics.append(_builtin(ruleset, INTERNAL_ERROR, doc.path, reason, options.lang))
            continue
        diagnostics.extend(_diagnostic(rule, f, doc.path, options.lang) for f in findings)
    diagnostics.sort(key=lambda d: (d.span.start if d.span else -1, d.code))
    return diagnostics


def analyse(path: str, text: str, ruleset: RuleSet, *, with_facts: bool = True) -> Document:
    """normalize → parse → (extract): the document model the rules read."""
    doc = parse(path, SourceText(text), normalize(text))
    if with_facts:
        from checker.extract.claims import extract

        doc.facts = extract(doc, ruleset.vocabulary)
    return doc


def lint_text(path: str, text: str, ruleset: RuleSet, options: Options) -> FileResult:
    rules = active_rules(ruleset, options)
    doc = analyse(path, text, ruleset, with_facts=any(rule.kind in NUMERIC_KINDS for rule in rules))
    return FileResult(path, doc.source, check_document(doc, rules, ruleset, options))


def lint_path(path: Path, ruleset: RuleSet, options: Options) -> FileResult:
    try:
        loaded = load_path(path)
    except LoadError as e:
        return FileResult(str(path), None, [_builtin(ruleset, LOAD_ERROR, str(path), e.reason, options.lang)])
    return lint_text(str(path), loaded.text, ruleset, options)


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for report files, in a stable order."""
    for path in paths:
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in files if f.endswith(TEXT_SUFFIXES))
            yield from sorted(found)
        else:
            yield path  # a missing file becomes an E001 diagnostic when it is loaded
