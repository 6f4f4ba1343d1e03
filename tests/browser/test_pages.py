"""Every page of the built book, read in Chromium with every request to another origin blocked.

A hospital network that blocks third-party hosts is simulated by aborting any request whose
origin is not the local test server; a page passes only if it never tried to leave its origin.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from browser_support import FAILING_IMPACTS, ROOT, SITE, site_pages


def test_pages_make_no_request_to_another_origin(page_visit):
    assert page_visit.blocked_requests == [], f"{page_visit.url} asked other origins: {page_visit.blocked_requests}"


def test_pages_load_without_errors(page_visit):
    problems = page_visit.console_errors + page_visit.page_errors + page_visit.failed_requests
    assert problems == [], f"{page_visit.url}: " + "\n".join(problems)


def test_every_chart_renders_with_a_text_description(page_path, page_visit):
    in_source = (SITE / page_path).read_text(encoding="utf-8").count('<figure class="spinemets-chart">')
    found = sum(chart["ours"] for chart in page_visit.charts)
    assert found == in_source, f"{page_visit.url}: {in_source} charts in the HTML, {found} in the rendered page"
    for chart in page_visit.charts:
        where = f"{page_visit.url} chart {chart['id']}"
        assert chart["ours"], f"{where} was not drawn by spinemets.charts (Altair's CDN renderer?): {chart['text']}"
        assert chart["kind"] in {"svg", "canvas"}, f"{where} drew nothing: {chart['text']!r}"
        assert chart["width"] > 0 and chart["height"] > 0, f"{where} has an empty {chart['kind']}"
        if chart["kind"] == "svg":
            assert chart["marks"] > 0, f"{where}: the SVG holds no marks"
        assert chart["caption"], f"{where} has no text description (figcaption) for screen readers"
        assert chart["aria_label"], f"{where}: the graphic has no aria-label"


def test_no_serious_or_critical_accessibility_violations(page_visit):
    failing = [v for v in page_visit.axe_violations if v["impact"] in FAILING_IMPACTS]
    report = "\n".join(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})\n    " + "\n    ".join(v["nodes"]) for v in failing)
    assert not failing, f"axe-core on {page_visit.url}:\n{report}"


def test_full_page_screenshot_written(page_visit):
    shot = page_visit.screenshot
    assert shot is not None and shot.is_file() and shot.stat().st_size > 1000, f"no screenshot for {page_visit.url}"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def toc_files(entries) -> list[str]:
    found = []
    for entry in entries:
        if "file" in entry:
            found.append(entry["file"])
        for key in ("parts", "chapters", "sections"):
            found += toc_files(entry.get(key, []))
    return found


def test_every_toc_entry_is_a_tested_page():
    """The browser tests cover at least every page _toc.yml lists, plus the landing page."""
    if not SITE.is_dir():
        pytest.skip(f"no built site at {SITE}")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    expected = {"index.html"} | {str(Path(f).with_suffix("")) + ".html" for f in [toc["root"], *toc_files(toc.get("parts", []) + toc.get("chapters", []))]}
    tested = set(site_pages())
    assert expected - tested == set(), f"pages listed in _toc.yml but not built/tested: {sorted(expected - tested)}"
