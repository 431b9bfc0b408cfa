"""The outline of a linted report: its title and the required parts its section rules found.

Outputs show it beside the findings: the HTML page's title and checklist of parts,
annotate's anchor for a finding about the whole file. The engine computes it once per
file from the document the rules read, with the rules' own ``find_part``, so it agrees
with their findings and no output parses the text again.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.checks import Context
from checker.model import Document, Outline, OutlinePart, SourceText, Span
from checker.rule import Rule

SECTION_KIND = "section"


def outline(doc: Document, source: SourceText, rules: Sequence[Rule], ctx: Context) -> Outline:
    """The outline of ``doc`` for the section rules among ``rules`` (the rules that ran);
    texts are cut from ``source``, the original text (``doc`` may read a Markdown file
    with its comments blanked)."""
    title = doc.title.span if doc.title else None
    parts = tuple(_part(doc, source, rule, ctx) for rule in rules if rule.kind == SECTION_KIND)
    return Outline(_cut(source, title) if title else None, title, parts)


def _part(doc: Document, source: SourceText, rule: Rule, ctx: Context) -> OutlinePart:
    from checker.checks.structure import find_part  # only runs with section rules import it

    try:
        found = find_part(doc, rule.params, ctx)  # memoized: the rule itself asked already
    except Exception:  # the engine reported the failing rule (E002); outputs show the rest
        found = None
    name = rule.params.part_name or rule.summary
    span = found.span if found else None
    return OutlinePart(rule.code, name.zh, name.en, span, _cut(source, span) if span else "")


def _cut(source: SourceText, span: Span) -> str:
    return source.text[span.start : span.end]
