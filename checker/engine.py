"""For each file: load → normalize → parse → run the active rules → diagnostics."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from checker.checks import NUMERIC_KINDS, CheckFn, Context, Finding, Settings, registry
from checker.load import LOADED_SUFFIXES, LoadError, load_path
from checker.model import Diagnostic, Document, FileResult, Label, Severity, SourceText
from checker.normalize import normalize
from checker.parse import parse
from checker.ruleset import Rule, RuleSet

if TYPE_CHECKING:
    from checker.suppress import Suppressions

# Formats with comments, so with suppression comments (plain text has none).
MARKDOWN_SUFFIX = ".md"
HTML_SUFFIXES = (".html", ".htm")
MARKER = "govlint-"  # every suppression comment holds it: files without it skip that stage
Level = Literal["error", "warning", "info", "off"]
LOAD_ERROR = "E001"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
INTERNAL_ERROR = "E002"


class Selection(NamedTuple):
    """One layer of rule selection: a config file, then the command line, then per-file ignores."""

    select: tuple[str, ...] | None = None  # replaces what earlier layers selected; None keeps it
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


class Options(NamedTuple):
    select: tuple[str, ...] = ()  # codes or prefixes; empty selects every rule
    ignore: tuple[str, ...] = ()
    profile: str = "annual"
    lang: str = "zh"
    settings: Settings = Settings()
    # Layers from configuration, applied in order before select/ignore above.
    layers: tuple[Selection, ...] = ()
    # (code or prefix, level): the most specific entry wins; "off" disables the rule.
    severity: tuple[tuple[str, Level], ...] = ()


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


def _diagnostic(rule: Rule, finding: Finding, path: str, options: Options) -> Diagnostic:
    lang = options.lang
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        severity=effective_severity(rule.code, finding.severity or rule.severity, options),
        message=rule.message(finding.variant, dict(finding.args), lang),
        path=path,
        span=finding.span,
        labels=tuple(Label(label.span, label.text.get(lang)) for label in finding.labels),
        help=rule.help.get(lang) if rule.help else None,
        note=finding.note.get(lang) if finding.note else None,
        fix=finding.fix.get(lang) if finding.fix else None,
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


class Plan(NamedTuple):
    """What linting one file with a rule set and options needs, whatever the file."""

    ruleset: RuleSet  # kept, so that the id keying _PLANS is not reused while the entry lives
    rules: list[Rule]
    checks: list[tuple[Rule, CheckFn]]
    context: Context
    with_facts: bool  # some active rule reads the numeric facts


_PLANS: dict[tuple[int, Options], Plan] = {}


def plan_for(ruleset: RuleSet, options: Options) -> Plan:
    """The plan for ``ruleset`` and ``options``, made once: an archive is linted file by
    file with the same two, and selecting rules costs as much as linting a short file."""
    key = (id(ruleset), options)
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) >= 8:
            _PLANS.clear()
        rules = active_rules(ruleset, options)
        kinds = registry()
        context = Context(
            options.settings, {r.code: r.params for r in ruleset.rules}, ruleset.vocabulary, frozenset(r.code for r in rules)
        )
        with_facts = any(rule.kind in NUMERIC_KINDS for rule in rules)
        plan = _PLANS[key] = Plan(ruleset, rules, [(r, kinds[r.kind]) for r in rules], context, with_facts)
    return plan


def check_document(doc: Document, plan: Plan, options: Options) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for rule, check in plan.checks:
        try:
            findings = list(check(doc, rule.params, plan.context))
        except Exception as e:  # a bug in one rule must not hide the others' findings
            reason = f"rule {rule.code} failed: {type(e).__name__}: {e}"
            diagnostics.append(_builtin(plan.ruleset, INTERNAL_ERROR, doc.path, reason, options.lang))
            continue
        if findings:
            diagnostics.extend(_diagnostic(rule, f, doc.path, options) for f in findings)
    diagnostics.sort(key=sort_key)
    return diagnostics


def sort_key(diagnostic: Diagnostic) -> tuple[int, str]:
    return (diagnostic.span.start if diagnostic.span else -1, diagnostic.code)


def analyse(path: str, text: str, ruleset: RuleSet, *, with_facts: bool = True) -> Document:
    """normalize → parse → (extract): the document model the rules read."""
    doc = parse(path, SourceText(text), normalize(text))
    if with_facts:
        from checker.extract.claims import extract

        doc.facts = extract(doc, ruleset.vocabulary)
    return doc


def markdown_suppressions(path: str, text: str) -> tuple[Suppressions | None, str]:
    """A Markdown report's suppression comments, and its text as the parser should see it:
    the comments blanked in place (offsets and lines unchanged). Other files: (None, text)."""
    if path.lower().endswith(MARKDOWN_SUFFIX) and MARKER in text:
        from checker.suppress import from_markdown

        return from_markdown(text)
    return None, text


def lint_text(
    path: str,
    text: str,
    ruleset: RuleSet,
    options: Options,
    *,
    suppressions: Suppressions | None = None,
    locations: tuple[str, ...] | None = None,
) -> FileResult:
    """Lint ``text``. Markdown comments are read here; ``suppressions`` come from where
    the loader dropped the comments (a web page's source)."""
    plan = plan_for(ruleset, options)
    analysed = text
    if suppressions is None:
        suppressions, analysed = markdown_suppressions(path, text)
    doc = analyse(path, analysed, ruleset, with_facts=plan.with_facts)
    diagnostics = check_document(doc, plan, options)
    source = doc.source if analysed is text else SourceText(text)
    if suppressions is not None:
        diagnostics = _suppress(suppressions, diagnostics, source, plan.rules, ruleset, options, path)
    return FileResult(path, source, diagnostics, locations)


def _suppress(
    suppressions: Suppressions,
    diagnostics: list[Diagnostic],
    source: SourceText,
    rules: list[Rule],
    ruleset: RuleSet,
    options: Options,
    path: str,
) -> list[Diagnostic]:
    kept, notices = suppressions.apply(
        diagnostics, source, [r.code for r in ruleset.rules], frozenset(r.code for r in rules)
    )
    for notice in notices:
        rule = ruleset.by_code.get(notice.code)
        if rule is None or not is_selected(notice.code, options):
            continue
        kept.append(
            Diagnostic(
                code=rule.code,
                name=rule.name,
                severity=effective_severity(rule.code, rule.severity, options),
                message=rule.message("default", {"reason": notice.reason[options.lang]}, options.lang),
                path=path,
                span=notice.span,
                help=rule.help.get(options.lang) if rule.help else None,
            )
        )
    return sorted(kept, key=sort_key)


def display_path(path: Path) -> str:
    """``path`` as text that every output can hold on one line (JSON, a UTF-8 terminal or
    file). File names are untrusted: a byte that is not UTF-8 (Linux keeps such names in
    ``str`` as lone surrogates) and a control character (a line break, a terminal escape
    sequence) show as escapes, ``\\xff``, ``\\x1b``; other names are unchanged."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def lint_path(path: Path, ruleset: RuleSet, options: Options) -> FileResult:
    shown = display_path(path)
    try:
        loaded = load_path(path)
    except LoadError as e:
        return FileResult(shown, None, [_builtin(ruleset, LOAD_ERROR, shown, e.reason, options.lang)])
    suppressions = None
    if path.suffix.lower() in HTML_SUFFIXES:
        from checker.suppress import from_html, read_page

        page = read_page(path)
        if page is not None and MARKER in page:
            suppressions = from_html(page, loaded.text, loaded.locations)
    return lint_text(shown, loaded.text, ruleset, options, suppressions=suppressions, locations=loaded.locations)


def expand_paths(paths: list[Path], excluded: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """Files as given; folders searched recursively for report files, in a stable order.
    ``excluded`` prunes what a folder search finds (files named on the command line stay).

    Nothing that goes wrong is skipped in silence: a folder that cannot be listed is
    yielded itself, and a file that cannot be read (a broken or looping link, a file
    gone since the listing) as it is, so that loading reports why (E001). Symbolic links
    to folders are not followed (no loops); FIFOs, sockets and devices found in a folder
    are skipped, as opening a FIFO would wait for a writer."""
    for path in paths:
        if os.path.isdir(path):  # unlike Path.is_dir, never raises (a folder without access)
            found: list[Path] = []
            unlistable: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=unlistable.append):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not (excluded and excluded(Path(root) / d))
                )
                found.extend(
                    Path(root) / f
                    for f in files
                    if f.lower().endswith(LOADED_SUFFIXES)
                    and not f.startswith("~$")  # Word's lock file beside an open document
                    and not (excluded and excluded(Path(root) / f))
                    and _may_be_report(Path(root) / f)
                )
            found.extend(Path(error.filename) for error in unlistable)
            yield from sorted(found)
        else:
            yield path  # a missing file becomes an E001 diagnostic when it is loaded


def _may_be_report(path: Path) -> bool:
    """A regular file, or one that cannot be examined (loading will say why)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True
