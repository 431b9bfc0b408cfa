"""govlint's benchmark: cold start, throughput, parallel files and memory.

    python bench/run.py                 # the full run (2 000-report corpus, 10 000 for memory)
    python bench/run.py --quick         # a smaller corpus, for a quick look

Builds a corpus from the seeds (copies with varied names, some numbers perturbed so that
findings occur), then prints a table of medians and ratios. The numbers in
docs/performance.md come from this script; no unit test times anything.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
NUMBER = re.compile(r"(?<=[^\d.])(\d{2,4})(?=[件起个人名])")


def build_corpus(directory: Path, copies: int, seed: int = 7) -> int:
    """Write ``copies`` reports; returns their total size in bytes. No two have the same
    content (each ends with a line of spaces and tabs that spells its number in binary, which
    no rule reads): the results cache is keyed by content, so duplicates would be cache hits
    even in a first run."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    total = 0
    for i in range(copies):
        text = texts[i % len(texts)]
        if i % 3 == 0:  # perturb one number so that numeric rules have something to find
            matches = list(NUMBER.finditer(text))
            if matches:
                m = rng.choice(matches)
                text = text[: m.start()] + str(int(m.group(1)) + rng.randint(1, 9)) + text[m.end() :]
        text += "\n" + format(i, "b").replace("0", " ").replace("1", "\t")
        sub = directory / f"{i // 500:03d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"report_{i:05d}_{SEEDS[i % len(SEEDS)].stem[:3]}.txt"
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def timed(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    return timed_each([cmd] * runs, env)


def timed_each(cmds: list[list[str]], env: dict[str, str]) -> list[float]:
    times = []
    for cmd in cmds:
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def first_runs(cmd: list[str], env: dict[str, str], work: Path, runs: int) -> list[float]:
    """Times of ``runs`` runs, each with a fresh copy of the cache folder that holds the
    rule cache but no results (copied before the clock starts)."""
    warm = Path(env["GOVLINT_CACHE_DIR"])
    times = []
    for i in range(runs):
        fresh = work / f"cache-first-run-{i}"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(warm, fresh, ignore=shutil.ignore_patterns("results"))
        times += timed(cmd, {**env, "GOVLINT_CACHE_DIR": str(fresh)}, 1)
    return times


def fresh_copies(seed: Path, directory: Path, count: int) -> list[Path]:
    """Copies that differ only in trailing blank lines: same findings, but new content, so
    the results cache misses as it does for a report that was just edited."""
    text = seed.read_text(encoding="utf-8")
    copies = []
    for i in range(count):
        path = directory / f"edited_{i}.txt"
        path.write_text(text + "\n" * (i + 1), encoding="utf-8")
        copies.append(path)
    return copies


def peak_rss_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of a child process, from GNU time or getrusage."""
    gnu_time = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if gnu_time:
        proc = subprocess.run(
            [gnu_time, "-f", "%M", *cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        return int(proc.stderr.strip().splitlines()[-1]) / 1024
    import resource

    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def throughput(corpus: Path) -> tuple[float, int, float | None]:
    """MB/s of report text through every default rule in this process (rules pre-loaded),
    and, when autocorrect-py is installed, the MB/s of autocorrect's Rust core formatting
    the same texts, timed in turns with govlint: the issue's reference (~11 MB/s), which
    tells a slow hour of this machine from slow code."""
    sys.path.insert(0, str(ROOT))
    from checker.engine import lint_text
    from checker.ruleset import load_rules
    from checker.selection import Options

    try:
        import autocorrect_py  # the `bench` extra
    except ImportError:
        autocorrect_py = None
    ruleset = load_rules()
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("*.txt"))]
    size = sum(len(t.encode("utf-8")) for t in texts)
    options = Options()
    lint_text("warm-up.txt", texts[0], ruleset, options)  # build the grammar outside the timing
    runs, reference_runs = [], []
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            lint_text("r.txt", text, ruleset, options)
        runs.append(time.perf_counter() - start)
        if autocorrect_py is not None:
            start = time.perf_counter()
            for text in texts:
                autocorrect_py.format(text)
            reference_runs.append(time.perf_counter() - start)
    reference = size / 1e6 / statistics.median(reference_runs) if reference_runs else None
    return size / 1e6 / statistics.median(runs), size, reference


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller corpora and fewer runs")
    parser.add_argument("--runs", type=int, default=15, help="cold-start runs (median reported)")
    args = parser.parse_args()
    reports = 200 if args.quick else 2000
    memory_reports = 1000 if args.quick else 10000
    runs = 5 if args.quick else args.runs

    # PYTHONDONTWRITEBYTECODE=1 in this environment: precompile, or every cold start
    # would include compiling govlint's sources.
    compileall.compile_dir(str(ROOT / "checker"), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="govlint-bench-"))
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    python = sys.executable
    govlint = [python, "-m", "checker.cli"]
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        build_corpus(corpus, reports)
        big = work / "big"
        big.mkdir()
        build_corpus(big, memory_reports)
        one = SEEDS[2]  # seed 002: 18 KB, the longest paragraphs

        subprocess.run([*govlint, str(one)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)  # fill the rule cache
        # A pre-commit hook lints a report that was just edited: the rule cache is warm,
        # the results cache misses. Seed 002 has Chinese numerals and findings to print.
        # The three are timed in turns, so that a machine that slows down slows all three.
        edited = work / "edited"
        edited.mkdir()
        # The bare interpreter too: `python -c pass` includes whatever the machine's .pth
        # files import (here a certificate bundle loads importlib.resources: ~45 ms on a slow day).
        bare_python = [python, "-I", "-S", "-c", "pass"]
        turns = [
            timed_each([[python, "-c", "pass"], bare_python, [*govlint, str(copy)], [*govlint, str(one)]], env)
            for copy in fresh_copies(one, edited, runs)
        ]
        baseline, bare, cold, unchanged = (statistics.median(column) for column in zip(*turns))
        mbps, size, reference = throughput(corpus)
        jobs = os.cpu_count() or 1
        # A first run over an archive, as a CI gate sees it: each run gets a cache folder
        # that holds the warm rule cache and no results (else every run after the first
        # would be hashing). Concise output: the figure is about linting, not about
        # printing 20 000 code frames. With --no-cache each run also validates the rule
        # files (~0.25 s in the parent before any worker starts): shown for comparison.
        many = [*govlint, "--format", "concise"]
        serial = statistics.median(first_runs([*many, "-j", "1", str(corpus)], env, work, 3))
        parallel = statistics.median(first_runs([*many, "-j", str(jobs), str(corpus)], env, work, 3))
        uncached = [*many, "--no-cache"]
        serial_uncached = statistics.median(timed([*uncached, "-j", "1", str(corpus)], env, 3))
        parallel_uncached = statistics.median(timed([*uncached, "-j", str(jobs), str(corpus)], env, 3))
        timed([*govlint, str(corpus)], env, 1)  # fill the results cache
        cached = statistics.median(timed([*govlint, str(corpus)], env, 3))
        rss = peak_rss_mb([*govlint, "--no-cache", str(big)], env)

        rows = [
            ("python -c pass", f"{baseline * 1000:.0f} ms",
             f"python -I -S -c pass (no site, no .pth files): {bare * 1000:.0f} ms"),
            (f"cold start, one edited report ({one.stat().st_size // 1024} KB), human output",
             f"{cold * 1000:.0f} ms",
             f"{cold / baseline:.1f} × python -c pass (target ≤ 8 ×); govlint's own {(cold - baseline) * 1000:.0f} ms"),
            ("cold start, same report unchanged (results cache)",
             f"{unchanged * 1000:.0f} ms", f"{unchanged / baseline:.1f} × python -c pass"),
            (f"throughput, one process, all rules ({size / 1e6:.1f} MB)", f"{mbps:.1f} MB/s", "target ≥ 10 MB/s"),
            (
                ("autocorrect-py format, same texts, in turns", f"{reference:.1f} MB/s",
                 f"govlint {mbps / reference:.2f} × this reference")
                if reference
                else ("autocorrect-py format (pip install '.[bench]')", "—", "not installed")
            ),
            (f"{reports} reports, first run, -j 1, concise output", f"{serial:.2f} s", ""),
            (f"{reports} reports, first run, -j {jobs}", f"{parallel:.2f} s",
             f"{serial / parallel:.2f} × faster (target ≥ 1.7 × on 2 cores)"),
            (f"{reports} reports, --no-cache, -j 1 / -j {jobs}", f"{serial_uncached:.2f} s / {parallel_uncached:.2f} s",
             f"{serial_uncached / parallel_uncached:.2f} × faster (rules validated afresh each run)"),
            (f"{reports} unchanged reports again, results cache", f"{cached:.2f} s",
             f"{serial / cached:.1f} × faster than -j 1"),
            (f"peak RSS, {memory_reports} reports", f"{rss:.0f} MB", "target ≤ 150 MB"),
        ]
        print(f"govlint benchmark — Python {sys.version.split()[0]}, {jobs} cores, medians of {runs} runs;")
        print("sources precompiled (compileall) because PYTHONDONTWRITEBYTECODE=1 is set here; rule cache warm.\n")
        width = max(len(r[0]) for r in rows)
        for name, value, note in rows:
            print(f"{name:<{width}}  {value:>10}  {note}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
