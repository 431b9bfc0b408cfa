"""The review desk in a real browser: Debian's Chromium driven by Selenium (`.ci/run`
installs chromium and chromium-driver when they are missing). The five seeds and a Word
copy of one are dropped in, the table fills, a review page opens, the annotated .docx is
downloaded and its comments read with python-docx; hostile files get their message on
the page; every request the browser made went to the desk on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

from conftest import SEEDS
from test_loaders import seed_docx
from test_serve_process import Running, running_desk

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)), reason="needs chromium and chromium-driver"
)
# Root in a container: no sandbox; nothing that would reach the network on its own.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=zh-CN",
)  # fmt: skip


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with running_desk(tmp_path_factory.mktemp("desk") / "tmp") as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('profile')}")  # a new, empty profile
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as e:
        pytest.skip(f"chromium does not start here: {e.msg}")
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(condition: Callable[[], Any], timeout: float = 180, what: str = "") -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what or condition}")


def network_requests(driver: Any) -> list[str]:
    """Every URL the browser asked the network for since the last call (Chrome's network log;
    its own chrome:// pages, such as the new tab it starts with, are not the network)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return [url for url in urls if not url.startswith(("chrome:", "chrome-untrusted:", "about:", "data:", "blob:"))]


def test_the_desk_in_chromium(desk: Running, browser: Any, tmp_path: Path) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.get(desk.url)
    assert browser.title == "govlint 审查台"

    # The profile is chosen from each report's title unless the reviewer names one.
    profile = browser.find_element(By.ID, "profile")
    assert profile.get_attribute("value") == "auto"
    assert "disclosure" in [o.get_attribute("value") for o in profile.find_elements(By.TAG_NAME, "option")]
    # The choices are remembered in the browser: a reload keeps them.
    deadline = browser.find_element(By.ID, "deadline")
    deadline.clear()
    deadline.send_keys("04-30")
    browser.find_element(By.TAG_NAME, "h1").click()  # leaving the field fires its change event
    browser.refresh()
    assert browser.find_element(By.ID, "deadline").get_attribute("value") == "04-30"
    deadline = browser.find_element(By.ID, "deadline")
    deadline.clear()
    deadline.send_keys("03-31")
    browser.find_element(By.TAG_NAME, "h1").click()
    # The chooser's label is a button the keyboard reaches.
    assert browser.find_element(By.CSS_SELECTOR, "label[for=files]").get_attribute("tabindex") == "0"

    word = seed_docx(SEEDS[1], tmp_path / "金石镇2021年报告.docx", structured=True)
    files = [*SEEDS, word]
    browser.find_element(By.ID, "files").send_keys("\n".join(str(f) for f in files))
    wait_for(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#rows td.state.done")) == len(files), what="table")
    table = browser.find_elements(By.CSS_SELECTOR, "#rows tr")
    rows = {row.find_element(By.TAG_NAME, "th").text: row.text for row in table}
    assert sorted(rows) == sorted(f.name for f in files)
    assert "湄洲岛 2021" in rows[SEEDS[0].name] and "逾期" in rows[SEEDS[0].name]
    screenshot = Path(os.environ.get("GOVLINT_SCREENSHOT", tmp_path / "desk.png"))
    browser.save_screenshot(str(screenshot))

    # A review page opens with the report's text, under its strict policy (no violation logged).
    word_row = f"//tbody[@id='rows']/tr[th[.='{word.name}']]"  # uploads run side by side: any order
    browser.find_element(By.XPATH, word_row + "//a[starts-with(@href, '/report/')]").click()
    wait_for(lambda: "金石" in browser.find_element(By.TAG_NAME, "body").text, 30, "review page")
    assert browser.execute_script("return document.querySelectorAll('mark, .mark, [data-d]').length") > 0
    browser.back()
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#rows td.state.done"), 30, "table again")

    # The annotated Word copy downloads, with govlint's comments in it.
    browser.find_element(By.XPATH, word_row + "//a[contains(@href, 'annotated.docx')]").click()
    copy = wait_for(lambda: [p for p in downloads.glob("*.docx")], 60, "download")[0]
    wait_for(lambda: not list(downloads.glob("*.crdownload")), 30, "download to finish")
    assert copy.name == "金石镇2021年报告.reviewed.docx"
    comments = list(docx.Document(str(copy)).comments)
    assert comments and {c.author for c in comments} == {"govlint"}
    assert all(c.text.split(" ")[0][0] in "SDNTE" for c in comments)

    # Hostile files: a message on the page, and the desk goes on.
    big = tmp_path / "大文件.txt"
    with big.open("wb") as out:
        out.truncate(60 * 2**20)
    wrong = tmp_path / "程序.exe"
    wrong.write_bytes(b"MZ")
    browser.find_element(By.ID, "files").send_keys(f"{big}\n{wrong}")
    notes = wait_for(lambda: [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#uploads li.refused")]
                     if len(browser.find_elements(By.CSS_SELECTOR, "#uploads li.refused")) == 2 else None,
                     30, "refusals")  # fmt: skip
    assert any("文件过大" in note for note in notes) and any("不接受“.exe”文件" in note for note in notes)
    wait_for(lambda: "不接受“.exe”文件" in browser.find_element(By.ID, "rows").text, 30, "refused row")

    # A file dropped onto the zone (a drop event, as the mouse makes it) is uploaded too.
    browser.execute_script(
        "const data = new DataTransfer();"
        "data.items.add(new File(['某县2023年法治政府建设年度报告\\n'], '拖入的报告.txt'));"
        "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true}));"
    )
    wait_for(lambda: "拖入的报告.txt" in browser.find_element(By.ID, "rows").text, 60, "dropped file")

    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    urls = network_requests(browser)
    origin = desk.url.rstrip("/")
    assert urls and all(url.startswith(origin + "/") for url in urls), sorted(set(urls))
