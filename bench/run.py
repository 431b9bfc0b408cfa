"""govlint's benchmark: cold start, whole commands against the fair reference, parallel files, memory.

    python bench/run.py                 # the full run (1 000-report corpus, 10 000 for memory)
    python bench/run.py --quick         # a smaller corpus, for a quick look

Builds a corpus from the seeds (unique copies with varied names, some numbers perturbed so
that findings occur), then prints a table of medians and ratios. Throughput is issue 19's
measure: whole one-core commands over the same files, start-up and reading included, timed
in turns — govlint (``-j 1 --no-cache``, JSON and concise output), the reference
(autocorrect-py's ``lint_for``, ``pip install '.[bench]'``) and the floor (read, decode, NFKC,
one union regex). The in-process figure against autocorrect's ``format`` is kept as a drift
yardstick only. The numbers in docs/performance.md come from this script; no unit test
times anything.
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
from collections.abc import Callable
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
    """Peak memory of a command and all its processes together (the parent and its ``-j``
    workers), sampled from /proc every 20 ms: the sum of their proportional set sizes (a
    page shared by n processes counts 1/n in each, so the interpreter forked into every
    worker is counted once). Where there is no /proc, the largest single process's resident
    size (getrusage), which undercounts a pool."""
    if not Path("/proc/self/smaps_rollup").exists():
        import resource

        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_pss_kb(proc.pid))
        time.sleep(0.02)
    return peak / 1024


_PSS = re.compile(r"^Pss:\s+(\d+)", re.MULTILINE)


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size in kB of ``pid`` and its descendants (0 for a process that is gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += map(int, (task / "children").read_text().split())
        except OSError:
            continue
        pss = _PSS.search(rollup)
        total += int(pss.group(1)) if pss else 0
    return total


# The fair reference (issue 19): autocorrect's lint, as a whole one-core process over the same
# files, start-up and reading included, as govlint's command is timed.
REFERENCE = """
import sys
from pathlib import Path
import autocorrect_py
problems = 0
for path in sorted(Path(sys.argv[1]).rglob("*.txt")):
    problems += len(autocorrect_py.lint_for(path.read_text(encoding="utf-8"), str(path)).lines)
print(problems)
"""
# The floor: what any Python linter pays for the same files — start-up, reading, decoding,
# NFKC and one scan with a union of a few typical patterns. The room left without compiled code.
FLOOR = r"""
import re, sys, unicodedata
from pathlib import Path
pattern = re.compile(
    r"\d+(?:\.\d+)?[件个人项次%]|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|"
    r"[\u4e00-\u9fff][A-Za-z]|[A-Za-z][\u4e00-\u9fff]|\d{4}年\d{1,2}月|分别为|其中"
)
found = 0
for path in sorted(Path(sys.argv[1]).rglob("*.txt")):
    found += len(pattern.findall(unicodedata.normalize("NFKC", path.read_bytes().decode("utf-8"))))
