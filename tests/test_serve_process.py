"""`govlint serve` as a reviewer starts it: a real server (uvicorn) in its own process, on
loopback. It prints its address, survives an upload cut off mid-way, and on SIGTERM stops
its workers and deletes every file it kept. The refusals of the command line, each one
line and exit status 2."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from checker.cli import main
from conftest import ROOT


class Running(NamedTuple):
    url: str  # http://127.0.0.1:PORT/
    port: int
    process: subprocess.Popen[str]
    tmp: Path  # the server's TMPDIR: every file it writes is under it


@contextlib.contextmanager
def running_desk(tmp: Path, *args: str) -> Iterator[Running]:
    """`govlint serve --port 0 --no-browser` with its own TMPDIR; stopped with SIGTERM after."""
    tmp.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "checker.cli", "serve", "--port", "0", "--no-browser", "-j", "2", *args],
        cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp), "GOVLINT_LANG": "zh", "PYTHONIOENCODING": "utf-8"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        problem = process.stderr.read() if process.stderr and not line else ""
        assert "govlint 审查台已启动:http://127.0.0.1:" in line, line + problem
        url = line.split(":", 1)[1].split("(")[0].strip()
        yield Running(url, int(url.rsplit(":", 1)[1].split("/")[0]), process, tmp)
    finally:
        stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def processes_with(tmp: Path) -> list[int]:
    """Processes whose environment names ``tmp`` (the server and its workers)."""
    marker = f"TMPDIR={tmp}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
    return found


def http(port: int, request: bytes, *, close_after_send: bool = False) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        if close_after_send:
            return b""
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def get(port: int, path: str, cookie: str = "") -> bytes:
    headers = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
    return http(port, (headers + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode())


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_serve_survives_a_cut_upload_and_cleans_up_on_sigterm(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    with running_desk(tmp) as desk:
        page = get(desk.port, "/")
        assert page.startswith(b"HTTP/1.1 200") and "审查台".encode() in page
        cookie = next(line for line in page.split(b"\r\n") if line.lower().startswith(b"set-cookie:"))
        session = cookie.split(b":", 1)[1].split(b";")[0].strip().decode()
        # An upload whose sender goes away after 1 MB of the 5 MB it announced.
        head = (
            f"POST /upload HTTP/1.1\r\nHost: 127.0.0.1:{desk.port}\r\nOrigin: http://127.0.0.1:{desk.port}\r\n"
            f"Cookie: {session}\r\nAccept: application/json\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000\r\n\r\n"
            '--b\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n\r\n'
        ).encode()
        http(desk.port, head + b"x" * 2**20, close_after_send=True)
        time.sleep(1)
        assert get(desk.port, "/rows", session).startswith(b"HTTP/1.1 200")  # still serving, nothing listed
        assert "还没有报告".encode() in get(desk.port, "/rows", session)
        (root,) = tmp.iterdir()
        assert root.name.startswith("govlint-serve-") and oct(root.stat().st_mode & 0o777) == "0o700"
        assert [path for path in root.rglob("*") if path.is_file()] == []  # the cut file was removed
        assert len(processes_with(tmp)) >= 1
    # uvicorn shuts down gracefully (the desk deletes its files), then lets SIGTERM end the process.
    assert desk.process.returncode == -signal.SIGTERM, desk.process.returncode
    assert list(tmp.iterdir()) == []  # every session's folder deleted
    deadline = time.monotonic() + 10
    while processes_with(tmp) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(tmp) == []  # no worker outlives the server


def test_serve_refuses_another_host_without_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--token" in err
    assert main(["serve", "--host", "0.0.0.0", "--token", "short", "--no-browser"]) == 2
    assert "16" in capsys.readouterr().err


def test_serve_says_how_to_install_the_extra(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # find_spec then says it is not there
    assert main(["serve", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install '.[serve]'" in err and "uvicorn" in err


def test_serve_on_a_taken_port_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(port) in err



def test_serve_started_twice_points_at_the_desk_running(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Windows shortcut double-clicked again: the port is the desk's, so the second start
    shows its address (and would open the browser there) instead of failing."""
    with running_desk(tmp_path / "tmp") as desk:
        assert main(["serve", "--port", str(desk.port), "--no-browser"]) == 0
        assert desk.url in capsys.readouterr().out
