"""Hostile input, second round (issue 20): one file's trouble never loses the run's other
results, outputs never overwrite what the run reads, stdout trouble is one line, and a
FIFO never hangs a run. Each test failed before the fix it names."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker import cli, engine
from checker.checks import disclosure
from checker.checks.registry import kinds as real_kinds
from conftest import ROOT, SEEDS

DISCLOSURE_KINDS = {spec.name for spec in disclosure.KINDS} | {"carry-over"}  # P401 compares disclosure reports
GOOD = "2023年，全县共受理行政复议案件120件，办结118件。\n"
BAD = "2023年，全县共受理行政复议案件20件，办结18件。\n"


def run_cli(*args: str | Path, env: dict[str, str] | None = None, **streams: Any) -> subprocess.CompletedProcess[str]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **streams}
    return subprocess.run(
        [sys.executable, "-m", "checker.cli", *map(str, args)], check=False, text=True,
        cwd=ROOT, env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}, timeout=120, **streams,
    )  # fmt: skip


def one_line_trouble(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    line = proc.stderr.strip()
    assert line.startswith("govlint: error: ") and "\n" not in line, line
    return line


@pytest.fixture
def reports(tmp_path: Path) -> tuple[Path, Path]:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.md"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    return good, bad


def failing_for_bad(original: Callable[..., Any], is_bad: Callable[..., bool]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if is_bad(*args):
            raise RuntimeError("injected\nfailure")
        return original(*args, **kwargs)

    return wrapper


def lint_json(
    capsys: pytest.CaptureFixture[str], *paths: Path, profile: str = "annual"
) -> tuple[int, list[dict[str, Any]]]:
    status = cli.main(["--no-cache", "--format", "json", "--lang", "en", "--profile", profile, *map(str, paths)])
    return status, json.loads(capsys.readouterr().out)


def assert_only_bad_failed(status: int, items: list[dict[str, Any]], stage: str) -> None:
    assert status == 2
    bad = [i for i in items if i["path"].endswith("bad.md")]
    assert [i["code"] for i in bad] == ["E002"]
    assert f"{stage} failed: RuntimeError: injected failure" in bad[0]["message"]
    good = [i["code"] for i in items if i["path"].endswith("good.txt")]
    assert "S101" in good and "E002" not in good  # the other file's findings survive


# --------------------------------------------------------------------------- item 4: every stage


STAGES: dict[str, tuple[str, Callable[..., bool]]] = {
    "load": ("checker.engine.load_path", lambda path: str(path).endswith("bad.md")),
    "suppress": ("checker.engine.markdown_suppressions", lambda path, text: path.endswith("bad.md")),
    "normalize": ("checker.engine.normalize", lambda text: text == BAD),
    "parse": ("checker.engine.parse", lambda path, *rest: path.endswith("bad.md")),
    "extract": ("checker.extract.claims.extract", lambda doc, vocabulary: doc.path.endswith("bad.md")),
    "outline": ("checker.engine.outline", lambda doc, *rest: doc.path.endswith("bad.md")),
}


@pytest.mark.parametrize("stage", STAGES)
def test_an_exception_in_any_stage_is_that_files_e002(
    stage: str, reports: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target, is_bad = STAGES[stage]
    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(f"{module}.{name}", failing_for_bad(getattr(sys.modules[module], name), is_bad))
    assert_only_bad_failed(*lint_json(capsys, *reports), stage)


@pytest.mark.parametrize(
    "kind", [name for name, spec in real_kinds().items() if name != "builtin" and spec.across is None]
)  # the kinds across reports have no check of one file: tested below
def test_an_exception_in_each_check_is_that_files_e002(
    kind: str, reports: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = {
        name: spec._replace(check=failing_for_bad(spec.check, lambda doc, *rest: doc.path.endswith("bad.md")))
        if name == kind else spec
        for name, spec in real_kinds().items()
    }  # fmt: skip
    monkeypatch.setattr(engine, "kinds", lambda: specs)
    monkeypatch.setattr(engine, "_PLANS", {})
    # A kind runs under a profile one of its rules applies to: the disclosure kinds under theirs.
    profile, part = ("disclosure", "P101") if kind in DISCLOSURE_KINDS else ("annual", "S101")
    status, items = lint_json(capsys, *reports, profile=profile)
    assert status == 2
    failed = [i["message"] for i in items if i["path"].endswith("bad.md") and i["code"] == "E002"]
    assert failed and all("failed: RuntimeError: injected failure" in message for message in failed)
    good = [i["code"] for i in items if i["path"].endswith("good.txt")]
    assert part in good and "E002" not in good


@pytest.mark.parametrize("kind", [name for name, spec in real_kinds().items() if spec.across is not None])
def test_an_exception_in_a_rule_across_reports_is_one_e002(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A kind that compares reports runs once for the run: its failure is one E002 (on the
    first file it runs on), and every file keeps its other findings."""
    from checker import crossfile

    def failing(*args: Any) -> Any:
        raise RuntimeError("injected\nfailure")

    specs = {name: spec._replace(across=failing) if name == kind else spec for name, spec in real_kinds().items()}
    monkeypatch.setattr(crossfile, "kinds", lambda: specs)
    for year in (2023, 2024):
        (tmp_path / f"{year}.txt").write_text(GOOD.replace("2023", str(year)), encoding="utf-8")
    profile, part = ("disclosure", "P101") if kind in DISCLOSURE_KINDS else ("annual", "S101")
    status, items = lint_json(capsys, tmp_path, profile=profile)
    assert status == 2
    failed = [i for i in items if i["code"] == "E002"]
    assert len(failed) == 1 and "failed: RuntimeError: injected failure" in failed[0]["message"]
    assert all(part in [i["code"] for i in items if i["path"].endswith(f"{y}.txt")] for y in (2023, 2024))


