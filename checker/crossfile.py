"""The phase across reports: after every file of a run is linted, the rules that compare
reports (kinds with an ``across`` function: checker.checks.crossyear) run once over the
digests the files left, and their findings join each file's diagnostics.

The digests come with the results (through -j workers and the results cache), so the files
are never read again. A finding about one file that refers to another carries it as a
``Related`` place: its message names the other file and line (for every output format),
JSON and SARIF give its position. Each finding is then what any other is: its file's
severity overrides, suppression comments (the file's own, kept in its digest) and the
baseline apply to it.

A run of many reports keeps the digests on disk until the phase (:class:`DigestStore`): each
file's entry is pickled by the worker that linted it, and the phase reads a digest when a kind
compares its report; the pairing reads only the keys (organisation, year, profile) kept in
memory. Findings across reports follow the file's own findings in every output.
"""

from __future__ import annotations

import pickle
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from typing import NamedTuple, overload

from checker.checks import Corpus, CrossFinding, Finding, ReportKey
from checker.checks.registry import kinds
from checker.engine import StageError, diagnostic, plan_for, sort_key, stage_failure
from checker.model import INTERNAL_ERROR, Diagnostic, Digest, FileResult, Related
from checker.rule import PROFILES, Rule
from checker.ruleset import RuleSet
from checker.selection import Options

_NO_DIGEST = Digest(None, None, (), (), b"", ())
_NO_KEY = ReportKey(None, None, None)


def compares(ruleset: RuleSet, options: Options) -> bool:
    """Whether a file linted with ``ruleset`` and ``options`` may take part in the phase
    (with no profile set, its title chooses one: any may)."""
    profiles = PROFILES if options.profile is None else (options.profile,)
    return any(_across_rules(ruleset, options._replace(profile=profile)) for profile in profiles)


def across_reports(
    results: Sequence[FileResult],
    settings: Sequence[tuple[RuleSet, Options]],
    previous: Sequence[FileResult] = (),
) -> list[FileResult]:
    """``results`` (one per input, with the rule set and options it was linted with) with the
    findings across reports after their own; ``previous`` are the ``--previous`` reports,
    partners of the inputs whose own findings are not reported. The digests are dropped:
    nothing after this phase reads them."""
    everything = [*results, *previous]
    digests = [r.digest or _NO_DIGEST for r in everything]
    keys = [ReportKey.of(r.digest) if r.digest is not None else _NO_KEY for r in everything]
    found = findings_across(Corpus(digests, keys, len(results)), [r.path for r in everything], settings)
    joined_results = []
    for index, result in enumerate(results):
        if index in found:
            more = joined(result, found[index], settings[index][0])
            result = more._replace(diagnostics=[*result.diagnostics, *more.diagnostics])
        joined_results.append(result._replace(digest=None) if result.digest is not None else result)
    return joined_results


def findings_across(
    corpus: Corpus, paths: Sequence[str], settings: Sequence[tuple[RuleSet, Options]]
) -> dict[int, list[Diagnostic]]:
    """The findings of the rules across reports, by the index of the input they are about
    (``settings``: the inputs' rule sets and options), before suppression comments."""
    if sum(key is not _NO_KEY for key in corpus.keys) < 2:
        return {}
    # A profile the title chose (no --profile, no config) is known to the file's digest only.
    settings = [
        (ruleset, options if options.profile is not None else options._replace(profile=key.profile))
        for (ruleset, options), key in zip(settings, corpus.keys)
    ]
    rules = [_across_rules(ruleset, options) for ruleset, options in settings]
    found: dict[int, list[Diagnostic]] = {}
    for code in sorted({code for by_code in rules for code in by_code}):
        params = [by_code[code].params if code in by_code else None for by_code in rules]
        params += [None] * (len(corpus.keys) - len(rules))
        kind = kinds()[next(by_code[code] for by_code in rules if code in by_code).kind]
        assert kind.across is not None  # _across_rules keeps only such rules
        made: list[tuple[int, Diagnostic]] = []
        try:
            for cross in kind.across(corpus, params):
                rule = rules[cross.report][code]
                made.append((cross.report, _diagnostic(rule, cross, paths, settings[cross.report][1])))
        except Exception as e:  # a bug in one rule must not lose the run: its E002, on the first file it ran on
            first = next(index for index, p in enumerate(params) if p is not None)
            made = [(first, _failure(code, e, paths[first], *settings[first]))]
        for index, made_diagnostic in made:
            found.setdefault(index, []).append(made_diagnostic)
    return found


