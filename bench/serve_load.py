"""Load on the review desk: N clients (20 by default) upload the five seeds at once to one
`govlint serve` on loopback, wait for their table, and download their JSON; every answer
must be right (each client's findings are those of `govlint --format json` on the seeds),
with no error. Prints the times and the server's peak memory (itself and its workers,
summed over the processes alive at each sample).

    python bench/serve_load.py                 # 20 clients, 2 workers
    python bench/serve_load.py --clients 40 --jobs 4

Bounded: loopback only, a fixed number of clients and uploads, and a time limit
(--timeout, 600 s) after which the run fails. Linux (reads /proc for memory).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def expected_findings() -> dict[str, list[tuple[str, int, int]]]:
    out = subprocess.run(
        [sys.executable, "-m", "checker.cli", *map(str, SEEDS), "--format", "json", "--no-cache"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    ).stdout  # fmt: skip
    found: dict[str, list[tuple[str, int, int]]] = {seed.name: [] for seed in SEEDS}
    for problem in json.loads(out):
        found[Path(problem["path"]).name].append((problem["code"], problem["line"], problem["column"]))
    return found


def rss_kb(marker: bytes) -> int:
    """Resident memory of every process whose environment holds ``marker`` (the server and its workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            status = (entry / "status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def client_run(url: str, origin: str, expected: dict[str, list[tuple[str, int, int]]], timeout: float) -> float:
    """One reviewer: open the page, upload the seeds one request each, wait, check the JSON."""
    start = time.monotonic()
    with httpx.Client(base_url=url, timeout=60) as http:
        assert http.get("/").status_code == 200
        for seed in SEEDS:
            answer = http.post(
                "/upload", files={"file": (seed.name, seed.read_bytes())}, data={"profile": "annual"},
                headers={"origin": origin, "accept": "application/json"},
            )  # fmt: skip
            assert answer.status_code == 200, answer.text
        while True:
            rows = http.get("/rows")
            assert rows.status_code == 200, rows.text
            if rows.headers["x-pending"] == "0":
                break
            if time.monotonic() - start > timeout:
                raise TimeoutError("the desk did not finish in time")
            time.sleep(0.25)
        assert rows.text.count('class="state done"') == len(SEEDS), rows.text
        results = http.get("/download/all/results.json").json()
    got: dict[str, list[tuple[str, int, int]]] = {seed.name: [] for seed in SEEDS}
    for problem in results:
        got[problem["path"]].append((problem["code"], problem["line"], problem["column"]))
    assert got == expected, "findings differ from `govlint --format json`"
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2, help="the desk's worker processes")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    expected = expected_findings()
    tmp = Path(tempfile.mkdtemp(prefix="govlint-serve-load-"))
    marker = f"TMPDIR={tmp}".encode()
    server = subprocess.Popen(
        [sys.executable, "-m", "checker.cli", "serve", "--port", "0", "--no-browser", "-j", str(args.jobs)],
        cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp), "GOVLINT_LANG": "zh", "PYTHONIOENCODING": "utf-8"},
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0
    sampling = True

    def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, rss_kb(marker))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split(":", 1)[1].split("(")[0].strip().rstrip("/")
        with httpx.Client(base_url=url) as warm:  # the workers start with the first report
            warm.get("/")
        idle = rss_kb(marker)
        sampler.start()
        start = time.monotonic()
        with ThreadPoolExecutor(args.clients) as pool:
            futures = [pool.submit(client_run, url, url, expected, args.timeout) for _ in range(args.clients)]
            times = [future.result() for future in futures]  # raises the first client's failure
        wall = time.monotonic() - start
        with httpx.Client(base_url=url) as probe:  # still serving afterwards
            assert probe.get("/").status_code == 200
    finally:
        sampling = False
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    leftovers = list(tmp.iterdir())
    tmp.rmdir()
    reports = args.clients * len(SEEDS)
    print(f"{args.clients} clients × {len(SEEDS)} seeds = {reports} uploads, {args.jobs} workers: all correct")
    print(f"wall {wall:.1f} s ({reports / wall:.1f} reports/s); per client median {statistics.median(times):.1f} s, "
          f"max {max(times):.1f} s")  # fmt: skip
    print(f"memory: server before the first report {idle / 1024:.0f} MB; server + workers at peak {peak / 1024:.0f} MB")
    print(f"files left in the server's temporary folder after it stopped: {len(leftovers)}")
    return 0 if not leftovers else 1


if __name__ == "__main__":
    sys.exit(main())
