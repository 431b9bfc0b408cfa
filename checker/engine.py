"""For each file: load → normalize → parse → (extract) → run the active rules → suppress
→ diagnostics. Which rules run is decided in checker.selection, which files in
checker.files; a run over many files is checker.runner's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from checker.checks import CheckFn, Context, Finding
from checker.checks.registry import kinds
from checker.extract.identity import report_identity
from checker.files import display_path
from checker.load import LoadError, deadline, load_path
from checker.load.deadline import LoadTimeout, time_limit
from checker.load.limits import MAX_FILE_SECONDS
from checker.model import (
    INTERNAL_ERROR,
    LOAD_ERROR,
    Diagnostic,
    Document,
    Facts,
    FileResult,
    Identity,
    Label,
    SourceText,
    TableLayout,
)  # fmt: skip
from checker.normalize import normalize
from checker.outline import outline
from checker.parse import parse
from checker.rule import DEFAULT_PROFILE, Rule
from checker.ruleset import RuleSet
from checker.selection import Options, active_rules, effective_severity, is_selected

if TYPE_CHECKING:
    from checker.checks.crossyear import DigestSpec
    from checker.suppress import Suppressions

# Formats with comments, so with suppression comments (plain text has none).
MARKDOWN_SUFFIX = ".md"
MARKER = "govlint-"  # every suppression comment holds it: files without it skip that stage


def diagnostic(rule: Rule, finding: Finding, path: str, options: Options) -> Diagnostic:
    """The diagnostic of ``finding`` of ``rule`` in the file ``path``, in the run's language."""
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


_REASON_CHARS = 300  # an exception's text can be a whole document: E002 stays one short line


class StageError(Exception):
    """A stage failed on one file, or ran past the file's time limit: the file's E002.
    Other files go on (a bug or a slow path on one report must not lose the run)."""

    def __init__(self, reason: str, *, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Turn what goes wrong in the block into a :class:`StageError` naming ``name``.
    The load stage's own refusals (LoadError: E001, the file's fault) pass through."""
    try:
        yield
    except Exception as e:
        failure = stage_failure(name, e)
        if failure is e:
            raise
        raise failure from e


def stage_failure(name: str, e: Exception) -> Exception:
    """What stage ``name`` raises for ``e``: ``e`` itself when it passes through (a nested
    StageError, a load refusal), else the StageError that names the stage."""
    if isinstance(e, StageError):
        return e
    if isinstance(e, LoadError):
        if name == "load" or not isinstance(e, LoadTimeout):
            return e
        return StageError(f"{name} did not finish within the {e.seconds} s limit for one file", timed_out=True)
    # Any exception: the stage's code is not the input's to choose.
    detail = " ".join(f"{type(e).__name__}: {e}".split())
    return StageError(f"{name} failed: {detail[:_REASON_CHARS]}")


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
    checks: list[tuple[Rule, CheckFn]]  # the rules that read one document (not those across reports)
    context: Context
    with_facts: bool  # some active rule reads the numeric facts
    # What the active rules across reports need of the file; None: none is active, or the
    # run has no other report to compare it with (Options.compare_reports).
    digest: DigestSpec | None


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
        checks = [(r, specs[r.kind].check) for r in rules if specs[r.kind].across is None]
        across = [r.params for r in rules if specs[r.kind].across is not None]
        spec = None
        if across and options.compare_reports:
            from checker.checks.crossyear import digest_spec

            spec = digest_spec(across)
        plan = _PLANS[key] = Plan(ruleset, rules, checks, context, with_facts, spec)
    return plan


def check_document(doc: Document, plan: Plan, options: Options) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for rule, check in plan.checks:
        deadline.check()  # where no timer can interrupt (a thread), between rules
        # As ``with stage(...)``, without a context manager and a name per rule: this runs
        # for every rule of every file, and nearly always nothing goes wrong.
        try:
            findings = list(check(doc, rule.params, plan.context))
        except Exception as e:
            failure = stage_failure(f"rule {rule.code}", e)
            if failure is e:  # passes through, as out of ``stage``
                raise
            if not isinstance(failure, StageError) or failure.timed_out:  # the file's time is up
                raise failure from e
            # a bug in one rule must not hide the others' findings
            diagnostics.append(_builtin(plan.ruleset, INTERNAL_ERROR, doc.path, failure.reason, options.lang))
            continue
        if findings:
            diagnostics.extend(diagnostic(rule, f, doc.path, options) for f in findings)
    diagnostics.sort(key=sort_key)
    return diagnostics


def sort_key(diagnostic: Diagnostic) -> tuple[int, str]:
    return (diagnostic.span.start if diagnostic.span else -1, diagnostic.code)


def analyse(
    path: str, text: str, ruleset: RuleSet, *, with_facts: bool = True, layouts: tuple[TableLayout, ...] = ()
) -> Document:
    """normalize → parse → (extract): the document model the rules read (``layouts``: the
    loader's tables). Raises :class:`StageError` naming the stage that failed."""
    with stage("normalize"):
        normalized = normalize(text)
    with stage("parse"):
        doc = parse(path, SourceText(text), normalized, layouts)
    if with_facts:
        add_facts(doc, ruleset)
    return doc


def add_facts(doc: Document, ruleset: RuleSet) -> None:
    with stage("extract"):
        from checker.extract.claims import extract

        doc.facts = extract(doc, ruleset.vocabulary)


def with_profile(doc: Document, ruleset: RuleSet, options: Options) -> Options:
    """``options`` with a profile: the one --profile or the config named, else the first
    whose ``[profile.<name>] title`` matches the report's title, else the default."""
    if options.profile is not None:
        return options
    title = doc.title.text if doc.title is not None else ""
    chosen = next((p.profile for p in ruleset.profile_titles if title and p.title.search(title)), DEFAULT_PROFILE)
    return options._replace(profile=chosen)


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
    layouts: tuple[TableLayout, ...] = (),
) -> FileResult:
    """Lint ``text``. Markdown comments are read here; ``suppressions`` come from where
    the loader dropped the comments (a web page's source). A stage that fails or runs
    past the file's time limit makes the result one E002 naming it."""
    try:
        with time_limit(MAX_FILE_SECONDS), stage("lint"):
            return _lint_text(path, text, ruleset, options, suppressions, locations, layouts)
    except StageError as e:
        return failed(path, e.reason, ruleset, options.lang, SourceText(text))


