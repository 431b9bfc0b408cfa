"""The review desk (checker/serve/) through starlette's TestClient: uploads, the table, the
review page and downloads, the reviewer's choices, the request checks (Host, Origin,
token), hostile uploads and the end of sessions. The browser tests are in
tests/test_serve_browser.py, the real server's in tests/test_serve_process.py."""

from __future__ import annotations

import asyncio
import io
import json
import re
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import docx
import openpyxl
import pytest

with warnings.catch_warnings():  # starlette 1.x would rather have httpx2; httpx is what is installed
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from disclosure_forms import applications, as_text, blocks, changed

from checker.serve import address, is_loopback, missing_extra
from checker.serve.app import create_app
from checker.serve.desk import DONE, FAILED, REFUSED, Desk
from checker.serve.uploads import Arrival
from checker.serve.work import Choices
from conftest import ROOT, SEEDS
from test_loaders import seed_docx

HOST = "127.0.0.1:8765"
ORIGIN = f"http://{HOST}"
JSON = {"origin": ORIGIN, "accept": "application/json"}
STORED = re.compile(r"\d{5}\.(txt|md|docx|html|htm|pdf)|\d{5}\.reviewed\.docx|all-annotated\.zip")


@pytest.fixture(scope="module")
def tmp_root() -> Iterator[Path]:
    """The desk's temporary folder's parent: every file the desk writes must be under it."""
    with tempfile.TemporaryDirectory(prefix="govlint-serve-test-") as folder:
        yield Path(folder)


def desk_in(root: Path, workers: int) -> Desk:
    """A desk whose private folders are made under ``root`` (the test's, not the system's)."""
    saved = tempfile.tempdir
    tempfile.tempdir = str(root)
    try:
        return Desk(workers)
    finally:
        tempfile.tempdir = saved


@pytest.fixture(scope="module")
def desk(tmp_root: Path) -> Iterator[Desk]:
    made = desk_in(tmp_root, 2)
    yield made
    made.close()


@pytest.fixture(scope="module")
def app_client(desk: Desk) -> Iterator[TestClient]:
    app = create_app(desk, allowed_hosts=frozenset({HOST}))
    with TestClient(app, base_url=ORIGIN) as client:
        yield client


@pytest.fixture
def client(app_client: TestClient) -> TestClient:
    """A new browser session for each test."""
    app_client.cookies.clear()
    assert app_client.get("/").status_code == 200
    return app_client


def upload(client: TestClient, name: str, data: bytes, **choices: str) -> dict[str, object]:
    response = client.post("/upload", files={"file": (name, data)}, data=choices, headers=JSON)
    answer: dict[str, object] = response.json()
    answer["status"] = response.status_code
    return answer


