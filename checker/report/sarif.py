"""SARIF 2.1.0 output, shaped for GitHub code scanning.

One run; ``tool.driver.rules`` describes every rule of the rule set (so a result's
``ruleIndex`` is the rule's position in ``RuleSet.rules``). Regions are 1-based with an
exclusive end column, like the JSON contract, and ``columnKind`` is
``unicodeCodePoints`` because our columns count Python ``str`` characters. GitHub
rejects column 0, so a whole-file finding gets ``startLine`` 1, ``startColumn`` 1 and
no end. A finding that ``--fix`` can fix has ``fixes`` (SARIF §3.55): one fix whose
replacements delete a region and insert the replacement, if any.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from checker.model import Diagnostic, FileResult, Fix, Related, Severity, SourceText, Span
from checker.report.parts import Lines, write_all
from checker.report.summary import Tally, file_fix

if TYPE_CHECKING:
    from checker.rule import Rule
    from checker.ruleset import RuleSet

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
MAX_RESULTS = 25_000  # GitHub code scanning rejects a run with more results
SRCROOT = "%SRCROOT%"  # GitHub resolves this base against the checkout
LEVELS: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "note"}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _driver_metadata() -> tuple[str, str | None]:
    """The installed version and the project's home page (``[project.urls]``), if any."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("govlint")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0", None
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    return meta["Version"], urls.get("homepage") or urls.get("repository")