def _lint_text(
    path: str,
    text: str,
    ruleset: RuleSet,
    options: Options,
    suppressions: Suppressions | None,
    locations: tuple[str, ...] | None,
    layouts: tuple[TableLayout, ...],
) -> FileResult:
    analysed = text
    if suppressions is None:
        with stage("suppress"):
            suppressions, analysed = markdown_suppressions(path, text)
    doc = analyse(path, analysed, ruleset, with_facts=False, layouts=layouts)
    options = with_profile(doc, ruleset, options)  # the title may choose it: known once parsed
    plan = plan_for(ruleset, options)
    if plan.with_facts:
        add_facts(doc, ruleset)
    diagnostics = check_document(doc, plan, options)
    source = doc.source if analysed is text else SourceText(text)
    if suppressions is not None:
        with stage("suppress"):
            ran = [rule for rule, _ in plan.checks]  # those across reports are applied after the run
            diagnostics = _suppress(suppressions, diagnostics, source, ran, ruleset, options, path)
    with stage("outline"):
        sections = outline(doc, source, plan.rules, plan.context)
    with stage("identity"):
        identity = report_identity(doc)
    digest = None
    if plan.digest is not None:
        with stage("digest"):
            from checker.checks.crossyear import digest as make_digest

            digest = make_digest(doc, identity, plan.digest, plan.context, suppressions)
            digest = digest._replace(profile=options.profile)
    return FileResult(path, source, diagnostics, locations, sections, identity=identity, digest=digest)


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
    """Load and lint ``path``, every stage under one time limit for the file."""
    shown = display_path(path)
    with time_limit(MAX_FILE_SECONDS):
        try:
            with stage("load"):
                loaded = load_path(path)
            suppressions = None
            if any(MARKER in comment.text for comment in loaded.comments):  # a web page's, dropped from its text
                from checker.suppress import from_html

                with stage("suppress"):
                    suppressions = from_html(loaded.comments, loaded.text, loaded.locations)
        except LoadError as e:
            return unreadable(shown, e.text(options.lang), ruleset, options)
        except StageError as e:
            return failed(shown, e.reason, ruleset, options.lang)
        result = lint_text(
            shown, loaded.text, ruleset, options, suppressions=suppressions, locations=loaded.locations,
            layouts=loaded.tables,
        )
    return result._replace(docx_map=loaded.docx_map) if loaded.docx_map else result


def unreadable(path: str, reason: str, ruleset: RuleSet, options: Options) -> FileResult:
    """The result of a file that could not be read: one E001 saying why."""
    return FileResult(path, None, [_builtin(ruleset, LOAD_ERROR, path, reason, options.lang)])


def failed(path: str, reason: str, ruleset: RuleSet, lang: str, source: SourceText | None = None) -> FileResult:
    """The result of a file on which govlint itself failed: one E002 saying where."""
    return FileResult(path, source, [_builtin(ruleset, INTERNAL_ERROR, path, reason, lang)])


class ReadFacts(NamedTuple):
    """What ``govlint facts`` shows of a report."""

    facts: Facts
    source: SourceText
    identity: Identity


def read_facts(path: Path, ruleset: RuleSet) -> ReadFacts:
    """The report at ``path``: the numeric facts the extract stage finds, its text and who
    reports on which year (``govlint facts``). Raises LoadError for a file that cannot be
    read, StageError for a stage that failed on it."""
    with time_limit(MAX_FILE_SECONDS):
        loaded = load_path(path)
        text = loaded.text
        with stage("suppress"):
            _, analysed = markdown_suppressions(str(path), text)  # a comment's words are not claims
        doc = analyse(str(path), analysed, ruleset, layouts=loaded.tables)
        with stage("identity"):
            identity = report_identity(doc)
    assert doc.facts is not None  # analyse extracts them by default
    doc.facts.tables = doc.tables
    return ReadFacts(doc.facts, doc.source if analysed is text else SourceText(text), identity)
