"""`make bench`: how fast the book installs, builds and runs, and how heavy its pages are.

Prints one table, each row against its budget (2-core machine):

* fresh install: a new virtual environment with ``pip install -r requirements.txt``, as
  ``make binder-check`` builds it (pip's download cache is used if it is warm; the note says so);
* clean build: execute every chapter and write the HTML, into an empty temporary folder;
* no-change rebuild: the same command again; it must not re-execute any chapter (cache);
* each chapter: all cells in a fresh kernel, next to the floor (a fresh kernel that only runs the
  chapter's own import statements), median of ``--repeat`` runs; budget 2x the floor;
* each page of ``_toc.yml``: HTML plus every asset Chromium loads for it with a cold cache, counted
  gzip-compressed (as a static host serves text; already-compressed fonts and images count as is),
  with the largest assets named, by kind: a chart page (it draws a chart, so it loads Vega) within
  0.50 MB, a page without charts within 0.30 MB;
* each chapter page: Largest Contentful Paint on a phone (390 x 844 px) over emulated slow 4G
  (Chromium DevTools protocol, Network.emulateNetworkConditions with DevTools' "Slow 4G" preset:
  562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up; CPU not throttled), cold cache, served
  gzip-compressed as a static host does; median of 3 loads; budget 2.5 s;
* "Run in your browser" (JupyterLite; its own section below): what the button adds to a chapter
  page at rest (budget 20 KB; no runtime file loaded before the click); from the click to a
  finished "run all" of the heaviest chapter on a cold cache (budget 60 s) and of a second chapter
  after it (budget 20 s), with the bytes transferred; the size of the site and of its runtime.

Nothing in the project tree is written: every build goes to a temporary copy of the checkout.
Exit status 1 when a budget is missed; the closing note says what dominates.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
import binder_check  # noqa: E402  (a sibling tool)

sys.path.insert(0, str(binder_check.ROOT / "tests" / "browser"))
from browser_support import (CHROMIUM_ARGS, LITE_KERNEL_READY_JS, LITE_RUN_DONE_JS, OFFLINE_ARG,  # noqa: E402
                             QuietHandler, chromium_path, served)

from spinemets_site.toc import toc_chapters, toc_documents  # noqa: E402

ROOT = binder_check.ROOT
BIN = Path(sys.executable).parent
# Raised from 60 s and 2x when the book grew to 16 chapters and the survival chapters gained exact and
# resampling methods (exact permutation log-rank over 43,758 assignments, 2,000-resample bootstraps,
# leave-one-out refits) and the calculators' NOMS table: a clean build measured 61 s, 45 s of it in
# kernels, on the 2-core machine (README, "Speed").
BUDGET_BUILD_S = 75.0
BUDGET_REBUILD_FRACTION = 0.15
BUDGET_CHAPTER_FACTOR = 2.5
# Page weight, gzip, cold cache, by kind of page (page_kind).
CHART_PAGE, PLAIN_PAGE = "chart page", "no-chart page"
BUDGET_PAGE_BYTES = {CHART_PAGE: 0.50e6, PLAIN_PAGE: 0.30e6}
CHART_FIGURE = '<figure class="spinemets-chart">'  # how spinemets.charts.figure_html opens a chart
BUDGET_LCP_S = 2.5
# Chrome DevTools' "Slow 4G" preset (Lighthouse's mobile throttling): 150 ms RTT x 3.75,
# 1.6 Mbit/s and 750 kbit/s x 0.9; throughputs in bytes per second.
SLOW_4G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6e6 * 0.9 / 8, "uploadThroughput": 750e3 * 0.9 / 8}
PHONE = {"width": 390, "height": 844}
LCP_RUNS = 3
COMPRESSED_ALREADY = {".woff2", ".woff", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico"}
BUILD_COMMAND = ["build", ".", "--builder", "html", "-n", "-W", "--keep-going"]


@dataclass
class Row:
    what: str
    measured: str
    budget: str
    ok: bool | None  # None: no budget
    detail: str = ""


# ----------------------------------------------------------------------------- build
def timed_build(repo: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([str(BIN / "jupyter-book"), *BUILD_COMMAND], cwd=repo, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0 or "build succeeded" not in result.stdout:
        sys.stderr.write(result.stdout[-5000:] + result.stderr[-3000:])
        raise SystemExit("bench: the book does not build cleanly; fix that first")
    return seconds, result.stdout + result.stderr


def executed_notebooks(log: str) -> list[tuple[str, float]]:
    return [(Path(name).name, float(sec)) for name, sec in re.findall(r"(\S+\.ipynb): Executed notebook in ([\d.]+) seconds", log)]


# ----------------------------------------------------------------------------- chapters
def import_lines(notebook) -> str:
    """The chapter's own import statements (module level, any cell), as one cell of code."""
    from IPython.core.inputtransformer2 import TransformerManager

    transformer = TransformerManager()
    lines = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(transformer.transform_cell(cell.source))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                line = ast.unparse(node)
                if line not in lines:
                    lines.append(line)
    return "\n".join(lines)


