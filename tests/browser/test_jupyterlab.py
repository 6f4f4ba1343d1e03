"""The reader copies in real JupyterLab (`make lab`, and Binder, which opens the same copies):
JupyterLab from this environment, on a loopback port with a token, opened in Chromium with every
other host unreachable.

For a chapter with citations, cross-references, glossary terms, exercises and charts, this checks
what a reader sees: no raw MyST in the rendered Markdown (jupyterlab-myst renders it), the note
about the copy, every solution collapsed, and every chart drawn by JupyterLab's Vega-Lite renderer
(so jupyterlab-myst's renderer for text/markdown outputs is disabled in this environment, as the
Makefile and postBuild do; otherwise a chart shows its text summary instead).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser_support import CHROMIUM_ARGS, OFFLINE_ARG, ROOT, chromium_path, missing
from test_run_in_browser import RAW_MYST, READING_JS

sys.path.insert(0, str(ROOT / "tools" / "lite"))
import reader_copy  # noqa: E402

CHAPTER = "book/survival/kaplan_meier_by_hand"
START_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.is_file():
        missing(f"no jupyter next to {sys.executable} (make book sets up .venv)")
    work = tmp_path_factory.mktemp("lab")
    reader_copy.write_copies(work, "lab")
    # Every cell rendered at once (JupyterLab draws only the cells in view by default), for this test only.
    settings = work / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "reader-copy-test"
    command = [str(jupyter), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work / 'book'}",
               f"--LabApp.user_settings_dir={work / 'settings'}", f"--LabApp.workspaces_dir={work / 'workspaces'}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(work / "runtime")}
    log = (work / "jupyterlab.log").open("w")
    server = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(work / 'jupyterlab.log').read_text()[-3000:]}")
                time.sleep(1)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_reader_copy_reads_like_the_site_in_jupyterlab(jupyterlab, playwright_session):
    executable = chromium_path()
    if executable is None:
        missing("no Chromium found (Debian: apt-get install -y chromium; or set CHROMIUM=/path/to/chromium)")
    base, token = jupyterlab
    book = json.loads((ROOT / f"{CHAPTER}.ipynb").read_text(encoding="utf-8"))
    markdown = ["".join(cell["source"]) for cell in book["cells"] if cell["cell_type"] == "markdown"]
    charts = sum("application/vnd.vegalite.v5+json" in output.get("data", {})
                 for cell in book["cells"] for output in cell.get("outputs", []))
    exercises = sum(text.count("```{exercise}") for text in markdown)
    browser = playwright_session.chromium.launch(executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, OFFLINE_ARG])
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page_errors = []
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.goto(f"{base}/lab/tree/{CHAPTER.removeprefix('book/')}.ipynb?token={token}")
        page.wait_for_function(f"() => document.querySelectorAll('.jp-Notebook .jp-MarkdownCell').length === {len(markdown)}",
                               timeout=120_000, polling=500)
        page.wait_for_function(f"({READING_JS})().rendered === {len(markdown)}", timeout=60_000, polling=500)
        page.wait_for_function(f"() => document.querySelectorAll('.jp-RenderedVegaCommon5 svg.marks, "
                               f".jp-RenderedVegaCommon5 canvas.marks').length >= {charts}", timeout=60_000, polling=500)
        reading = page.evaluate(READING_JS)
    finally:
        browser.close()
    text = reading["text"]
    raw = sorted({text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ") for m in RAW_MYST.finditer(text)})
    assert raw == [], f"{CHAPTER}: raw MyST in JupyterLab:\n" + "\n".join(raw)
    assert "You are running a reader" in text and "rocket" not in text.lower()
    solutions = [s for s in reading["solutions"] if s["summary"].startswith("Solution to Exercise")]
    assert len(solutions) == exercises > 0 and not any(s["open"] for s in solutions), reading["solutions"]
    assert "(Ohashi et al., 2019)" in text and "doi:10.31616/asj.2018.0145" in text
    assert page_errors == [], page_errors
