"""Instructions per report, counted by callgrind: a speed figure that does not drift.

    python bench/instructions.py                 # this tree
    python bench/instructions.py 58033f5         # this tree and revision 58033f5, and their ratio
    python bench/instructions.py --ignore T403   # without some rules (what one rule costs)

This machine's clock speed drifts by 15 % from one hour to the next and more from one day
to the next, so two timings taken apart compare machines more than code. Valgrind's
callgrind counts the instructions a run executes instead: the same code, input and
environment give the same count (to ~0.1 %; PYTHONHASHSEED is fixed because string
hashes move it by ~1 %), whatever else the machine is doing.

The count is taken twice, linting the seeds once and ``1 + passes`` times in one process
(each pass with texts that differ by trailing spaces, so that nothing is reused from the
pass before), and the difference is divided by the reports of the extra passes: start-up,
imports and loading the rules cancel out. Needs valgrind (Debian's package); ~15 s a count.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# Run in the child, under callgrind: lint every seed once to warm up (the rule cache, the
# first-text paths of normalize), then ``passes`` more times.
CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from checker.engine import lint_text
try:
    from checker.selection import Options
except ImportError:  # a revision from before the engine split (8314b4b and older)
    from checker.engine import Options
from checker.ruleset import load_rules
passes, ignore = int(sys.argv[2]), tuple(filter(None, sys.argv[3].split(",")))
ruleset, options = load_rules(), Options(ignore=ignore)
texts = [Path(p).read_text(encoding="utf-8") for p in sys.argv[4:]]
for text in texts:
    lint_text("warm-up.txt", text + "\\n", ruleset, options)
for i in range(1, passes + 1):
    for text in texts:
        lint_text("r.txt", text + "\\n" + " " * i, ruleset, options)
"""
_TOTAL = re.compile(r"refs:\s+([\d,]+)")


def count(tree: Path, passes: int, ignore: str, work: Path) -> int:
    """Instructions of one child run over the seeds with ``passes`` timed passes."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "GOVLINT_CACHE_DIR": str(work / "cache")}
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={work / 'callgrind.out'}",
        sys.executable, "-c", CHILD, str(tree), str(passes), ignore, *map(str, SEEDS),
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = _TOTAL.findall(done.stderr)
    if not found:
        raise SystemExit(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found[-1].replace(",", ""))


def per_report(tree: Path, passes: int, ignore: str, work: Path) -> float:
    count(tree, 0, ignore, work)  # fills the rule cache, so that both counts below load it alike
    base = count(tree, 0, ignore, work)
    return (count(tree, passes, ignore, work) - base) / (passes * len(SEEDS))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision", nargs="?", help="also count this git revision, and give the ratio")
    parser.add_argument("--passes", type=int, default=4, help="passes over the seeds counted (default 4)")
    parser.add_argument("--ignore", default="", help="rule codes to leave out, comma-separated")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    size = sum(len(p.read_text(encoding="utf-8").encode()) for p in SEEDS) / len(SEEDS)
    work = Path(tempfile.mkdtemp(prefix="govlint-instructions-"))
    trees = [("this tree", ROOT)]
    try:
        if args.revision:
            before = work / "before"
            subprocess.run(["git", "worktree", "add", "--detach", str(before), args.revision], cwd=ROOT, check=True)
            trees.append((args.revision, before))
        figures = []
        for name, tree in trees:
            (work / "cache").mkdir(exist_ok=True)
            instructions = per_report(tree, args.passes, args.ignore, work)
            shutil.rmtree(work / "cache")
            figures.append(instructions)
            print(
                f"{name:>12}: {instructions / 1e6:6.2f} M instructions per report, {instructions / size:,.0f} per byte"
            )
        if len(figures) == 2:
            print(f"{args.revision} executes {figures[1] / figures[0]:.3f} × the instructions of this tree")
    finally:
        if args.revision:
            subprocess.run(["git", "worktree", "remove", "--force", str(work / "before")], cwd=ROOT, check=False)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
