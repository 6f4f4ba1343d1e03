"""Does a downloaded chapter show its charts in JupyterLab without re-running? (issue 12, item 6)

Usage: python tools/jupyterlab_charts_check.py JUPYTER_LAB_EXECUTABLE CHAPTER.ipynb [SCREENSHOT.png]

Copies the chapter alone into a temporary folder (as a reader's download: untrusted, no book
around it, no spinemets installed in that JupyterLab), starts that JupyterLab on it, opens the
notebook in Debian's Chromium with every request to another origin blocked, and counts the
charts JupyterLab drew itself (its built-in Vega extension). Exit 0 when every chart output of
the chapter is drawn as an SVG or canvas. Any JupyterLab 4 will do, e.g. one pip-installed into
a throwaway venv: python3 -m venv /tmp/jl && /tmp/jl/bin/pip install jupyterlab.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from browser_support import CHROMIUM_ARGS, chromium_path  # noqa: E402

from spinemets.charts import VEGALITE_MIME  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(jupyter_lab: str, chapter: str, screenshot: str | None = None) -> int:
    notebook = json.loads(Path(chapter).read_text(encoding="utf-8"))
    expected = sum(VEGALITE_MIME in output.get("data", {}) for cell in notebook["cells"] for output in cell.get("outputs", []))
    folder = Path(tempfile.mkdtemp(prefix="jl-check-"))
    shutil.copy(chapter, folder / "chapter.ipynb")
    # Draw every cell at once (JupyterLab otherwise renders only the cells in view).
    settings = folder / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = free_port()
    server = subprocess.Popen([jupyter_lab, "--no-browser", f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
                               "--ServerApp.disable_check_xsrf=True", "--allow-root", f"--ServerApp.root_dir={folder}", f"--LabApp.user_settings_dir={folder / '.settings'}", "--LabApp.news_url=",
                               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status", timeout=1)
                break
            except Exception:  # not up yet (refused, or a half-started server)
                time.sleep(0.5)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            page.goto(f"{base}/lab/tree/chapter.ipynb", wait_until="load")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            drawn = 0
            for _ in range(60):
                page.wait_for_timeout(500)
                drawn = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-OutputArea-output.jp-RenderedVegaLite'))
                    .filter((el) => el.querySelector('canvas, svg.marks')).length""")
                if drawn >= expected:
                    break
            mime_shown = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-OutputArea-output.jp-RenderedVegaLite'))
                .map((el) => el.className)""")
            mime_types = page.evaluate("""() => Array.from(new Set(Array.from(document.querySelectorAll(
                '.jp-OutputArea-output')).map((el) => el.getAttribute('data-mime-type'))))""")
            print("output MIME types JupyterLab chose:", mime_types)
            if "-v" in sys.argv:
                print(page.evaluate("""() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                    .filter((el) => !el.getAttribute('data-mime-type')).map((el) => el.className + ' :: ' + el.innerHTML.slice(0, 300))"""))
            if screenshot:
                charts = page.locator('.jp-OutputArea-output.jp-RenderedVegaLite')
                if charts.count():
                    charts.first.scroll_into_view_if_needed()
                    page.wait_for_timeout(500)
                page.screenshot(path=screenshot)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{chapter}: {expected} chart outputs ({VEGALITE_MIME}); JupyterLab rendered {len(mime_shown)} of them "
          f"with its Vega extension and drew {drawn}")
    return 0 if expected and drawn >= expected else 1


if __name__ == "__main__":
    sys.exit(main(*[a for a in sys.argv[1:] if a != "-v"]))
