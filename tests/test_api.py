"""The Python API (README "Python API"): the same findings as the CLI's JSON, picklable,
usable in worker processes, configurable, and cheap to import."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from checker import FileReport, Problem, lint_paths, lint_text
from checker.cli import main
from checker.config import ConfigError
from conftest import ROOT, SEEDS, user_rule

PDF = ROOT / "tests" / "fixtures" / "report.pdf"  # a format with its own reader


def cli_json(*args: str) -> list[dict[str, object]]:
    out = io.StringIO()
    with redirect_stdout(out):
        main(["--format", "json", "--no-cache", *args])
    return json.loads(out.getvalue())


def assert_same(problems: list[Problem], records: list[dict[str, object]]) -> None:
    """Field by field: every key of the JSON contract is an attribute of the Problem."""
    assert len(problems) == len(records)
    for problem, record in zip(problems, records):
        assert set(record) <= set(Problem._fields)
        for key, value in record.items():
            if key == "labels":
                assert [label._asdict() for label in problem.labels] == value
            elif key == "report":  # a dict in the JSON, a ReportIdentity in the record
                assert problem.report is not None and problem.report._asdict() == value
            elif key == "fix":  # Ruff's nested shape in the JSON; flat edits in the record
                assert problem.fix is not None and problem.fix.message == value["message"]  # type: ignore[index]
                assert len(problem.fix.edits) == len(value["edits"])  # type: ignore[arg-type]
            else:
                assert getattr(problem, key) == value, key
        assert problem.to_json() == record


@pytest.fixture(autouse=True)
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths as the CLI is given them, and no config file to discover


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_lint_text_gives_the_cli_json_of_the_file(seed: Path) -> None:
    shown = str(seed.relative_to(ROOT))
    found = lint_text(seed.read_text(encoding="utf-8"), path=shown)
    assert found, "every seed has findings"
    assert_same(found, cli_json(shown))


def test_lint_paths_gives_the_cli_json_of_each_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"  # its findings name the source line: the JSON's "location"
    page.write_text(
        "<html><body>\n<p>青山县2023年法治政府建设年度报告</p>\n<p>某某县</p>\n</body></html>\n", encoding="utf-8"
    )
    reports = lint_paths(["seeds", PDF, page, "missing.txt"])
    assert [r.path for r in reports] == [*(str(s.relative_to(ROOT)) for s in SEEDS), str(PDF), str(page), "missing.txt"]
    assert_same([p for r in reports for p in r.problems], cli_json("seeds", str(PDF), str(page), "missing.txt"))
    assert "L3" in {p.location for p in reports[-2].problems}
    assert [r.error for r in reports[:-1]] == [None] * (len(reports) - 1)


def test_an_unreadable_file_is_one_e001_with_its_message_as_the_error() -> None:
    (report,) = lint_paths(["missing.txt"])
    assert [p.code for p in report.problems] == ["E001"]
    assert report.error == report.problems[0].message
    assert "文件或文件夹不存在" in report.error  # the findings' language, Chinese unless the config says en
    assert report.report is None and report.problems[0].report is None  # no text: no identity, none in the JSON
    assert "report" not in report.problems[0].to_json()
    (english,) = lint_paths(["missing.txt"], config={"lang": "en"})
    assert "no such file" in (english.error or "")


def test_each_file_report_says_whose_report_it_is() -> None:
    reports = {r.path: r for r in lint_paths(["seeds"])}
    assert [(r.report.organisation, r.report.year) for r in reports.values() if r.report] == [
        ("湄洲岛", 2021), ("金石镇人民政府", 2021), ("李堡", 2020), ("巫山县龙门街道办事处", 2023),
        ("大鹏新区政法办公室", 2021),
    ]  # fmt: skip
    written = reports["seeds/001_abc1dbf2d171ed56.txt"]
    assert written.report is not None and written.report.organisation_written == "金石鎮"  # the original characters
    assert all(p.report == written.report for p in written.problems)


def test_results_pickle() -> None:
    reports = lint_paths(["seeds", "missing.txt"])
    assert pickle.loads(pickle.dumps(reports)) == reports
    assert isinstance(reports[0], FileReport)


def _lint_one(path: str) -> list[FileReport]:
    return lint_paths([path])


def test_lint_paths_runs_in_worker_processes() -> None:
    paths = [str(s.relative_to(ROOT)) for s in SEEDS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        in_workers = [report for reports in pool.map(_lint_one, paths) for report in reports]
    assert in_workers == lint_paths(paths)


def test_jobs_spread_the_work_and_keep_the_order(tmp_path: Path) -> None:
    for i in range(10):  # enough files for a pool (runner.MIN_FILES_PER_POOL)
        (tmp_path / f"{i:02d}.txt").write_text(SEEDS[i % len(SEEDS)].read_text(encoding="utf-8"), encoding="utf-8")
    assert lint_paths([tmp_path], jobs=2) == lint_paths([tmp_path])


def test_config_as_a_mapping_or_a_file(tmp_path: Path) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    codes = {p.code for p in lint_text(text)}
    assert any(code.startswith("D") for code in codes)
    without_dates = {p.code for p in lint_text(text, config={"ignore": ["D"]})}
    assert without_dates == {code for code in codes if not code.startswith("D")}
    config = tmp_path / "govlint.toml"
    config.write_text('ignore = ["D"]\nlang = "en"\n', encoding="utf-8")
    in_english = lint_text(text, config=config)
    assert {p.code for p in in_english} == without_dates
    assert "S103" in without_dates
    assert next(p.message for p in in_english if p.code == "S103").startswith("missing part")


def test_a_bad_config_raises_one_line() -> None:
    with pytest.raises(ConfigError, match="unknown key 'selct'"):
        lint_text("", config={"selct": ["S"]})


def test_config_files_are_discovered_from_the_path(tmp_path: Path) -> None:
    (tmp_path / "govlint.toml").write_text('select = ["T401"]\n', encoding="utf-8")
    text = "青山县2023年法治政府建设年度报告\n某某县\n"
    assert {p.code for p in lint_text(text, path=tmp_path / "r.txt")} == {"T401"}
    assert {p.code for p in lint_text(text, path=tmp_path / "r.txt", config={})} > {"T401"}


def test_text_is_read_as_the_cli_reads_a_utf8_file() -> None:
    text = SEEDS[1].read_text(encoding="utf-8")
    assert lint_text("\ufeff" + text.replace("\n", "\r\n")) == lint_text(text)
    (nul,) = lint_text("报告\x00")
    assert nul.code == "E001"


def test_markdown_comments_suppress_by_the_path_suffix() -> None:
    text = "青山县2023年法治政府建设年度报告\n<!-- govlint-disable-next-line T401 -- 示例 -->\n某某县\n"
    assert "T401" in {p.code for p in lint_text(text, path="r.txt")}
    assert "T401" not in {p.code for p in lint_text(text, path="r.md")}



def test_a_changed_rule_file_is_read_again(tmp_path: Path) -> None:
    rule_file = tmp_path / "mine.toml"
    config = {"rules": [str(tmp_path)], "select": ["X"]}
    rule_file.write_text(user_rule("first", "first"), encoding="utf-8")
    assert [p.message for p in lint_text("建设法制政府", config=config)] == ["first"]
    rule_file.write_text(user_rule("second, longer", "second, longer"), encoding="utf-8")
    assert [p.message for p in lint_text("建设法制政府", config=config)] == ["second, longer"]


def test_importing_the_api_loads_no_rules_and_neither_pydantic_nor_lark(tmp_path: Path) -> None:
    code = (
        "import sys; import checker; before = set(sys.modules); "
        "from checker import lint_text, lint_paths; "
        "print(sorted(m for m in before if m.startswith('checker.')"
        " and m not in ('checker.atomic', 'checker.cache', 'checker.regexcache'))); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'lark') or m == 'checker.ruleschema'))"
    )
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(tmp_path / "cache")}  # cold: nothing cached
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.stdout.splitlines() == ["[]", "[]"], proc.stderr
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("rules-*")), "no rules loaded"
