"""rich's Console for govlint's tables and coloured output, with one change: a closed
pipe (``govlint seeds/ | head``) is left to the caller.

rich's own Console exits with status 1 at once when its reader goes away; the CLI
instead ends the output quietly and exits with the status of the run (checker.cli).
rich is imported on the first call only.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def console(**options: Any) -> Console:
    """A Console made with rich's ``options`` that raises BrokenPipeError on a closed pipe."""
    return _console_class()(**options)


@cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True  # write nothing more, not even while the error unwinds
            raise BrokenPipeError

    return PipeConsole
