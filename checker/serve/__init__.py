"""``govlint serve``: the review desk, a local web page where a reviewer drops the reports
they received and gets the findings, the annotated Word copies and the JSON back
(README "Review desk"; docs/security.md "Review desk").

The top layer beside the command line: it reads results through the runner, the renderers
and annotate, and adds nothing to the pipeline. Its packages (Starlette, uvicorn,
python-multipart) are the optional extra ``serve``. This module needs none of them (the
command line asks it, through :func:`missing_extra`, whether they are there, and binds the
port with :func:`listen`); :func:`checker.serve.app.run` serves.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from importlib.util import find_spec

EXTRA_MODULES = ("starlette", "uvicorn", "python_multipart")
MIN_TOKEN_LENGTH = 16  # a token guards the reports on a network: not one a person could guess


def missing_extra() -> str | None:
    """The first package of the ``serve`` extra that is not installed, else None."""
    return next((name for name in EXTRA_MODULES if find_spec(name) is None), None)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port); OSError if it is taken."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":  # on Windows the option lets a second server share the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


PAGE_TITLE = "govlint 审查台"


def desk_answers(host: str, port: int) -> bool:
    """Whether a govlint desk already serves ``host``:``port`` (the shortcut double-clicked
    twice): asked directly, never through a proxy the environment may name."""
    import http.client

    connection = http.client.HTTPConnection(host.strip("[]"), port, timeout=3)
    try:
        connection.request("GET", "/", headers={"Host": f"{'127.0.0.1' if is_loopback(host) else host}:{port}"})
        return f"<title>{PAGE_TITLE}</title>".encode() in connection.getresponse().read(4096)
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def open_page(url: str) -> None:
    import webbrowser

    webbrowser.open(url)


def address(host: str, port: int, token: str | None) -> str:
    """The page's address as the reviewer opens it (with the token the first time)."""
    shown = f"[{host.strip('[]')}]" if ":" in host.strip("[]") else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
