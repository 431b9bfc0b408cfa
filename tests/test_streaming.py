"""The report written as the files are linted (checker.streaming, checker.report.parts):
the same report as the whole-run renderers make, findings across reports after each file's
own, the parts held only when they must be, the digests on disk, and nothing but parts
crossing back from the -j workers."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.crossfile import DigestStore, stored
from checker.engine import lint_path
from checker.model import FileResult, SourceText
from checker.report import STREAMED_FORMATS, parts_for, render
from checker.report.machine import JsonParts
from checker.report.parts import PartWriter
from checker.report.summary import Tally
from checker.ruleset import RuleSet
from checker.runner import _chunks
from checker.selection import Options
from checker.streaming import FilePart, PerFile

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARCHIVE = Path(__file__).parent / "fixtures" / "crossyear" / "archive"
ACROSS = {"N210", "S111", "S112", "S113"}


@pytest.mark.parametrize("fmt", STREAMED_FORMATS)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_streamed_report_is_the_whole_run_renderers_report(
    fmt: str, jobs: str, ruleset: RuleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    """The seeds twice (enough files for a pool of workers; no finding across reports),
    streamed by the command, in one process or rendered by the -j workers, read exactly as
    render() writes them from every result."""
    files = SEEDS * 2
    main(["--no-cache", "--format", fmt, "-j", jobs, *map(str, files)])
    streamed = capsys.readouterr().out
    results = [lint_path(path, ruleset, Options()) for path in files]
    whole = io.StringIO()
    shown = [r._replace(path=str(path)) for r, path in zip(results, files)]
    shown = [r._replace(diagnostics=[d._replace(path=r.path) for d in r.diagnostics]) for r in shown]
    render(fmt, shown, whole, ruleset=ruleset, color=False, lang="zh")
    assert streamed == whole.getvalue()


def _records(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    main(["--no-cache", "--format", "json", *args])
    records: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return records


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_findings_across_reports_follow_each_files_own(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in ARCHIVE.glob("*.txt")) * 3  # enough files for a pool of workers
    records = _records(capsys, "-j", jobs, *files)
    assert {r["code"] for r in records} & ACROSS
    # Each file's records come together (no two neighbours in `files` are the same file),
    # in the files' order, its own findings first.
    runs: list[tuple[str, list[bool]]] = []
    for record in records:
        if not runs or runs[-1][0] != record["path"]:
            runs.append((record["path"], []))
        runs[-1][1].append(record["code"] in ACROSS)
    assert [path for path, _ in runs] == [f for f in files if f in {r["path"] for r in records}]
    for path, across in runs:
        assert across == sorted(across), f"{path}: a finding across reports before one of its own"


def test_a_streamed_run_and_the_python_api_agree(capsys: pytest.CaptureFixture[str]) -> None:
    from checker.api import lint_paths

    files = sorted(str(p) for p in ARCHIVE.glob("*.txt"))
    records = _records(capsys, *files)
    api = [p.to_json() for report in lint_paths(files) for p in report.problems]
    assert records == api


def _tally(findings: int, files: int = 1) -> Tally:
    tally = Tally()
    tally.files = files
    tally.by_severity["error"] = findings
    return tally


def test_the_writer_writes_parts_as_they_come_unless_held() -> None:
    written: list[str] = []
    writer = PartWriter(JsonParts(), written.append)
    writer.add('{"a": 1}', _tally(1))
    assert written == ['[\n{"a": 1}']  # out before the run ends
    writer.add("", _tally(0))
    writer.add('{"b": 2},\n{"c": 3}', _tally(2))
    writer.close()
    assert json.loads("".join(written)) == [{"a": 1}, {"b": 2}, {"c": 3}]


def test_held_parts_take_later_findings_after_their_files_own() -> None:
    written: list[str] = []
    writer = PartWriter(JsonParts(), written.append, hold=True)
    for text in ('{"f": 0}', "", '{"f": 2}'):
        writer.add(text, _tally(1 if text else 0))
    writer.add_later(1, '{"f": 1, "across": true}', _tally(1, files=0))
    writer.add_later(0, '{"f": 0, "across": true}', _tally(1, files=0))
    assert written == []
    writer.close()
    assert json.loads("".join(written)) == [
        {"f": 0}, {"f": 0, "across": True}, {"f": 1, "across": True}, {"f": 2},
    ]  # fmt: skip
    assert writer.tally.findings() == 4 and writer.tally.files == 3


def test_an_empty_run_is_a_whole_report_in_every_format(ruleset: RuleSet) -> None:
    for fmt in STREAMED_FORMATS:
        written: list[str] = []
        parts = parts_for(fmt, ruleset=ruleset, color=False, lang="en")
        writer = PartWriter(parts, written.append)
        writer.close()
        text = "".join(written)
        if fmt in ("json", "sarif"):
            json.loads(text)
        elif fmt == "junit":
            import xml.etree.ElementTree as ET

            assert ET.fromstring(text.split("\n", 1)[1]).attrib["tests"] == "0"
        elif fmt in ("human", "concise"):
            assert text == "All checks passed (0 files)\n"


def test_the_digest_store_gives_back_what_the_workers_pickled(ruleset: RuleSet) -> None:
    options = Options(compare_reports=True)
    results = [lint_path(path, ruleset, options) for path in sorted(ARCHIVE.glob("*.txt"))]
    store = DigestStore()
    store._CACHED = 2  # read back from the file, not only from the cache
    entries = [stored(result) for result in results]
    for entry in [*entries, None]:
        store.add(entry)
    try:
        corpus = store.corpus(len(results))
        assert len(corpus.digests) == len(results) + 1 and corpus.keys[-1].organisation is None
        for index in reversed(range(len(results))):
            entry_result = store.result(index)
            assert entry_result is not None and entry_result.diagnostics == []
            assert entry_result.digest == results[index].digest
            assert corpus.digests[index] == results[index].digest
            assert store.paths[index] == results[index].path
            assert corpus.keys[index].organisation == results[index].digest.organisation  # type: ignore[union-attr]
        assert store.result(len(results)) is None
    finally:
        store.close()


def test_a_worker_sends_back_its_files_part_not_its_result(ruleset: RuleSet) -> None:
    from checker.runner import Job

    per_file = PerFile(JsonParts(), None, ruleset, "zh")
    result = lint_path(SEEDS[0], ruleset, Options())
    part = per_file(result, Job(SEEDS[0], (), Options(), "error"))
    assert isinstance(part, FilePart) and not any(isinstance(value, FileResult) for value in part)
    assert json.loads("[" + part.text + "]")[0]["path"] == result.path
    assert part.tally.findings() == len(result.diagnostics) and part.entry is None


def test_a_part_that_cannot_be_rendered_is_that_files_e002(ruleset: RuleSet) -> None:
    class Failing(JsonParts):
        def part(self, result: FileResult, fail_on: str) -> str:
            if result.diagnostics and result.diagnostics[0].code != "E002":
                raise RuntimeError("boom")
            return super().part(result, fail_on)

    per_file = PerFile(Failing(), None, ruleset, "en")
    broken = lint_path(SEEDS[0], ruleset, Options())
    text, tally = per_file.rendered(broken, "error")
    assert json.loads(text)["code"] == "E002" and tally.trouble()
    clean = FileResult("clean.txt", SourceText("x"), [])
    assert per_file.rendered(clean, "error")[0] == ""


def test_junit_gives_each_file_one_suite_with_its_findings_across_reports(capsys: pytest.CaptureFixture[str]) -> None:
    import xml.etree.ElementTree as ET

    files = sorted(str(p) for p in ARCHIVE.glob("*.txt"))
    main(["--no-cache", "--format", "junit", "--select", ",".join(sorted(ACROSS)), *files])
    root = ET.fromstring(capsys.readouterr().out.split("\n", 1)[1])
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == files
    records = _records(capsys, "--select", ",".join(sorted(ACROSS)), *files)
    for suite in suites:
        found = [r for r in records if r["path"] == suite.get("name")]
        cases = suite.findall("testcase")
        assert len(cases) == max(1, len(found)) == int(suite.get("tests", ""))
    assert int(root.get("tests", "")) == sum(int(suite.get("tests", "")) for suite in suites)


def test_statistics_with_write_baseline_writes_the_baseline(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["--no-cache", "--statistics", "--write-baseline", str(baseline), *map(str, SEEDS)]) == 0
    assert json.loads(baseline.read_text(encoding="utf-8"))


def test_a_temporary_file_that_fails_is_one_line_not_an_output_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    def full(self: DigestStore, entry: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(DigestStore, "add", full)
    assert main(["--no-cache", "--lang", "en", "--format", "json", *map(str, SEEDS)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "temporary files" in err and "standard output" not in err


@pytest.mark.parametrize(("files", "workers"), [(1000, 2), (200, 2), (9, 2), (10_000, 4)])
def test_chunks_keep_the_order_and_shrink_towards_the_end(files: int, workers: int) -> None:
    jobs: list[Any] = list(range(files))
    sizes = [len(chunk) for chunk in _chunks(jobs, workers)]
    assert [job for chunk in _chunks(jobs, workers) for job in chunk] == jobs
    assert max(sizes) <= 32 and sizes == sorted(sizes, reverse=True)
    assert sizes[-workers:] == [1] * workers  # no worker waits on another's large last chunk