def joined(result: FileResult, found: list[Diagnostic], ruleset: RuleSet) -> FileResult:
    """``result`` (with its digest) holding the findings across reports ``found`` in place of
    its own: the file's suppression comments applied to them, and the lines they point at
    added to its text for code frames (a compact result keeps only its own findings' lines)."""
    digest = result.digest
    assert digest is not None
    if digest.suppressions is not None and found:
        found = _suppressed(digest, found, result, ruleset)
    source = result.source
    if source is not None and found:
        places = [*(p.place for p in digest.passages), *(p.place for p in digest.plan_items)]
        places += [f.place for f in digest.figures]
        places += [cell.place for row in digest.rows for cell in row.cells]
        wanted = {d.span.start for d in found if d.span is not None}
        source = source.with_lines({p.start.line: p.line_text for p in places if p.span.start in wanted})
    return result._replace(source=source, diagnostics=sorted(found, key=sort_key), digest=None)


class Stored(NamedTuple):
    """What a file leaves a :class:`DigestStore`: its result without findings (they are
    reported already), its text's line starts only, and the digest — pickled, by the worker
    that linted it; and what the store keeps in memory."""

    data: bytes
    key: ReportKey
    path: str


def stored(result: FileResult, *, whole: bool = False) -> Stored | None:
    """The file's entry for a :class:`DigestStore`, or None: it left no digest. ``whole``
    keeps the file's whole text (a baseline's fingerprints read the text of a finding)."""
    if result.digest is None:
        return None
    source = result.source
    if source is not None and not whole:
        source = source.keep_lines(set())
    entry = result._replace(source=source, diagnostics=[], outline=None, docx_map=None)
    return Stored(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL), ReportKey.of(result.digest), result.path)


class DigestStore:
    """The digests of a run's files, in a temporary file until the phase across reports:
    a run of 10 000 reports would otherwise hold ~100 MB of them. Entries come from
    :func:`stored`, in the files' order; the keys stay in memory."""

    _CACHED = 64  # entries kept unpickled: the kinds compare a report with a few others at a time

    def __init__(self) -> None:
        import tempfile  # only a run that compares reports needs it

        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), when the phase is done)
        self._ends = array("q")
        self.keys: list[ReportKey] = []
        self.paths: list[str] = []
        self._cache: OrderedDict[int, FileResult | None] = OrderedDict()

    def add(self, entry: Stored | None) -> None:
        data, key, path = entry if entry is not None else (b"", _NO_KEY, "")
        self._file.write(data)
        self._ends.append(self._file.tell())
        self.keys.append(key)
        self.paths.append(path)

    def result(self, index: int) -> FileResult | None:
        """The ``index``-th file's entry (None: the file left no digest)."""
        if index in self._cache:
            self._cache.move_to_end(index)
            return self._cache[index]
        start = self._ends[index - 1] if index else 0
        self._file.seek(start)
        data = self._file.read(self._ends[index] - start)
        entry: FileResult | None = pickle.loads(data) if data else None
        self._cache[index] = entry
        if len(self._cache) > self._CACHED:
            self._cache.popitem(last=False)
        return entry

    def corpus(self, inputs: int) -> Corpus:
        return Corpus(_StoredDigests(self), self.keys, inputs)

    def close(self) -> None:
        self._file.close()


class _StoredDigests(Sequence[Digest]):
    """The digests of a store, read from disk when indexed."""

    def __init__(self, store: DigestStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return len(self._store.keys)

    @overload
    def __getitem__(self, index: int) -> Digest: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Digest]: ...
    def __getitem__(self, index: int | slice) -> Digest | Sequence[Digest]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        entry = self._store.result(index)
        return entry.digest or _NO_DIGEST if entry is not None else _NO_DIGEST


def _across_rules(ruleset: RuleSet, options: Options) -> dict[str, Rule]:
    """The active rules across reports of a file, by code."""
    specs = kinds()
    return {rule.code: rule for rule in plan_for(ruleset, options).rules if specs[rule.kind].across is not None}


def _diagnostic(rule: Rule, cross: CrossFinding, paths: Sequence[str], options: Options) -> Diagnostic:
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


def _suppressed(digest: Digest, found: list[Diagnostic], result: FileResult, ruleset: RuleSet) -> list[Diagnostic]:
    """The file's suppression comments applied to the findings across reports. Their
    notices (G001–G003) were the file's own lint's: a comment that names a rule across
    reports and suppressed nothing is not reported unused (docs/crossyear.md)."""
    from checker.suppress import Suppressions

    suppressions = digest.suppressions
    assert isinstance(suppressions, Suppressions) and result.source is not None
    kept, _ = suppressions.apply(found, result.source, [r.code for r in ruleset.rules], frozenset())
    return kept
