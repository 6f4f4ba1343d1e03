"""Every page read at a phone's, a tablet's and a laptop's width (issue 12: readable on every screen).

At 390, 768 and 1366 CSS px, with every request to another origin blocked, a page fails when:

* it scrolls sideways (anything wider than the window);
* a chart is wider than its column, or its drawing is cut by its box;
* a data mark of a chart (bar, point, line, area, rule, text) lies outside its plot area, where
  a reader could not see it.

A tap on a chart's mark opens its tooltip (touch has no hover), and every chart has a Data
disclosure with the plotted values. At 390 px every label of a schematic (SVG drawn by
``spinemets.anatomy``) renders at 12 CSS px or more.
"""

from __future__ import annotations

import re

import pytest

from browser_support import CHART_TIMEOUT_MS, SCREENSHOTS, site_pages, SITE

HOVER = re.compile(r'"subtitle": "[^"]*\bhover', re.IGNORECASE)
WIDTHS = {"phone": 390, "tablet": 768, "laptop": 1366}
MIN_LABEL_PX = 12
# Anti-aliasing and strokes: a mark's edge may pass the plot's edge by this much.
TOLERANCE_PX = 2

PAGES = site_pages() if SITE.is_dir() else ["<no built site>"]

CHARTS_FITTED_JS = """
() => Array.from(document.querySelectorAll('figure.spinemets-chart .spinemets-chart-canvas')).every(
  (canvas) => canvas.hasAttribute('data-fitted-width') || /could not be drawn|needs the book/.test(canvas.textContent))
"""

LAYOUT_JS = """
(tolerance) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !el.closest('.spinemets-table-scroll, .spinemets-chart-canvas, pre, .highlight, .bd-sidebar-primary, .bd-sidebar-secondary, [hidden]'))
      .slice(0, 3).map((el) => el.tagName.toLowerCase() + '.' + (el.className && el.className.baseVal === undefined ? el.className : '') + ' right=' + Math.round(el.getBoundingClientRect().right));
    problems.push(`the page scrolls sideways: ${doc.scrollWidth} px of content in a ${window.innerWidth} px window (${wide.join('; ')})`);
  }
  const inside = (box, frame) => box.left >= frame.left - tolerance && box.right <= frame.right + tolerance &&
    box.top >= frame.top - tolerance && box.bottom <= frame.bottom + tolerance;
  const centreInside = (box, frame) => {
    const x = (box.left + box.right) / 2, y = (box.top + box.bottom) / 2;
    return x >= frame.left - tolerance && x <= frame.right + tolerance && y >= frame.top - tolerance && y <= frame.bottom + tolerance;
  };
  document.querySelectorAll('figure.spinemets-chart').forEach((figure, index) => {
    const name = `chart ${index + 1} (${(figure.querySelector('figcaption') || {}).textContent || ''}`.slice(0, 90) + '...)';
    const canvas = figure.querySelector('.spinemets-chart-canvas');
    const svg = figure.querySelector('svg.marks');
    if (!svg) { problems.push(`${name}: no SVG drawn`); return; }
    const column = figure.parentElement.getBoundingClientRect();
    const box = canvas.getBoundingClientRect();
    const drawing = svg.getBoundingClientRect();
    if (box.right > column.right + 1 || box.left < column.left - 1) {
      problems.push(`${name}: its box (${Math.round(box.width)} px) is wider than its column (${Math.round(column.width)} px)`);
    }
    if (canvas.scrollWidth > canvas.clientWidth + 1 || drawing.right > box.right + 1 || drawing.left < box.left - 1) {
      problems.push(`${name}: the drawing (${Math.round(drawing.width)} px) is cut by its box (${Math.round(box.width)} px)`);
    }
    if (drawing.right > window.innerWidth + 1) {
      problems.push(`${name}: the drawing ends at ${Math.round(drawing.right)} px, past the window's ${window.innerWidth} px`);
    }
    // Data marks (Vega's role-mark groups) must lie inside their view's plot area (its background).
    let marks = 0, outside = [];
    svg.querySelectorAll('g.role-mark').forEach((group) => {
      const cell = group.parentElement && group.parentElement.closest('g.mark-group');
      const background = cell && cell.querySelector(':scope > g > path.background');
      if (!background) { return; }
      const frame = background.getBoundingClientRect();
      const visible = {left: Math.max(frame.left, drawing.left, box.left), right: Math.min(frame.right, drawing.right, box.right),
                       top: frame.top, bottom: frame.bottom};
      const pointLike = /mark-(symbol|text)/.test(group.getAttribute('class'));
      Array.from(group.children).forEach((item) => {
        const itemBox = item.getBoundingClientRect();
        if (itemBox.width === 0 && itemBox.height === 0) { return; }
        marks += 1;
        const ok = pointLike ? centreInside(itemBox, visible) : inside(itemBox, visible);
        if (!ok) {
          outside.push(`${group.getAttribute('class').split(' ').find((c) => c.startsWith('mark-'))} at x=${Math.round(itemBox.left - frame.left)}..${Math.round(itemBox.right - frame.left)} of ${Math.round(frame.width)}`);
        }
      });
    });
    if (marks === 0) { problems.push(`${name}: no data marks found`); }
    if (outside.length) { problems.push(`${name}: ${outside.length} data marks outside the visible plot: ${outside.slice(0, 4).join('; ')}`); }
    const data = figure.querySelector('details.spinemets-chart-data table');
    if (!data || data.querySelectorAll('tbody tr').length === 0) { problems.push(`${name}: no Data disclosure with the plotted values`); }
  });
  return problems;
}
"""

