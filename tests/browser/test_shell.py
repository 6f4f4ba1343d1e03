"""The reading shell around the chapters: first screens, controls, tables, captions, code, tab.

In Chromium with every request to another origin blocked:

* the landing page says in one phone screen (390 x 844 px) what the book is, for whom, and where
  to start, with a first step that leads to the first chapter;
* each chapter's first phone screen shows its title and its clinical question; the how-to-run
  note is one closed line that opens into the details;
* every control (button, input, select, disclosure) is at least 24 x 24 CSS px (WCAG 2.5.8);
* every table wider than its column scrolls inside a box that shows a cue (edge shadows), and no
  caption or figure description is cut, at 390 and 1366 px;
* every line of code fits its box at 1366 px (``CODE_COLUMNS`` characters: reformat code cells
  to that length);
* the site has an SVG favicon, and no tab title repeats the book's title.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from browser_support import ROOT, SITE, site_pages
from spinemets_site.toc import toc_documents

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
MIN_TARGET_PX = 24
DOCUMENTS = toc_documents(ROOT)
CHAPTERS = [d for d in DOCUMENTS if (ROOT / f"{d}.ipynb").is_file()]
PAGES = site_pages() if SITE.is_dir() else []
# Characters of code that fit one line of a code cell at 1366 px (measured by
# test_code_box_holds_its_columns_at_1366; the theme's monospace at its code size).
CODE_COLUMNS = 85


@pytest.fixture(autouse=True)
def built_site():
    if not (SITE / "index.html").is_file():
        pytest.skip(f"no built site at {SITE}")


@contextmanager
def opened(browser, site_url: str, page_path: str, viewport: dict):
    context = browser.new_context(viewport=viewport, service_workers="block")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site_url + "/")
                  else route.abort("blockedbyclient"))
    page = context.new_page()
    try:
        page.goto(f"{site_url}/{page_path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        yield page
    finally:
        context.close()


BOTTOM_JS = "(el) => el.getBoundingClientRect().bottom"


def test_the_landing_page_starts_the_reader_in_one_phone_screen(browser, site_url):
    landing = f"{DOCUMENTS[0]}.html"
    with opened(browser, site_url, landing, PHONE) as page:
        parts = {
            "the title": page.locator("article h1").first,
            "what the book is": page.locator("article p", has_text="What this is").first,
            "for whom": page.locator("article p", has_text="For whom").first,
            "the first step": page.locator("article a.spinemets-start").first,
        }
        for name, locator in parts.items():
            assert locator.count() and locator.is_visible(), f"{landing}: {name} is missing"
            bottom = locator.evaluate(BOTTOM_JS)
            assert bottom <= PHONE["height"], f"{landing}: {name} ends at {bottom:.0f} px, below the first phone screen"
        start = parts["the first step"]
        box = start.bounding_box()
        assert box["height"] >= 44, f"{landing}: the first step is {box['height']:.0f} px tall, a small target"
        start.click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0] == f"{site_url}/{DOCUMENTS[1]}.html", f"the first step leads to {page.url}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_opens_with_its_question_and_a_one_line_how_to_run(chapter, browser, site_url):
    with opened(browser, site_url, f"{chapter}.html", PHONE) as page:
        question = page.locator("article p", has_text="Clinical question").first
        assert question.count(), f"{chapter}: no clinical question"
        top = question.evaluate("(el) => el.getBoundingClientRect().top")
        assert top < PHONE["height"] * 0.6, f"{chapter}: the clinical question starts at {top:.0f} px on a 390 x 844 phone"
        notes = page.locator("details.spinemets-how-to-run")
        assert notes.count() == 1, f"{chapter}: {notes.count()} how-to-run disclosures, expected 1"
        assert page.locator("article blockquote", has_text="How to run this chapter").count() == 0, \
            f"{chapter}: the how-to-run note is still a full box"
        note = notes.first
        assert not note.evaluate("(el) => el.open"), f"{chapter}: the how-to-run note is open on arrival"
        summary = note.locator("summary")
        height = summary.bounding_box()["height"]
        assert height <= 40, f"{chapter}: the closed how-to-run note is {height:.0f} px tall, not one line"
        assert note.evaluate("(el) => el.getBoundingClientRect().top") > top, f"{chapter}: the note comes before the question"
        summary.click()
        assert note.evaluate("(el) => el.open") and "Run All Cells" in note.inner_text(), \
            f"{chapter}: the how-to-run note does not open into its details"


SMALL_CONTROLS_JS = """
(minimum) => Array.from(document.querySelectorAll('button, input, select, summary, [role="button"]'))
  .filter((el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
                    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && el.type !== 'hidden'; })
  .map((el) => { const r = el.getBoundingClientRect();
                 return {what: el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' ' +
                         ((el.getAttribute('aria-label') || el.textContent || el.className || '').toString().trim().slice(0, 40)),
                         width: Math.round(r.width), height: Math.round(r.height)}; })
  .filter((c) => c.width < minimum || c.height < minimum)
