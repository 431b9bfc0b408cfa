"""Hostile and broken input: never a traceback, never a hang, never a changed file.

Property tests (hypothesis) over arbitrary text and bytes, and fixed nasty inputs. The
bounds on time are hang guards (seconds where a run takes milliseconds), not speed goals.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import lint_text
from checker.load import LoadError, decode_bytes
from checker.report.machine import records
from checker.selection import Options
from conftest import ROOT, SEEDS

# Report-like text: Chinese, digits, units, markers and punctuation the rules look for,
# mixed with arbitrary Unicode (combining marks, RTL marks, emoji, CJK Extension B).
REPORT_ALPHABET = st.sampled_from(
    list("一二三四五六七八九十百千万亿零〇年月日件起个人次率%％。,,;:、“”《》()（）其中受理化解办结同比增长下降分别为余多近约")
    + list("0123456789０１２３４５６７８９.\n -|{}*×X某")
    + ["\u0301", "\u200f", "\u202e", "😀", "𠀀", "\ufffd", "\x00", "鎮(zhèn)", "?。ㄒ唬", "&nbsp;"]
)
report_text = st.one_of(st.text(), st.lists(REPORT_ALPHABET, max_size=400).map("".join))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=report_text)
def test_linting_arbitrary_text_never_raises_and_spans_stay_inside(ruleset, text: str) -> None:
    result = lint_text("fuzz.txt", text, ruleset, Options())
    for d in result.diagnostics:
        assert d.code not in ("E002",), d.message  # no rule crashed
        spans = [d.span, *(label.span for label in d.labels)] if d.span else [label.span for label in d.labels]
        for span in spans:
            assert 0 <= span.start <= span.end <= len(text)


@settings(max_examples=60, deadline=None)
@given(text=report_text)
def test_output_is_deterministic(ruleset, text: str) -> None:
    first = json.dumps(records([lint_text("a.txt", text, ruleset, Options())]), ensure_ascii=False)
    second = json.dumps(records([lint_text("a.txt", text, ruleset, Options())]), ensure_ascii=False)
    assert first == second


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes_decode_or_give_a_reason(data: bytes) -> None:
    try:
        loaded = decode_bytes(data)
    except LoadError as e:
        assert e.reason and "\n" not in e.reason
    else:
        assert isinstance(loaded.text, str)


NASTY = {
    "empty": b"",
    "lone-bom": b"\xef\xbb\xbf",
    "nul-bytes": b"abc\x00\x00def",
    "binary": bytes(range(256)) * 4,
    "invalid-utf8-in-gbk": "法治政府建设年度报告".encode("gbk") + b"\xff\xfe\xfd" + "化解率".encode("gbk"),
    "utf16-bom-odd-length": b"\xff\xfeA\x00B",
    "surrogate-escapes": "受理\udcff件".encode("utf-8", "surrogatepass"),
}


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_files_exit_cleanly(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(NASTY[name])
    proc = subprocess.run(
        [sys.executable, "-m", "checker.cli", "--format", "json", str(path), str(SEEDS[3])],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "GOVLINT_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    items = json.loads(proc.stdout)
    assert any(i["path"] == str(SEEDS[3]) for i in items), "the other file was still linted"


@pytest.mark.parametrize(
    "text",
    [
        "受" * 1_000_000,  # a 3 MB single line
        "第1条\n" * 100_000,  # 100 000 short lines
        "(" * 200_000 + "一" * 10,
        "其中" * 100_000 + "1件",
        "1件,其中" * 20_000,
        "由1件增至2件," * 15_000,
        "“" * 100_000 + "100%",
        "一、" * 50_000,
        "20212025年" * 20_000,
    ],
    ids=["long-line", "many-lines", "parens", "qizhong", "breakdowns", "growths", "quotes", "markers", "years"],
)
def test_pathological_text_is_bounded(ruleset, text: str) -> None:
    start = time.perf_counter()
    lint_text("big.txt", text, ruleset, Options())
    assert time.perf_counter() - start < 30, "a hang, not a slow run"