def test_an_exception_while_rendering_a_file_is_that_files_e002(
    reports: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from checker.report import machine

    def fails_on_bad(parts: Any, result: Any, *rest: Any) -> bool:
        return bool(result.path.endswith("bad.md") and result.diagnostics[0].code != "E002")

    monkeypatch.setattr(machine.JsonParts, "part", failing_for_bad(machine.JsonParts.part, fails_on_bad))
    status, items = lint_json(capsys, *reports)
    assert status == 2
    bad = [i for i in items if i["path"].endswith("bad.md")]
    assert [i["code"] for i in bad] == ["E002"]
    assert "rendering failed: RuntimeError: injected failure" in bad[0]["message"]
    assert "S101" in [i["code"] for i in items if i["path"].endswith("good.txt")]


def test_facts_go_on_after_a_file_whose_extraction_fails(
    reports: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from checker.extract import claims

    is_bad = STAGES["extract"][1]
    monkeypatch.setattr(claims, "extract", failing_for_bad(claims.extract, is_bad))
    status = cli.main(["facts", "--no-cache", "--format", "json", *map(str, reports)])
    captured = capsys.readouterr()
    assert status == 2
    assert "受理" in captured.out or "120" in captured.out  # the good file's facts
    assert captured.err.count("\n") == 1 and "extract failed: RuntimeError: injected failure" in captured.err


def test_annotate_reports_a_failing_stage_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    import docx

    report = tmp_path / "bad.docx"
    document = docx.Document()
    document.add_paragraph(BAD.strip())
    document.save(str(report))
    monkeypatch.setattr(engine, "parse", failing_for_bad(engine.parse, lambda path, *rest: True))
    assert cli.main(["annotate", "--no-cache", str(report)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "parse failed: RuntimeError: injected failure" in err
    assert not (tmp_path / "bad.reviewed.docx").exists()


# --------------------------------------------------------------------------- item 12: the deadline


def test_a_rule_past_the_files_time_limit_is_named_and_the_run_goes_on(
    reports: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def forever(doc: Any, *rest: Any) -> Any:
        while doc.path.endswith("bad.md"):
            pass
        return []

    specs = {name: spec._replace(check=forever) if name == "pattern" else spec for name, spec in real_kinds().items()}
    monkeypatch.setattr(engine, "kinds", lambda: specs)
    monkeypatch.setattr(engine, "_PLANS", {})
    monkeypatch.setattr(engine, "MAX_FILE_SECONDS", 1)
    status, items = lint_json(capsys, *reports)
    assert status == 2
    bad = [i for i in items if i["path"].endswith("bad.md")]
    assert len(bad) == 1 and bad[0]["code"] == "E002"
    timed_out = r"internal error: rule [A-Z]\d+ did not finish within the 1 s limit for one file"
    assert re.fullmatch(timed_out, bad[0]["message"])
    assert "S101" in [i["code"] for i in items if i["path"].endswith("good.txt")]


CATASTROPHIC_RULE = """
[[rule]]
code = "X950"
name = "catastrophic"
kind = "pattern"
severity = "warning"
summary = "回溯"
summary_en = "backtracking"
message = "“{match}”"
message_en = "“{match}”"
explanation = "测试用。"
source = "测试"
example = { fail = "aaab", pass = "b" }
[rule.params]
patterns = [{ regex = "(a+)+$", label = { zh = "回溯", en = "backtracking" } }]
"""


def test_a_catastrophic_user_regex_ends_the_run_naming_its_rule(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "slow.toml").write_text(CATASTROPHIC_RULE, encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("a" * 40 + "b\n", encoding="utf-8")
    proc = run_cli("--rules", rules, "--no-cache", "--format", "json", "--lang", "en", report, SEEDS[0],
                   env={"GOVLINT_MAX_FILE_SECONDS": "1"})  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    items = json.loads(proc.stdout)
    slow = [i for i in items if i["path"].endswith("r.txt")]
    assert [(i["code"], i["message"]) for i in slow] == [
        ("E002", "internal error: rule X950 did not finish within the 1 s limit for one file")
    ]


# --------------------------------------------------------------------------- item 5: stdout


def test_a_full_stdout_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "w") as full:
        proc = run_cli(SEEDS[0], stdout=full)
    assert "No space left on device" in one_line_trouble(proc)


@pytest.mark.parametrize("command", [[], ["rules"], ["explain", "S103"]])
def test_a_closed_stdout_is_one_line_and_exit_2(command: list[str]) -> None:
    args = " ".join([*command, *([str(SEEDS[0])] if not command else [])])
    proc = subprocess.run(
        ["sh", "-c", f'exec "{sys.executable}" -m checker.cli {args} >&-'], check=False, capture_output=False,
        stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert "standard output is closed" in one_line_trouble(proc)


@pytest.mark.parametrize("command", [[str(SEEDS[0])], ["rules"], ["facts", str(SEEDS[0])]])
def test_stdout_without_chinese_is_one_line_and_exit_2(command: list[str]) -> None:
    proc = run_cli(*command, env={"PYTHONIOENCODING": "ascii"})
    assert "encoding (ascii) cannot hold" in one_line_trouble(proc)


# --------------------------------------------------------------------------- item 1: outputs are not inputs


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("flag", ["-o", "--write-baseline"])
def test_an_output_that_is_an_input_is_refused(tmp_path: Path, flag: str, link: str) -> None:
    report = tmp_path / "r.txt"
    report.write_text(GOOD, encoding="utf-8")
    output = report
    if link == "symlink":
        output = tmp_path / "link.txt"
        output.symlink_to(report)
    elif link == "hardlink":
        output = tmp_path / "hard.txt"
        os.link(report, output)
    proc = run_cli(flag, output, tmp_path if link != "same" else report)
    assert "which this run reads" in one_line_trouble(proc)
    assert report.read_text(encoding="utf-8") == GOOD


def test_an_output_that_is_the_baseline_is_refused(tmp_path: Path) -> None:
    report, baseline = tmp_path / "r.txt", tmp_path / "b.json"
    report.write_text(GOOD, encoding="utf-8")
    assert run_cli("--write-baseline", baseline, report).returncode == 0
    kept = baseline.read_bytes()
    proc = run_cli("--baseline", baseline, "-o", baseline, report)
    assert "which this run reads" in one_line_trouble(proc)
    assert baseline.read_bytes() == kept


# --------------------------------------------------------------------------- item 15: -o not a regular file


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    target, link = tmp_path / "out.txt", tmp_path / "link.txt"
    target.write_text("old", encoding="utf-8")
    link.symlink_to(target)
    assert run_cli("-o", link, "--format", "json", SEEDS[0]).returncode in (0, 1)
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("[")


def test_output_to_a_fifo_is_written_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run_cli("-o", fifo, "--format", "json", SEEDS[0])
    reader.join(timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    assert received and received[0].startswith(b"[")
    assert fifo.is_fifo()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root")
def test_output_to_a_device_node_is_written_into_not_replaced(tmp_path: Path) -> None:
    import stat

    null = tmp_path / "null"  # a private /dev/null: a failing test must never replace the real one
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert run_cli("-o", null, SEEDS[0]).returncode in (0, 1)
    assert stat.S_ISCHR(os.stat(null).st_mode)


# --------------------------------------------------------------------------- item 7: a FIFO never hangs


@pytest.mark.parametrize("flags", [[], ["--no-cache"], ["--fix"], ["--diff"], ["--format", "html"], ["-j", "2"]])
def test_a_fifo_named_on_the_command_line_is_not_a_regular_file(tmp_path: Path, flags: list[str]) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    proc = run_cli(*flags, "--lang", "en", fifo)
    assert proc.returncode == 2
    assert "not a regular file (a FIFO or pipe" in proc.stdout + proc.stderr
    assert "too slow" not in proc.stdout + proc.stderr


# --------------------------------------------------------------------------- item 14: links leaving the tree


def test_a_folder_walk_does_not_follow_a_link_that_leaves_the_folder(tmp_path: Path) -> None:
    from checker.files import expand_paths

    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容\n", encoding="utf-8")
    tree = tmp_path / "t"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.txt").write_text(GOOD, encoding="utf-8")
    (tree / "out.txt").symlink_to(secret)  # leaves the tree: not read
    (tree / "sub" / "up.txt").symlink_to(tree / "a.txt")  # stays inside: read
    assert list(expand_paths([tree])) == [tree / "a.txt", tree / "sub" / "up.txt"]
    assert list(expand_paths([tree / "out.txt"])) == [tree / "out.txt"]  # named: followed
    proc = run_cli("--format", "html", "--no-cache", tree)
    assert "机密内容" not in proc.stdout


# --------------------------------------------------------------------------- item 6: overflowing numbers


def test_a_huge_jobs_count_is_a_usage_error_and_a_large_one_is_capped(tmp_path: Path) -> None:
    proc = run_cli("-j", "99999999999999999999", SEEDS[0])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    last_line = proc.stderr.strip().splitlines()[-1]
    assert last_line.endswith("expected a whole number from 1 to 999999999, got '99999999999999999999'")
    for i in range(10):
        (tmp_path / f"r{i}.txt").write_text(GOOD, encoding="utf-8")
    assert run_cli("-j", "999999999", "--no-cache", tmp_path).returncode == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
        ('{"govlint-baseline": 1, "files": {"r.txt": {"x": ' + "9" * 5000 + "}}}", "Exceeds the limit (4300 digits)"),
    ],
    ids=["nested", "long-count"],  # not the content: the test's id goes into the environment
)
def test_a_hostile_baseline_is_one_line(tmp_path: Path, content: str, reason: str) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text(content, encoding="utf-8")
    line = one_line_trouble(run_cli("--baseline", baseline, SEEDS[0]))
    assert reason in line and len(line) < 300


def test_a_fifo_as_baseline_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "b.json"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_trouble(run_cli("--baseline", fifo, SEEDS[0]))


# --------------------------------------------------------------------------- item 17: SIGTERM during -j


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat_line.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def started_at(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except OSError:
        return None


def catches(pid: int, signum: int) -> bool:
    """Whether ``pid`` has a handler for ``signum`` (its SigCgt mask in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(mask, 16) >> (signum - 1) & 1)


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass: under load a run may take long
    to get anywhere, so the deadlines are generous and a test never waits longer than it must."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigterm_to_the_main_process_leaves_no_worker(tmp_path: Path) -> None:
    """SIGTERM once the pool runs: the main process handles it, both workers have been set up
    (their SIGTERM is the default again, so terminate() ends them), and none outlives the run.
    The test waits for that state rather than for a time: a worker counted as soon as it was
    forked could still be inside the pool's start (one such run failed under load)."""
    for i in range(200):  # several chunks, so that both workers are busy
        (tmp_path / f"r{i:03}.txt").write_bytes(SEEDS[i % len(SEEDS)].read_bytes())
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker.cli", "-j", "2", "--no-cache", str(tmp_path)], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ},
    )  # fmt: skip
    workers: list[int] = []
    worker_starts: dict[int, str | None] = {}  # pid → start time: a pid reused later is no worker
    try:

        def pool_ready() -> bool:
            nonlocal workers
            workers = children_of(proc.pid)
            worker_starts.update((pid, started_at(pid)) for pid in workers)
            started = len(workers) >= 2 and not any(catches(pid, signal.SIGTERM) for pid in workers)
            return started or proc.poll() is not None

        assert wait_until(pool_ready, 300) and proc.poll() is None, "the pool never started"
        assert catches(proc.pid, signal.SIGTERM)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=300) == 128 + signal.SIGTERM
        assert proc.stderr is not None and "Traceback" not in proc.stderr.read().decode()
        # The workers were this process's children: once it is gone they are reaped by init.
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 60), "a worker outlived the run"
    finally:  # a failed assertion leaves no process of this test behind (and kills no other)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pid in workers:
            if alive(pid) and started_at(pid) == worker_starts.get(pid):
                os.kill(pid, signal.SIGKILL)
        if proc.stderr is not None:
            proc.stderr.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigterm_while_writing_an_output_file_leaves_no_temporary_file(tmp_path: Path) -> None:
    """-o writes a temporary file beside the output, put in place when the run ends: a run
    ended by SIGTERM, in one process, takes it away and leaves no output."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(200):
        (corpus / f"r{i:03}.txt").write_bytes(SEEDS[i % len(SEEDS)].read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker.cli", "-j", "1", "--no-cache", "--format", "json",
         "-o", str(out / "report.json"), str(corpus)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        def writing() -> bool:
            return proc.poll() is not None or (catches(proc.pid, signal.SIGTERM) and any(out.iterdir()))

        assert wait_until(writing, 300) and proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=300) == 128 + signal.SIGTERM
        assert proc.stderr is not None and "Traceback" not in proc.stderr.read().decode()
        assert list(out.iterdir()) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


# --------------------------------------------------------------------------- item 19: messages


def test_a_config_file_with_a_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / "govlint.toml").write_bytes(b"\xef\xbb\xbf" + b'ignore = ["S"]\n')
    report = tmp_path / "r.txt"
    report.write_text(GOOD, encoding="utf-8")
    proc = run_cli("--format", "json", "--no-cache", report)
    assert proc.returncode in (0, 1), proc.stderr
    assert not [i for i in json.loads(proc.stdout) if i["code"].startswith("S")]


def test_a_long_rule_expression_error_is_one_short_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (ROOT / "rules" / "dates.toml").read_text(encoding="utf-8")
    broken = text.replace('condition = "plan_year == report_year + 1"', 'condition = "plan_year == ' + "x" * 5000 + '"')
    (rules / "dates.toml").write_text(broken.replace('code = "D30', 'code = "X30'), encoding="utf-8")
    line = one_line_trouble(run_cli("--rules", rules, "--no-cache", SEEDS[0]))
    assert len(line) < 400 and "xxxx…" in line


def test_rules_in_a_five_column_terminal_is_still_a_table() -> None:
    proc = run_cli("rules", env={"COLUMNS": "5"})
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert any(line.split()[:1] == ["S101"] for line in lines)
    assert not [line for line in lines[1:] if not line.strip()]


# --------------------------------------------------------------------------- item 10: annotate at scale


def test_annotate_with_thousands_of_findings_is_linear(tmp_path: Path) -> None:
    import time

    import docx

    report = tmp_path / "many.docx"
    document = docx.Document()
    document.add_paragraph("青山县2023年法治政府建设年度报告")
    for i in range(6000):
        document.add_paragraph(f"第{i}项:XX县召开会议。")  # a T401 finding each
    document.save(str(report))
    started = time.monotonic()
    proc = run_cli("annotate", "--no-cache", report)
    assert time.monotonic() - started < 30, "python-docx's add_comment took 55 s here"  # 4 s with the fix
    assert proc.returncode == 1, proc.stderr
    comments = list(docx.Document(str(tmp_path / "many.reviewed.docx")).comments)
    assert len(comments) > 6000
    assert sorted(c.comment_id for c in comments) == list(range(len(comments)))
    assert all(c.author == "govlint" for c in comments)


# --------------------------------------------------------------------------- item 16: standard input


def run_stdin(
    data: bytes, *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "checker.cli", *map(str, args)], check=False, input=data, capture_output=True,
        cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(env or {})}, timeout=120,
    )  # fmt: skip


def test_dash_reads_standard_input_as_the_named_file(tmp_path: Path) -> None:
    """As Ruff: the name is shown, finds the config and its per-file-ignores, and its suffix
    gives the format; the input is read once and never cached."""
    (tmp_path / "govlint.toml").write_text('[per-file-ignores]\n"*.md" = ["S105"]\n', encoding="utf-8")
    cache = tmp_path / "cache"
    report = SEEDS[3].read_bytes()  # seed 003: no title line (S105) and a QR footer (T402)
    env = {"GOVLINT_CACHE_DIR": str(cache)}
    as_txt = run_stdin(report, "-", "--stdin-filename", "龙门.txt", "--format", "json", cwd=tmp_path, env=env)
    assert as_txt.returncode == 0, as_txt.stderr.decode()
    found = json.loads(as_txt.stdout)
    assert {i["path"] for i in found} == {"龙门.txt"} and {i["code"] for i in found} == {"S105", "T402"}
    as_md = run_stdin(report, "-", "--stdin-filename", "龙门.md", "--format", "json", cwd=tmp_path, env=env)
    assert {i["code"] for i in json.loads(as_md.stdout)} == {"T402"}  # the config's *.md ignores
    assert not (cache / "results").exists()  # never cached
    unnamed = run_stdin(report, "-", "--format", "concise", cwd=tmp_path)
    assert unnamed.stdout.decode().startswith("-:")


def test_standard_input_in_another_format(tmp_path: Path) -> None:
    from test_loaders import seed_docx

    docx = seed_docx(SEEDS[3], tmp_path / "r.docx").read_bytes()
    proc = run_stdin(docx, "-", "--stdin-filename", "r.docx", "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    assert {i["code"] for i in json.loads(proc.stdout)} == {"S105", "T402"}


def test_standard_input_is_bounded_like_a_file() -> None:
    proc = run_stdin("依法行政。\n".encode() * 120_000, "-", "--format", "concise", env={"GOVLINT_MAX_FILE_MB": "1"})
    assert proc.returncode == 2
    assert "E001" in proc.stdout.decode() and "1 MB" in proc.stdout.decode()


def test_fix_and_diff_refuse_standard_input() -> None:
    for flag in ("--fix", "--diff"):
        proc = run_stdin(SEEDS[3].read_bytes(), "-", flag)
        assert proc.returncode == 2 and proc.stdout == b""
        assert proc.stderr.decode().count("\n") == 1 and "-" in proc.stderr.decode()


def test_a_piped_dev_stdin_points_at_dash() -> None:
    proc = run_stdin(SEEDS[3].read_bytes(), "/dev/stdin", "--format", "concise", "--lang", "en")
    assert proc.returncode == 2
    assert "not a regular file" in proc.stdout.decode() and "use - for standard input" in proc.stdout.decode()


def test_a_rule_file_with_a_bom_is_read(tmp_path: Path) -> None:
    from conftest import user_rule

    (tmp_path / "mine.toml").write_bytes(b"\xef\xbb\xbf" + user_rule().encode())
    report = tmp_path / "r.txt"
    report.write_text("坚持建设法制政府。\n", encoding="utf-8")
    proc = run_cli("--rules", tmp_path, "--select", "X9", "--format", "json", "--no-cache", report)
    assert [i["code"] for i in json.loads(proc.stdout)] == ["X901"], proc.stderr
