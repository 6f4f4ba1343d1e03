"""Browser tests of the built site: a real Chromium, with every request to another origin blocked.

What these tests need, and where it comes from:

* the built book, ``_build/html`` (``make book``), or the folder named by ``SPINEMETS_SITE``;
* Debian's Chromium (``apt-get install -y chromium``), or the browser named by ``CHROMIUM``;
  Playwright's own browser download is never used;
* the playwright Python package (pinned in requirements.txt);
* axe-core from the npm registry, pinned in tests/browser/package-lock.json and installed by
  ``make browser-setup`` (``npm ci``) into the git-ignored tests/browser/node_modules.

Outside CI a missing browser, axe-core or build skips these tests with the reason printed in the
summary. In CI (environment variable ``CI=true``) anything missing is a failure, never a skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from browser_support import AXE, CHART_TIMEOUT_MS, CHROMIUM_ARGS, SCREENSHOTS, SITE, chromium_path, missing, served, site_pages


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        pages = site_pages() if SITE.is_dir() else []
        # An unbuilt site still yields one test, which then skips (or fails in CI) with the reason.
        metafunc.parametrize("page_path", pages or ["<no built site>"])


@pytest.fixture(scope="session")
def site_url():
    if not (SITE / "index.html").is_file():
        missing(f"no built site at {SITE} (run `make book` first)")
    with served(SITE) as base:
        yield base


@pytest.fixture(scope="session")
def playwright_session():
    """The one Playwright of the test session: its sync API cannot run twice at once, so every
    browser fixture (here and in test_run_in_browser.py) starts its Chromium from this one."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed (pip install -r requirements.txt)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    executable = chromium_path()
    if executable is None:
        missing("no Chromium found (Debian: apt-get install -y chromium; or set CHROMIUM=/path/to/chromium)")
    browser = playwright_session.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        missing(f"axe-core is not installed at {AXE} (run `make browser-setup`, which runs npm ci in tests/browser)")
    return AXE.read_text(encoding="utf-8")


@dataclass
class PageVisit:
    """Everything one visit of a page recorded."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    axe_violations: list[dict] = field(default_factory=list)
    screenshot: Path | None = None


CHARTS_JS = """
() => Array.from(document.querySelectorAll('figure.spinemets-chart, .vega-embed, [id^="altair-viz"]'))
  .filter((el) => el.matches('figure.spinemets-chart') || !el.closest('figure.spinemets-chart'))
  .map((el) => {
    const graphic = el.querySelector('svg.marks') || el.querySelector('canvas.marks') || el.querySelector('svg, canvas');
    const box = graphic ? graphic.getBoundingClientRect() : null;
    const caption = el.querySelector('figcaption');
    return {
      id: (el.querySelector('[id^="vega-chart-"]') || el).id || '(no id)',
      ours: el.matches('figure.spinemets-chart'),
      kind: graphic ? graphic.tagName.toLowerCase() : null,
      width: box ? box.width : 0,
      height: box ? box.height : 0,
      marks: graphic ? graphic.querySelectorAll('path, rect, line, text, circle, symbol').length : 0,
      caption: caption ? caption.textContent.trim() : '',
      aria_label: ((el.querySelector('[role="graphics-document"]') || graphic || el).getAttribute('aria-label') || ''),
      text: el.textContent.trim().slice(0, 300),
    };
  })
"""

CHARTS_DRAWN_JS = """
() => Array.from(document.querySelectorAll('figure.spinemets-chart')).every(
  (fig) => fig.querySelector('svg, canvas') || /could not be drawn|needs the book/.test(fig.textContent))
"""

AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
  }));
}
"""


def visit(browser, base_url: str, page_path: str, axe_source: str) -> PageVisit:
    record = PageVisit(url=f"{base_url}/{page_path}")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

    def gate(route):
        url = route.request.url
        if url.startswith(base_url + "/") or url == base_url:
            route.continue_()
        else:
            record.blocked_requests.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", gate)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and record.console_errors.append(f"{msg.text} @ {msg.location}"))
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: record.failed_requests.append(f"{request.url}: {request.failure}"),
    )
    page.on(
        "response",
        lambda response: response.status >= 400 and record.failed_requests.append(f"{response.url}: HTTP {response.status}"),
    )
    try:
        page.goto(record.url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_function(CHARTS_DRAWN_JS, timeout=CHART_TIMEOUT_MS)
        record.charts = page.evaluate(CHARTS_JS)
        page.add_script_tag(content=axe_source)
        record.axe_violations = page.evaluate(AXE_JS)
        shot = SCREENSHOTS / (page_path.removesuffix(".html") + ".png")
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        record.screenshot = shot
    finally:
        context.close()
    return record


@pytest.fixture(scope="session")
def visits():
    return {}


@pytest.fixture
def page_visit(page_path, site_url, browser, axe_source, visits) -> PageVisit:
    """One visit per page per session; the checks of a page share it."""
    if page_path not in visits:
        visits[page_path] = visit(browser, site_url, page_path, axe_source)
    return visits[page_path]
