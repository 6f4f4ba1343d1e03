"""Every chapter, run in the reader's browser: the site's JupyterLite, every other origin blocked.

For each chapter this opens the page's "Run in your browser" link in Chromium, waits for the
Pyodide kernel, runs all cells and then checks: no error; no request left the site or failed;
every code cell's text output equals the executed book's (the committed notebook), at the
precision the book shows; every chart drew (JupyterLite's own Vega-Lite renderer, served by the
site, like everything else); no glue role is left in the text. All chapters share one browser
context, as a reader's tab does, so only the first pays for the cold download.

``test_chapter_reads_like_the_site`` opens each chapter's copy as a reader first sees it (no
code run) and fails on any raw MyST in the rendered text (a role, a ``(label)=`` line, a
directive fence), on a solution that is not collapsed under its exercise, on a cited work missing
from the chapter's references, and on a how-to-run note that is not about this copy.

Like the other browser tests: outside CI a missing piece skips loudly; with CI=true it fails.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from browser_support import (CHROMIUM_ARGS, LITE_KERNEL_READY_JS, LITE_RUN_DONE_JS, OFFLINE_ARG, ROOT, SITE,
                             chromium_path, missing)
from spinemets_site.toc import toc_chapters

RUN = SITE / "run"
KERNEL_TIMEOUT_MS = 180_000
RUN_ALL_TIMEOUT_MS = 300_000
PRELUDE_TAG = "browser-prelude"
# Outputs compared as text: everything but pictures and chart specs. A chart (spinemets.charts
# returns a MIME bundle) is compared by its text/plain, its computed description, and its
# text/markdown, its title and plotted values as shown; the spec itself is not compared, since
# its floats may differ in the last digit between the book's numpy/scipy and Pyodide's.
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
NOT_COMPARED = {"image/png", "image/jpeg", "image/svg+xml", VEGALITE_MIME}
CHAPTERS = [path.relative_to(ROOT).with_suffix("").as_posix() for path in toc_chapters(ROOT)]

# JupyterLab's Vega-Lite 5 renderer draws into a canvas (or an SVG) inside .jp-RenderedVegaCommon5.
# Drawn = the canvas has a size and some pixel that is not blank, or the SVG has marks.
CHART_SELECTOR = ".jp-RenderedVegaCommon5"
CHARTS_JS = """() => Array.from(document.querySelectorAll('.jp-RenderedVegaCommon5')).map((chart) => {
  const canvas = chart.querySelector('canvas.marks');
  let inked = 0;
  if (canvas && canvas.width > 0 && canvas.height > 0) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { inked += 1; } }
  }
  const marks = chart.querySelectorAll('svg.marks path, svg.marks text, svg.marks line, svg.marks rect').length;
  return {drawn: inked > 0 || marks > 0, error: (chart.querySelector('.vega-embed') ? '' : chart.textContent.trim().slice(0, 200))};
})"""


# Raw MyST as a reader would see it in the rendered text: a role (`{term}`, `{ref}`, `{footcite:p}`,
# ...) shows as "{name}" before its content, a target as "(label)=" on a line of its own, a
# directive as its fence.
RAW_MYST = re.compile(r"\{[a-z][\w:+-]*\}|^\s*\([\w.:-]+\)=\s*$|```\{|:::\{", re.M)
# The rendered Markdown cells, as text; solutions are dropdowns (<details>) under their exercises.
READING_JS = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-MarkdownCell'));
  const rendered = cells.filter((cell) => cell.querySelector('.jp-RenderedMarkdown, .jp-RenderedMySTMarkdown, .myst'));
  const details = Array.from(document.querySelectorAll('.jp-Notebook .jp-MarkdownCell details'));
  return {
    cells: cells.length,
    rendered: rendered.length,
    text: cells.map((cell) => (cell.querySelector('.jp-MarkdownOutput') || cell).innerText).join('\\n'),
    solutions: details.map((d) => ({summary: (d.querySelector('summary') || d).innerText.trim().slice(0, 80), open: d.open})),
  };
}"""


PHONE_WIDTH = 390
# Each drawn chart wider than the output area that holds it: (chart px, column px).
CHART_FIT_JS = """() => Array.from(document.querySelectorAll('.jp-RenderedVegaCommon5')).map((chart) => {
  const graphic = chart.querySelector('svg.marks, canvas.marks');
  const column = chart.closest('.jp-OutputArea-child') || chart;
  const area = column.querySelector('.jp-OutputArea-output') || chart;
  return [graphic ? Math.ceil(graphic.getBoundingClientRect().width) : 0, Math.floor(area.clientWidth)];
}).filter(([chart, column]) => chart > column)"""


def joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def comparable(outputs: list[dict]) -> list:
    """The text a reader sees in a cell's outputs, in order."""
    shown = []
    for output in outputs:
        kind = output["output_type"]
        if kind == "stream":
            shown.append((kind, output["name"], joined(output["text"])))
        elif kind == "error":
            shown.append((kind, output["ename"], output["evalue"]))
        else:
            data = output.get("data", {})
            shown.append((kind, {mime: joined(value) for mime, value in sorted(data.items())
                                 if mime not in NOT_COMPARED}))
    return shown


def first_difference(book_shows: list, browser_shows: list) -> str:
    """The lines where the book's shown outputs and the browser's first differ (a short diff)."""
    import difflib

    def lines(shown):
        return json.dumps(shown, indent=1, ensure_ascii=False).replace("\\n", "\n").splitlines()

    diff = list(difflib.unified_diff(lines(book_shows), lines(browser_shows), "book", "browser", n=1, lineterm=""))
    return "\n".join(diff[:40])


def code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"
            and PRELUDE_TAG not in cell.get("metadata", {}).get("tags", [])]


def chart_count(notebook: dict) -> int:
    return sum(VEGALITE_MIME in output.get("data", {})
               for cell in code_cells(notebook) for output in cell.get("outputs", []))


@pytest.fixture(scope="session")
def lite_context(site_url, tmp_path_factory, playwright_session):
    if not (RUN / "index.html").is_file():
        missing(f"no JupyterLite site at {RUN} (run `make book`, which builds it)")
    executable = chromium_path()
    if executable is None:
        missing("no Chromium found (Debian: apt-get install -y chromium; or set CHROMIUM=/path/to/chromium)")
    record = {"blocked": [], "failed": []}
    # Other hosts unreachable (OFFLINE_ARG). A profile on disk, as a reader's browser has: its
    # cache keeps the 10-13 MB runtime files.
    context = playwright_session.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("profile")), executable_path=executable, headless=True,
        args=[*CHROMIUM_ARGS, OFFLINE_ARG], viewport={"width": 1280, "height": 900})
    context.on("request", lambda request: request.url.startswith(("http:", "https:"))
               and not request.url.startswith(site_url + "/") and record["blocked"].append(request.url))
    context.on("requestfailed", lambda request: record["failed"].append(f"{request.url}: {request.failure}"))
    context.on("response", lambda response: response.status >= 400
               and record["failed"].append(f"{response.url}: HTTP {response.status}"))
    yield context, record
    context.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_in_the_browser_as_in_the_book(chapter, site_url, lite_context):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context, record = lite_context
    record["blocked"].clear()
    record["failed"].clear()
    book = json.loads((ROOT / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    page = context.new_page()
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        # The chapter page's own button, as a reader would find it.
        page.goto(f"{site_url}/{chapter}.html")
        link = page.locator("a.btn-run-in-browser-button")
        assert link.count() == 1, f"{chapter}.html has no 'Run in your browser' button"
        href = link.get_attribute("href")
        assert href.endswith(f"run/notebooks/index.html?path={chapter}.ipynb"), href
        started = time.monotonic()
        page.goto(page.url.rsplit("/", 1)[0] + "/" + href)
        page.wait_for_function(LITE_KERNEL_READY_JS, timeout=KERNEL_TIMEOUT_MS, polling=500)
        ready = time.monotonic() - started
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(LITE_RUN_DONE_JS, timeout=RUN_ALL_TIMEOUT_MS, polling=500)
        ran = time.monotonic() - started
        browser_notebook = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.toJSON()")
        # Charts draw after their output appears; give the renderer its moment (a chart that
        # never draws is reported below, after any error that explains it).
        expected_charts = chart_count(book)
        try:
            page.wait_for_function(
                f"() => document.querySelectorAll('{CHART_SELECTOR} svg.marks, {CHART_SELECTOR} canvas.marks').length >= {expected_charts}",
                timeout=30_000)
        except PlaywrightTimeout:
            pass
        charts = page.evaluate(CHARTS_JS)
        # On a phone (390 px wide), every chart fits its output column (tools/lite/browser_charts.py).
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
        page.wait_for_timeout(500)
        too_wide = page.evaluate(CHART_FIT_JS)
    finally:
        page.close()
    print(f"{chapter}: kernel ready {ready:.1f} s, run all done {ran:.1f} s after opening")

    errors = [f"cell {i}: {o['ename']}: {o['evalue']}" for i, cell in enumerate(browser_notebook["cells"])
              for o in cell.get("outputs", []) if o["output_type"] == "error"]
    assert errors == [], f"{chapter} raised in the browser:\n" + "\n".join(errors)
    assert page_errors == [], f"{chapter}: uncaught page errors: {page_errors}"
    assert record["blocked"] == [], f"{chapter} asked other origins: {record['blocked']}"
    assert record["failed"] == [], f"{chapter}: failed requests: {record['failed']}"

    expected, actual = code_cells(book), code_cells(browser_notebook)
    assert sum(len(cell["outputs"]) for cell in expected) > 0, f"{chapter}: the committed notebook has no outputs"
    assert len(actual) == len(expected), f"{chapter}: {len(actual)} code cells in the browser, {len(expected)} in the book"
    for index, (want, got) in enumerate(zip(expected, actual)):
        assert joined(got["source"]) == joined(want["source"]), f"{chapter}: code cell {index} differs from the book's"
        book_shows, browser_shows = comparable(want["outputs"]), comparable(got["outputs"])
        assert browser_shows == book_shows, (
            f"{chapter}, code cell {index} ({joined(want['source'])[:80]!r}): the browser's output differs from the book's:\n"
            + first_difference(book_shows, browser_shows))

    assert too_wide == [], f"{chapter}: charts wider than the output column at {PHONE_WIDTH} px: {too_wide}"
    assert len(charts) == expected_charts, f"{chapter}: {len(charts)} charts on screen, {expected_charts} in the book"
    undrawn = [f"chart {index}: {chart['error'] or 'blank'}" for index, chart in enumerate(charts) if not chart["drawn"]]
    assert undrawn == [], f"{chapter}: charts not drawn by JupyterLite's Vega-Lite renderer: {undrawn}"


def test_glued_numbers_read_as_numbers():
    """The browser's copy of each chapter has its glued values written in, no {glue:text} roles."""
    if not (RUN / "files").is_dir():
        missing(f"no JupyterLite site at {RUN} (run `make book`, which builds it)")
    for chapter in CHAPTERS:
        notebook = json.loads((RUN / "files" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
        text = "".join(joined(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        assert "{glue" not in text, f"{chapter}: a glue role is left in the browser's copy"
        first = notebook["cells"][0]
        assert PRELUDE_TAG in first["metadata"].get("tags", []), f"{chapter}: the browser's copy has no prelude cell"


def cited_dois(chapter: str) -> dict[str, str]:
    """The DOI of every work the chapter cites (by its .bib entry), key -> DOI."""
    from pybtex.database import parse_file

    entries = {}
    for bib in sorted((ROOT / "book").glob("*.bib")):
        entries.update(parse_file(str(bib), bib_format="bibtex").entries)
    book = json.loads((ROOT / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    text = "".join(joined(cell["source"]) for cell in book["cells"] if cell["cell_type"] == "markdown")
    keys = {key.strip() for match in re.finditer(r"\{(?:foot)?cite(?::\w+)?\}`([^`]+)`", text)
            for key in match.group(1).split(",")}
    return {key: entries[key].fields["doi"] for key in sorted(keys) if "doi" in entries[key].fields}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_reads_like_the_site(chapter, site_url, lite_context):
    """The chapter's copy, rendered by JupyterLite's jupyterlab-myst, shows no raw MyST."""
    context, _ = lite_context
    book = json.loads((ROOT / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    markdown = [joined(cell["source"]) for cell in book["cells"] if cell["cell_type"] == "markdown"]
    exercises = sum(len(re.findall(r"^`{3,}\{exercise\}", text, re.M)) for text in markdown)
    page = context.new_page()
    try:
        page.goto(f"{site_url}/run/notebooks/index.html?path={chapter}.ipynb")
        page.wait_for_function(f"() => document.querySelectorAll('.jp-Notebook .jp-MarkdownCell').length === {len(markdown)}",
                               timeout=KERNEL_TIMEOUT_MS, polling=500)
        page.wait_for_function(f"({READING_JS})().rendered === {len(markdown)}", timeout=60_000, polling=500)
        reading = page.evaluate(READING_JS)
    finally:
        page.close()
    text = reading["text"]
    raw = sorted({text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ") for m in RAW_MYST.finditer(text)})
    assert raw == [], f"{chapter}: raw MyST in the browser's copy:\n" + "\n".join(raw)
    assert "You are running this chapter in your browser" in text, f"{chapter}: the copy's note is not about this copy"
    assert "rocket" not in text.lower(), f"{chapter}: the copy points to a rocket menu it does not have"
    solutions = [s for s in reading["solutions"] if s["summary"].startswith("Solution to Exercise")]
    assert len(solutions) == exercises, f"{chapter}: {len(solutions)} collapsible solutions for {exercises} exercises"
    assert not any(s["open"] for s in solutions), f"{chapter}: a solution is shown open: {solutions}"
    missing_works = [f"{key} (doi {doi})" for key, doi in cited_dois(chapter).items() if doi.lower() not in text.lower()]
    assert missing_works == [], f"{chapter}: cited but not in the copy's references: {missing_works}"
    # (Requests are not checked here: closing the page aborts the kernel's runtime downloads;
    # test_chapter_runs_in_the_browser_as_in_the_book checks every request of a chapter's run.)
