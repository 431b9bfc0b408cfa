"""A time limit for one file: loading it, then every later stage (the engine puts the
whole lint of a file under one limit, so a rule's catastrophic regular expression ends
too).

Parsers have slow paths on hostile input: the stdlib html.parser of Python 3.11.7 takes
4 s on 100 KB of unclosed tags and 16 s on 200 KB of unclosed comments (quadratic), and
pdfminer works through a page's content streams however large. So the time a load may
take is bounded. Where a signal can interrupt the load — the main thread on POSIX,
which is where the command line and each of its worker processes load files — a timer
raises :class:`LoadTimeout` inside the parser; elsewhere loaders call :func:`check` at
safe points (the PDF loader between pages).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import FrameType

from checker.load.text import LoadError
from checker.messages import say

# (monotonic deadline, the limit in seconds) of the load under way in this context
_deadline: ContextVar[tuple[float, int] | None] = ContextVar("govlint_load_deadline", default=None)


class LoadTimeout(LoadError):
    def __init__(self, seconds: int) -> None:
        super().__init__(say("load-too-slow", "en", seconds=seconds), say("load-too-slow", "zh", seconds=seconds))
        self.seconds = seconds


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise :class:`LoadTimeout` in the block once it has run ``seconds``. Inside a
    block already under a limit (loading, within the lint of a whole file) the outer
    limit is the one that counts."""
    if _deadline.get() is not None:
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    armed = _arm(seconds)
    try:
        yield
    finally:
        _deadline.reset(token)  # first: a signal from here on finds no load and does nothing
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)


def check() -> None:
    """Raise :class:`LoadTimeout` if the load under way is past its time limit."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        raise LoadTimeout(current[1])


def _expire(signum: int, frame: FrameType | None) -> None:
    current = _deadline.get()
    if current is not None:
        raise LoadTimeout(current[1])


def _arm(seconds: int) -> bool:
    """Start a timer whose signal raises LoadTimeout in the load under way, unless no
    timer can be used here: another thread, no SIGALRM, or a timer or handler already in
    use (someone else's, left alone)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    if signal.getitimer(signal.ITIMER_REAL)[0] or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, _expire):
        return False
    signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return True