def finished(client: TestClient, timeout: float = 180) -> str:
    """The table once nothing is pending."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        response = client.get("/rows")
        if response.headers["x-pending"] == "0":
            return response.text
        time.sleep(0.2)
    raise AssertionError("the desk never finished")


def session_items(desk: Desk, client: TestClient) -> list:
    session = desk.session(client.cookies.get("govlint_desk"))
    assert session is not None
    return session.items


# --------------------------------------------------------------------------- the page


def test_the_page_is_chinese_and_references_only_its_own_origin(client: TestClient) -> None:
    response = client.get("/")
    page = response.text
    assert '<html lang="zh-CN">' in page and "把报告文件拖到这里" in page
    references = re.findall(r'(?:src|href|action)="([^"]*)"', page)
    assert references and all(ref.startswith(("/", "#")) and not ref.startswith("//") for ref in references)
    assert "http" not in page.replace(ORIGIN, "")  # no other origin named anywhere
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    cookie = response.headers.get("set-cookie", "") or ""
    assert client.cookies.get("govlint_desk")
    for asset in ("/static/desk.js", "/static/desk.css"):
        served = client.get(asset)
        assert served.status_code == 200 and "http://" not in served.text and "https://" not in served.text
    assert client.get("/static/../app.py").status_code == 404
    del cookie


def test_the_seeds_in_the_table_review_page_and_json(client: TestClient, desk: Desk) -> None:
    for seed in SEEDS:
        answer = upload(client, seed.name, seed.read_bytes(), profile="annual", deadline="03-31")
        assert answer["status"] == 200, answer
    table = finished(client)
    items = session_items(desk, client)
    assert [item.state for item in items] == [DONE] * len(SEEDS)
    assert "<td>湄洲岛</td><td>2021</td>" in table and "逾期" in table
    # Each row's counts are those of `govlint --format json` on the same file.
    cli = subprocess.run(
        [sys.executable, "-m", "checker.cli", *map(str, SEEDS), "--format", "json", "--no-cache"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    expected = json.loads(cli.stdout)
    for item, seed in zip(items, SEEDS):
        downloaded = client.get(f"/download/{item.id}/result.json")
        assert downloaded.status_code == 200
        assert "attachment" in downloaded.headers["content-disposition"]
        found = [(p["code"], p["line"], p["column"]) for p in downloaded.json()]
        assert found == [(p["code"], p["line"], p["column"]) for p in expected if Path(p["path"]).name == seed.name]
    page = client.get(f"/report/{items[0].id}")
    assert page.status_code == 200 and "湄洲岛" in page.text
    csp = page.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and csp.count("'sha256-") == 2
    everything = client.get("/download/all/results.json").json()
    assert len(everything) == len(expected)
    # The summary sheet (archive's renderers): a row per report, in Excel and as CSV.
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/download/all/summary.xlsx").content))
    assert workbook.worksheets[0].max_row == 1 + len(SEEDS)
    sheet_csv = client.get("/download/all/summary.csv")
    assert sheet_csv.content.startswith(b"\xef\xbb\xbf") and sheet_csv.text.count("\r\n") == 1 + len(SEEDS)
    one = client.get(f"/download/{items[0].id}/summary.xlsx")
    assert "filename*=utf-8''000_00ec3fcab6499c92" in one.headers["content-disposition"]
    assert openpyxl.load_workbook(io.BytesIO(one.content)).worksheets[0].max_row == 2


def test_a_word_report_comes_back_annotated(client: TestClient, tmp_path: Path) -> None:
    report = seed_docx(SEEDS[1], tmp_path / "金石镇报告.docx", structured=True)
    answer = upload(client, report.name, report.read_bytes())
    assert answer["status"] == 200
    table = finished(client)
    assert "批注版 Word" in table
    item_id = answer["files"][0]["id"]  # type: ignore[index]
    copy = client.get(f"/download/{item_id}/annotated.docx")
    assert copy.status_code == 200
    assert "%E9%87%91%E7%9F%B3%E9%95%87%E6%8A%A5%E5%91%8A.reviewed.docx" in copy.headers["content-disposition"]
    comments = list(docx.Document(io.BytesIO(copy.content)).comments)
    findings = client.get(f"/download/{item_id}/result.json").json()
    assert comments and all(c.author == "govlint" for c in comments)
    assert {c.text.split(" ")[0] for c in comments} <= {f["code"] for f in findings}
    bundle = zipfile.ZipFile(io.BytesIO(client.get("/download/all/annotated.zip").content))
    assert bundle.namelist() == ["金石镇报告.reviewed.docx"]


def test_choices_travel_with_each_upload(client: TestClient, desk: Desk) -> None:
    text = SEEDS[0].read_bytes()
    upload(client, "a.txt", text, profile="annual")
    upload(client, "b.txt", text, profile="summary")
    upload(client, "c.txt", text, deadline="12-31")
    upload(client, "d.txt", text, select="D3")
    finished(client)
    annual, summary, late_deadline, only_dates = (item.result for item in session_items(desk, client))
    codes = [[d.code for d in result.diagnostics] for result in (annual, summary, late_deadline, only_dates)]
    assert "D302" in codes[0] and "D302" not in codes[1] and len(codes[1]) < len(codes[0])
    assert "D302" not in codes[2]
    assert codes[3] and all(code.startswith("D3") for code in codes[3])


def test_the_profile_is_chosen_from_the_title_unless_the_reviewer_names_one(client: TestClient, desk: Desk) -> None:
    rows = changed(applications([2, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], {}), "(一)予以公开", 0, 9)
    text = as_text(blocks(rows, [0] * 15), "piped").encode()  # a disclosure report, table 三 broken once
    upload(client, "default.txt", text)
    upload(client, "auto.txt", text, profile="auto")
    upload(client, "disclosure.txt", text, profile="disclosure")
    upload(client, "annual.txt", text, profile="annual")
    finished(client)
    codes = [{d.code for d in item.result.diagnostics} for item in session_items(desk, client)]
    assert ["P201" in found for found in codes] == [True, True, True, False]
    assert "S103" in codes[3]  # checked as a 法治 report: its parts are missing


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"deadline": "02-29"}, "公开截止日期"),
        ({"deadline": "3月底"}, "公开截止日期"),
        ({"profile": "monthly"}, "报告类型不对"),
        ({"select": "S1<script>"}, "规则代码应为字母加数字"),
    ],
)
def test_a_malformed_choice_refuses_the_upload_with_a_message(
    client: TestClient, desk: Desk, choices: dict[str, str], message: str
) -> None:
    answer = upload(client, "a.txt", SEEDS[0].read_bytes(), **choices)
    assert answer["status"] == 400 and message in str(answer["error"])
    assert session_items(desk, client) == []


def test_an_unknown_rule_code_is_named_on_the_row(client: TestClient, desk: Desk) -> None:
    upload(client, "a.txt", SEEDS[0].read_bytes(), select="Q999")
    table = finished(client)
    (item,) = session_items(desk, client)
    assert item.state == REFUSED and "Q999" in table


def test_html_form_without_the_script_redirects_back(client: TestClient, desk: Desk) -> None:
    response = client.post(
        "/upload", files=[("file", ("a.txt", SEEDS[0].read_bytes())), ("file", ("b.md", b"# x\n"))],
        data={"profile": "annual"}, headers={"origin": ORIGIN}, follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/#reports"
    assert len(session_items(desk, client)) == 2
    finished(client)


# --------------------------------------------------------------------------- request checks


def test_another_host_is_refused_dns_rebinding(app_client: TestClient) -> None:
    response = app_client.get("/", headers={"host": "evil.example:8765"})
    assert response.status_code == 403 and "127.0.0.1:8765" in response.text


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null", "http://127.0.0.1:9999"])
def test_a_post_from_another_origin_is_refused(client: TestClient, desk: Desk, origin: str | None) -> None:
    headers = {"accept": "application/json"} | ({"origin": origin} if origin else {})
    response = client.post("/upload", files={"file": ("a.txt", b"x")}, headers=headers)
    assert response.status_code == 403 and "跨站" in response.text
    assert client.post("/clear", headers=headers).status_code == 403
    assert session_items(desk, client) == []


def test_with_a_token_every_request_needs_it(tmp_root: Path) -> None:
    token = "s3cret-token-0123456789"
    desk = Desk(1)
    app = create_app(desk, allowed_hosts=frozenset({HOST}), token=token)
    with TestClient(app, base_url="http://192.0.2.7:8765") as client:  # any Host: the token guards
        for path in ("/", "/rows", "/static/desk.js", "/download/all/results.json"):
            assert client.get(path).status_code == 401
        assert client.get("/?token=wrong-token-0123456789").status_code == 401
        opened = client.get(f"/?token={token}", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "/"
        assert "httponly" in opened.headers["set-cookie"].lower()
        assert client.get("/").status_code == 200  # the cookie now
        client.cookies.clear()
        assert client.get("/rows", headers={"authorization": f"Bearer {token}"}).status_code == 410
        assert client.get("/rows?token=" + token).status_code == 401  # in the address only for the page


def test_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert address("127.0.0.1", 8765, None) == "http://127.0.0.1:8765/"
    assert address("::1", 80, "t" * 16) == "http://[::1]:80/?token=" + "t" * 16
    assert missing_extra() is None


# --------------------------------------------------------------------------- hostile uploads


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def assert_only_stored_files(tmp_root: Path, desk: Desk) -> None:
    """Nothing written outside the desk's folder, and inside it only names the desk made."""
    assert [p.name for p in tmp_root.iterdir()] == [desk.root.name]
    for path in desk.root.rglob("*"):
        assert path.is_dir() or STORED.fullmatch(path.name), path


