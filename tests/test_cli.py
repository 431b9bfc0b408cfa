"""The command line end to end: exit codes, formats, bad input, rule commands."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main
from conftest import ROOT, user_rule

SEED_003 = ROOT / "seeds" / "003_e2cb0b1e9b765e18.txt"
SEED_004 = ROOT / "seeds" / "004_e7ca214a9da63628.txt"
CLEAN = """青山县2023年法治政府建设年度报告
2023年,我县坚持依法行政。
一、2023年推进法治政府建设的主要举措和成效
全年审查规范性文件12件。
二、存在的不足和原因
基层执法力量不足,主要是编制没有随任务增加。
三、党政主要负责人履行推进法治建设第一责任人职责情况
县长主持召开常务会议专题研究法治政府建设4次,带头参加会前学法6次。
四、2024年推进法治政府建设的主要安排
深化行政执法体制改革。
青山县人民政府
2024年2月20日
"""


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """govlint in a subprocess, as a user or CI runs it."""
    return subprocess.run(
        [sys.executable, "-m", "checker.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_clean_report_exits_0(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(CLEAN, encoding="utf-8")
    proc = run(report)
    assert proc.returncode == 0, proc.stdout
    assert "未发现问题(1 个文件)" in proc.stdout


def test_seeds_exit_1_with_summary() -> None:
    proc = run("seeds/", "--color", "never")
    assert proc.returncode == 1
    assert proc.stdout.rstrip().splitlines()[-1].startswith("共发现")
    assert "\x1b[" not in proc.stdout
    assert proc.stderr == ""


def test_json_contract() -> None:
    proc = run("--format", "json", SEED_004)
    items = json.loads(proc.stdout)
    assert items and proc.returncode == 1
    for item in items:
        fields = {"path", "code", "name", "severity", "message", "line", "column", "end_line", "end_column"}
        assert fields <= item.keys()
        assert item["severity"] in ("error", "warning", "info")
        assert item["line"] >= 1 and item["column"] >= 1
    d301 = next(i for i in items if i["code"] == "D301")
    line = SEED_004.read_text(encoding="utf-8").splitlines()[d301["line"] - 1]
    assert line[d301["column"] - 1 : d301["end_column"] - 1] == "2021"


def test_undecodable_file_is_e001_and_others_still_linted(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    proc = run("--format", "json", bad, SEED_003)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    items = json.loads(proc.stdout)
    e001 = [i for i in items if i["code"] == "E001"]
    assert len(e001) == 1 and e001[0]["path"] == str(bad)
    assert any(i["path"] == str(SEED_003) for i in items)


def test_missing_file_names_the_reason(tmp_path: Path) -> None:
    proc = run("--color", "never", tmp_path / "nope.txt")
    assert proc.returncode == 2
    # The reason in the findings' language.
    assert "E001" in proc.stdout and "无法读取文件:文件或文件夹不存在" in proc.stdout
    english = run("--color", "never", "--lang", "en", tmp_path / "nope.txt")
    assert "cannot read file: no such file" in english.stdout.lower()


def test_malformed_rule_file_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(
        '[[rule]]\ncode = "X901"\nname = "my-rule"\nkind = "pattern"\nseverity = "fatal"\n', encoding="utf-8"
    )
    proc = run("--rules", tmp_path, SEED_003)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    line = proc.stderr.strip()
    assert "\n" not in line
    assert "mine.toml:2" in line and "X901" in line and "severity" in line



def test_user_rule_directory_adds_a_rule(tmp_path: Path) -> None:
    (tmp_path / "local.toml").write_text(user_rule(), encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("坚持建设法制政府。\n", encoding="utf-8")
    proc = run("--rules", tmp_path, "--select", "X9", "--format", "json", report)
    assert [i["code"] for i in json.loads(proc.stdout)] == ["X901"]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--select", "T40"], {"T402"}),
        (["--select", "S105,T402"], {"S105", "T402"}),
        (["--ignore", "S"], {"T402"}),
        (["--select", "S", "--ignore", "S105"], set()),
    ],
)
def test_select_and_ignore_prefixes(flags: list[str], expected: set[str]) -> None:
    proc = run("--format", "json", *flags, SEED_003)
    assert {i["code"] for i in json.loads(proc.stdout)} == expected


def test_fail_on_warning() -> None:
    assert run(SEED_003).returncode == 0  # warnings only
    assert run("--fail-on", "warning", SEED_003).returncode == 1


def test_summary_profile_turns_off_structure_rules() -> None:
    items = json.loads(run("--format", "json", "--profile", "summary", SEED_004).stdout)
    assert {i["code"] for i in items} == {"T402"}


def test_english_messages() -> None:
    proc = run("--lang", "en", "--color", "never", SEED_003)
    assert "no title line" in proc.stdout
    assert proc.stdout.rstrip().endswith("2 warnings in 1 file")


def test_publication_deadline_flag() -> None:
    seed_000 = ROOT / "seeds" / "000_00ec3fcab6499c92.txt"
    late = json.loads(run("--format", "json", "--select", "D302", seed_000).stdout)
    lenient = json.loads(
        run("--format", "json", "--select", "D302", "--publication-deadline", "12-31", seed_000).stdout
    )
    assert [i["code"] for i in late] == ["D302"] and lenient == []


def test_bad_usage_exits_2() -> None:
    proc = run("--publication-deadline", "13-45", SEED_003)
    assert proc.returncode == 2 and "MM-DD" in proc.stderr
    assert run().returncode == 2


def test_color_only_when_asked() -> None:
    assert "\x1b[" in run("--color", "always", SEED_003).stdout
    assert "\x1b[" not in run(SEED_003, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_rules_table_lists_every_rule() -> None:
    proc = run("rules", "--format", "json")
    codes = [r["code"] for r in json.loads(proc.stdout)]
    assert {"E001", "S101", "S103", "D301", "T401", "T407"} <= set(codes)
    assert codes == sorted(codes)
    table = run("rules")
    assert table.returncode == 0 and "S103" in table.stdout


def test_explain_shows_source_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "s103", "--no-cache", "--lang", "zh"]) == 0  # (the tests' interface is English)
    out = capsys.readouterr().out
    assert "S103 missing-leader-duties-part (error)" in out
    assert "《法治政府建设与责任落实督察工作规定》" in out
    assert "顺带" in out  # says that a passing mention does not count
    assert main(["explain", "Z999"]) == 2


def test_rules_and_explain_know_the_configs_own_rules(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A project whose govlint.toml adds rule folders lists and explains its own rules."""
    (tmp_path / "own-rules").mkdir()
    (tmp_path / "own-rules" / "local.toml").write_text(user_rule(), encoding="utf-8")
    (tmp_path / "govlint.toml").write_text('rules = ["own-rules"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["explain", "X901"]) == 0
    assert "X901 old-outline-name (error)" in capsys.readouterr().out
    assert main(["rules", "--format", "json"]) == 0
    assert "X901" in {row["code"] for row in json.loads(capsys.readouterr().out)}
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))  # no config here: --config names it
    assert main(["explain", "X901"]) == 2
    assert main(["explain", "X901", "--config", str(tmp_path / "govlint.toml")]) == 0
    capsys.readouterr()
    (tmp_path / "govlint.toml").write_text("rules = 1\n", encoding="utf-8")
    assert main(["explain", "X901", "--config", str(tmp_path / "govlint.toml")]) == 2
    assert capsys.readouterr().err.count("\n") == 1



