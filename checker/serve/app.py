"""The desk's web application (Starlette): routes, and the checks every request passes.

Every request: the Host must be this server's loopback address (a page on another site
that points its own name at 127.0.0.1 — DNS rebinding — is refused), unless a token is
set; with a token, the request must carry it (``?token=`` once, then a cookie, or an
``Authorization: Bearer`` header). Every POST: its Origin must be this server (no other
site can make the browser post here). Every response: a Content-Security-Policy that
allows nothing but this origin's own script and style (the review page: its inline ones,
by hash), no framing, no referrer to other sites, no caching.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import io
import re
import socket
import zipfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checker.config import DeadlineError, parse_deadline
from checker.load.limits import MAX_FILE_BYTES
from checker.messages import say
from checker.model import FileResult
from checker.report import render_binary
from checker.report.html import render_html
from checker.report.machine import render_json
from checker.report.sheet import render_csv
from checker.rule import PROFILES
from checker.serve import address, is_loopback, open_page, pages
from checker.serve.desk import DONE, MAX_FILES_PER_SESSION, Desk, Item, Session
from checker.serve.uploads import ZIP_SUFFIX, Arrival, Receiver, Refused, suffix_of, too_large, unpack
from checker.serve.work import Choices

SESSION_COOKIE = "govlint_desk"
TOKEN_COOKIE = "govlint_token"
STATIC = Path(__file__).parent / "static"
_STATIC_TYPES = {"desk.js": "text/javascript; charset=utf-8", "desk.css": "text/css; charset=utf-8"}
# One file per request from the page: a file at the limit and the form's few short fields.
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 64 * 1024
DESK_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # Not no-referrer: with it a browser sends `Origin: null` on the page's own POSTs.
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
}
_FULL = f"文件过多:一个会话最多 {MAX_FILES_PER_SESSION} 个文件,请先删除全部再上传"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CODES = re.compile(r"[A-Z]+[0-9]*")
_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.S)


def run(sock: socket.socket, host: str, *, token: str | None, workers: int, open_browser: bool) -> None:
    """Serve the desk on the listening ``sock`` until Ctrl-C or SIGTERM; every session's files
    are deleted and the workers stopped on the way out."""
    import uvicorn

    port = sock.getsockname()[1]
    desk = Desk(workers)
    allowed = frozenset(f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]", host))
    app = create_app(desk, allowed_hosts=allowed, token=token)
    config = uvicorn.Config(app, log_level="warning", access_log=False, log_config=None, lifespan="on")
    if open_browser:  # the socket listens already: the browser's request waits for the server
        open_page(address("127.0.0.1" if is_loopback(host) else host, port, token))
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        desk.close()  # also when the server never started its lifespan


def create_app(desk: Desk, *, allowed_hosts: frozenset[str], token: str | None = None) -> ASGIApp:
    """The desk at ``allowed_hosts`` (``127.0.0.1:8765`` …; any when a token is set)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sweeper = asyncio.ensure_future(desk.sweep_forever())
        try:
            yield
        finally:
            sweeper.cancel()
            desk.close()

    def session_of(request: Request) -> Session | None:
        return desk.session(request.cookies.get(SESSION_COOKIE))

    async def index(request: Request) -> Response:
        if token is not None and request.query_params.get("token"):
            # The address with the token, opened once: keep it in a cookie, show a clean address.
            response: Response = RedirectResponse("/", status_code=303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return response
        session = session_of(request)
        fresh = session is None
        if session is None:
            session = desk.open_session()
        pending = sum(item.pending for item in session.items)
        response = HTMLResponse(pages.page(pages.rows(session.items), pending))
        if fresh:  # a cookie for this browser session only: no expiry date
            response.set_cookie(SESSION_COOKIE, session.id, httponly=True, samesite="strict")
        return response

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC_TYPES:
            return PlainTextResponse("没有这个文件", status_code=404)
        return Response((STATIC / name).read_bytes(), media_type=_STATIC_TYPES[name])

    async def upload(request: Request) -> Response:
        session = session_of(request)
        if session is None:
            return _ended(request)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_REQUEST_BYTES:
            return _refused(request, too_large(int(length)), 413)
        try:
            receiver = Receiver(request.headers.get("content-type", ""), session.folder)
        except Refused as e:
            return _refused(request, str(e), 400)
        received = 0
        try:
            async for chunk in request.stream():
                received += len(chunk)
                if received > MAX_REQUEST_BYTES:
                    raise Refused(too_large())
                receiver.feed(chunk)
            receiver.finish()
            choices = _choices(receiver.fields)
        except (Refused, ClientDisconnect) as e:
            receiver.discard()
            if isinstance(e, ClientDisconnect):  # nobody to answer: the browser went away
                return Response(status_code=400)
            return _refused(request, str(e), 413 if "过大" in str(e) else 400)
        arrivals: list[Arrival] = []
        skipped = 0
        for arrival in receiver.arrivals:
            if arrival.path is not None and suffix_of(arrival.path.name) == ZIP_SUFFIX:
                members, others = await anyio.to_thread.run_sync(unpack, arrival, session.folder)
                arrivals += members
                skipped += others
            else:
                arrivals.append(arrival)
        accepted = []
        for arrival in arrivals:
            if session.room <= 0:
                if arrival.path is not None:
                    arrival.path.unlink(missing_ok=True)
                arrival = Arrival(arrival.shown, None, _FULL)
            item = session.add(arrival)
            if arrival.path is not None:
                desk.submit(item, choices)
            accepted.append({"id": item.id, "name": item.shown, "state": item.state, "reason": item.reason})
        if _wants_html(request):  # the form without the script: back to the page
            return RedirectResponse("/#reports", status_code=303)
        return JSONResponse({"files": accepted, "skipped": skipped})

    async def table_rows(request: Request) -> Response:
        session = session_of(request)
        if session is None:
            return _ended(request)
        pending = sum(item.pending for item in session.items)
        return HTMLResponse(pages.rows(session.items), headers={"x-pending": str(pending)})

    def done_item(request: Request) -> tuple[Session | None, Item | None]:
        session = session_of(request)
        if session is None:
            return None, None
        item = session.item(request.path_params["item"])
        return session, item if item is not None and item.state == DONE else None

    async def review_page(request: Request) -> Response:
        session, item = done_item(request)
        if item is None or item.result is None:
            return _missing(session, request)
        result: FileResult = item.result
        text = await anyio.to_thread.run_sync(_rendered, lambda out: render_html([result], out, lang="zh"))
        return HTMLResponse(text, headers={"content-security-policy": _inline_csp(text)})

    async def annotated(request: Request) -> Response:
        session, item = done_item(request)
        if item is None or item.annotated is None:
            return _missing(session, request)
        return FileResponse(item.annotated, filename=_download_name(item.shown, ".reviewed.docx"))

    async def result_json(request: Request) -> Response:
        session, item = done_item(request)
        if item is None or item.result is None:
            return _missing(session, request)
        results = [item.result]
        text = await anyio.to_thread.run_sync(_rendered, lambda out: render_json(results, out))
        return _attachment(text.encode("utf-8"), _download_name(item.shown, ".json"), "application/json")

    async def all_json(request: Request) -> Response:
        session = session_of(request)
        if session is None:
            return _ended(request)
        results = [item.result for item in session.items if item.result is not None]
        text = await anyio.to_thread.run_sync(_rendered, lambda out: render_json(results, out))
        return _attachment(text.encode("utf-8"), "govlint-results.json", "application/json")

    async def summary_sheet(request: Request) -> Response:
        """The summary sheet (.xlsx, or sheet 1 as .csv) of one report or of all finished."""
        session = session_of(request)
        if session is None:
            return _ended(request)
        chosen = request.path_params.get("item")
        items = [item for item in session.items if item.result is not None and chosen in (None, item.id)]
        results = [item.result for item in items if item.result is not None]
        if not results:
            return _missing(session, request)
        name = _download_name(items[0].shown, "") + ".汇总表" if chosen is not None else "govlint-汇总表"
        if request.url.path.endswith(".csv"):
            text = await anyio.to_thread.run_sync(_rendered, lambda out: render_csv(results, out, lang="zh"))
            return _attachment(text.encode("utf-8"), name + ".csv", "text/csv; charset=utf-8")
        data = await anyio.to_thread.run_sync(_workbook, results)
        return _attachment(data, name + ".xlsx", _XLSX)

    async def all_annotated(request: Request) -> Response:
        session = session_of(request)
        if session is None:
            return _ended(request)
        copies = [(item.annotated, item.shown) for item in session.items if item.annotated is not None]
        if not copies:
            return PlainTextResponse("还没有批注版:只有 .docx 报告检查完成后才有批注版 Word 文件。", status_code=404)
        target = session.folder.path / "all-annotated.zip"
        await anyio.to_thread.run_sync(_zip_copies, copies, target)
        return FileResponse(target, filename="govlint-批注版.zip", media_type="application/zip")

    async def leave(request: Request) -> Response:
        session = session_of(request)
        if session is not None:
            desk.leave(session)
        return Response(status_code=204)

    async def clear(request: Request) -> Response:
        session = session_of(request)
        if session is not None:
            desk.end(session)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    routes = [
        Route("/", index),
        Route("/static/{name}", static),
        Route("/upload", upload, methods=["POST"]),
        Route("/rows", table_rows),
        Route("/report/{item:int}", review_page),
        Route("/download/{item:int}/annotated.docx", annotated),
        Route("/download/{item:int}/result.json", result_json),
        Route("/download/all/results.json", all_json),
        Route("/download/all/annotated.zip", all_annotated),
        Route("/download/all/summary.xlsx", summary_sheet),
        Route("/download/all/summary.csv", summary_sheet),
        Route("/download/{item:int}/summary.xlsx", summary_sheet),
        Route("/leave", leave, methods=["POST"]),
        Route("/clear", clear, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    return Guard(app, allowed_hosts=allowed_hosts, token=token)


class Guard:
    """The checks every request passes before the desk sees it, and the headers every
    response gets (see the module's docstring)."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: frozenset[str], token: str | None) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await _with_headers(refusal, send)(scope, receive, send)
            return
        await self.app(scope, receive, _with_headers(None, send))

    def _refusal(self, request: Request) -> Response | None:
        host = request.headers.get("host", "")
        if self.token is None and host not in self.allowed_hosts:
            shown = sorted(self.allowed_hosts)[0]
            return PlainTextResponse(f"地址不对:请在本机打开 http://{shown}/", status_code=403)
        if self.token is not None and not self._has_token(request):
            return PlainTextResponse("需要访问令牌:请使用启动时显示的完整地址打开审查台。", status_code=401)
        if request.method not in ("GET", "HEAD", "POST"):
            return PlainTextResponse("不支持的请求方法", status_code=405)
        if request.method == "POST" and request.headers.get("origin") != f"http://{host}":
            return PlainTextResponse("拒绝来自其他网站的请求(跨站请求)。", status_code=403)
        return None

    def _has_token(self, request: Request) -> bool:
        assert self.token is not None
        offered = [
            request.cookies.get(TOKEN_COOKIE, ""),
            request.headers.get("authorization", "").removeprefix("Bearer "),
            request.query_params.get("token", "") if request.url.path == "/" else "",
        ]
        expected = self.token.encode("utf-8")
        return any(hmac.compare_digest(value.encode("utf-8"), expected) for value in offered if value)


def _with_headers(response: Response | None, send: Send) -> Any:
    """``response`` (or the app's) with the security headers; a response's own CSP stays."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {name.lower() for name, _ in headers}
            for name, value in (*_HEADERS.items(), ("content-security-policy", DESK_CSP)):
                if name.encode() not in present:
                    headers.append((name.encode(), value.encode()))
            message = {**message, "headers": headers}
        await send(message)

    if response is None:
        return send_with_headers

    async def respond(scope: Scope, receive: Receive, _: Send) -> None:
        await response(scope, receive, send_with_headers)

    return respond


def _inline_csp(page: str) -> str:
    """The review page's policy: its own inline script and style, by hash, and nothing else."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, body in _INLINE.findall(page):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes[tag].append(f"'sha256-{digest}'")
    return (
        f"default-src 'none'; script-src {' '.join(hashes['script']) or chr(39) + 'none' + chr(39)}; "
        f"style-src {' '.join(hashes['style']) or chr(39) + 'none' + chr(39)}; img-src 'self'; "
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def _workbook(results: list[FileResult]) -> bytes:
    out = io.BytesIO()
    render_binary("xlsx", results, out, lang="zh")
    return out.getvalue()


def _rendered(write: Callable[[io.StringIO], object]) -> str:
    out = io.StringIO()
    write(out)
    return out.getvalue()


def _choices(fields: dict[str, str]) -> Choices:
    """The reviewer's choices from the form; a malformed one refuses the upload."""
    profile = fields.get("profile", pages.AUTOMATIC_PROFILE)
    if profile != pages.AUTOMATIC_PROFILE and profile not in PROFILES:
        raise Refused(f"报告类型不对:{profile[:20]!r}")
    deadline_text = fields.get("deadline", "").strip()
    try:
        deadline = parse_deadline(deadline_text) if deadline_text else None
    except DeadlineError as e:
        raise Refused("公开截止日期:" + say(e.key, "zh", value=deadline_text[:20])) from None
    chosen = None if profile == pages.AUTOMATIC_PROFILE else profile
    return Choices(chosen, deadline, _codes(fields.get("select", "")), _codes(fields.get("ignore", "")))


def _codes(text: str) -> tuple[str, ...]:
    codes = tuple(part.upper() for part in re.split(r"[\s,,、;;]+", text) if part)
    bad = next((code for code in codes if not _CODES.fullmatch(code)), None)
    if bad is not None:
        raise Refused(f"规则代码应为字母加数字,如 S101 或 D3,实为 {bad[:20]!r}")
    return codes


def _wants_html(request: Request) -> bool:
    return "application/json" not in request.headers.get("accept", "")


def _refused(request: Request, reason: str, status: int) -> Response:
    if _wants_html(request):
        return PlainTextResponse(reason, status_code=status)
    return JSONResponse({"error": reason}, status_code=status)


def _ended(request: Request) -> Response:
    return _refused(request, "会话已结束,文件已删除:请刷新页面重新开始。", 410)


def _missing(session: Session | None, request: Request) -> Response:
    if session is None:
        return _ended(request)
    return PlainTextResponse("没有这份报告的结果(还在检查,或已删除)。", status_code=404)


def _download_name(shown: str, ending: str) -> str:
    """A download's name: the report's own, from its last component, with ``ending``."""
    last = re.split(r"[/\\]", shown)[-1]
    stem = last.rsplit(".", 1)[0] if "." in last else last
    return (re.sub(r"[\x00-\x1f\x7f\"]", "_", stem) or "report") + ending


def _attachment(data: bytes, name: str, media_type: str) -> Response:
    disposition = f"attachment; filename*=utf-8''{quote(name)}"  # RFC 6266: a Chinese name, percent-encoded
    return Response(data, media_type=media_type, headers={"content-disposition": disposition})


def _zip_copies(copies: list[tuple[Path, str]], target: Path) -> None:
    used: set[str] = set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, shown in copies:
            name = _download_name(shown, ".reviewed.docx")
            base, n = name, 1
            while name in used:
                n += 1
                name = base.replace(".reviewed.docx", f"-{n}.reviewed.docx")
            used.add(name)
            archive.write(path, name)

