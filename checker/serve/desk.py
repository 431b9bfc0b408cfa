"""The desk's state: sessions (one per browser), the reports uploaded in each, and the pool
of worker processes that lint them.

Each session has a private folder (0700) inside the desk's own temporary folder; its
files are deleted when the session ends: :data:`LEAVE_GRACE_SECONDS` after the page says
it was closed (unless the browser comes back, as a reload does), or
:data:`IDLE_SECONDS` after the session's last request, and all of them when the server
stops. Linting runs in worker processes (``spawn``ed, so the same on Windows), never in
the request loop; a file that makes a worker die is that file's failure only.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from checker.model import FileResult
from checker.runner import MAX_WORKERS
from checker.serve.uploads import Arrival, Folder
from checker.serve.work import Choices, Reviewed, review

IDLE_SECONDS = 60 * 60  # a session nobody has used for an hour is over (a browser that crashed)
LEAVE_GRACE_SECONDS = 60  # after the page closed: time for a reload to come back
SWEEP_SECONDS = 15
# Reports one session may hold: results are kept in memory (the text of a report, ~50 KB).
MAX_FILES_PER_SESSION = 1000

QUEUED, RUNNING, DONE, REFUSED, FAILED = "queued", "running", "done", "refused", "failed"


class Item:
    """One uploaded report and what became of it."""

    __slots__ = ("id", "shown", "path", "state", "reason", "result", "comments", "future")

    def __init__(self, item_id: int, arrival: Arrival) -> None:
        self.id = item_id
        self.shown = arrival.shown
        self.path = arrival.path
        self.state = REFUSED if arrival.refusal else QUEUED
        self.reason = arrival.refusal  # why it was refused or failed, one line
        self.result: FileResult | None = None
        self.comments: int | None = None  # Word comments in the annotated copy; None: no copy
        self.future: asyncio.Future[Reviewed] | None = None

    @property
    def pending(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def annotated(self) -> Path | None:
        return annotated_path(self.path) if self.path is not None and self.comments is not None else None


def annotated_path(stored: Path) -> Path:
    return stored.with_name(f"{stored.stem}.reviewed.docx")


class Session:
    __slots__ = ("id", "folder", "items", "last_seen", "left_at", "_ids")

    def __init__(self, session_id: str, folder: Path) -> None:
        self.id = session_id
        self.folder = Folder(folder)
        self.items: list[Item] = []
        self.last_seen = time.monotonic()
        self.left_at: float | None = None
        self._ids = itertools.count(1)

    def add(self, arrival: Arrival) -> Item:
        item = Item(next(self._ids), arrival)
        self.items.append(item)
        return item

    def item(self, item_id: int) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    @property
    def room(self) -> int:
        return MAX_FILES_PER_SESSION - len(self.items)


class Desk:
    """Sessions and the worker pool of one server."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, min(workers, MAX_WORKERS))  # -j 999999999 would exhaust the process table
        # The desk's folder: private to this user, removed whole when the server stops.
        self.root = Path(tempfile.mkdtemp(prefix="govlint-serve-"))
        os.chmod(self.root, 0o700)
        self.sessions: dict[str, Session] = {}
        self._pool: ProcessPoolExecutor | None = None
        # As many reports in the pool as it has workers: the others wait here, shown as queued.
        self._slots = asyncio.Semaphore(self.workers)

    # ------------------------------------------------------------------ sessions

    def open_session(self) -> Session:
        session_id = secrets.token_urlsafe(24)
        session = self.sessions[session_id] = Session(session_id, self.root / secrets.token_hex(8))
        return session

    def session(self, session_id: str | None) -> Session | None:
        """The live session of a cookie; seeing it again cancels a pending end."""
        session = self.sessions.get(session_id) if session_id else None
        if session is not None:
            session.last_seen = time.monotonic()
            session.left_at = None
        return session

    def leave(self, session: Session) -> None:
        session.left_at = time.monotonic()

    def end(self, session: Session) -> None:
        self.sessions.pop(session.id, None)
        for item in session.items:
            if item.future is not None:
                item.future.cancel()
        shutil.rmtree(session.folder.path, ignore_errors=True)

    def sweep(self, now: float | None = None) -> int:
        """End the sessions that are over; how many."""
        now = time.monotonic() if now is None else now
        over = [
            s for s in self.sessions.values()
            if now - s.last_seen > IDLE_SECONDS or (s.left_at is not None and now - s.left_at > LEAVE_GRACE_SECONDS)
        ]  # fmt: skip
        for session in over:
            self.end(session)
        return len(over)

    async def sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            self.sweep()

    # ------------------------------------------------------------------ linting

    def submit(self, item: Item, choices: Choices) -> None:
        """Lint ``item`` in a worker; its state follows."""
        item.future = asyncio.ensure_future(self._review(item, choices))

    async def _review(self, item: Item, choices: Choices) -> Reviewed:
        assert item.path is not None
        loop = asyncio.get_running_loop()
        args = (item.path, item.shown, choices, annotated_path(item.path))
        try:
            async with self._slots:
                item.state = RUNNING
                for attempt in range(2):
                    pool = self._worker_pool()
                    try:
                        reviewed = await loop.run_in_executor(pool, review, *args)
                        break
                    except BrokenProcessPool:
                        # A worker died (a library's crash on some file): a new pool, and each
                        # report under way then is tried once more; one that kills it again fails.
                        self._replace_pool(pool)
                        if attempt:
                            raise
        except Exception as e:
            item.state, item.reason = FAILED, f"检查时出错({type(e).__name__}),其他文件不受影响"
            return Reviewed(None, refusal=item.reason)
        if reviewed.result is None:
            item.state, item.reason = REFUSED, reviewed.refusal
        else:
            item.state, item.result, item.comments = DONE, reviewed.result, reviewed.comments
        return reviewed

    def _worker_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
        return self._pool

    def _replace_pool(self, broken: ProcessPoolExecutor) -> None:
        if self._pool is broken:
            self._pool = None
            broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers and delete every session's files."""
        for session in list(self.sessions.values()):
            self.end(session)
        if self._pool is not None:
            # Ended, not waited for (a report may take up to the time limit); then joined, so
            # that the pool's queues and semaphores are released before the process exits.
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):  # see runner._stop_workers
                process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        shutil.rmtree(self.root, ignore_errors=True)

