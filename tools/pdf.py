"""`make pdf`: the whole book as one PDF, printed by Debian's Chromium from the single-page HTML.

No TeX: Jupyter Book's ``singlehtml`` builder writes every chapter into one page
(``_build/singlehtml``); this tool serves that folder on localhost, opens the page in headless
Chromium with every request to another origin blocked, waits until every chart has drawn, switches
to print media at the printable width of an A4 page, checks that no chart or figure is wider than
the page or clipped by a scrolling box, and prints it with PDF bookmarks from the headings.

    python tools/pdf.py [--site _build/singlehtml] [--out _build/pdf/spinemets-book.pdf]

Exit status 1 (and no PDF) when a chart does not fit or does not draw. The page layout for paper
is book/_static/print.css.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from browser_support import CHROMIUM_ARGS, chromium_path, served  # noqa: E402  (shared with the browser tests)

from spinemets_site.toc import toc_documents  # noqa: E402

# A4 with 15 mm margins; CSS px are 1/96 inch.
PAGE_FORMAT = "A4"
MARGIN_MM = 15
PRINTABLE_WIDTH_PX = round((210 - 2 * MARGIN_MM) / 25.4 * 96)  # 680 px
PRINTABLE_HEIGHT_PX = round((297 - 2 * MARGIN_MM) / 25.4 * 96)
PRINT_PAGE = "book.html"  # the single page, moved to the site root so its relative links resolve
CHART_TIMEOUT_MS = 90_000
PAGE_TIMEOUT_MS = 90_000

# Every chart (ours or any other Vega embed) and every figure image.
GRAPHICS = "figure.spinemets-chart svg.marks, figure.spinemets-chart canvas.marks, .vega-embed svg.marks, figure img, img.schematic, .cell_output img"

CHARTS_DRAWN_JS = """
() => Array.from(document.querySelectorAll('figure.spinemets-chart')).every(
  (fig) => fig.querySelector('svg.marks, canvas.marks') || /could not be drawn|needs the book/.test(fig.textContent))
"""

# For each graphic: its box, and every ancestor that would clip it (overflow other than visible)
# with the part of the graphic that ancestor hides.
FIT_JS = """
([selector, pageWidth]) => Array.from(document.querySelectorAll(selector)).map((el, index) => {
  const box = el.getBoundingClientRect();
  const clipped = [];
  for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
    const style = getComputedStyle(a);
    if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
      const b = a.getBoundingClientRect();
      const hidden = Math.max(0, b.left - box.left) + Math.max(0, box.right - b.right);
      if (hidden > 1) { clipped.push((a.className || a.tagName).toString().slice(0, 60) + ' hides ' + Math.round(hidden) + ' px'); }
    }
  }
  const figure = el.closest('figure');
  const caption = figure && figure.querySelector('figcaption');
  return {
    index: index,
    kind: el.tagName.toLowerCase(),
    title: ((caption && caption.textContent) || el.getAttribute('alt') || el.getAttribute('aria-label') || '').trim().slice(0, 90),
    left: Math.round(box.left), right: Math.round(box.right), width: Math.round(box.width), height: Math.round(box.height),
    page_width: pageWidth,
    fits: box.left >= -1 && box.right <= pageWidth + 1 && box.width > 0 && clipped.length === 0,
    clipped: clipped,
  };
})
"""


def prepare_print_page(site: Path) -> Path:
    """Copy the single page to the site root, where its relative links ('_static/...') point.

    The book's root document is book/intro, so Sphinx writes the single page to book/intro.html
    with links relative to the site root. Scripts from other origins (MathJax from a CDN, which
    singlehtml adds although the book has no equation) are dropped: the book reads offline.
    """
    source = site / f"{toc_documents(ROOT)[0]}.html"
    if not source.is_file():
        raise SystemExit(f"pdf: {source} is missing; build it first: jupyter-book build . --builder singlehtml")
    page = source.read_text(encoding="utf-8")
    page = re.sub(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', "", page)
    target = site / PRINT_PAGE
    target.write_text(page, encoding="utf-8")
    return target


def open_for_print(browser, base: str, blocked: list[str]):
    """The single page, drawn and laid out as on paper: print media at the printable width."""
    context = browser.new_context(viewport={"width": PRINTABLE_WIDTH_PX, "height": PRINTABLE_HEIGHT_PX}, service_workers="block")

    def gate(route):
        if route.request.url.startswith(base + "/"):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort("blockedbyclient")

    context.route("**/*", gate)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(f"{base}/{PRINT_PAGE}", wait_until="load")
    # Not 'networkidle': the whole book is one long page, and on a busy machine its images and
    # fonts can keep the network busy past any fixed wait. What printing needs is every chart drawn.
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=CHART_TIMEOUT_MS, polling=250)
    page.emulate_media(media="print")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.evaluate("() => Promise.all(Array.from(document.images).map((img) => img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; })))")
    # Vega lays out 'container'-width charts on window resize; give it a frame after the media switch.
    page.evaluate("() => new Promise((done) => { window.dispatchEvent(new Event('resize')); requestAnimationFrame(() => requestAnimationFrame(done)); })")
    return context, page


def chart_fit(page) -> list[dict]:
    return page.evaluate(FIT_JS, [GRAPHICS, PRINTABLE_WIDTH_PX])


def print_pdf(page, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    margin = f"{MARGIN_MM}mm"
    page.pdf(
        path=str(out),
        format=PAGE_FORMAT,
        print_background=True,
        margin={"top": margin, "bottom": margin, "left": margin, "right": margin},
        display_header_footer=True,
        header_template="<span></span>",
        footer_template='<div style="font-size:8px;width:100%;text-align:center;color:#555">'
        '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        outline=True,  # PDF bookmarks from the headings
        tagged=True,  # a tagged PDF: structure for screen readers
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "singlehtml")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "spinemets-book.pdf")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("pdf: Chromium is missing (Debian: apt-get install -y chromium)")
    prepare_print_page(args.site)
    blocked: list[str] = []
    with served(args.site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            context, page = open_for_print(browser, base, blocked)
            fit = chart_fit(page)
            report = args.out.with_suffix(".fit.json")
            report.parent.mkdir(parents=True, exist_ok=True)
            report.write_text(json.dumps(fit, indent=1), encoding="utf-8")
            cut = [item for item in fit if not item["fits"]]
            if cut:
                for item in cut:
                    print(f"pdf: graphic {item['index']} ({item['kind']}, {item['title']!r}) spans {item['left']}-{item['right']} px "
                          f"of a {item['page_width']} px page; {'; '.join(item['clipped']) or 'wider than the page'}")
                print(f"pdf: {len(cut)} of {len(fit)} charts and figures would be cut on paper; no PDF written")
                return 1
            print_pdf(page, args.out)
            context.close()
        finally:
            browser.close()
    if blocked:
        print(f"pdf: note: requests to other origins were blocked: {sorted(set(blocked))}")
    print(f"pdf: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} written; "
          f"{len(fit)} charts and figures, all within the {PRINTABLE_WIDTH_PX} px printable width")
    return 0


if __name__ == "__main__":
    sys.exit(main())