def test_a_folder_zip_with_traversal_names_stays_in_its_folder(
    client: TestClient, desk: Desk, tmp_root: Path
) -> None:
    text = SEEDS[0].read_bytes()
    members = {
        "报告/甲区.txt": text, "../../../escaped.txt": text, "/etc/cron.d/x.txt": text,
        "C:\\Windows\\y.md": b"# y\n", "图片/logo.png": b"\x89PNG", "报告/": b"",
    }  # fmt: skip
    answer = upload(client, "报告.zip", zipped(members))
    assert answer["status"] == 200 and answer["skipped"] == 1
    shown = [f["name"] for f in answer["files"]]  # type: ignore[union-attr]
    assert shown == ["报告.zip/报告/甲区.txt", "报告.zip/../../../escaped.txt", "报告.zip//etc/cron.d/x.txt",
                     "报告.zip/C:\\Windows\\y.md"]  # fmt: skip
    finished(client)
    assert all(item.state == DONE for item in session_items(desk, client))
    assert not list(tmp_root.parent.glob("escaped.txt")) and not list(tmp_root.glob("**/escaped.txt"))
    assert_only_stored_files(tmp_root, desk)


def test_a_zip_written_on_chinese_windows_has_its_names(client: TestClient) -> None:
    # zipfile writes a non-ASCII name in UTF-8 and flags it: the GBK bytes go in afterwards.
    data = zipped({"ABCDEFGH.txt": SEEDS[0].read_bytes()}).replace(b"ABCDEFGH", "甲区报告".encode("gbk"))
    answer = upload(client, "a.zip", data)
    assert [f["name"] for f in answer["files"]] == ["a.zip/甲区报告.txt"]  # type: ignore[union-attr]
    finished(client)