print(found)
"""


def in_process(corpus: Path) -> tuple[float, int, dict[str, float]]:
    """MB/s of report text through every default rule in this process (rules loaded, texts in
    memory), and of autocorrect's lint and format on the same texts, timed in turns with it
    (when autocorrect-py is installed). Not the target's measure (that is whole commands): the
    ratio to ``format`` is kept as a drift yardstick, comparable with the earlier tables."""
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
    steps: dict[str, Callable[[str], object]] = {"govlint": lambda text: lint_text("r.txt", text, ruleset, options)}
    if autocorrect_py is not None:
        steps["lint_for"] = lambda text: autocorrect_py.lint_for(text, "r.txt")
        steps["format"] = autocorrect_py.format
    runs: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(3):
        for name, step in steps.items():
            start = time.perf_counter()
            for text in texts:
                step(text)
            runs[name].append(time.perf_counter() - start)
    return size / 1e6 / statistics.median(runs["govlint"]), size, {
        name: size / 1e6 / statistics.median(times) for name, times in runs.items() if name != "govlint"
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller corpora and fewer runs")
    parser.add_argument("--runs", type=int, default=15, help="cold-start runs (median reported)")
    args = parser.parse_args()
    reports = 200 if args.quick else 1000
    memory_reports = 1000 if args.quick else 10000
    runs = 5 if args.quick else args.runs
    whole_runs = 3 if args.quick else 5

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
        size = build_corpus(corpus, reports)
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

        # Whole commands over the same files, timed in turns (issue 19's measure): govlint
        # with --no-cache (rules validated afresh, no results cache), the reference, the floor.
        jobs = os.cpu_count() or 1
        whole = {
            "json": [*govlint, "--no-cache", "--format", "json", "-j", "1", str(corpus)],
            "concise": [*govlint, "--no-cache", "--format", "concise", "-j", "1", str(corpus)],
            f"json -j {jobs}": [*govlint, "--no-cache", "--format", "json", "-j", str(jobs), str(corpus)],
            f"concise -j {jobs}": [*govlint, "--no-cache", "--format", "concise", "-j", str(jobs), str(corpus)],
            "floor": [python, "-c", FLOOR, str(corpus)],
        }
        has_reference = subprocess.run([python, "-c", "import autocorrect_py"], capture_output=True).returncode == 0
        if has_reference:
            whole["lint_for"] = [python, "-c", REFERENCE, str(corpus)]
        turns = [timed_each(list(whole.values()), env) for _ in range(whole_runs)]
        seconds = dict(zip(whole, (statistics.median(column) for column in zip(*turns))))
        mbps, text_size, in_memory = in_process(corpus)

        # A first run over an archive, as a CI gate sees it: each run gets a cache folder
        # that holds the warm rule cache and no results.
        many = [*govlint, "--format", "concise"]
        serial = statistics.median(first_runs([*many, "-j", "1", str(corpus)], env, work, 3))
        timed([*govlint, str(corpus)], env, 1)  # fill the results cache
        cached = statistics.median(timed([*govlint, str(corpus)], env, 3))
        rss_json = peak_rss_mb([*govlint, "--no-cache", "--format", "json", str(big)], env)
        rss_concise = peak_rss_mb([*govlint, "--no-cache", "--format", "concise", str(big)], env)

        def rate(name: str) -> str:
            return f"{size / 1e6 / seconds[name]:.1f} MB/s"

        reference = seconds.get("lint_for")

        def against_reference(name: str, target: str) -> str:
            if reference is None:
                return "reference not installed (pip install '.[bench]')"
            return f"{reference / seconds[name]:.2f} × the reference (target ≥ {target})"

        rows = [
            ("python -c pass", f"{baseline * 1000:.0f} ms",
             f"python -I -S -c pass (no site, no .pth files): {bare * 1000:.0f} ms"),
            (f"cold start, one edited report ({one.stat().st_size // 1024} KB), human output",
             f"{cold * 1000:.0f} ms",
             f"{cold / baseline:.1f} × python -c pass (target ≤ 7 ×); govlint's own {(cold - baseline) * 1000:.0f} ms"),
            ("cold start, same report unchanged (results cache)",
             f"{unchanged * 1000:.0f} ms", f"{unchanged / baseline:.1f} × python -c pass"),
            (f"{reports} reports ({size / 1e6:.1f} MB), whole command, -j 1 --no-cache, json",
             f"{seconds['json']:.2f} s", f"{rate('json')}; {against_reference('json', '0.9 ×')}"),
            ("    the same, concise output", f"{seconds['concise']:.2f} s",
             f"{rate('concise')}; {against_reference('concise', '1.0 ×')}"),
            ("    reference: autocorrect-py lint_for, one process",
             f"{reference:.2f} s" if reference else "—",
             rate("lint_for") if reference else "not installed (pip install '.[bench]')"),
            ("    floor: read, decode, NFKC, one union regex", f"{seconds['floor']:.2f} s",
             f"{rate('floor')}; govlint json takes {seconds['json'] / seconds['floor']:.1f} × the floor"),
            (f"    -j {jobs} vs -j 1, json / concise",
             f"{seconds[f'json -j {jobs}']:.2f} s / {seconds[f'concise -j {jobs}']:.2f} s",
             f"{seconds['json'] / seconds[f'json -j {jobs}']:.2f} × / "
             f"{seconds['concise'] / seconds[f'concise -j {jobs}']:.2f} × faster (target ≥ 1.75 ×)"),
            (f"{reports} reports, first run (rule cache warm), -j 1, concise", f"{serial:.2f} s", ""),
            (f"{reports} unchanged reports again, results cache", f"{cached:.2f} s",
             f"{serial / cached:.1f} × faster than a first run"),
            (f"peak memory (PSS), {memory_reports} reports, default -j, all processes, json / concise",
             f"{rss_json:.0f} / {rss_concise:.0f} MB", "target ≤ 150 MB (json)"),
            (f"drift yardstick: in one process, texts in memory ({text_size / 1e6:.1f} MB)", f"{mbps:.1f} MB/s",
             (f"lint_for {in_memory['lint_for']:.1f} MB/s ({mbps / in_memory['lint_for']:.2f} ×); "
              f"format {in_memory['format']:.1f} MB/s ({mbps / in_memory['format']:.2f} ×, the old yardstick)")
             if in_memory else "autocorrect-py not installed"),
        ]  # fmt: skip
        print(f"govlint benchmark — Python {sys.version.split()[0]}, {jobs} cores; cold start: medians of {runs} runs,")
        print(f"whole commands: medians of {whole_runs} runs in turns. Sources precompiled (compileall) because")
        print("PYTHONDONTWRITEBYTECODE=1 is set here; rule cache warm except with --no-cache.\n")
        width = max(len(r[0]) for r in rows)
        for name, value, note in rows:
            print(f"{name:<{width}}  {value:>12}  {note}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
