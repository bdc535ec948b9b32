"""report.html in a real browser (DESIGN §12 "Browser tests"): Debian's chromium, headless.

Skips where /usr/bin/chromium or /usr/bin/chromedriver is absent; nothing downloads a browser.
The screenshot goes to the test's tmp folder and to ``test-output/report.png`` for a person to
look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resdiscourse.report import build_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO = Path(__file__).resolve().parents[1]


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
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def test_report_renders_in_chromium(demo_out: Path, tmp_path: Path, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    summary = build_report(demo_out, out=tmp_path / "report")
    page = Path(summary.out) / "report.html"
    driver.get(page.resolve().as_uri())

    assert driver.title == "Resilience discourse report: demo"
    charts = driver.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    assert len(charts) == 4
    for chart in charts:
        assert chart.is_displayed()
        assert chart.size["width"] > 100 and chart.size["height"] > 100
        assert chart.get_attribute("role") == "img"
    tables = driver.find_elements(By.CSS_SELECTOR, "table.summary")
    assert len(tables) == 6
    for table in tables:
        assert table.is_displayed()
        assert table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert driver.find_elements(By.CSS_SELECTOR, "blockquote mark")
    # A quote's citation leads to its document's row.
    link = driver.find_element(By.CSS_SELECTOR, "blockquote footer a")
    target = link.get_attribute("href").partition("#")[2]
    assert driver.find_element(By.ID, target).tag_name == "tr"

    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []

    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    keep = REPO / "test-output"
    keep.mkdir(exist_ok=True)
    shutil.copyfile(shot, keep / "report.png")
