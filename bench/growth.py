"""The search for superlinear input shapes: each shape linted at two sizes, one double the other.

    python bench/growth.py                  # every shape, at the default sizes
    python bench/growth.py --shape numbers  # one shape (a name, or a part of one)
    python bench/growth.py --scale 4        # four times the default sizes

Each shape is a generator of a report made of one thing repeated ``n`` times (numbers in one
paragraph, headings, 其中 breakdowns, tables, dates, suppression comments…). The file is
written, then linted by ``engine.lint_path`` with every rule on (load included, as the command
runs it), timed by CPU time (``time.process_time``: the other processes of a busy machine
do not count), best of two. Linear work takes ~2 × as long at 2 × the size; a ratio above
2.5 is flagged, and so is a throughput below 1 MB/s at the larger size (issue 19's floor).
The two targets of issue 19 are shapes of their own: ``numbers`` at 50 000 numbers in one
paragraph (≤ 2 s) and ``one-line`` at 5 MB (≥ 5 MB/s).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TITLE = "青山县2023年法治政府建设情况报告\n"


def _seed_text() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in SEEDS)


def numbers(n: int) -> str:
    return TITLE + "全年受理行政复议案件" + "，".join(f"{i % 997 + 1}件" for i in range(n)) + "。\n"


def seeds(n: int) -> str:
    """The seeds as they are, repeated to ``n`` kB: the yardstick for the shapes below."""
    text = _seed_text()
    return text * (n * 1000 // len(text.encode()) + 1)


def one_line(n: int) -> str:
    """The seeds with their line breaks removed, repeated to ``n`` kB: one line."""
    line = _seed_text().replace("\n", "")
    size = n * 1000
    return line * (size // len(line.encode()) + 1)


def huge_lines(n: int) -> str:
    """Lines of ~200 kB each (the seeds' paragraphs joined), ``n`` kB in all."""
    line = _seed_text().replace("\n", "") * 3
    return TITLE + "\n".join([line] * max(1, n * 1000 // len(line.encode()))) + "\n"


def short_lines(n: int) -> str:
    return TITLE + "".join(f"第{i}行\n" for i in range(n))


def blank_lines(n: int) -> str:
    return TITLE + "\n" * n + "结束。\n"


def headings(n: int) -> str:
    return TITLE + "".join(f"{_hanzi(i % 99 + 1)}、第{i}部分\n本部分共受理案件{i % 90 + 10}件。\n" for i in range(n))


def nested_headings(n: int) -> str:
    """Every heading level in turn, ``n`` times: 一、（一）1.（1）①."""
    block = "一、工作情况\n（一）复议\n1.受理\n（1）案件\n①共受理案件12件。\n"
    return TITLE + block * n


def breakdowns(n: int) -> str:
    """``n`` sentences with 其中 in one paragraph."""
    sentences = (f"受理案件{100 + i % 50}件，其中行政诉讼{40 + i % 9}件、复议{20 + i % 7}件。" for i in range(n))
    return TITLE + "".join(sentences) + "\n"


def breakdown_lists(n: int) -> str:
    """One 其中 with ``n`` parts."""
    return TITLE + "受理案件99999件，其中" + "、".join(f"第{i}类{i % 9 + 1}件" for i in range(n)) + "。\n"


def respectively(n: int) -> str:
    return TITLE + "".join(f"行政复议和行政诉讼案件分别为{i % 90 + 10}件和{i % 80 + 5}件。" for i in range(n)) + "\n"


def percentages(n: int) -> str:
    return TITLE + "".join(f"纠错率{i % 90 + 1}.{i % 10}%，同比增长{i % 30}个百分点；" for i in range(n)) + "\n"


def unpunctuated(n: int) -> str:
    """One sentence of ``n`` × 20 characters without punctuation."""
    return TITLE + "依法行政推进法治政府建设坚持严格规范公正文明执法" * n + "\n"


def dates(n: int) -> str:
    return TITLE + "".join(f"{2023}年{i % 12 + 1}月{i % 28 + 1}日召开会议；" for i in range(n)) + "\n"


def hanzi_dates(n: int) -> str:
    return TITLE + "".join("二〇二三年三月十五日印发通知；" for _ in range(n)) + "\n"


def brackets(n: int) -> str:
    """Brackets nested ``n`` deep, in one sentence."""
    return TITLE + "说明" + "（注" * n + "）" * n + "。\n"


def unclosed_brackets(n: int) -> str:
    return TITLE + "说明（注" * n + "。\n"


def quotes(n: int) -> str:
    return TITLE + "".join(f"开展“法治宣传{i}”活动，" for i in range(n)) + "。\n"


def unpaired_quotes(n: int) -> str:
    return TITLE + "开展“法治宣传活动，" * n + "。\n"


def enumerations(n: int) -> str:
    return TITLE + "".join(f"{_hanzi(i % 9 + 1)}是加强执法监督{i % 9 + 1}次；" for i in range(n)) + "\n"


def pipe_tables(n: int) -> str:
    """``n`` Markdown tables of four rows with a 合计 row."""
    table = "| 类别 | 件数 |\n| --- | --- |\n| 复议 | 12 |\n| 诉讼 | 8 |\n| 合计 | 20 |\n\n"
    return TITLE + table * n


def pipe_table_rows(n: int) -> str:
    """One Markdown table of ``n`` rows and a 合计 row."""
    rows = "".join(f"| 第{i}类 | {i % 9 + 1} | {i % 7 + 1} |\n" for i in range(n))
    return TITLE + "| 类别 | 复议 | 诉讼 |\n| --- | --- | --- |\n" + rows + "| 合计 | 1 | 2 |\n"


def tab_tables(n: int) -> str:
    table = "类别\t复议\t诉讼\n甲\t3\t4\n乙\t5\t6\n合计\t8\t10\n\n"
    return TITLE + table * n


def wide_space_tables(n: int) -> str:
    table = "类别    复议    诉讼\n甲    3    4\n乙    5    6\n合计    8    10\n\n"
    return TITLE + table * n


def cell_lines(n: int) -> str:
    """Copied tables, one cell a line, with a 合计 row: ``n`` of them."""
    table = "类别\n件数\n复议\n12\n诉讼\n8\n合计\n20\n"
    return TITLE + table * n


def total_words(n: int) -> str:
    """Short lines, every one naming a total: the copied-table search around each."""
    return TITLE + "".join(f"合计\n{i % 90}\n" for i in range(n))


def suppressions(n: int) -> str:
    return TITLE + "".join(f"<!-- govlint-disable-next-line N201 -- 说明{i} -->\n受理案件{i}件。\n" for i in range(n))


def suppressed(n: int) -> str:
    """Next-line comments that each suppress a finding, every fifth with a disable range."""
    pinyin_range = "<!-- govlint-disable T403 -- 引文 -->\n法(fǎ)治(zhì)政府。\n<!-- govlint-enable T403 -->\n"
    return TITLE + "".join(
        f"<!-- govlint-disable-next-line N201 -- 含上年结转 -->\n全年受理案件{i % 50 + 5}件,办结{i % 50 + 9}件。\n"
        + (pinyin_range if i % 5 == 0 else "")
        for i in range(n)
    )


def pinyin(n: int) -> str:
    return TITLE + "法(fǎ)治(zhì)政(zhèng)府(fǔ)" * n + "\n"


def traditional(n: int) -> str:
    return TITLE + "法治政府建設年度報告，推進嚴格規範公正文明執法。" * n + "\n"


def full_width(n: int) -> str:
    """Every full-width letter, digit and sign, with a traditional character: step 1 of the
    view folds them all (their count once read the list of them once per distinct one)."""
    return TITLE + ("".join(map(chr, range(0xFF01, 0xFF5F))) + "們") * n + "\n"


def _hanzi(i: int) -> str:
    digits = "零一二三四五六七八九"
    if i < 10:
        return digits[i]
    tens, ones = divmod(i, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# name → (generator, the smaller n, suffix); the larger size is twice the smaller.
SHAPES: dict[str, tuple[Callable[[int], str], int, str]] = {
    "seeds": (seeds, 2_500, ".txt"),
    "numbers": (numbers, 25_000, ".txt"),
    "one-line": (one_line, 2_500, ".txt"),
    "huge-lines": (huge_lines, 1_500, ".txt"),
    "short-lines": (short_lines, 100_000, ".txt"),
    "blank-lines": (blank_lines, 500_000, ".txt"),
    "headings": (headings, 20_000, ".txt"),
    "nested-headings": (nested_headings, 8_000, ".txt"),
    "breakdowns": (breakdowns, 10_000, ".txt"),
    "breakdown-lists": (breakdown_lists, 20_000, ".txt"),
    "respectively": (respectively, 10_000, ".txt"),
    "percentages": (percentages, 15_000, ".txt"),
    "unpunctuated": (unpunctuated, 20_000, ".txt"),
    "dates": (dates, 20_000, ".txt"),
    "hanzi-dates": (hanzi_dates, 20_000, ".txt"),
    "brackets": (brackets, 50_000, ".txt"),
    "unclosed-brackets": (unclosed_brackets, 50_000, ".txt"),
    "quotes": (quotes, 20_000, ".txt"),
    "unpaired-quotes": (unpaired_quotes, 20_000, ".txt"),
    "enumerations": (enumerations, 20_000, ".txt"),
    "pipe-tables": (pipe_tables, 8_000, ".txt"),
    "pipe-table-rows": (pipe_table_rows, 20_000, ".txt"),
    "tab-tables": (tab_tables, 10_000, ".txt"),
    "wide-space-tables": (wide_space_tables, 10_000, ".txt"),
    "cell-lines": (cell_lines, 10_000, ".txt"),
    "total-words": (total_words, 50_000, ".txt"),
    "suppressions": (suppressions, 10_000, ".md"),
    "suppressed": (suppressed, 6_000, ".md"),
    "pinyin": (pinyin, 20_000, ".txt"),
    "traditional": (traditional, 20_000, ".txt"),
    "full-width": (full_width, 10_000, ".txt"),
}
FLAG_RATIO = 2.5
FLOOR_MBPS = 1.0


def lint_seconds(path: Path, runs: int = 2) -> float:
    from checker.engine import lint_path
    from checker.ruleset import load_rules
    from checker.selection import Options

    ruleset, options = load_rules(), Options()
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        result = lint_path(path, ruleset, options)
        best = min(best, time.process_time() - start)
        if any(d.code == "E002" for d in result.diagnostics):
            raise SystemExit(f"{path.name}: E002 — {result.diagnostics[0].message}")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", help="only the shapes whose name holds this")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (default 1)")
    args = parser.parse_args()
    os.environ.setdefault("GOVLINT_MAX_FILE_SECONDS", "86400")  # time the slow shapes, do not stop them
    sys.path.insert(0, str(ROOT))
    flagged = 0
    with tempfile.TemporaryDirectory(prefix="govlint-growth-") as work:
        print(f"{'shape':<18} {'n':>9} {'MB':>6} {'s':>7}   {'2n':>9} {'MB':>6} {'s':>7}  ratio  MB/s")
        for name, (make, small, suffix) in SHAPES.items():
            if args.shape and args.shape not in name:
                continue
            n = max(1, int(small * args.scale))
            figures = []
            for size in (n, 2 * n):
                path = Path(work) / f"{name}-{size}{suffix}"
                path.write_text(make(size), encoding="utf-8")
                figures.append((size, path.stat().st_size / 1e6, lint_seconds(path)))
            (n1, mb1, s1), (n2, mb2, s2) = figures
            ratio = s2 / max(s1, 1e-6)
            mbps = mb2 / max(s2, 1e-6)
            flag = ratio > FLAG_RATIO or mbps < FLOOR_MBPS
            flagged += flag
            print(
                f"{name:<18} {n1:>9} {mb1:6.2f} {s1:7.2f}   {n2:>9} {mb2:6.2f} {s2:7.2f}  {ratio:5.2f} {mbps:5.1f}"
                + ("  <--" if flag else "")
            )
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