def test_facts_read_each_report_with_its_configs_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As linting does: the config beside the report, not the working directory's."""
    project = tmp_path / "project"
    (project / "own-rules").mkdir(parents=True)
    (project / "own-rules" / "broken.toml").write_text("[[rule]]\ncode = 1\n", encoding="utf-8")
    (project / "govlint.toml").write_text('rules = ["own-rules"]\n', encoding="utf-8")
    (project / "r.txt").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["facts", "--format", "json", "project/r.txt"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "broken.toml" in err
    (project / "own-rules" / "broken.toml").write_text(user_rule(), encoding="utf-8")
    assert main(["facts", "--format", "json", "project/r.txt"]) == 0


def test_linting_never_modifies_the_file(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(SEED_004.read_bytes())
    before = (report.read_bytes(), report.stat().st_mtime_ns)
    run(report)
    assert (report.read_bytes(), report.stat().st_mtime_ns) == before


def test_facts_shows_what_was_understood() -> None:
    proc = run("facts", "--format", "json", SEED_003)
    assert proc.returncode == 0
    facts = json.loads(proc.stdout)[0]["facts"]
    rate = next(f for f in facts if f["type"] == "rate" and f["text"] == "99%")
    assert rate["name"] == "化解率"
    counts = {(f["role"], f["text"]) for f in facts if f["type"] == "count"}
    assert {("摸排", "126个"), ("化解", "125件"), ("接待", "445余人次")} <= counts
    table = run("facts", "--color", "never", SEED_003)
    assert "化解率" in table.stdout and "\x1b[" not in table.stdout


def test_facts_skip_markdown_suppression_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A comment's reason is not a claim: facts reads the text as the lint does."""
    report = tmp_path / "r.md"
    report.write_text(
        "<!-- govlint-disable-next-line N201 -- 含上年结转案件32件 -->\n全年受理行政复议案件120件,办结126件。\n",
        encoding="utf-8",
    )
    assert main(["facts", "--format", "json", str(report)]) == 0
    facts = json.loads(capsys.readouterr().out)[0]["facts"]
    assert [(f["text"], f["at"]) for f in facts] == [("120件", "2:11"), ("126件", "2:18")]


def test_docx_findings_name_the_paragraph(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("青山县2023年法治政府建设年度报告")
    document.add_paragraph("全年共召开常务会议*次,浏览量:{{ pvCount }}")
    path = tmp_path / "r.docx"
    document.save(str(path))
    proc = run("--format", "concise", "--select", "T401", path)
    assert f"{path}:¶2:" in proc.stdout
    items = json.loads(run("--format", "json", "--select", "T401", path).stdout)
    assert {i["location"] for i in items} == {"¶2"}


def test_folder_scan_picks_up_every_loaded_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("青山县2023年法治政府建设年度报告\n", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><article><p>某某县</p></article></body></html>", encoding="utf-8")
    (tmp_path / "~$c.docx").write_bytes(b"lock")  # Word's lock file: never a report
    items = json.loads(run("--format", "json", "--select", "T401,E001", tmp_path).stdout)
    assert {Path(i["path"]).name for i in items} == {"b.html"}


def test_results_cache_reuses_unchanged_files_only(tmp_path: Path) -> None:
    env = {"GOVLINT_CACHE_DIR": str(tmp_path / "cache")}
    report = tmp_path / "r.txt"
    report.write_text("青山县2023年法治政府建设年度报告\n浏览量:{{ pvCount }}\n", encoding="utf-8")
    first = run("--format", "json", report, env=env).stdout
    assert list((tmp_path / "cache" / "results").rglob("*.pickle")), "results were cached"
    assert run("--format", "json", report, env=env).stdout == first
    assert run("--format", "json", "--no-cache", report, env=env).stdout == first
    report.write_text("青山县2023年法治政府建设年度报告\n某某县\n", encoding="utf-8")
    changed = json.loads(run("--format", "json", report, env=env).stdout)
    assert [i["message"] for i in changed if i["code"] == "T401"] == ["残留模板占位符“某某”"]


def test_a_warm_one_report_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    """Cold start (docs/performance.md): a pre-commit run on one edited report, with every
    rule, findings to print and a Chinese numeral (百分之百), imports none of these."""
    report = tmp_path / "report.txt"
    report.write_text((ROOT / "seeds" / "002_aad3a219ed66e48e.txt").read_text(encoding="utf-8"), encoding="utf-8")
    heavy = (
        "pydantic", "lark", "dataclasses", "inspect", "concurrent.futures", "multiprocessing", "tempfile",
        "rich.console", "rich.text", "json", "tomllib", "difflib", "importlib.resources", "openpyxl",
    )  # fmt: skip
    loaded = f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    code = f"import sys; from checker.cli import main; main([{str(report)!r}]); {loaded}"
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(tmp_path / "cache")}
    # Some interpreters load a few of these at start-up (a site-packages .pth file imports
    # importlib.resources on CI's): only what govlint adds counts.
    startup = subprocess.run([sys.executable, "-c", f"import sys; {loaded}"], capture_output=True, text=True, env=env)
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)  # fill the caches
    report.write_text(report.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # edited: the results cache misses
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    added = set(ast.literal_eval(warm.stdout.strip().splitlines()[-1])) - set(ast.literal_eval(startup.stdout))
    assert not added, warm.stdout[-500:] + warm.stderr


def test_a_run_that_validates_the_rules_does_not_import_lark(tmp_path: Path) -> None:
    """--no-cache validates every rule file: the conditions of the built-in rules are read
    without lark (checker.expr._Plain), which only a condition with an error needs."""
    run = f"from checker.cli import main; main(['--no-cache', {str(SEED_004)!r}])"
    code = f"import sys; {run}; print('lark' in sys.modules)"
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stdout[-500:] + done.stderr


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["--color", "never", "seeds"], 1),
        (["--color", "always", "seeds"], 1),
        (["--format", "concise", "seeds"], 1),
        (["--format", "json", "seeds"], 1),
        (["--format", "sarif", "seeds"], 1),
        (["--statistics", "seeds"], 1),
        (["--format", "json", str(SEED_004)], 1),  # output smaller than the buffer
        (["{clean}"], 0),
        (["--color", "always", "{clean}"], 0),
        (["--diff", "{chrome}"], 1),
        (["rules"], 0),
        (["rules", "--format", "json"], 0),
        (["explain", "T402"], 0),
        (["facts", str(SEED_003)], 0),
    ],
)
def test_a_closed_pipe_keeps_the_status(args: list[str], status: int, tmp_path: Path) -> None:
    """`govlint seeds/ | head`: the output stops quietly and the exit status is the run's
    own, whatever the command or format. Without PYTHONUNBUFFERED (which CI may set), so
    that small outputs meet the closed pipe in a flush, not in a write."""
    clean, chrome = tmp_path / "clean.txt", tmp_path / "chrome.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    chrome.write_text(CLEAN + "扫一扫在手机打开当前页\n", encoding="utf-8")
    args = [a.format(clean=clean, chrome=chrome) for a in args]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "checker.cli", *args],
            stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env, timeout=60,
        )
    finally:
        os.close(write_end)
    expected_stderr = "govlint: 1 file(s) would be fixed\n" if "--diff" in args else ""
    assert (done.returncode, done.stderr) == (status, expected_stderr)