def _artifact_location(path: str) -> dict[str, str]:
    """A URI reference for ``path``: percent-encoded (a URI has no raw 报告 or spaces),
    relative paths kept relative to the checkout, absolute ones as file: URIs."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote(pure.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _region(source: SourceText | None, span: Span | None) -> dict[str, int]:
    if source is None or span is None:
        return {"startLine": 1, "startColumn": 1}
    start, end = source.position(span.start), source.position(span.end)
    return {"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column}


def _physical(path: str, source: SourceText | None, span: Span | None) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": _artifact_location(path), "region": _region(source, span)}}


def _elsewhere(related: Related) -> dict[str, Any]:
    """A place in another file (a finding across reports), located when that file was linted."""
    start, end = related.position, related.end
    region = {"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column}
    return {
        "physicalLocation": {"artifactLocation": _artifact_location(related.path), "region": region},
        "message": {"text": related.message},
    }


def _markdown(text: str) -> str:
    # Rule texts quote placeholders such as “*次” and “{{ … }}” that Markdown would eat.
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _help(rule: Rule, lang: str) -> dict[str, str]:
    zh = lang == "zh"
    source, fails, passes, fix = (
        ("依据", "示例(不通过)", "应写作", "修改建议") if zh else ("Source", "Example (fails)", "Use instead", "Fix")
    )
    text = [rule.explanation.strip(), "", f"{source}: {rule.source}", "", f"{fails}:",
            *("    " + line for line in rule.example_fail.splitlines()), "", f"{passes}:",
            *("    " + line for line in rule.example_pass.splitlines())]
    markdown = [_markdown(rule.explanation.strip()), "", f"**{source}**: {_markdown(rule.source)}", "",
                f"**{fails}**", "", "```text", rule.example_fail.rstrip("\n"), "```", "",
                f"**{passes}**", "", "```text", rule.example_pass.rstrip("\n"), "```"]
    if rule.help:
        text += ["", f"{fix}: {rule.help.get(lang)}"]
        markdown += ["", f"**{fix}**: {_markdown(rule.help.get(lang))}"]
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}


def _descriptor(rule: Rule, lang: str) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary.get(lang)},
        "fullDescription": {"text": rule.explanation.strip()},
        "help": _help(rule, lang),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        # The family is the rule file (structure, dates, hygiene, core); the kind is how it checks.
        "properties": {"tags": [PurePath(rule.file).stem, rule.kind]},
    }


def _fix(path: str, fix: Fix, source: SourceText) -> dict[str, Any]:
    replacements: list[dict[str, Any]] = []
    for edit in fix.edits:
        replacement: dict[str, Any] = {"deletedRegion": _region(source, Span(edit.start, edit.end))}
        if edit.replacement:
            replacement["insertedContent"] = {"text": edit.replacement}
        replacements.append(replacement)
    return {
        "description": {"text": fix.message},
        "artifactChanges": [{"artifactLocation": _artifact_location(path), "replacements": replacements}],
    }


def _result(
    diag: Diagnostic, source: SourceText | None, fix: Fix | None, rule_index: dict[str, int]
) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": diag.code}
    if diag.code in rule_index:  # a rule from a rule set other than the one passed in has no descriptor
        result["ruleIndex"] = rule_index[diag.code]
    result["level"] = LEVELS[diag.severity]
    result["message"] = {"text": diag.message}
    result["locations"] = [_physical(diag.path, source, diag.span)]
    related = [
        {**_physical(diag.path, source, label.span), "message": {"text": label.message}} for label in diag.labels
    ]
    related += [_elsewhere(other) for other in diag.related]
    if related:
        result["relatedLocations"] = [{"id": i, **location} for i, location in enumerate(related)]
    if fix is not None and source is not None:
        result["fixes"] = [_fix(diag.path, fix, source)]
    return result


def _capped_notice(total: int, lang: str) -> str:
    if lang == "zh":
        return f"共 {total} 条结果,只输出前 {MAX_RESULTS} 条(GitHub code scanning 每次运行最多接受 {MAX_RESULTS} 条)"
    return f"{total} results; only the first {MAX_RESULTS} are included (GitHub code scanning accepts no more per run)"


def sarif_log(results: Sequence[FileResult], *, ruleset: RuleSet, lang: str) -> dict[str, Any]:
    """The log of ``results`` as a dict (what ``render_sarif`` writes, parsed)."""
    out = io.StringIO()
    render_sarif(results, out, ruleset=ruleset, lang=lang)
    log: dict[str, Any] = json.loads(out.getvalue())
    return log


def render_sarif(results: Sequence[FileResult], out: TextIO, *, ruleset: RuleSet, lang: str) -> None:
    write_all(SarifParts(ruleset, lang), results, out.write)


class SarifParts(Lines):
    """One SARIF log, its run's results a line each (json's C encoder, as ``--format
    json``), at most MAX_RESULTS of them: GitHub rejects a run with more, so a run that
    found more says so in a notification."""

    between = ",\n"

    @property
    def cap(self) -> int:
        return MAX_RESULTS

    def __init__(self, ruleset: RuleSet, lang: str) -> None:
        self.ruleset, self.lang = ruleset, lang
        self._rule_index = {rule.code: i for i, rule in enumerate(ruleset.rules)}

    def head(self, tally: Tally) -> str:
        version, home = _driver_metadata()
        driver: dict[str, Any] = {"name": "govlint", "version": version}
        if home:
            driver["informationUri"] = home
        driver["rules"] = [_descriptor(rule, self.lang) for rule in self.ruleset.rules]
        run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints"}
        opening = json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, ensure_ascii=False)
        return opening.removesuffix("}]}") + ', "results": [\n'

    def part(self, result: FileResult, fail_on: str) -> str:
        return ",\n".join([
            json.dumps(_result(diag, result.source, file_fix(diag, result), self._rule_index), ensure_ascii=False)
            for diag in result.diagnostics
        ])  # fmt: skip

    def tail(self, tally: Tally, wrote: bool) -> str:
        closing = "\n]" if wrote else self.head(tally).removesuffix("\n") + "]"
        total = tally.findings()
        if total > MAX_RESULTS:
            notice = {"level": "warning", "message": {"text": _capped_notice(total, self.lang)}}
            invocation = {"executionSuccessful": True, "toolExecutionNotifications": [notice]}
            closing += ', "invocations": ' + json.dumps([invocation], ensure_ascii=False)
        return closing + "}]}\n"
