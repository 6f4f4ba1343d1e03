"""What each chapter page says about itself and what it costs a reader, checked in Chromium.

* the footer: licences (code, text, each data package), "Last updated" from git, "Report an error"
  and "Edit this page" links built from the repository setting in _config.yml;
* no Font Awesome JavaScript and no icon webfont, yet every theme icon is drawn (inline SVG,
  spinemets_site.sphinx_icons);
* page weight on a cold cache, gzip-compressed as a static host serves it, for every page of
  _toc.yml by kind (tools/bench.py): a chart page at most 0.50 MB, a page without charts at most
  0.30 MB, and a page without charts loads no Vega; only the search page loads the search index.
"""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import unquote, urlparse

import pytest
import yaml

from browser_support import ROOT, SITE

sys.path.insert(0, str(ROOT / "tools"))
import bench  # noqa: E402  (tools/bench.py: the page-weight budget and how a file is counted)

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"]["branch"]

# Every icon of the theme: an inline SVG glyph (spinemets_site.sphinx_icons), or an element still
# asking for the icon font (class fa-*), which is a failure.
ICONS_JS = """
() => Array.from(document.querySelectorAll('.spinemets-icon-box, i[class*="fa-"], span[class*="fa-"]')).map((el) => {
  const svg = el.querySelector('svg.spinemets-icon');
  const box = (svg || el).getBoundingClientRect();
  return {
    classes: el.className.toString().replace(/\\s+/g, ' '),
    inline: !!(svg && svg.querySelector('path[d]')),
    shown: box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden',
    width: box.width,
  };
})
"""

FOOTER_JS = """
() => {
  const footer = document.querySelector('.bd-footer-content');
  const updated = document.querySelector('.bd-footer-content .last-updated');
  return {
    text: footer ? footer.innerText : '',
    last_updated: updated ? updated.innerText.trim() : '',
    links: Array.from(document.querySelectorAll('.bd-footer-content a')).map((a) => ({text: a.innerText.trim(), href: a.href})),
  };
}
"""


def chapter_pages() -> list[str]:
    return [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in bench.toc_chapters(ROOT)]


def toc_pages() -> list[str]:
    """Every page of _toc.yml: the landing page, the chapters and the back matter."""
    return [f"{name}.html" for name in bench.toc_documents(ROOT)]


def source_file(page_path: str) -> str:
    stem = page_path.removesuffix(".html")
    for suffix in (".ipynb", ".md"):
        if (ROOT / f"{stem}{suffix}").is_file():
            return f"{stem}{suffix}"
    raise AssertionError(f"no source for {page_path}")


def request_gate(site_url: str, files: list[str]):
    """A route handler (one parameter: Playwright passes two to a handler that takes two)."""

    def gate(route):
        url = route.request.url
        if not url.startswith(site_url + "/"):
            return route.abort("blockedbyclient")
        files.append(unquote(urlparse(url).path).lstrip("/"))
        return route.continue_()

    return gate


@pytest.fixture(scope="module")
def chapter_visits(browser, site_url):
    """Each chapter page once, cold cache, other origins blocked: requests, icons, footer."""
    visits = {}
    for page_path in toc_pages():
        context = browser.new_context(viewport={"width": 1366, "height": 900}, service_workers="block")
        files: list[str] = []
        context.route("**/*", request_gate(site_url, files))
        page = context.new_page()
        page.goto(f"{site_url}/{page_path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        visits[page_path] = {
            "files": files,
            "icons": page.evaluate(ICONS_JS),
            "footer": page.evaluate(FOOTER_JS),
            "fonts_loaded": page.evaluate("() => Array.from(document.fonts).filter((f) => f.status === 'loaded').map((f) => f.family)"),
        }
        context.close()
    return visits


@pytest.fixture(params=chapter_pages() if SITE.is_dir() else ["<no built site>"])
def chapter(request, chapter_visits):
    return request.param, chapter_visits[request.param]


@pytest.fixture(params=toc_pages() if SITE.is_dir() else ["<no built site>"])
def any_page(request, chapter_visits):
    return request.param, chapter_visits[request.param]


