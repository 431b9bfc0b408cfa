"""What the rules across reports cost: an archive linted with them and without them.

    python bench/crossyear.py                  # 10 000 reports (5 000 organisations × 2 years)
    python bench/crossyear.py --reports 1000   # a quick look
    python bench/crossyear.py --shape one-report --reports 2000   # every organisation files one report


The archive is built from the seeds: each organisation's report of 2023 and of 2024 is a
seed under a new title, every line rewritten in part (a fifth of its Han characters
replaced), so that organisations write differently; a few share a template paragraph
(S113), a few copy last year's report with new numbers (S112, N210), as an archive does.
The shape ``one-report`` is the worst case found for the phase across reports: every
organisation files the same report (one seed under its own title, each paragraph marked as
its own so that no two texts are identical), so every paragraph is a near copy of thousands
and every pair of reports is "the same report filed again" (S113 finds nothing, after
looking). Run it at two sizes: the time with the rules across reports must double, not
quadruple.
Both runs are whole processes (``python -m checker.cli --no-cache -o /dev/null DIR``, the
rule set validated afresh in each), timed in turns by ``farm-bench`` when it is installed
(wall time, peak memory of the largest process), else by this script's own paired runs.
The figures in docs/performance.md come from here; no unit test times anything.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
HAN = re.compile(r"[\u4e00-\u9fff]")
PLACES = "青白金银长安平和新丰东西南北云龙凤山水河湖江泉林石桥溪阳"
KINDS = ("区", "县", "镇", "乡", "街道", "区司法局", "县司法局", "区财政局", "县市场监督管理局", "区教育局")
TEMPLATE = (
    "主要负责同志认真履行推进法治建设第一责任人职责,把法治建设纳入年度工作要点,年初召开专题会议研究部署法治建设"
    "工作,带头参加理论学习中心组集体学法,年终述职时专题报告履行法治建设职责情况。"
)
TEMPLATE_SHARE = 0.02  # organisations whose reports carry the template paragraph
COPY_SHARE = 0.05  # organisations whose 2024 report is their 2023 one with new numbers
NUMBER = re.compile(r"(?<=[^\d.])(\d{2,4})(?=[件起个人名])")


def organisations(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.sample(PLACES, 2)) + rng.choice(KINDS))
    return sorted(names)


def _body(seed: str) -> list[str]:
    """The seed's lines after its title (seed 003 has none)."""
    lines = seed.split("\n")
    return lines if lines[0].startswith("2023年度") else lines[1:]


def _rewritten(line: str, rng: random.Random, share: float = 0.2) -> str:
    if len(line) < 20:  # headings keep their words: the parts are still found
        return line
    chars = list(line)
    for i, c in enumerate(chars):
        if HAN.match(c) and rng.random() < share:
            chars[i] = chr(rng.randint(0x4E00, 0x9FA5))
    return "".join(chars)


def build_archive(directory: Path, reports: int, seed: int = 17) -> int:
    """``reports`` files (half 2023, half 2024), in a folder per organisation; their total bytes."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    total = 0
    for index, name in enumerate(organisations(reports // 2, rng)):
        seed_lines = _body(texts[index % len(texts)])
        template = rng.random() < TEMPLATE_SHARE
        copies = rng.random() < COPY_SHARE
        body_2023 = [_rewritten(line, rng) for line in seed_lines]
        for year, body in ((2023, body_2023), (2024, None)):
            if body is None:
                body = (
                    [NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), line) for line in body_2023]
                    if copies
                    else [_rewritten(line, rng) for line in seed_lines]
                )
            lines = [f"{name}{year}年法治政府建设年度报告", *body]
            if template:
                lines.append(TEMPLATE)
            text = "\n".join(lines)
            folder = directory / f"{index // 500:03d}"
            folder.mkdir(exist_ok=True)
            (folder / f"{index:05d}_{year}.txt").write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
    return total


def build_one_report(directory: Path, reports: int, seed: int = 17) -> int:
    """``reports`` organisations' copies of one seed (see the module's docstring); their total bytes."""
    rng = random.Random(seed)
    body = _body(SEEDS[1].read_text(encoding="utf-8"))
    total = 0
    for index, name in enumerate(organisations(reports, rng)):
        mark = "".join(PLACES[int(digit)] for digit in f"{index:05d}")
        marked = (line[:4] + mark + line[4:] if len(line) > 40 else line for line in body)
        text = "\n".join([f"{name}2023年法治政府建设年度报告", *marked])
        folder = directory / f"{index // 500:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{index:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


SHAPES = {"archive": build_archive, "one-report": build_one_report}
ACROSS = "N210,S111,S112,S113"


def commands(archive: Path, jobs: int) -> tuple[list[str], list[str]]:
    base = [sys.executable, "-m", "checker.cli", "--no-cache", "--format", "concise", "-o", "/dev/null"]
    base += ["-j", str(jobs), str(archive)]
    return base, [*base, "--ignore", ACROSS]


def farm_bench(with_across: list[str], alone: list[str], runs: int) -> str:
    """farm-bench's report: the two commands in turns, whole processes."""
    import shlex

    command = ["farm-bench", "-n", str(runs), "--warmup", "0", "--timeout", "3600", "--vs", shlex.join(alone), "--"]
    return subprocess.run([*command, *with_across], capture_output=True, text=True, cwd=ROOT, check=False).stdout


def paired(with_across: list[str], alone: list[str], runs: int) -> str:
    """The same without farm-bench: in turns, wall seconds and the largest child's peak RSS."""
    times: dict[str, list[float]] = {"with": [], "alone": []}
    peaks: dict[str, float] = {}
    for _ in range(runs):
        for key, command in (("with", with_across), ("alone", alone)):
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=False, capture_output=True)
            times[key].append(time.perf_counter() - start)
            peaks[key] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest so far
    ratios = [a / b for a, b in zip(times["with"], times["alone"], strict=True)]
    return (
        f"with the rules across reports {statistics.median(times['with']):.1f} s, "
        f"alone {statistics.median(times['alone']):.1f} s, ratio {statistics.median(ratios):.2f} × "
        f"(medians of {runs}); peak RSS so far {peaks['with']:.0f} MB"
    )


def findings(archive: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "checker.cli", "--no-cache", "--statistics", "--select", ACROSS, str(archive)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return proc.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--shape", choices=SHAPES, default="archive")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govlint-crossyear-"))
    try:
        archive = work / "archive"
        archive.mkdir()
        size = SHAPES[args.shape](archive, args.reports)
        print(f"{args.shape}: {args.reports} reports, {size / 1e6:.1f} MB, -j {args.jobs}")
        print(findings(archive))
        with_across, alone = commands(archive, args.jobs)
        timing = farm_bench if shutil.which("farm-bench") else paired
        print(timing(with_across, alone, args.runs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
