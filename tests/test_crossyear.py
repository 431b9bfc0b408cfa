"""The rules across reports (N210, S111–S113) on an archive of my own: two organisations
over two years, each defect found precise to the characters (snapshot), a clean pair where
nothing fires, and the run around them: -j, the results cache, --previous, suppressions,
the baseline, JSON and SARIF, the imports a run pays for, MinHash LSH against every pair.
Single-rule cases (both ways) are in tests/rules/N210.toml … S113.toml."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checker.checks import Corpus, ReportKey
from checker.checks.crossyear import (
    check_shared_template,
    comparable,
    held_pairs,
    low_bytes,
    pair_ids,
    pair_mask,
    pair_mask_numpy,
)
from checker.cli import main
from checker.config import ConfigResolver, Overrides
from checker.crossfile import across_reports
from checker.engine import lint_path, lint_text
from checker.model import INTERNAL_ERROR
from checker.ruleset import RuleSet
from checker.runner import RuleSets, lint_run, plan_jobs
from checker.selection import Options

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "crossyear"
ARCHIVE = FIXTURES / "archive"
CLEAN = FIXTURES / "clean"
ACROSS = ("N210", "S111", "S112", "S113")


def _json(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, list[dict[str, Any]]]:
    status = main(["--format", "json", "--no-cache", *map(str, args)])
    return status, json.loads(capsys.readouterr().out)


def _quote(path: str, line: int, column: int, end_line: int, end_column: int) -> str:
    """The original characters at a position range (1-based, end exclusive)."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    if line == end_line:
        return lines[line - 1][column - 1 : end_column - 1]
    middle = lines[line : end_line - 1]
    return "\n".join([lines[line - 1][column - 1 :], *middle, lines[end_line - 1][: end_column - 1]])


