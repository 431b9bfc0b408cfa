"""Does a change keep govlint's output? Lint a generated corpus with this working tree and
with an earlier revision, and compare the JSON reports.

    python bench/compare.py                  # against HEAD
    python bench/compare.py 289452c --reports 500
    python bench/compare.py 0aa9c75 --speed  # and the throughput of both, timed in turns
    python bench/compare.py 0a04d4e --new-code S114  # S114 is new on purpose: list its findings, compare the rest

The corpus: copies of the seeds with one number perturbed (as bench/run.py builds), and
copies randomly edited with fragments that exercise every rule family (headings, 一是
items, 其中 breakdowns, rates, dates in both forms, page chrome, placeholders, pinyin
debris, traditional characters). A speed change must leave the output byte for byte the
same; exit status 1 and the first differing findings otherwise.

``--speed`` also times both trees' throughput (bench/run.py's measure, on the perturbed
copies) in turns, three times each: this machine's speed drifts by 10-15 % over an hour, so
the ratio of two trees timed together says more than two absolute figures taken apart.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import SEEDS, build_corpus  # noqa: E402

FRAGMENTS = (
    "一是", "二是", "其中", "分别为", "化解率", "同比下降", "由12件增至", "2021年3月1日", "二〇二一年三月一日",
    "(一)", "1.", "(2)", "浏览量:", "扫一扫", "分享", "“十四五”", "约300人", "近五成", "百分之九十", "3-5人",
    "受理", "调处", "件", "人次", "%", "\n", "。", ",", ";", "鎮(zhèn)", "?qū)", "***件", "xx县", "××",
    "2023年工作计划", "下一步", "存在问题", "第一责任人", "\u3000", "    ", "|  |", "&nbsp;", "\ufffd", "锟斤拷",
)  # fmt: skip


def build_edited(directory: Path, count: int, seed: int = 42) -> None:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    for i in range(count):
        text = texts[i % len(texts)]
        for _ in range(rng.randint(5, 60)):
            pos = rng.randrange(len(text) + 1)
            choice = rng.random()
            if choice < 0.6:
                text = text[:pos] + rng.choice(FRAGMENTS) + text[pos:]
            elif choice < 0.8:
                text = text[:pos] + text[pos + rng.randint(1, 30) :]
            else:
                text = text[:pos] + str(rng.randint(0, 5000)) + text[pos:]
        (directory / f"edited_{i:04d}.txt").write_text(text, encoding="utf-8")


def lint(tree: Path, corpus: Path, cache: Path) -> str:
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "checker.cli", "--format", "json", "--no-cache", str(corpus)]
    # cwd first on sys.path: the tree's own checker package, not the installed one.
    return subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False).stdout


# Run in a tree's own folder (its checker package first on sys.path): MB/s of report text
# through every default rule, as bench/run.py's throughput, with the rule set loaded first.
_THROUGHPUT = """
import sys, time
from pathlib import Path
from checker.engine import lint_text
try:
    from checker.selection import Options
except ImportError:  # a revision from before the engine split (8314b4b and older)
    from checker.engine import Options
from checker.ruleset import load_rules
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).rglob("*.txt"))]
ruleset, options = load_rules(), Options()
lint_text("warm-up.txt", texts[0], ruleset, options)
start = time.perf_counter()
for text in texts:
    lint_text("r.txt", text, ruleset, options)
print(sum(len(t.encode("utf-8")) for t in texts) / 1e6 / (time.perf_counter() - start))
"""


def throughput(tree: Path, corpus: Path, cache: Path) -> float:
    env = {**os.environ, "GOVLINT_CACHE_DIR": str(cache)}
    command = [sys.executable, "-c", _THROUGHPUT, str(corpus)]
    return float(subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=True).stdout)


def compare_speed(before: Path, revision: str, corpus: Path, work: Path) -> None:
    runs: dict[str, list[float]] = {"then": [], "now": []}
    for _ in range(3):  # in turns: a machine that slows down slows both
        runs["then"].append(throughput(before, corpus, work / "cache-before"))
        runs["now"].append(throughput(ROOT, corpus, work / "cache-now"))
    then, now = (statistics.median(runs[k]) for k in ("then", "now"))
    print(f"throughput: {then:.2f} MB/s at {revision}, {now:.2f} MB/s now ({now / then:.2f} ×), medians of 3 in turns")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision", nargs="?", default="HEAD", help="git revision to compare with (default HEAD)")
    parser.add_argument("--reports", type=int, default=300, help="reports of each kind (default 300)")
    parser.add_argument("--speed", action="store_true", help="also time both trees' throughput, in turns")
    parser.add_argument(
        "--new-code", action="append", default=[], metavar="CODE",
        help="a code this tree adds on purpose: its findings are counted and listed, the rest compared",
    )  # fmt: skip
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govlint-compare-"))
    before = work / "before"
    try:
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.revision], cwd=ROOT, check=True)
        corpus = work / "corpus"
        (corpus / "perturbed").mkdir(parents=True)
        (corpus / "edited").mkdir()
        build_corpus(corpus / "perturbed", args.reports, seed=11)
        build_edited(corpus / "edited", args.reports)
        old = lint(before, corpus, work / "cache-before")
        new = lint(ROOT, corpus, work / "cache-now")
        findings = json.loads(new)
        print(f"{2 * args.reports} reports, {len(findings)} findings")
        if args.speed:
            compare_speed(before, args.revision, corpus / "perturbed", work)
        previous = json.loads(old)
        if findings == previous:  # the same records (how the array is laid out may differ)
            print(f"identical to {args.revision}")
            return 0
        if args.new_code:
            intended = [record for record in findings if record["code"] in args.new_code]
            findings = [record for record in findings if record["code"] not in args.new_code]
            print(f"{len(intended)} findings of {', '.join(args.new_code)} (new on purpose), not compared:")
            for record in intended:
                print(f"  {record['path']}:{record['line']}:{record['column']}: {record['code']} {record['message']}")
        # A field the revision does not write yet (the JSON contract grows by keys old
        # consumers skip): compared without it, and named.
        added = sorted({key for record in findings for key in record} - {key for record in previous for key in record})
        if added:
            findings = [{key: value for key, value in record.items() if key not in added} for record in findings]
            print(f"new field(s) {', '.join(added)}: not compared")
        if findings == previous:
            print(f"identical to {args.revision} apart from the above")
            return 0
        differing = [(a, b) for a, b in zip(previous, findings) if a != b]
        print(f"DIFFERENT from {args.revision}: {len(previous)} findings then, {len(findings)} now")
        for a, b in differing[:3]:
            print(f"- {json.dumps(a, ensure_ascii=False)}\n+ {json.dumps(b, ensure_ascii=False)}")
        return 1
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False)
        if os.environ.get("GOVLINT_COMPARE_KEEP"):
            print(f"corpus kept in {work / 'corpus'}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
