"""The registry of kinds: every family's ``KINDS``, by name (see checker.checks for why a
kind is declared once, beside its check)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from types import MappingProxyType

from checker.checks import Context, Finding, KindSpec
from checker.model import Document


def _raised_by_engine(doc: Document, params: None, ctx: Context) -> Iterable[Finding]:
    return ()  # never run: the engine and the suppression stage raise these findings themselves


# E001 (a file that cannot be read), E002 (a rule that failed), G001-G003 (suppressions):
# rules so that they can be listed, explained, selected and given a severity like any other.
BUILTIN = KindSpec("builtin", _raised_by_engine, "checker.checks.schema:NoParams", args=frozenset({"reason"}))


@cache
def kinds() -> Mapping[str, KindSpec]:
    """Every kind by name, in declaration order. The family modules are imported here, on
    first use, so that importing checker.checks for its types stays cheap."""
    from checker.checks import crossyear, dates, disclosure, numbers, patterns, structure

    declared = (
        BUILTIN, *structure.KINDS, *dates.KINDS, *patterns.KINDS, *numbers.KINDS, *disclosure.KINDS, *crossyear.KINDS,
    )  # fmt: skip
    by_name = {spec.name: spec for spec in declared}
    assert len(by_name) == len(declared), "two kinds share a name"
    return MappingProxyType(by_name)
