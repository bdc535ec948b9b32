"""report.html in a real browser: Debian's chromium, headless.

Skips where /usr/bin/chromium or /usr/bin/chromedriver is absent; nothing downloads a browser.
The screenshot goes to the test's tmp folder and to ``test-output/report.png`` for a person to
look at.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resdiscourse.report import build_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[1]
BROWSER_PAGES = ("chrome://", "chrome-untrusted://", "chrome-search://")


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[Any]:
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            pytest.skip(f"needs {path} (apt-get install {package}); browsers are never downloaded")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    # performance: the DevTools network events, to see every request the page makes.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def requests(driver: Any) -> list[str]:
    """The URLs of every request made since the last call (performance log), but those of
    the browser's own pages (its new-tab page, before the report is opened)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            params = message["params"]
            if not params.get("documentURL", "").startswith(BROWSER_PAGES):
                urls.append(params["request"]["url"])
    return urls


def test_report_renders_in_chromium(demo_out: Path, tmp_path: Path, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    summary = build_report(demo_out, out=tmp_path / "report")
    page = Path(summary.out) / "report.html"
    driver.get(page.resolve().as_uri())
    assert requests(driver) == [page.resolve().as_uri()]  # nothing fetched but the page

    assert driver.title == "Resilience discourse report: demo"
    charts = driver.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    assert len(charts) == 6
    for chart in charts:
        assert chart.is_displayed()
        assert chart.size["width"] > 100 and chart.size["height"] > 100
        assert chart.get_attribute("role") == "img"
    tables = driver.find_elements(By.CSS_SELECTOR, "table.summary")
    assert len(tables) == 9
    for table in tables:
        assert table.is_displayed()
        assert table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert driver.find_elements(By.CSS_SELECTOR, "blockquote mark")
    # A quote's citation leads to its document's row.
    link = driver.find_element(By.CSS_SELECTOR, "blockquote footer a")
    target = link.get_attribute("href").partition("#")[2]
    assert driver.find_element(By.ID, target).tag_name == "tr"

    # The six inlined SVGs share no id (each has its own figure_1, patch_1…), and what the
    # charts reference (clip paths, hatch patterns) is there.
    ids = driver.execute_script("return Array.from(document.querySelectorAll('[id]'), e => e.id);")
    assert len(ids) > 400 and len(set(ids)) == len(ids)
    hatched = driver.execute_script(
        "return Array.from(document.querySelectorAll('figure.chart svg path'))"
        ".map(e => getComputedStyle(e).fill).filter(f => f.startsWith('url('));"
    )
    assert hatched
    for fill in hatched:
        target = fill.partition("#")[2].rstrip('")')
        assert driver.find_element(By.ID, target).tag_name == "pattern"

    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    assert requests(driver) == []

    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    keep = REPO / "test-output"
    keep.mkdir(exist_ok=True)
    shutil.copyfile(shot, keep / "report.png")


def test_hostile_document_titles_never_run(tmp_path: Path, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    from resdiscourse.run import code_corpus

    title = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Title'
    corpus = tmp_path / "evil"
    corpus.mkdir()
    (corpus / "doc.txt").write_text(
        "Newcomer Services\n\nImmigrants show great resilience "
        '<svg onload="window.__pwned=3"></svg> in their new city.\n\n'
        "Refugees have shown remarkable resilience when they face poverty.\n",
        encoding="utf-8",
    )
    with (corpus / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "file", "title", "year", "jurisdiction", "level"])
        writer.writerow(["doc", "doc.txt", title, "2016", "<b>City</b>", "municipal"])
    out = tmp_path / "out"
    code_corpus(corpus, out=out)
    page = Path(build_report(out).out) / "report.html"
    driver.get(page.resolve().as_uri())

    assert driver.execute_script("return typeof window.__pwned;") == "undefined"
    assert driver.find_elements(By.CSS_SELECTOR, "main img, main script, main b") == []
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg")) == 6  # only the charts
    row = driver.find_element(By.ID, "doc-doc")
    assert title in row.text  # shown as text
    assert requests(driver) == [page.resolve().as_uri()]  # the img src=x was never fetched