"""


@pytest.mark.parametrize("shell_page", PAGES or ["<no built site>"])
def test_every_control_is_big_enough_to_tap(shell_page, browser, site_url):
    with opened(browser, site_url, shell_page, PHONE) as page:
        page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        small = page.evaluate(SMALL_CONTROLS_JS, MIN_TARGET_PX)
    assert small == [], f"{shell_page} at 390 px: controls under {MIN_TARGET_PX} x {MIN_TARGET_PX} px: {small[:8]}"


TABLES_AND_CAPTIONS_JS = """
() => {
  const problems = [];
  const scroller = (el) => { let a = el.parentElement;
    while (a && a !== document.body && !['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) { a = a.parentElement; }
    return a === document.body ? null : a; };
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  document.querySelectorAll('article table').forEach((table, i) => {
    if (!visible(table) || table.closest('.spinemets-chart-canvas')) { return; }
    const name = `table ${i + 1} (${(table.querySelector('caption') || table.querySelector('th') || {}).textContent || ''}`.slice(0, 70) + ')';
    const box = scroller(table);
    const column = table.parentElement.getBoundingClientRect();
    if (table.getBoundingClientRect().width > column.width + 1 || (box && box.scrollWidth > box.clientWidth + 1)) {
      if (!box) { problems.push(`${name}: wider than its column and no scroll box`); return; }
      if (!/gradient/.test(getComputedStyle(box).backgroundImage)) { problems.push(`${name}: scrolls with no visible cue`); }
      if (box.getBoundingClientRect().right > window.innerWidth + 1) { problems.push(`${name}: its scroll box passes the window`); }
    }
  });
  document.querySelectorAll('article figcaption, article caption').forEach((caption, i) => {
    if (!visible(caption)) { return; }
    const name = `caption "${caption.textContent.trim().slice(0, 50)}"`;
    const r = caption.getBoundingClientRect();
    const box = scroller(caption);
    const frame = box ? box.getBoundingClientRect() : {left: 0, right: window.innerWidth};
    if (r.left < Math.max(0, frame.left) - 1 || r.right > Math.min(window.innerWidth, frame.right) + 1) {
      problems.push(`${name}: cut (it spans ${Math.round(r.left)}..${Math.round(r.right)} px, visible ${Math.round(frame.left)}..${Math.round(Math.min(window.innerWidth, frame.right))})`);
    }
    if (caption.scrollWidth > caption.clientWidth + 1) { problems.push(`${name}: its text overflows its box`); }
  });
  return problems;
}
"""


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=lambda v: f"{v['width']}px")
@pytest.mark.parametrize("shell_page", PAGES or ["<no built site>"])
def test_wide_tables_scroll_with_a_cue_and_no_caption_is_cut(shell_page, viewport, browser, site_url):
    with opened(browser, site_url, shell_page, viewport) as page:
        page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        page.wait_for_timeout(300)
        problems = page.evaluate(TABLES_AND_CAPTIONS_JS)
    assert problems == [], f"{shell_page} at {viewport['width']} px:\n" + "\n".join(problems)


CODE_JS = """
() => {
  const blocks = Array.from(document.querySelectorAll('article div.highlight pre'))
    .filter((pre) => !pre.closest('.cell_output') && pre.getBoundingClientRect().width > 0);
  if (!blocks.length) { return {columns: null, wide: []}; }
  const style = getComputedStyle(blocks[0]);
  const probe = document.createElement('span');
  probe.textContent = 'x'.repeat(200);
  probe.style.cssText = `position:absolute;white-space:pre;font:${style.font}`;
  document.body.appendChild(probe);
  const charWidth = probe.getBoundingClientRect().width / 200;
  probe.remove();
  const inner = blocks[0].clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const wide = blocks.filter((pre) => pre.scrollWidth > pre.clientWidth + 1).map((pre) => {
    const longest = pre.textContent.split('\\n').reduce((a, b) => (b.length > a.length ? b : a), '');
    return `${longest.length} characters: ${longest.trim().slice(0, 60)}`;
  });
  return {columns: Math.floor(inner / charWidth), wide};
}
"""

CHAPTER_PAGES = [f"{c}.html" for c in CHAPTERS]


@pytest.mark.parametrize("shell_page", CHAPTER_PAGES[:1] or ["<no chapter>"])
def test_code_box_holds_its_columns_at_1366(shell_page, browser, site_url):
    """The code box keeps room for CODE_COLUMNS characters (the length code cells are formatted to)."""
    with opened(browser, site_url, shell_page, LAPTOP) as page:
        measured = page.evaluate(CODE_JS)
    assert measured["columns"] is not None, f"{shell_page}: no code block found"
    assert measured["columns"] >= CODE_COLUMNS, f"{shell_page} at 1366 px: a code line holds {measured['columns']} characters, not {CODE_COLUMNS}"


@pytest.mark.parametrize("shell_page", CHAPTER_PAGES or ["<no chapter>"])
def test_code_lines_fit_their_box_at_1366(shell_page, browser, site_url):
    with opened(browser, site_url, shell_page, LAPTOP) as page:
        measured = page.evaluate(CODE_JS)
    assert measured["wide"] == [], (f"{shell_page} at 1366 px: {len(measured['wide'])} code blocks scroll sideways "
                                    f"(a line holds {measured['columns']} characters): " + "; ".join(measured["wide"][:4]))


def test_favicon_is_the_books_svg():
    pages = [p for p in PAGES if p.endswith(".html")]
    icon = SITE / "_static" / "favicon.svg"
    assert icon.is_file() and icon.read_text(encoding="utf-8").lstrip().startswith("<svg"), "no SVG favicon in _static"
    pages = [p for p in pages if "http-equiv=\"Refresh\"" not in (SITE / p).read_text(encoding="utf-8")]  # index.html: a redirect
    missing = [p for p in pages if not re.search(r'<link rel="icon" href="[^"]*_static/favicon\.svg"', (SITE / p).read_text(encoding="utf-8"))]
    assert missing == [], f"pages without the favicon: {missing}"


def test_no_tab_title_repeats_the_book_title():
    doubled = []
    for page_path in PAGES:
        title = re.search(r"<title>(.*?)</title>", (SITE / page_path).read_text(encoding="utf-8"), re.S)
        parts = [part.strip() for part in (title.group(1) if title else "").split("&#8212;")]
        if len(parts) != len(set(parts)):
            doubled.append(f"{page_path}: {title.group(1)}")
    assert PAGES and doubled == [], f"tab titles that say the same thing twice: {doubled}"
