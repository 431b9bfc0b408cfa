"""Rule kinds: the Python side of the declarative rules.

A rule in ``rules/*.toml`` names a *kind*; the kind's check is a small pure function
``check(doc, params, ctx) -> Iterable[Finding]``. The engine turns findings into
diagnostics with the rule's code, severity and message template. Adding a rule of an
existing kind needs TOML only; a new kind is a check function and its ``KindSpec``.

Each family module (structure, dates, patterns, numbers) declares its kinds in ``KINDS``,
next to their checks: name, check, message variants, placeholders, condition names and
whether the kind reads the numeric facts. The engine's table (name → check, which kinds
need the extract stage) and checker.ruleschema's (params models, variants, placeholders,
the list of kinds, the JSON Schema of rule files) are all derived from
``checker.checks.registry.kinds()``. This module holds only the types every family shares,
so that the families import it and the registry imports the families: the arrows run one way.

Why a kind names its params model by a string: a lint run whose rules are cached imports
the check modules but must not import pydantic (~100 ms; a pre-commit hook starts govlint
on every commit, and tests/test_cli.py checks what a run imports). So the pydantic models
live in a sibling module per family (``structure_schema.py`` …, on the base of
``schema.py``), imported only by checker.ruleschema when rule files are validated; the
``KindSpec`` names its model as ``"module:Class"``, and a test resolves every one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from checker.extract.vocabulary import EMPTY, Vocabulary
from checker.model import Applicability, Digest, Document, Edit, Fix, Place, Severity, Span


class Text(NamedTuple):
    """A message in both languages govlint speaks."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class FindingLabel(NamedTuple):
    span: Span
    text: Text


class FindingFix(NamedTuple):
    """A fix as a check makes it: the engine picks the message's language (model.Fix)."""

    edits: tuple[Edit, ...]  # in text order, none overlapping another
    message: Text
    applicability: Applicability = "safe"

    def get(self, lang: str) -> Fix:
        return Fix(self.edits, self.message.get(lang), self.applicability)


class Finding(NamedTuple):
    span: Span | None
    variant: str = "default"  # which of the rule's messages to use
    args: Mapping[str, object] = MappingProxyType({})  # shared, so read-only
    labels: tuple[FindingLabel, ...] = ()
    note: Text | None = None
    severity: Severity | None = None  # a kind may lower the rule's severity where it is less sure
    fix: FindingFix | None = None


class Settings(NamedTuple):
    """Run-wide settings a check may read (from flags, later from config files)."""

    deadline_month: int = 3
    deadline_day: int = 31


class Context(NamedTuple):
    settings: Settings
    # Compiled parameters of every rule by code, so a rule can name another rule's part
    # (S107 inspects the part that S102 finds) without repeating its keywords.
    params_by_code: Mapping[str, Any]
    vocabulary: Vocabulary = EMPTY
    # Codes of the rules that run on this document: a fix may count on another rule's
    # matches only where that rule is selected (T402 deletes a line of chrome and T401 placeholders).
    active_codes: frozenset[str] = frozenset()


CheckFn = Callable[[Document, Any, Context], Iterable[Finding]]


class RelatedPlace(NamedTuple):
    """A place in another report of the run that a finding across reports refers to."""

    report: int  # index of that report's digest in the Corpus
    place: Place
    text: Text


class CrossFinding(NamedTuple):
    """A finding of a kind that compares reports: about report ``report`` (its span is in
    that report's text), referring to places in others."""

    report: int
    finding: Finding
    related: tuple[RelatedPlace, ...] = ()


class ReportKey(NamedTuple):
    """Whose report on which year, in which series: what pairs reports (the digest's own)."""

    organisation: str | None
    year: int | None
    profile: str | None

    @classmethod
    def of(cls, digest: Digest) -> ReportKey:
        return cls(digest.organisation, digest.year, digest.profile)


class Corpus(NamedTuple):
    """The digests of a run: ``digests[:inputs]`` are the files linted, the rest the
    ``--previous`` reports (partners only: they get no findings and share no template).
    ``digests`` may be read from disk when indexed (a run of thousands of reports keeps
    them there: checker.crossfile), so a kind reads the ``keys`` to pair reports, and a
    digest only for the reports it compares."""

    digests: Sequence[Digest]
    keys: Sequence[ReportKey]
    inputs: int


# An across kind's check: the corpus and, per digest, the rule's params for that file (None
# where the rule does not run on it).
AcrossFn = Callable[[Corpus, Sequence[Any]], Iterable[CrossFinding]]


class KindSpec(NamedTuple):
    """A kind, declared once beside its check; every table about kinds is derived from these."""

    name: str  # what a rule file writes as ``kind``
    check: CheckFn
    # "module:Class" of the pydantic model that validates the rule's ``params`` and compiles
    # them (``.compile()``) into what ``check`` reads; imported by checker.ruleschema only.
    params: str
    variants: frozenset[str] = frozenset()  # message variants its findings use besides "default"
    args: frozenset[str] = frozenset()  # placeholders its findings fill
    names: frozenset[str] = frozenset()  # names its ``condition`` may use (checker.expr)
    reads_facts: bool = False  # reads doc.facts: the extract stage runs only for such kinds
    # A kind that compares reports (checker.checks.crossyear): its ``check`` finds nothing in
    # one document; the run calls ``across`` once, over every file's digest (checker.crossfile).
    across: AcrossFn | None = None
