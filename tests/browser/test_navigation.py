"""What a reader does to move through the book, at a phone's, a tablet's and a laptop's width.

At 390, 768 and 1366 CSS px, in Chromium with every request to another origin blocked:

* open the chapter list with the menu button and go to every page of ``_toc.yml`` through it
  (at 1366 px the list is open beside the text: the menu button hides it and shows it again);
* open "on this page" and jump to a section of the chapter;
* search: the search button, a query, Enter, and the result that answers leads to its chapter;
* Prev/Next: from the landing page to the last page by "next", in ``_toc.yml`` order, and back.

A page that renders but whose menu button does nothing fails here (issue 18: the buttons were
bound to hidden duplicates).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from browser_support import ROOT, SITE
from spinemets_site.toc import toc_documents

WIDTHS = {"phone": 390, "tablet": 768, "laptop": 1366}
WIDE = 992  # pydata-sphinx-theme's breakpoint: below it the sidebars are dialogs
DOCUMENTS = toc_documents(ROOT)
# A query and the chapter whose title answers it.
SEARCH = ("spondylectomy", "book/techniques/en_bloc_spondylectomy")
A_CHAPTER = "book/case_series"


@pytest.fixture(autouse=True)
def built_site():
    if not (SITE / "index.html").is_file():
        pytest.skip(f"no built site at {SITE}")


@contextmanager
def reader(browser, site_url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 844 if width < WIDE else 900}, service_workers="block")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site_url + "/")
                  else route.abort("blockedbyclient"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    try:
        yield page
    finally:
        context.close()


def arrive(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


def path_of(page, site_url: str) -> str:
    return page.url.removeprefix(site_url + "/").split("#")[0].split("?")[0].removesuffix(".html")


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["width"] > 0 and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] \
        and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]


def open_chapter_list(page, width: int):
    """The visible menu button, pressed as a reader would; returns the list's links."""
    button = page.locator(".primary-toggle:visible")
    assert button.count() == 1, f"{page.url} at {width} px: {button.count()} visible menu buttons, expected 1"
    assert in_viewport(page, button), f"{page.url} at {width} px: the menu button is not in the first screen"
    if width >= WIDE:
        nav = page.locator("#pst-primary-sidebar .bd-docs-nav")
        assert nav.is_visible(), f"{page.url} at {width} px: the chapter list is not beside the text"
        button.click()
        page.wait_for_timeout(400)
        assert not nav.is_visible(), f"{page.url} at {width} px: the menu button did not hide the chapter list"
        button.click()
        page.wait_for_timeout(400)
        assert nav.is_visible(), f"{page.url} at {width} px: the menu button did not show the chapter list again"
        return nav.locator("a")
    button.click()
    dialog = page.locator("#pst-primary-sidebar-modal")
    dialog.wait_for(state="visible", timeout=3000)
    assert page.evaluate("document.getElementById('pst-primary-sidebar-modal').open"), \
        f"{page.url} at {width} px: the menu button did not open the chapter list"
    return dialog.locator(".bd-docs-nav a")


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_chapter_list_reaches_every_page(width_name, browser, site_url):
    width = WIDTHS[width_name]
    with reader(browser, site_url, width) as page:
        arrive(page, f"{site_url}/{DOCUMENTS[-1]}.html")  # from the last page, so every link leads elsewhere
        visited = []
        for document in DOCUMENTS:
            links = open_chapter_list(page, width)
            target = f"{site_url}/{document}.html"
            hrefs = links.evaluate_all("(links) => links.map((a) => a.href.split('#')[0])")
            assert target in hrefs, f"{page.url} at {width} px: the chapter list has no link to {document}"
            link = links.nth(hrefs.index(target))
            link.scroll_into_view_if_needed()
            link.click()
            page.wait_for_load_state("load")
            assert path_of(page, site_url) == document, f"at {width} px the link to {document} led to {page.url}"
            assert page.locator("article h1").first.is_visible(), f"{document} at {width} px: no title shown"
            visited.append(document)
        assert page.errors == [], f"page errors while navigating at {width} px: {page.errors}"
    assert visited == DOCUMENTS


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_on_this_page_jumps_to_a_section(width_name, browser, site_url):
    width = WIDTHS[width_name]
    with reader(browser, site_url, width) as page:
        arrive(page, f"{site_url}/{A_CHAPTER}.html")
        if width >= WIDE:
            links = page.locator("#pst-secondary-sidebar nav.page-toc a.nav-link:visible")
        else:
            button = page.locator(".secondary-toggle:visible")
            assert button.count() == 1, f"{A_CHAPTER} at {width} px: {button.count()} visible 'on this page' buttons"
            assert in_viewport(page, button), f"{A_CHAPTER} at {width} px: 'on this page' is not in the first screen"
            button.click()
            page.locator("#pst-secondary-sidebar-modal").wait_for(state="visible", timeout=3000)
            links = page.locator("#pst-secondary-sidebar-modal a.nav-link:visible")
        assert links.count() >= 3, f"{A_CHAPTER} at {width} px: 'on this page' lists {links.count()} sections"
        link = links.nth(links.count() // 2)  # a section well down the page
        anchor = link.get_attribute("href")
        link.click()
        page.wait_for_timeout(600)
        assert page.evaluate("location.hash") == anchor, f"{A_CHAPTER} at {width} px: the jump went to {page.url}"
        heading = page.locator(f"[id='{anchor.lstrip('#')}']").first
        top = heading.evaluate("(el) => el.getBoundingClientRect().top")
        assert 0 <= top < page.viewport_size["height"] / 2, \
            f"{A_CHAPTER} at {width} px: after the jump, section {anchor} starts at {top:.0f} px"
        dialog_open = page.evaluate("() => { const d = document.getElementById('pst-secondary-sidebar-modal'); return !!(d && d.open); }")
        assert not dialog_open, f"{A_CHAPTER} at {width} px: 'on this page' stays open over the section"
        assert page.errors == []


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_search_leads_to_the_chapter_that_answers(width_name, browser, site_url):
    width = WIDTHS[width_name]
    query, answer = SEARCH
    with reader(browser, site_url, width) as page:
        arrive(page, f"{site_url}/{A_CHAPTER}.html")
        button = page.locator(".search-button__button:visible")
        assert button.count() == 1, f"{A_CHAPTER} at {width} px: {button.count()} visible search boxes/buttons, expected 1"
        assert in_viewport(page, button), f"{A_CHAPTER} at {width} px: search is not in the first screen"
        button.click()
        field = page.locator("#pst-search-dialog input[name=q]")
        field.wait_for(state="visible", timeout=3000)
        field.fill(query)
        field.press("Enter")
        page.wait_for_load_state("load")
        assert path_of(page, site_url) == "search", f"at {width} px the query went to {page.url}"
        first = page.locator("#search-results ul.search li a").first
        first.wait_for(timeout=15_000)
        first.click()
        page.wait_for_load_state("load")
        assert path_of(page, site_url) == answer, f"at {width} px the first result for {query!r} led to {page.url}"
        assert page.errors == []


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_prev_and_next_walk_the_book_in_order(width_name, browser, site_url):
    width = WIDTHS[width_name]
    with reader(browser, site_url, width) as page:
        arrive(page, f"{site_url}/{DOCUMENTS[0]}.html")
        walked = [path_of(page, site_url)]
        while page.locator("a.right-next").count():
            page.locator("a.right-next").click()
            page.wait_for_load_state("load")
            walked.append(path_of(page, site_url))
            assert len(walked) <= len(DOCUMENTS) + 1, f"'next' goes on past the book at {width} px: {walked}"
        assert walked == DOCUMENTS, f"'next' at {width} px walks {walked}, _toc.yml says {DOCUMENTS}"
        page.locator("a.left-prev").click()
        page.wait_for_load_state("load")
        assert path_of(page, site_url) == DOCUMENTS[-2], f"'previous' from the last page at {width} px led to {page.url}"