def test_no_font_awesome_javascript(chapter):
    page_path, visit = chapter
    scripts = [f for f in visit["files"] if "fontawesome" in f.lower() and f.endswith(".js")]
    assert not scripts, f"{page_path} still loads {scripts}"


def test_every_theme_icon_is_drawn_without_the_icon_font(any_page):
    page_path, visit = any_page
    assert visit["icons"], f"{page_path}: no theme icon found (has the theme changed its markup?)"
    font_icons = [i["classes"] for i in visit["icons"] if not i["inline"]]
    assert not font_icons, f"{page_path}: icons still drawn from the Font Awesome font: {font_icons}"
    empty = [i["classes"] for i in visit["icons"] if i["shown"] and i["width"] < 4]
    assert not empty, f"{page_path}: visible icons drawn with no width: {empty}"
    fonts = [f for f in visit["files"] if f.endswith((".woff2", ".woff", ".ttf")) and "fontawesome" in f]
    assert not fonts, f"{page_path} downloads the icon font: {fonts}"
    assert not any("Font Awesome" in family for family in visit["fonts_loaded"]), f"{page_path}: {visit['fonts_loaded']}"


def test_page_weight_within_budget_for_its_kind(any_page):
    page_path, visit = any_page
    kind = bench.page_kind(SITE, page_path)
    raw, total, largest = bench.page_weight(SITE, [SITE / f for f in visit["files"]])
    budget = bench.BUDGET_PAGE_BYTES[kind]
    assert total <= budget, (
        f"{page_path} ({kind}): {total / 1e6:.2f} MB gzip on a cold cache, budget {budget / 1e6:.2f} MB; largest: "
        + ", ".join(f"{f.name} {p / 1e6:.2f} MB" for f, p in largest))


def test_only_a_chart_page_loads_vega(any_page):
    page_path, visit = any_page
    vega = [f for f in visit["files"] if "vega" in f.lower()]
    if bench.page_kind(SITE, page_path) == bench.CHART_PAGE:
        assert vega, f"{page_path} draws charts but loaded no Vega"
    else:
        assert not vega, f"{page_path} has no chart but loads {vega}"


def test_only_the_search_page_loads_the_search_index(any_page):
    page_path, visit = any_page
    search = [f for f in visit["files"] if f.endswith(("searchindex.js", "searchtools.js", "language_data.js"))]
    assert not search, f"{page_path} loads the search machinery before any search: {search}"


def test_footer_states_the_licences(chapter):
    page_path, visit = chapter
    text = visit["footer"]["text"]
    assert "code MIT" in text and "text CC BY 4.0" in text, f"{page_path}: footer lacks the code and text licences: {text!r}"
    for package in sorted(ROOT.glob("data/*/datapackage.json")):
        folder = package.parent.relative_to(ROOT).as_posix()
        for licence in json.loads(package.read_text(encoding="utf-8"))["licenses"]:
            assert f"{folder} {licence['name']}" in text, f"{page_path}: footer lacks {folder}'s licence {licence['name']}"
    hrefs = {link["text"]: link["href"] for link in visit["footer"]["links"]}
    assert hrefs.get("MIT") == f"{REPO_URL}/blob/{BRANCH}/LICENSE"
    assert (ROOT / "LICENSE").is_file()


def test_footer_says_when_the_page_last_changed_in_git(chapter):
    page_path, visit = chapter
    source = source_file(page_path)
    expected = subprocess.run(["git", "log", "-1", "--format=%cs", "--", source], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if not expected:
        pytest.skip(f"{source} has no commit yet")
    assert visit["footer"]["last_updated"] == f"Last updated on {expected}.", f"{page_path}: {visit['footer']['last_updated']!r}"


def test_footer_links_come_from_the_repository_setting(chapter):
    page_path, visit = chapter
    source = source_file(page_path)
    hrefs = {link["text"]: link["href"] for link in visit["footer"]["links"]}
    assert hrefs.get("Edit this page") == f"{REPO_URL}/edit/{BRANCH}/{source}", f"{page_path}: {hrefs}"
    report = hrefs.get("Report an error on this page", "")
    assert report.startswith(f"{REPO_URL}/issues/new?"), f"{page_path}: {report!r}"
    assert source.replace("/", "%2F") in report, f"{page_path}: the error report does not name the page: {report}"