# Rendered size of every <text> in every SVG image: its computed font size in the SVG's own
# units, times the scale at which the page draws the image.
SCHEMATIC_LABELS_JS = """
async () => {
  const found = [];
  for (const img of Array.from(document.querySelectorAll('article img[src$=".svg"]'))) {
    if (!img.src.includes('/_images/')) { continue; }
    const source = await (await fetch(img.src)).text();
    const holder = document.createElement('div');
    holder.style.cssText = 'position:absolute;left:-10000px;top:0;visibility:hidden';
    holder.innerHTML = source;
    document.body.appendChild(holder);
    const svg = holder.querySelector('svg');
    const viewBox = svg.viewBox.baseVal;
    const ownWidth = viewBox && viewBox.width ? viewBox.width : svg.width.baseVal.value;
    const scale = img.getBoundingClientRect().width / ownWidth;
    let smallest = Infinity, smallestText = '';
    svg.querySelectorAll('text').forEach((text) => {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (text.textContent.trim() && size < smallest) { smallest = size; smallestText = text.textContent.trim(); }
    });
    holder.remove();
    found.push({image: img.src.split('/').pop(), smallest: smallest, text: smallestText, width: img.getBoundingClientRect().width});
  }
  return found;
}
"""


def open_page(browser, site_url, page_path, width, touch=False):
    context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block",
                                  has_touch=touch, is_mobile=touch and width < 800)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site_url)
                  else route.abort("blockedbyclient"))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}/{page_path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(CHARTS_FITTED_JS, timeout=CHART_TIMEOUT_MS)
    return context, page, errors


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("reading_page", PAGES)
def test_page_and_charts_fit_the_screen(reading_page, width_name, site_url, browser):
    width = WIDTHS[width_name]
    context, page, errors = open_page(browser, site_url, reading_page, width)
    try:
        problems = page.evaluate(LAYOUT_JS, TOLERANCE_PX)
        if problems or errors:
            shot = SCREENSHOTS / "reading" / f"{reading_page.removesuffix('.html')}-{width}.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot), full_page=True)
            problems.append(f"(screenshot: {shot})")
    finally:
        context.close()
    assert not errors, f"{reading_page} at {width} px: page errors {errors}"
    assert problems == [], f"{reading_page} at {width} px:\n" + "\n".join(problems)


CHART_PAGES = [p for p in PAGES if '<figure class="spinemets-chart">' in (SITE / p).read_text(encoding="utf-8")] \
    if SITE.is_dir() else ["<no built site>"]


@pytest.mark.parametrize("chart_page", CHART_PAGES[:1] or ["<no chart page>"])
def test_a_tap_opens_a_charts_tooltip(chart_page, site_url, browser):
    context, page, _ = open_page(browser, site_url, chart_page, WIDTHS["phone"], touch=True)
    try:
        mark = page.locator("figure.spinemets-chart svg.marks g.role-mark > *").first
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        tooltip = page.evaluate("""() => { const t = document.getElementById('vg-tooltip-element');
            return t && t.classList.contains('visible') ? t.textContent : ''; }""")
    finally:
        context.close()
    assert tooltip.strip(), f"{chart_page}: tapping a chart's mark at 390 px opened no tooltip"


def test_no_chart_subtitle_asks_readers_to_hover():
    pages = [p for p in PAGES if p.endswith(".html")] if SITE.is_dir() else []
    if not pages:
        pytest.skip(f"no built site at {SITE}")
    hovering = [p for p in pages if HOVER.search((SITE / p).read_text(encoding="utf-8"))]
    assert hovering == [], f"pages whose charts tell readers to hover (no hover on touch): {hovering}"


SCHEMATIC_PAGES = [p for p in PAGES if SITE.is_dir() and "/_images/" in (SITE / p).read_text(encoding="utf-8")
                   and ".svg" in (SITE / p).read_text(encoding="utf-8")] or ["<no schematic page>"]


@pytest.mark.parametrize("schematic_page", SCHEMATIC_PAGES)
def test_schematic_labels_are_legible_on_a_phone(schematic_page, site_url, browser):
    context, page, _ = open_page(browser, site_url, schematic_page, WIDTHS["phone"])
    try:
        images = page.evaluate(SCHEMATIC_LABELS_JS)
    finally:
        context.close()
    small = [f"{i['image']}: {i['smallest']:.1f} px ('{i['text']}') at {i['width']:.0f} px wide" for i in images
             if i["smallest"] < MIN_LABEL_PX]
    assert images, f"{schematic_page}: no SVG schematic found"
    assert small == [], f"{schematic_page} at 390 px: labels under {MIN_LABEL_PX} CSS px:\n" + "\n".join(small)


EXERCISE_PAGES = [p for p in PAGES if SITE.is_dir() and 'class="solution dropdown' in (SITE / p).read_text(encoding="utf-8")] \
    or ["<no exercise page>"]


@pytest.mark.parametrize("exercise_page", EXERCISE_PAGES[:1])
def test_the_exercise_link_in_a_solution_title_works(exercise_page, site_url, browser):
    """The link follows to the exercise; no ReferenceError from the toggle; the title text still toggles."""
    context, page, errors = open_page(browser, site_url, exercise_page, WIDTHS["laptop"])
    try:
        title = page.locator(".solution.dropdown > .admonition-title").first
        title.locator("a").first.click()
        page.wait_for_timeout(300)
        followed = page.evaluate("() => location.hash")
        hidden_before = page.evaluate("() => document.querySelector('.solution.dropdown').classList.contains('toggle-hidden')")
        title.click(position={"x": 5, "y": 5})
        page.wait_for_timeout(300)
        hidden_after = page.evaluate("() => document.querySelector('.solution.dropdown').classList.contains('toggle-hidden')")
    finally:
        context.close()
    assert errors == [], f"{exercise_page}: clicking the exercise link in a solution title threw {errors}"
    assert followed, f"{exercise_page}: the link in the solution title did not lead to the exercise"
    assert hidden_before != hidden_after, f"{exercise_page}: clicking the solution title no longer toggles it"


def test_exercises_are_numbered_per_chapter():
    pages = [p for p in EXERCISE_PAGES if p.endswith(".html")]
    if not pages:
        pytest.skip(f"no built site at {SITE}")
    for page_path in pages:
        numbers = [int(n) for n in re.findall(r'<span class="caption-number">Exercise (\d+)', (SITE / page_path).read_text(encoding="utf-8"))]
        numbers = numbers or [int(n) for n in re.findall(r"Exercise (\d+)", (SITE / page_path).read_text(encoding="utf-8"))]
        assert numbers and min(numbers) == 1, f"{page_path}: its exercises start at {min(numbers) if numbers else None}, not 1"