def test_zip_bombs_are_refused_member_by_member(client: TestClient, desk: Desk, tmp_root: Path) -> None:
    bomb = b"\0" * (20 * 2**20)  # 20 MB of zeros deflate about 1000:1
    answer = upload(client, "炸弹.zip", zipped({"a.txt": bomb, "b.txt": SEEDS[0].read_bytes()}))
    first, second = answer["files"]  # type: ignore[misc]
    assert "疑似压缩炸弹" in first["reason"] and second["reason"] is None
    finished(client)
    assert_only_stored_files(tmp_root, desk)


def test_a_zip_that_lies_about_its_sizes_is_refused(client: TestClient) -> None:
    from test_hostile_files import declare

    data = declare(zipped({"a.txt": b"x" * 5000}), "a.txt", size=10)  # inflates past what it declares
    answer = upload(client, "lies.zip", data)
    assert "已损坏" in answer["files"][0]["reason"]  # type: ignore[index]
    stored = zipped({"a.txt": b"x" * 100}, zipfile.ZIP_BZIP2)
    assert "压缩方式不受支持" in upload(client, "bz.zip", stored)["files"][0]["reason"]  # type: ignore[index]
    assert "不是有效的 zip" in upload(client, "fake.zip", b"PK not really")["files"][0]["reason"]  # type: ignore[index]