def _across(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings across reports, with the characters each position points at."""
    found = []
    for p in problems:
        if p["code"] not in ACROSS:
            continue
        where = (p["line"], p["column"], p["end_line"], p["end_column"])
        found.append({
            "path": Path(p["path"]).relative_to(FIXTURES).as_posix(),
            "code": p["code"],
            "severity": p["severity"],
            "at": list(where),
            "quoted": _quote(p["path"], *where) if p["line"] != p["end_line"] or p["column"] != p["end_column"] else "",
            "message": p["message"].replace(str(FIXTURES) + "/", "").replace("tests/fixtures/crossyear/", ""),
            "related": [
                {
                    "path": Path(r["path"]).relative_to(FIXTURES).as_posix(),
                    "at": [r["line"], r["column"], r["end_line"], r["end_column"]],
                    "quoted": _quote(r["path"], r["line"], r["column"], r["end_line"], r["end_column"]),
                    "message": r["message"],
                }
                for r in p.get("related", [])
            ],
        })  # fmt: skip
    return found


def test_archive_snapshot(capsys: pytest.CaptureFixture[str], file_regression: Any) -> None:
    """青山区 2024 quotes last year's 受理 wrongly (60 for 56: N210), copies its 不足 paragraph
    (S112) and never takes up the 智慧普法平台 of its 2024 plan (S111); 白沙县 2024 never takes
    up the 枫桥式司法所 (S111); both 2024 reports share their 履责 paragraph (S113, each way)."""
    _, problems = _json(capsys, ARCHIVE)
    found = _across(problems)
    assert sorted({(f["path"], f["code"]) for f in found}) == [
        ("archive/baisha-2024.txt", "S111"),
        ("archive/baisha-2024.txt", "S113"),
        ("archive/qingshan-2024.txt", "N210"),
        ("archive/qingshan-2024.txt", "S111"),
        ("archive/qingshan-2024.txt", "S112"),
        ("archive/qingshan-2024.txt", "S113"),
    ]
    n210 = next(f for f in found if f["code"] == "N210")
    assert (n210["quoted"], n210["related"][0]["quoted"]) == ("60件", "56件")
    file_regression.check(json.dumps(found, ensure_ascii=False, indent=2) + "\n", extension=".json")


def test_the_clean_pair_fires_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """金溪镇: rephrased shortcomings, last year's 48件 quoted as 48件, 30 → 35 stated as
    16.7% (16.67 rounded), each plan item taken up in other words."""
    _, problems = _json(capsys, CLEAN)
    assert _across(problems) == []


def test_the_seeds_together_fire_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    _, problems = _json(capsys, ROOT / "seeds")
    assert _across(problems) == []


def test_the_same_findings_with_workers_and_the_results_cache(tmp_path: Path, ruleset: RuleSet) -> None:
    """Digests travel through -j and the results cache: the same findings every way."""
    folder = tmp_path / "reports"
    shutil.copytree(ARCHIVE, folder / "archive")
    for seed in sorted((ROOT / "seeds").glob("*.txt")):  # eight files or more: a pool is started
        shutil.copy(seed, folder / seed.name)
    rulesets = RuleSets()
    jobs = plan_jobs([folder], ConfigResolver(), Overrides(), rulesets)

    def run(workers: int, cache: bool) -> list[tuple[str, str, int | None, tuple[str, ...]]]:
        results = lint_run(jobs, rulesets, workers=workers, results_cache=cache, compact=True)
        return [
            (r.path, d.code, d.span.start if d.span else None, tuple(x.path for x in d.related))
            for r in results
            for d in r.diagnostics
            if d.code in ACROSS
        ]

    alone = run(1, False)
    assert len(alone) == 6
    assert run(2, False) == alone
    assert run(1, True) == alone  # fills the cache
    assert run(2, True) == alone  # from it


def test_previous_is_a_partner_only(capsys: pytest.CaptureFixture[str]) -> None:
    status, problems = _json(capsys, "--previous", ARCHIVE / "qingshan-2023.txt", ARCHIVE / "qingshan-2024.txt")
    assert {p["path"] for p in problems} == {str(ARCHIVE / "qingshan-2024.txt")}  # 2023's own findings: not reported
    assert sorted(f["code"] for f in _across(problems)) == ["N210", "S111", "S112"]
    assert status == 1  # N210 is an error


def test_without_last_year_nothing_is_compared(capsys: pytest.CaptureFixture[str]) -> None:
    _, problems = _json(capsys, ARCHIVE / "qingshan-2024.txt", ARCHIVE / "baisha-2023.txt")
    assert _across(problems) == []


def test_sarif_relates_the_other_file(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--format", "sarif", "--no-cache", "--select", "N210", str(ARCHIVE)])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    (n210,) = results
    (related,) = n210["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("qingshan-2023.txt")
    assert related["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 21, "endLine": 6, "endColumn": 24}


def test_english_messages_name_the_other_file(capsys: pytest.CaptureFixture[str]) -> None:
    _, problems = _json(capsys, "--lang", "en", "--select", "N210", ARCHIVE)
    (n210,) = problems
    assert "last year's report (" in n210["message"] and "qingshan-2023.txt:6" in n210["message"]
    assert n210["related"][0]["message"] == "last year's report: 56件"


def test_human_output_shows_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A compact result kept only its own findings' lines: the phase adds the lines its
    findings point at, so the code frame shows the sentence."""
    main(["--color", "never", "--select", "S112", str(ARCHIVE)])
    out = capsys.readouterr().out
    assert "S112" in out and "基层行政执法人员数量不足" in out


def test_a_suppression_comment_covers_a_finding_across_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(ARCHIVE / "qingshan-2023.txt", tmp_path / "qingshan-2023.txt")
    text = (ARCHIVE / "qingshan-2024.txt").read_text(encoding="utf-8")
    report = tmp_path / "qingshan-2024.md"
    report.write_text(text, encoding="utf-8")
    _, problems = _json(capsys, "--select", "S112,G", tmp_path)
    assert [p["code"] for p in problems] == ["S112"]
    copied = "基层行政执法人员数量不足"
    text = text.replace(copied, "<!-- govlint-disable-next-line S112 -- 问题尚未解决,沿用上年表述 -->\n" + copied)
    report.write_text(text, encoding="utf-8")
    _, problems = _json(capsys, "--select", "S112,G", tmp_path)
    assert [p["code"] for p in problems] == []  # suppressed, and the comment is not reported unused


def test_the_baseline_holds_findings_across_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["--no-cache", "--write-baseline", str(baseline), str(ARCHIVE)]) == 0
    _, problems = _json(capsys, "--baseline", baseline, ARCHIVE)
    assert _across(problems) == []


