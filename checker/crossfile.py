"""The phase across reports: after every file of a run is linted, the rules that compare
reports (kinds with an ``across`` function: checker.checks.crossyear) run once over the
digests the files left, and their findings join each file's diagnostics.

The digests come with the results (through -j workers and the results cache), so the files
are never read again. A finding about one file that refers to another carries it as a
``Related`` place: its message names the other file and line (for every output format),
JSON and SARIF give its position. Each finding is then what any other is: its file's
severity overrides, suppression comments (the file's own, kept in its digest) and the
baseline apply to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.checks import Corpus, CrossFinding, Finding
from checker.checks.registry import kinds
from checker.engine import StageError, diagnostic, plan_for, sort_key, stage_failure
from checker.model import INTERNAL_ERROR, Diagnostic, Digest, FileResult, Related
from checker.rule import Rule
from checker.ruleset import RuleSet
from checker.selection import Options

_NO_DIGEST = Digest(None, None, (), (), b"", ())


def across_reports(
    results: Sequence[FileResult],
    settings: Sequence[tuple[RuleSet, Options]],
    previous: Sequence[FileResult] = (),
) -> list[FileResult]:
    """``results`` (one per input, with the rule set and options it was linted with) with the
    findings across reports added; ``previous`` are the ``--previous`` reports, partners of
    the inputs whose own findings are not reported. The digests are dropped: nothing after
    this phase reads them."""
    digests = [r.digest or _NO_DIGEST for r in (*results, *previous)]
    if sum(r.digest is not None for r in (*results, *previous)) < 2:
        return [r._replace(digest=None) if r.digest is not None else r for r in results]
    corpus = Corpus(digests, len(results))
    paths = [r.path for r in (*results, *previous)]
    # A profile the title chose (no --profile, no config) is known to the file's digest only.
    settings = [
        (ruleset, options if options.profile is not None else options._replace(profile=digest.profile))
        for (ruleset, options), digest in zip(settings, digests)
    ]
    rules = [_across_rules(ruleset, options) for ruleset, options in settings]
    found: dict[int, list[Diagnostic]] = {}
    for code in sorted({code for by_code in rules for code in by_code}):
        params = [by_code[code].params if code in by_code else None for by_code in rules]
        params += [None] * len(previous)
        kind = kinds()[next(by_code[code] for by_code in rules if code in by_code).kind]
        assert kind.across is not None  # _across_rules keeps only such rules
        made: list[tuple[int, Diagnostic]] = []
        try:
            for cross in kind.across(corpus, params):
                rule = rules[cross.report][code]
                made.append((cross.report, _diagnostic(rule, cross, paths, digests, settings[cross.report][1])))
        except Exception as e:  # a bug in one rule must not lose the run: its E002, on the first file it ran on
            first = next(index for index, p in enumerate(params) if p is not None)
            made = [(first, _failure(code, e, paths[first], *settings[first]))]
        for index, made_diagnostic in made:
            found.setdefault(index, []).append(made_diagnostic)
    return [
        _with_findings(result, found.get(index, []), digests[index], settings[index])
        for index, result in enumerate(results)
    ]


def _across_rules(ruleset: RuleSet, options: Options) -> dict[str, Rule]:
    """The active rules across reports of a file, by code."""
    specs = kinds()
    return {rule.code: rule for rule in plan_for(ruleset, options).rules if specs[rule.kind].across is not None}


def _diagnostic(
    rule: Rule, cross: CrossFinding, paths: list[str], digests: list[Digest], options: Options
) -> Diagnostic:
    lang = options.lang
    related = tuple(
        Related(paths[r.report], r.place.span, r.place.start, r.place.end, r.text.get(lang)) for r in cross.related
    )
    finding = cross.finding
    if related:
        first = related[0]
        finding = finding._replace(args={**finding.args, "other": f"{first.path}:{first.position.line}"})
    return diagnostic(rule, finding, paths[cross.report], options)._replace(related=related)


def _failure(code: str, e: Exception, path: str, ruleset: RuleSet, options: Options) -> Diagnostic:
    failure = stage_failure(f"rule {code} (across reports)", e)
    reason = failure.reason if isinstance(failure, StageError) else str(failure)
    rule = ruleset.by_code[INTERNAL_ERROR]
    return diagnostic(rule, Finding(None, args={"reason": reason}), path, options)._replace(severity="error")


def _with_findings(
    result: FileResult, found: list[Diagnostic], digest: Digest, setting: tuple[RuleSet, Options]
) -> FileResult:
    if result.digest is None:
        return result
    if digest.suppressions is not None and found:
        found = _suppressed(digest, found, result, setting[0])
    if not found:
        return result._replace(digest=None)
    source = result.source
    if source is not None:
        # The lines the new findings point at, for code frames: a compact result kept only
        # the lines of its own findings.
        places = [*(p.place for p in digest.passages), *(p.place for p in digest.plan_items)]
        places += [f.place for f in digest.figures]
        places += [cell.place for row in digest.rows for cell in row.cells]
        wanted = {d.span.start for d in found if d.span is not None}
        lines = {p.start.line: p.line_text for p in places if p.span.start in wanted}
        source = source.with_lines(lines)
    diagnostics = sorted([*result.diagnostics, *found], key=sort_key)
    return result._replace(source=source, diagnostics=diagnostics, digest=None)


def _suppressed(digest: Digest, found: list[Diagnostic], result: FileResult, ruleset: RuleSet) -> list[Diagnostic]:
    """The file's suppression comments applied to the findings across reports. Their
    notices (G001–G003) were the file's own lint's: a comment that names a rule across
    reports and suppressed nothing is not reported unused (docs/crossyear.md)."""
    from checker.suppress import Suppressions

    suppressions = digest.suppressions
    assert isinstance(suppressions, Suppressions) and result.source is not None
    kept, _ = suppressions.apply(found, result.source, [r.code for r in ruleset.rules], frozenset())
    return kept
