"""LALR vs Earley on the quantity grammar: the numerals found in the seeds, parsed by each.

    python bench/grammar.py

govlint uses LALR (checker/extract/quantity.py) for the numerals its small-numeral path
(below 10 000, no 零) does not read. This script is the measurement behind both choices;
docs/performance.md holds its latest output.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lark import Lark  # noqa: E402

from checker.extract.quantity import GRAMMAR, NUMBER_CANDIDATE, PERCENT_IN_WORDS, _small_numeral  # noqa: E402
from checker.normalize import normalize  # noqa: E402


def main() -> int:
    text = "".join(normalize(p.read_text(encoding="utf-8")).text for p in sorted((ROOT / "seeds").glob("*.txt")))
    numerals = [m["number"] for pattern in (NUMBER_CANDIDATE, PERCENT_IN_WORDS) for m in pattern.finditer(text)]
    # The grammar is what parses Chinese numerals: time those (Arabic ones skip it).
    chinese = [n for n in numerals if not n[0].isdigit()]
    numerals = chinese * max(1, 300 // max(1, len(chinese)))
    print(f"{len(chinese)} Chinese numerals in the seeds, timed as {len(numerals)} parses")
    for name in ("lalr", "earley"):
        start = time.perf_counter()
        parser = Lark(GRAMMAR, parser=name)  # recognition, as govlint uses it (checker.numerals reads the value)
        built = time.perf_counter() - start
        runs = []
        ok = 0
        for _ in range(3):
            start = time.perf_counter()
            ok = 0
            for numeral in numerals:
                try:
                    parser.parse(numeral)
                    ok += 1
                except Exception:
                    pass
            runs.append(time.perf_counter() - start)
        per = statistics.median(runs) / max(1, len(numerals)) * 1e6
        print(f"{name:7} build {built * 1000:6.1f} ms   parse {per:7.1f} µs/candidate   parsed {ok}/{len(numerals)}")
    start = time.perf_counter()
    small = sum(_small_numeral(numeral) is not None for numeral in numerals)
    per = (time.perf_counter() - start) / max(1, len(numerals)) * 1e6
    print(f"small-numeral path, no grammar: {per:5.1f} µs/candidate   read {small}/{len(numerals)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