def test_lsh_candidates_find_what_every_pair_finds(ruleset: RuleSet) -> None:
    """From ``lsh_from`` paragraphs on, MinHash LSH proposes the candidates: the findings are
    the same as comparing every pair."""
    options = Options(select=("S113",), compare_reports=True)
    results = [lint_path(path, ruleset, options) for path in sorted(ARCHIVE.glob("*.txt"))]
    digests = [r.digest for r in results if r.digest is not None]
    corpus = Corpus(digests, [ReportKey.of(d) for d in digests], len(results))
    params = ruleset.by_code["S113"].params
    every_pair = list(check_shared_template(corpus, [params] * len(results)))
    with_lsh = params._replace(lsh_from=2)
    assert list(check_shared_template(corpus, [with_lsh] * len(results))) == every_pair
    assert len(every_pair) == 2


def test_a_failing_rule_across_reports_is_one_E002(ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.checks import crossyear

    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(crossyear, "last_years", boom)
    options = Options(compare_reports=True)
    results = [lint_path(path, ruleset, options) for path in sorted(ARCHIVE.glob("*.txt"))]
    out = across_reports(results, [(ruleset, options)] * len(results))
    failures = [d for r in out for d in r.diagnostics if d.code == INTERNAL_ERROR]
    assert len(failures) == 3  # N210, S111 and S112 pair reports by year; S113 still ran
    assert all("RuntimeError: boom" in d.message for d in failures)
    assert any(d.code == "S113" for r in out for d in r.diagnostics)


def test_digests_are_small_and_pickle(ruleset: RuleSet) -> None:
    result = lint_path(ROOT / "seeds" / "001_abc1dbf2d171ed56.txt", ruleset, Options(compare_reports=True))
    assert result.digest is not None
    data = pickle.dumps(result.digest)
    assert pickle.loads(data) == result.digest
    assert len(data) < 16_000  # the text is 25 KB; its measures' pairs a few KB


def test_no_digest_without_a_rule_across_reports(ruleset: RuleSet) -> None:
    options = Options(ignore=ACROSS, compare_reports=True)
    assert lint_text("r.txt", "青山区2023年法治政府建设年度报告\n", ruleset, options).digest is None


def test_no_digest_in_a_run_of_one_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of one file has no report to pair it with: it pays for no digest."""
    from checker.checks import crossyear

    made: list[str] = []
    real_digest = crossyear.digest
    monkeypatch.setattr(crossyear, "digest", lambda doc, *args: made.append(doc.path) or real_digest(doc, *args))
    report = tmp_path / "r.txt"
    report.write_text("青山区2023年法治政府建设年度报告\n全年受理行政复议申请56件。\n", encoding="utf-8")
    rulesets = RuleSets(use_cache=False)
    jobs = plan_jobs([report], ConfigResolver(None, use_cache=False), Overrides(), rulesets)
    assert jobs[0].options.compare_reports is False
    assert lint_run(jobs, rulesets, workers=1)[0].digest is None
    assert made == []
    lint_run(jobs * 2, rulesets, workers=1)
    assert made == [str(report)] * 2


def test_the_measures_pairs_hold_what_they_were_given() -> None:
    kept = low_bytes("智慧普法平台。")
    assert len(kept) == 7  # a byte a character
    held = held_pairs(kept)
    assert len(held) <= 6  # 智慧 慧普 普法 法平 平台 台。
    assert pair_ids("普法平台") <= held
    assert len(pair_ids("依法行政")) == 3 and not pair_ids("依法行政") <= held
    assert comparable("一、智慧 普法,平台!") == "一智慧普法平台"


def test_the_measures_masks_hold_the_pairs_the_sets_hold() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]
    for text in [*texts, "", "智", "智慧", "智慧普"]:
        low = low_bytes(text)
        expected = sum(1 << pair for pair in held_pairs(low))
        assert pair_mask(low) == pair_mask_numpy(low) == expected


def test_a_run_imports_the_similarity_libraries_only_to_compare(tmp_path: Path) -> None:
    """One report: no comparison, neither library; two reports without 500 paragraphs:
    rapidfuzz, not datasketch (nor numpy and scipy with it)."""
    check = "import sys; from checker.cli import main; main({args!r}); print(sorted(m for m in ('rapidfuzz', 'datasketch', 'numpy', 'scipy') if m in sys.modules))"  # noqa: E501
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(tmp_path / "cache")}

    def loaded(*paths: Path) -> list[str]:
        args = ["--no-cache", "--format", "concise", *map(str, paths)]
        command = [sys.executable, "-c", check.format(args=args)]
        proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
        return json.loads(proc.stdout.strip().splitlines()[-1].replace("'", '"'))

    assert loaded(ARCHIVE / "qingshan-2024.txt") == []
    assert loaded(ARCHIVE) == ["rapidfuzz"]
