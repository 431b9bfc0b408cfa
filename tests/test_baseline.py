"""Baseline: record today's findings, then report only new ones; fingerprints survive
lines moving; the file is stable, sorted and written atomically; bad files exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker.baseline import BaselineError, load_baseline
from checker.cli import main
from conftest import SEEDS
from test_config import CHROME, CLEAN


def run_json(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, list[dict[str, object]]]:
    status = main(["--format", "json", *map(str, args)])
    out = capsys.readouterr().out
    return status, json.loads(out) if out.strip() else []


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A legacy archive: the five seeds (full of findings) in reports/."""
    monkeypatch.chdir(tmp_path)
    reports = tmp_path / "reports"
    reports.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, reports / seed.name)
    return tmp_path


def test_round_trip_then_only_new_findings(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, before = run_json(capsys, "reports")
    assert status == 1 and len(before) > 10
    assert main(["--write-baseline", ".govlint-baseline.json", "reports"]) == 0
    assert f"recorded {len(before)} finding(s) of 5 file(s)" in capsys.readouterr().err
    assert run_json(capsys, "--baseline", ".govlint-baseline.json", "reports") == (0, [])

    # A new defect in an old report, and a new report: only they are reported.
    seed = archive / "reports" / SEEDS[3].name
    seed.write_text(seed.read_text(encoding="utf-8") + "全年办理{{ n }}件。\n", encoding="utf-8")
    (archive / "reports" / "new.txt").write_text(CHROME, encoding="utf-8")
    status, after = run_json(capsys, "--baseline", ".govlint-baseline.json", "reports")
    assert status == 1
    new = sorted((Path(str(i["path"])).name, i["code"]) for i in after)
    assert new == [(SEEDS[3].name, "T401"), ("new.txt", "T402")]


def test_shifted_lines_still_match(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--write-baseline", "baseline.json", "reports"])
    capsys.readouterr()
    for report in (archive / "reports").iterdir():
        text = report.read_text(encoding="utf-8")
        head, rest = text.split("\n", 1)
        # Lines inserted near the top and blank lines and spaces in the middle: every finding moves.
        report.write_text(head + "\n\n   \n" + rest.replace("\n", "\n\n", 3), encoding="utf-8")
    assert run_json(capsys, "--baseline", "baseline.json", "reports") == (0, [])


def test_a_second_copy_of_a_recorded_defect_is_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(CHROME, encoding="utf-8")
    main(["--write-baseline", str(tmp_path / "b.json"), str(report)])
    report.write_text(CHROME + "正文。\n浏览量:25\n", encoding="utf-8")
    status, found = run_json(capsys, "--baseline", tmp_path / "b.json", report)
    assert status == 0 and [(i["code"], i["line"]) for i in found] == [("T402", 15)]  # count 1 used by line 13


def test_editing_the_flagged_line_makes_it_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(CLEAN.replace("12件", "{{ n }}件"), encoding="utf-8")
    main(["--write-baseline", str(tmp_path / "b.json"), str(report)])
    report.write_text(CLEAN.replace("12件", "{{ m }}件"), encoding="utf-8")
    assert run_json(capsys, "--baseline", tmp_path / "b.json", report)[0] == 1


def test_paths_are_relative_to_the_baseline_file(
    archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (archive / "ci").mkdir()
    main(["--write-baseline", "ci/baseline.json", "reports"])
    data = json.loads((archive / "ci" / "baseline.json").read_text(encoding="utf-8"))
    assert all(path.startswith("../reports/") for path in data["files"])
    monkeypatch.chdir(archive / "reports")  # another working directory, other path spellings
    assert run_json(capsys, "--baseline", archive / "ci" / "baseline.json", ".") == (0, [])


def test_file_is_sorted_stable_and_atomic(archive: Path) -> None:
    main(["--write-baseline", "b.json", "reports"])
    text = (archive / "b.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert data["govlint-baseline"] == 1
    counts = next(iter(data["files"].values()))
    assert all(key.split(" ")[0][0] in "SDTN" and isinstance(n, int) for key, n in counts.items())
    main(["--write-baseline", "b.json", "reports"])
    assert (archive / "b.json").read_text(encoding="utf-8") == text  # same findings, same bytes
    assert sorted(p.name for p in archive.iterdir()) == ["b.json", "reports"]  # no temporary file left


def test_unreadable_files_are_never_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert main(["--write-baseline", str(tmp_path / "b.json"), str(bad)]) == 2
    assert "E001" in capsys.readouterr().err
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["files"] == {}
    assert main(["--baseline", str(tmp_path / "b.json"), "--format", "json", str(bad)]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "invalid JSON at line 1"),
        ("[]", 'expected "govlint-baseline": 1'),
        ('{"govlint-baseline": 1, "files": {"a.txt": {"T402 x": 0}}}', '"files" must map paths'),
        ('{"govlint-baseline": 1, "files": []}', '"files" must map paths'),
    ],
)
def test_malformed_baseline_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text(content, encoding="utf-8")
    (tmp_path / "r.txt").write_text(CLEAN, encoding="utf-8")
    assert main(["--baseline", str(baseline), str(tmp_path / "r.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{baseline}: not a govlint baseline" in err and message in err


def test_missing_baseline_and_both_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load_baseline(tmp_path / "missing.json")
    (tmp_path / "r.txt").write_text(CLEAN, encoding="utf-8")
    assert main(["--baseline", str(tmp_path / "missing.json"), str(tmp_path / "r.txt")]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["--baseline", "a.json", "--write-baseline", "b.json", str(tmp_path / "r.txt")])
    assert exit_info.value.code == 2