def run_in_fresh_kernel(notebook, folder: Path) -> tuple[float, list]:
    """Wall time from kernel start to the last cell's reply; per-cell durations for the note."""
    from nbclient import NotebookClient

    start = time.perf_counter()
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=True,
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    seconds = time.perf_counter() - start
    cells = []
    for index, cell in enumerate(notebook.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            from datetime import datetime

            began = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            ended = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            cells.append((index, (ended - began).total_seconds(), cell.source.splitlines()[0][:60] if cell.source else ""))
    return seconds, cells


def chapter_times(path: Path, repeat: int) -> tuple[float, float, list]:
    import nbformat

    original = nbformat.read(path, as_version=4)
    floor_nb = nbformat.v4.new_notebook(metadata=original.metadata)
    floor_nb.cells = [nbformat.v4.new_code_cell(import_lines(original))]
    chapter_runs, floor_runs, cells = [], [], []
    for _ in range(repeat):
        floor_runs.append(run_in_fresh_kernel(nbformat.v4.new_notebook(metadata=floor_nb.metadata, cells=[c.copy() for c in floor_nb.cells]), path.parent)[0])
        seconds, cells = run_in_fresh_kernel(nbformat.read(path, as_version=4), path.parent)
        chapter_runs.append(seconds)
    return statistics.median(chapter_runs), statistics.median(floor_runs), cells


# ----------------------------------------------------------------------------- page weight
def chromium(purpose: str) -> str:
    executable = chromium_path()
    if executable is None:
        raise SystemExit(f"bench: {purpose} needs Chromium (apt-get install -y chromium)")
    return executable


def served_size(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    if path.suffix.lower() in COMPRESSED_ALREADY:
        return len(raw), len(raw)
    return len(raw), min(len(raw), len(gzip.compress(raw, compresslevel=6)))


def page_kind(site: Path, page_path: str) -> str:
    """A chart page draws at least one chart (and so loads Vega); the others must not load it."""
    return CHART_PAGE if CHART_FIGURE in (site / page_path).read_text(encoding="utf-8") else PLAIN_PAGE


def page_weight(site: Path, files: list[Path]) -> tuple[int, int, list[tuple[Path, int]]]:
    """Raw and gzip bytes of the files a page loaded (each counted once), and the three heaviest."""
    sizes = {f: served_size(f) for f in dict.fromkeys(files) if f.is_file()}
    largest = sorted(((f, packed) for f, (_, packed) in sizes.items()), key=lambda item: -item[1])[:3]
    return sum(raw for raw, _ in sizes.values()), sum(packed for _, packed in sizes.values()), largest


def page_assets(site: Path, pages: list[str]) -> dict[str, list[Path]]:
    """Every local file Chromium requests for each page, cold cache, other origins blocked."""
    from playwright.sync_api import sync_playwright

    executable = chromium("page weight")
    found: dict[str, list[Path]] = {}
    with served(site) as base:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            for page_path in pages:
                context = browser.new_context(viewport={"width": 1280, "height": 900})  # a new context: cold cache
                files: list[Path] = []

                # One parameter only: Playwright passes (route, request) to a handler that takes two.
                def gate(route):
                    url = route.request.url
                    if not url.startswith(base + "/"):
                        return route.abort("blockedbyclient")
                    local = site / unquote(urlparse(url).path).lstrip("/")
                    if local.is_file() and local not in files:
                        files.append(local)
                    return route.continue_()

                context.route("**/*", gate)
                page = context.new_page()
                page.goto(f"{base}/{page_path}", wait_until="load")
                page.wait_for_load_state("networkidle")
                found[page_path] = files
                context.close()
            browser.close()
    return found


class Gzipped(QuietHandler):
    """Serves text compressed when the browser asks for it, as a static host does."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (not path.is_file() or path.suffix.lower() in COMPRESSED_ALREADY
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        import io

        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


LCP_JS = """
() => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    const last = entries[entries.length - 1];
    const el = last.element;
    resolve({ms: last.startTime, element: el ? (el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')) : '?'});
  }).observe({type: 'largest-contentful-paint', buffered: true});
})
"""


def page_lcp(site: Path, pages: list[str]) -> dict[str, tuple[float, str]]:
    """Median Largest Contentful Paint (s) and its element per page: phone, slow 4G, cold cache."""
    from playwright.sync_api import sync_playwright

    executable = chromium("Largest Contentful Paint")
    found = {}
    with served(site, Gzipped) as base:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, OFFLINE_ARG])
            for page_path in pages:
                runs = []
                for _ in range(LCP_RUNS):
                    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
                    page.goto(f"{base}/{page_path}", wait_until="load", timeout=120_000)
                    result = page.evaluate(LCP_JS)
                    runs.append((result["ms"] / 1000, result["element"]))
                    context.close()
                runs.sort()
                found[page_path] = runs[len(runs) // 2]
            browser.close()
    return found


def human(size: float) -> str:
    return f"{size / 1e6:.2f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"


# ----------------------------------------------------------------------------- run in the browser
BUDGET_BUTTON_BYTES = 20e3
BUDGET_LITE_COLD_S = 60.0
BUDGET_LITE_WARM_S = 20.0
# Records when each code cell finishes (its execution count appears), in seconds after run-all.
LITE_CELL_CLOCK_JS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const start = performance.now();
  window.benchCellDone = {};
  window.benchCellClock = setInterval(() => {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      if (cell.type === 'code' && cell.executionCount !== null && !(i in window.benchCellDone)) {
        window.benchCellDone[i] = (performance.now() - start) / 1000;
      }
    }
  }, 50);
}"""
def ensure_lite_site(repo: Path) -> float:
    """Build JupyterLite into the copy's site, reusing the project's verified download cache."""
    import shutil

    cache = ROOT / ".cache" / "lite"
    start = time.perf_counter()
    if repo != ROOT and (cache / ".supply-stamp").is_file():
        shutil.copytree(cache, repo / ".cache" / "lite", dirs_exist_ok=True)
    if not (repo / ".cache" / "lite" / ".supply-stamp").is_file():
        subprocess.run([sys.executable, "tools/lite/build.py", "supply"], cwd=repo, check=True)
        (repo / ".cache" / "lite" / ".supply-stamp").touch()
    if repo != ROOT or not (repo / "_build" / "html" / "run" / "index.html").is_file():
        subprocess.run([sys.executable, "tools/lite/build.py", "site"], cwd=repo, check=True, capture_output=True)
    return time.perf_counter() - start


class CountingHandler(QuietHandler):
    """Serves the site and adds up the bytes of every file it sends (a cached file is not sent)."""

    sent: list[Path] = []

    def send_head(self):
        handle = super().send_head()
        if handle is not None and hasattr(handle, "name"):
            CountingHandler.sent.append(Path(handle.name))
        return handle


def run_all_phases(cells: list[dict], done_at: dict) -> dict[str, float]:
    """Split run-all into the prelude (%pip install from the site), the chapter's imports cell and
    the rest, from the seconds at which each code cell finished."""
    code = [index for index, cell in enumerate(cells) if cell["cell_type"] == "code"]
    finished = {int(index): seconds for index, seconds in done_at.items()}
    if not code or code[0] not in finished:
        return {}
    phases = {"prelude (%pip install)": finished[code[0]]}
    imports = next((index for index in code[1:] if re.search(r"^\s*(import|from)\s", "".join(cells[index]["source"]), re.M)), None)
    if imports is not None and imports in finished:
        previous = max((finished[i] for i in code if i < imports and i in finished), default=0.0)
        phases["cells up to the imports"] = previous - finished[code[0]]
        phases["imports cell"] = finished[imports] - previous
        phases["the rest"] = max(finished.values()) - finished[imports]
    return phases


def click_and_run_all(context, base: str, chapter: str, site: Path) -> tuple[float, float, int, int, list[str], dict]:
    """From the click on a chapter's "Run in your browser" to the end of "run all".

    Returns seconds to kernel ready, seconds to run-all done, bytes sent by the server (raw, and
    gzip as a static host would send text), errors, and run-all's phases in seconds."""
    page = context.new_page()
    page.goto(f"{base}/{chapter}.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    CountingHandler.sent.clear()
    with context.expect_page() as opened:
        page.evaluate("() => document.querySelector('a.btn-run-in-browser-button').click()")
    start = time.perf_counter()
    lite = opened.value
    lite.wait_for_function(LITE_KERNEL_READY_JS, timeout=300_000, polling=250)
    ready = time.perf_counter() - start
    lite.evaluate(LITE_CELL_CLOCK_JS)
    lite.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    lite.wait_for_function(LITE_RUN_DONE_JS, timeout=600_000, polling=250)
    done = time.perf_counter() - start
    lite.wait_for_timeout(100)  # the cell clock's last tick
    cells = lite.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.toJSON().cells")
    phases = run_all_phases(cells, lite.evaluate("() => window.benchCellDone"))
    errors = [f"{o['ename']}: {o['evalue']}" for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    sizes = [served_size(f) for f in CountingHandler.sent]
    lite.close()
    page.close()
    return ready, done, sum(raw for raw, _ in sizes), sum(packed for _, packed in sizes), errors, phases


def browser_runtime_rows(repo: Path, chapters: list[Path]) -> tuple[list[Row], list[str]]:
    """Weight and speed of "Run in your browser" (JupyterLite + Pyodide, tools/lite/build.py)."""
    rows: list[Row] = []
    notes: list[str] = []
    build_seconds = ensure_lite_site(repo)
    site = repo / "_build" / "html"
    run_dir = site / "run"
    rows.append(Row("browser runtime: build (JupyterLite site; downloads cached)", f"{build_seconds:.1f} s", "-", None))

    # At rest the button is one <li> of the launch menu, and nothing under run/ is loaded.
    button = re.compile(r'<li><a href="[^"]*run/notebooks/index\.html\?path=[^"]*".*?</li>', re.S)
    pages = [path.relative_to(repo).with_suffix(".html").as_posix() for path in chapters]
    added = max(len(match.encode()) for page_path in pages
                for match in button.findall((site / page_path).read_text(encoding="utf-8")))
    rows.append(Row("browser runtime: added to a chapter page at rest", f"{added} B raw", f"<= {human(BUDGET_BUTTON_BYTES)}",
                    added <= BUDGET_BUTTON_BYTES, "the button's menu entry"))
    at_rest = page_assets(site, pages[:1])
    early = [f for files in at_rest.values() for f in files if run_dir in f.parents]
    rows.append(Row("browser runtime: its files loaded before the click", str(len(early)), "0", not early,
                    ", ".join(f.name for f in early[:3])))

    # The heaviest chapter is the largest notebook; the second is the smallest other chapter.
    heaviest = max(chapters, key=lambda p: p.stat().st_size)
    second = min((p for p in chapters if p != heaviest), key=lambda p: p.stat().st_size)
    from playwright.sync_api import sync_playwright

    executable = chromium("the browser runtime")
    with served(site, CountingHandler) as base:
        with sync_playwright() as playwright:
            # A new profile on disk: a cold cache, and a disk cache as a reader's browser has (an
            # in-memory one drops the 10-13 MB files); other hosts unreachable (OFFLINE_ARG).
            context = playwright.chromium.launch_persistent_context(
                tempfile.mkdtemp(prefix="bench-profile-"), executable_path=executable, headless=True,
                args=[*CHROMIUM_ARGS, OFFLINE_ARG], viewport={"width": 1280, "height": 900})
            for label, path, budget in (("cold", heaviest, BUDGET_LITE_COLD_S),
                                        ("second chapter, warm", second, BUDGET_LITE_WARM_S)):
                chapter = path.relative_to(repo).with_suffix("").as_posix()
                print(f"bench: run in the browser, {label}: {chapter} ...", flush=True)
                ready, done, raw, packed, errors, phases = click_and_run_all(context, base, chapter, site)
                ok = done <= budget and not errors
                rows.append(Row(f"browser runtime, {label}: click to run-all done, {chapter}",
                                f"{done:.1f} s (kernel ready {ready:.1f} s)", f"<= {budget:.0f} s", ok,
                                f"transferred {human(packed)} gzip ({human(raw)} raw)" + (f"; ERRORS {errors[:2]}" if errors else "")))
                # Where the time goes, met or missed: the kernel's start (JupyterLite's page, Pyodide
                # and the kernel's own packages), then run-all's phases.
                notes.append(f"browser runtime, {label} ({chapter}): kernel ready {ready:.1f} s, run all {done - ready:.1f} s"
                             + "".join(f"; {name} {seconds:.1f} s" for name, seconds in phases.items())
                             + (f"; errors: {errors[:2]}" if errors else ""))
            context.close()
    site_bytes = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    run_bytes = sum(f.stat().st_size for f in run_dir.rglob("*") if f.is_file())
    rows.append(Row("site size on disk (_build/html)", human(site_bytes), "-", None,
                    f"of which the browser runtime (run/) {human(run_bytes)}"))
    return rows, notes


def page_rows(site: Path, pages: list[str], rows: list[Row], notes: list[str]) -> None:
    """Page weight and Largest Contentful Paint of each page of a built site."""
    print("bench: page weights in Chromium ...", flush=True)
    weighed = [f"{name}.html" for name in toc_documents(site.parent.parent)]
    for page_path, files in page_assets(site, weighed).items():
        kind = page_kind(site, page_path)
        budget = BUDGET_PAGE_BYTES[kind]
        total_raw, total, largest = page_weight(site, files)
        ok = total <= budget
        rows.append(Row(f"{kind} {page_path}", f"{human(total)} gzip ({human(total_raw)} raw, {len(files)} files)",
                        f"<= {human(budget)}", ok,
                        "largest: " + ", ".join(f"{f.relative_to(site).as_posix()} {human(p)}" for f, p in largest)))
        if not ok:
            notes.append(f"{page_path} ({kind}): dominated by " + ", ".join(f"{f.name} {human(p)}" for f, p in largest))

    print("bench: Largest Contentful Paint, phone over slow 4G ...", flush=True)
    for page_path, (seconds, element) in page_lcp(site, pages).items():
        ok = seconds <= BUDGET_LCP_S
        rows.append(Row(f"LCP {page_path}", f"{seconds:.2f} s", f"<= {BUDGET_LCP_S} s", ok,
                        f"phone 390 px, slow 4G, median of {LCP_RUNS}; largest element: {element}"))
        if not ok:
            notes.append(f"{page_path}: LCP {seconds:.2f} s on {element}; render-blocking head scripts and styles come first")


# ----------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per chapter and floor (median)")
    parser.add_argument("--skip-install", action="store_true", help="do not time a fresh install")
    parser.add_argument("--browser-runtime-only", action="store_true",
                        help="only the 'Run in your browser' rows, on the project's own built site (make book first)")
    parser.add_argument("--pages-only", action="store_true",
                        help="only page weight and LCP, of the site already built in _build/html")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    notes: list[str] = []
    if args.browser_runtime_only:
        return report(*browser_runtime_rows(ROOT, toc_chapters(ROOT)))
    if args.pages_only:
        page_rows(ROOT / "_build" / "html", [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in toc_chapters(ROOT)], rows, notes)
        return report(rows, notes)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        repo = binder_check.copy_checkout(workdir / "repo")
        if not args.skip_install:
            print("bench: timing a fresh install ...", flush=True)
            install = binder_check.build_environment(binder_check.copy_checkout(workdir / "install-repo"), workdir / "venv")["install"]
            rows.append(Row("fresh install (venv + pip install -r requirements.txt)", f"{install:.0f} s", "-", None,
                            "pip download cache warm" if Path.home().joinpath(".cache", "pip").is_dir() else "no pip cache"))

        print("bench: clean build ...", flush=True)
        clean, clean_log = timed_build(repo)
        execution = executed_notebooks(clean_log)
        rows.append(Row("clean build (execute all + HTML)", f"{clean:.1f} s", f"<= {BUDGET_BUILD_S:.0f} s", clean <= BUDGET_BUILD_S,
                        f"{len(execution)} notebooks executed, {sum(s for _, s in execution):.1f} s in kernels"))
        if clean > BUDGET_BUILD_S:
            slowest = sorted(execution, key=lambda item: -item[1])[:3]
            notes.append(f"clean build: execution takes {sum(s for _, s in execution):.1f} s of {clean:.1f} s; slowest: "
                         + ", ".join(f"{name} {sec:.1f} s" for name, sec in slowest))

        print("bench: no-change rebuild ...", flush=True)
        rebuild, rebuild_log = timed_build(repo)
        re_executed = executed_notebooks(rebuild_log)
        fraction = rebuild / clean
        rows.append(Row("no-change rebuild", f"{rebuild:.1f} s ({fraction:.0%} of clean)", f"<= {BUDGET_REBUILD_FRACTION:.0%} of clean",
                        fraction <= BUDGET_REBUILD_FRACTION and not re_executed,
                        f"re-executed: {', '.join(n for n, _ in re_executed) or 'none'}"))
        if fraction > BUDGET_REBUILD_FRACTION:
            notes.append(f"no-change rebuild: {rebuild:.1f} s is mostly jupyter-book/Sphinx start-up and reading the environment; "
                         f"re-executed notebooks: {len(re_executed)}")

        chapters = toc_chapters(repo)
        for path in chapters:
            rel = path.relative_to(repo).as_posix()
            print(f"bench: {rel} x{args.repeat} ...", flush=True)
            seconds, floor, cells = chapter_times(path, args.repeat)
            ok = seconds <= BUDGET_CHAPTER_FACTOR * floor
            rows.append(Row(f"chapter {rel}", f"{seconds:.2f} s (floor {floor:.2f} s, x{seconds / floor:.2f})",
                            f"<= {BUDGET_CHAPTER_FACTOR:.0f}x floor", ok))
            if not ok:
                slow = sorted(cells, key=lambda c: -c[1])[:3]
                notes.append(f"{rel}: slowest cells " + "; ".join(f"#{i} {sec:.2f} s `{src}`" for i, sec, src in slow))

        site = repo / "_build" / "html"
        page_rows(site, [path.relative_to(repo).with_suffix(".html").as_posix() for path in chapters], rows, notes)
        print("bench: run in the browser (JupyterLite) ...", flush=True)
        lite_rows, lite_notes = browser_runtime_rows(repo, chapters)
        rows += lite_rows
        notes += lite_notes
    finally:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return report(rows, notes)


def report(rows: list[Row], notes: list[str]) -> int:
    width = max(len(r.what) for r in rows)
    mwidth = max(len(r.measured) for r in rows)
    bwidth = max(len(r.budget) for r in rows)
    print()
    print(f"{'measure':<{width}}  {'measured':<{mwidth}}  {'budget':<{bwidth}}  result  detail")
    print(f"{'-' * width}  {'-' * mwidth}  {'-' * bwidth}  ------  ------")
    for r in rows:
        verdict = "-" if r.ok is None else ("ok" if r.ok else "MISSED")
        print(f"{r.what:<{width}}  {r.measured:<{mwidth}}  {r.budget:<{bwidth}}  {verdict:<6}  {r.detail}")
    missed = [r for r in rows if r.ok is False]
    print()
    if notes:
        print("Notes:")
        for note in notes:
            print(f"  - {note}")
        print()
    if missed:
        print("Budgets missed: " + "; ".join(r.what for r in missed))
        return 1
    print("All budgets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