def test_a_zip_over_the_unpacked_limit_is_refused_whole(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.serve.uploads as uploads

    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", 10_000)
    answer = upload(client, "big.zip", zipped({"a.txt": b"x" * 6000, "b.txt": b"y" * 6000}))
    assert "压缩包解压后过大" in answer["files"][0]["reason"]  # type: ignore[index]
    monkeypatch.setattr(uploads, "MAX_ZIP_MEMBERS", 1)
    answer = upload(client, "many.zip", zipped({"a.txt": b"x", "b.txt": b"y"}))
    assert "压缩包内文件过多" in answer["files"][0]["reason"]  # type: ignore[index]


def test_a_60_mb_file_is_refused_and_the_desk_keeps_serving(client: TestClient, desk: Desk, tmp_root: Path) -> None:
    big = b"x" * (60 * 2**20)
    answer = upload(client, "大文件.txt", big)
    assert answer["status"] == 413 and "文件过大" in str(answer["error"]) and "50 MB" in str(answer["error"])

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused when the limit is passed
        boundary = b"--b0undary"
        yield boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n\r\n'
        for _ in range(60):
            yield b"x" * 2**20
        yield b"\r\n" + boundary + b"--\r\n"

    streamed = client.post(
        "/upload", content=chunks(), headers={**JSON, "content-type": "multipart/form-data; boundary=b0undary"}
    )
    assert streamed.status_code == 413 and "文件过大" in streamed.json()["error"]
    assert session_items(desk, client) == []
    assert_only_stored_files(tmp_root, desk)
    assert upload(client, "a.txt", SEEDS[0].read_bytes())["status"] == 200
    finished(client)


@pytest.mark.parametrize(
    ("name", "message"),
    [("工具.exe", "不接受“.exe”文件"), ("报告.doc", ".doc"), ("无扩展名", "没有扩展名"), ("表.xlsx", ".xlsx")],
)
def test_a_wrong_extension_is_refused_on_its_row(client: TestClient, desk: Desk, name: str, message: str) -> None:
    answer = upload(client, name, b"MZ\x90\x00")
    (file,) = answer["files"]  # type: ignore[misc]
    assert file["state"] == REFUSED and message in file["reason"]
    assert message in finished(client)
    assert [item.path for item in session_items(desk, client)] == [None]


def test_a_body_cut_short_is_refused_and_nothing_is_kept(client: TestClient, desk: Desk, tmp_root: Path) -> None:
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n\r\nsome text'
    response = client.post("/upload", content=body, headers={**JSON, "content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 400 and "上传中断" in response.json()["error"]
    assert session_items(desk, client) == []
    assert_only_stored_files(tmp_root, desk)
    garbage = client.post("/upload", content=b"\0" * 100, headers={**JSON, "content-type": "text/plain"})
    assert garbage.status_code == 400 and "multipart/form-data" in garbage.json()["error"]


def test_names_are_escaped_in_the_table(client: TestClient) -> None:
    answer = upload(client, '<img src=x onerror="alert(1)">\x1b[31m.txt', SEEDS[0].read_bytes())
    table = finished(client)
    assert "<img" not in table and "&lt;img src=x" in table and "\\x1b" in table
    assert answer["status"] == 200


# --------------------------------------------------------------------------- sessions end


def test_a_session_ends_after_the_page_closed_or_an_idle_hour(client: TestClient, desk: Desk) -> None:
    from checker.serve import desk as desk_module

    upload(client, "a.txt", SEEDS[0].read_bytes())
    finished(client)
    session = desk.session(client.cookies.get("govlint_desk"))
    assert session is not None
    folder = session.folder.path
    assert any(folder.iterdir())
    assert client.post("/leave", headers={"origin": ORIGIN}).status_code == 204
    assert desk.sweep(time.monotonic() + desk_module.LEAVE_GRACE_SECONDS / 2) == 0
    client.get("/rows")  # the browser came back (a reload): the end is called off
    assert desk.sweep(time.monotonic() + desk_module.LEAVE_GRACE_SECONDS + 1) == 0
    client.post("/leave", headers={"origin": ORIGIN})
    assert desk.sweep(time.monotonic() + desk_module.LEAVE_GRACE_SECONDS + 1) == 1
    assert not folder.exists()
    gone = client.get("/rows")
    assert gone.status_code == 410 and "会话已结束" in gone.text
    client.cookies.clear()
    client.get("/")
    assert desk.sweep(time.monotonic() + desk_module.IDLE_SECONDS + 1) >= 1


def test_clear_deletes_the_session_files(client: TestClient, desk: Desk) -> None:
    upload(client, "a.txt", SEEDS[0].read_bytes())
    finished(client)
    folder = desk.session(client.cookies.get("govlint_desk")).folder.path  # type: ignore[union-attr]
    response = client.post("/clear", headers={"origin": ORIGIN}, follow_redirects=False)
    assert response.status_code == 303 and not folder.exists()


def test_closing_the_desk_removes_its_folder(tmp_path: Path) -> None:
    desk = desk_in(tmp_path, 1)
    session = desk.open_session()
    assert not session.folder.path.exists()  # made with the first file
    path, out = session.folder.new_file(".txt")
    with out:
        out.write(b"x")
    assert oct(desk.root.stat().st_mode & 0o777) == "0o700" and oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(session.folder.path.stat().st_mode & 0o777) == "0o700"
    desk.close()
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- a worker that dies


class _DyingPool(Executor):
    """A pool whose worker dies on every report it is given."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: Future[object] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future


def test_a_report_that_kills_its_worker_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first death gets a new pool and one more try; a report that kills that one too
    fails on its own row, and the next report is checked."""
    desk = Desk(1)
    session = desk.open_session()
    stored, out = session.folder.new_file(".txt")
    with out:
        out.write(SEEDS[0].read_bytes())
    pools: list[Executor] = []

    def dying_pool() -> Executor:
        pools.append(_DyingPool())
        return pools[-1]

    async def check(item_count: int) -> None:
        items = [session.add(Arrival(f"{n}.txt", stored)) for n in range(item_count)]
        for item in items:
            desk.submit(item, Choices())
        await asyncio.gather(*(item.future for item in items if item.future is not None))

    try:
        monkeypatch.setattr(desk, "_worker_pool", dying_pool)
        asyncio.run(check(1))
        (dead,) = session.items
        assert dead.state == FAILED and "BrokenProcessPool" in (dead.reason or "") and len(pools) == 2
        monkeypatch.undo()  # a healthy pool again
        asyncio.run(check(1))
        assert session.items[-1].state == DONE and session.items[-1].result is not None
    finally:
        desk.close()
