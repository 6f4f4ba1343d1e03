"""The printed book (`make pdf`): every chapter is in the PDF, and no chart or figure is cut by the page.

The PDF is _build/pdf/spinemets-book.pdf, printed by tools/pdf.py from the single-page HTML in
_build/singlehtml (`make test` builds both when Chromium is present). Its text is read with
poppler's pdftotext (Debian: apt-get install -y poppler-utils).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys

import pytest

from browser_support import ROOT, SITE, missing, served

from spinemets_site.toc import toc_documents

sys.path.insert(0, str(ROOT / "tools"))
import pdf as book_pdf  # noqa: E402  (tools/pdf.py: the printing and the chart-fit measurement)

SINGLE_PAGE_SITE = ROOT / "_build" / "singlehtml"
PDF = ROOT / "_build" / "pdf" / "spinemets-book.pdf"


def document_title(name: str) -> str:
    """The first level-1 heading of a chapter (.md or .ipynb), as the reader sees it."""
    md, nb = ROOT / f"{name}.md", ROOT / f"{name}.ipynb"
    if md.is_file():
        lines = md.read_text(encoding="utf-8").splitlines()
    else:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        lines = [line for cell in cells if cell["cell_type"] == "markdown" for line in "".join(cell["source"]).splitlines()]
    for line in lines:
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{name}: no level-1 heading")


def normalised(text: str) -> str:
    """Whitespace collapsed; Sphinx's smart quotes and Markdown emphasis marks made plain."""
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00ad": None}))
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_text() -> str:
    if not PDF.is_file():
        missing(f"no PDF at {PDF} (run `make pdf`)")
    if shutil.which("pdftotext") is None:
        missing("pdftotext is missing (Debian: apt-get install -y poppler-utils)")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(PDF), "-"], check=True, capture_output=True, text=True).stdout


def test_pdf_has_every_chapter_title():
    text = normalised(pdf_text())
    titles = {name: normalised(document_title(name)) for name in toc_documents()}
    absent = {name: title for name, title in titles.items() if title not in text}
    assert not absent, f"{PDF.name} lacks these chapters' titles: {absent}"


def test_pdf_is_a_whole_book():
    pages = pdf_text().count("\f")
    assert pages >= 2 * len(toc_documents()), f"{PDF.name} has only {pages} pages for {len(toc_documents())} chapters"


@pytest.fixture(scope="module")
def print_layout(browser):
    """The single page as tools/pdf.py prints it: drawn, then print media at the printable width."""
    if not (SINGLE_PAGE_SITE / f"{toc_documents()[0]}.html").is_file():
        missing(f"no single-page build in {SINGLE_PAGE_SITE} (run `make pdf`)")
    book_pdf.prepare_print_page(SINGLE_PAGE_SITE)
    blocked: list[str] = []
    with served(SINGLE_PAGE_SITE) as base:
        context, page = book_pdf.open_for_print(browser, base, blocked)
        try:
            charts = page.evaluate("document.querySelectorAll('figure.spinemets-chart').length")
            yield {"fit": book_pdf.chart_fit(page), "charts": charts, "blocked": blocked}
        finally:
            context.close()


def test_no_chart_or_figure_is_cut_on_paper(print_layout):
    fit = print_layout["fit"]
    drawn_charts = sum(item["kind"] in {"svg", "canvas"} for item in fit)
    assert drawn_charts >= print_layout["charts"] > 0, (
        f"{print_layout['charts']} charts in the book, {drawn_charts} measured: a chart did not draw before printing")
    cut = [f"{item['kind']} {item['title']!r}: {item['left']}-{item['right']} px of {item['page_width']} px; "
           + ("; ".join(item["clipped"]) or "wider than the page") for item in fit if not item["fits"]]
    assert not cut, "cut on paper:\n" + "\n".join(cut)


def test_print_page_asks_no_other_origin(print_layout):
    assert print_layout["blocked"] == [], f"the printed book asked other origins: {print_layout['blocked']}"


def test_pdf_shows_every_calculator_with_its_answers_written_out():
    """Each calculator of the site is on paper: its title, every question with its default answer, the
    result and the teaching line (the controls themselves are not printed)."""
    text = normalised(pdf_text())
    pages = [page.read_text(encoding="utf-8") for page in SITE.rglob("*.html") if "_static" not in page.parts]
    forms = {match for page in pages for match in re.findall(r'<form class="spinemets-calc".*?</form>', page, flags=re.S)}
    assert forms, "no calculator in the built site"
    for form in forms:
        title = re.search(r'<p class="spinemets-calc-title"[^>]*>(.*?)</p>', form).group(1)
        title = normalised(html.unescape(title))
        assert title in text, title
        # The answers print in two columns, which pdftotext reads interleaved (a long question wraps
        # around its answer): every word of each question and answer must be in the calculator's box.
        start = text.index(title)
        box = set(text[start:text.index("Teaching, not clinical use", start)].split())
        for question, answer in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", form):
            words = set(normalised(html.unescape(f"{question} {answer}")).split())
            assert words <= box, (title, question, answer, words - box)
    assert text.count(normalised("Teaching, not clinical use")) >= len(forms)
