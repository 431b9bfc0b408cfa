"""The progress bar of a long run: on standard error when it is a terminal, for more than
PROGRESS_MIN_FILES files, with -j too, and never in an output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import PROGRESS_MIN_FILES

ROOT = Path(__file__).resolve().parent.parent
REPORT = "青山县2023年法治政府建设年度报告\n一、主要举措和成效\n全年受理案件12件,办结12件。\n"


def archive(folder: Path, count: int) -> Path:
    folder.mkdir()
    for index in range(count):
        (folder / f"r{index:03d}.txt").write_text(REPORT, encoding="utf-8")
    return folder


def run_on_a_terminal(tmp_path: Path, *args: str) -> tuple[str, str]:
    """Run govlint with standard error on a pseudo-terminal: its stdout, and what the terminal showed."""
    master, slave = os.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm", "GOVLINT_LANG": "zh"}
    output = tmp_path / "stdout"
    try:
        with output.open("wb") as stdout:  # a file, not a pipe: nobody reads a pipe while the terminal is read
            proc = subprocess.Popen(
                [sys.executable, "-m", "checker.cli", "--no-cache", *args],
                stdout=stdout, stderr=slave, cwd=ROOT, env=env,
            )  # fmt: skip
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        proc.wait(timeout=120)
    finally:
        os.close(master)
    return output.read_text(encoding="utf-8"), shown.decode("utf-8", "replace")


# Without the rules across reports the report is written as the files are linted, while the
# bar shows: it must still go to standard output (a file here), not to the bar's terminal.
STREAMED = ("--ignore", "N210,S111,S112,S113,P401")


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("held", [True, False])
def test_a_long_run_shows_a_bar_on_the_terminal_and_nothing_in_the_output(
    tmp_path: Path, jobs: str, held: bool
) -> None:
    folder = archive(tmp_path / "archive", PROGRESS_MIN_FILES + 1)
    extra = () if held else STREAMED
    stdout, shown = run_on_a_terminal(tmp_path, "--format", "json", "-j", jobs, *extra, str(folder))
    assert f"{PROGRESS_MIN_FILES + 1}/{PROGRESS_MIN_FILES + 1}" in shown and "检查报告" in shown
    assert len({record["path"] for record in json.loads(stdout)}) == PROGRESS_MIN_FILES + 1  # pure JSON


def test_a_short_run_shows_no_bar(tmp_path: Path) -> None:
    folder = archive(tmp_path / "archive", PROGRESS_MIN_FILES)
    _, shown = run_on_a_terminal(tmp_path, "--format", "concise", str(folder))
    assert "/" not in shown and "检查报告" not in shown


def test_no_bar_where_standard_error_is_no_terminal(tmp_path: Path) -> None:
    folder = archive(tmp_path / "archive", PROGRESS_MIN_FILES + 1)
    proc = subprocess.run(
        [sys.executable, "-m", "checker.cli", "--no-cache", "--format", "concise", str(folder)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.stderr == "" and "检查报告" not in proc.stdout
