"""For each file: load → normalize → parse → (extract) → run the active rules → suppress
→ diagnostics. Which rules run is decided in checker.selection, which files in
checker.files; a run over many files is checker.runner's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from checker.checks import CheckFn, Context, Finding
from checker.checks.registry import kinds
from checker.files import display_path
from checker.load import LoadError, load_path
from checker.model import INTERNAL_ERROR, LOAD_ERROR, Diagnostic, Document, Facts, FileResult, Label, SourceText
from checker.normalize import normalize
from checker.outline import outline
from checker.parse import parse
from checker.rule import Rule
from checker.ruleset import RuleSet
from checker.selection import Options, active_rules, effective_severity, is_selected

if TYPE_CHECKING:
    from checker.suppress import Suppressions

# Formats with comments, so with suppression comments (plain text has none).
MARKDOWN_SUFFIX = ".md"
MARKER = "govlint-"  # every suppression comment holds it: files without it skip that stage


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
        specs = kinds()
        context = Context(
            options.settings,
            {r.code: r.params for r in ruleset.rules},
            ruleset.vocabulary,
            frozenset(r.code for r in rules),
        )
        with_facts = any(specs[rule.kind].reads_facts for rule in rules)
        plan = _PLANS[key] = Plan(ruleset, rules, [(r, specs[r.kind].check) for r in rules], context, with_facts)
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
    return FileResult(path, source, diagnostics, locations, outline(doc, source, plan.rules, plan.context))


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


def lint_path(path: Path, ruleset: RuleSet, options: Options) -> FileResult:
    shown = display_path(path)
    try:
        loaded = load_path(path)
    except LoadError as e:
        return unreadable(shown, e.text(options.lang), ruleset, options)
    suppressions = None
    if any(MARKER in comment.text for comment in loaded.comments):  # a web page's, dropped from its text
        from checker.suppress import from_html

        suppressions = from_html(loaded.comments, loaded.text, loaded.locations)
    result = lint_text(shown, loaded.text, ruleset, options, suppressions=suppressions, locations=loaded.locations)
    return result._replace(docx_map=loaded.docx_map) if loaded.docx_map else result


def unreadable(path: str, reason: str, ruleset: RuleSet, options: Options) -> FileResult:
    """The result of a file that could not be read: one E001 saying why."""
    return FileResult(path, None, [_builtin(ruleset, LOAD_ERROR, path, reason, options.lang)])


def read_facts(path: Path, ruleset: RuleSet) -> tuple[Facts, SourceText]:
    """The numeric facts the extract stage finds in the report at ``path``, and its text
    (``govlint facts``). Raises LoadError for a file that cannot be read."""
    text = load_path(path).text
    _, analysed = markdown_suppressions(str(path), text)  # a comment's words are not claims
    doc = analyse(str(path), analysed, ruleset)
    assert doc.facts is not None  # analyse extracts them by default
    return doc.facts, doc.source if analysed is text else SourceText(text)
