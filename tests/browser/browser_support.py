"""Shared by the browser tests and their fixtures (a unique module name: tests/ has its own conftest)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SITE = Path(os.environ.get("SPINEMETS_SITE", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = Path(os.environ.get("SPINEMETS_SCREENSHOTS", SITE.parent / "screenshots")).resolve()
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# As root, Chromium needs --no-sandbox. The other flags stop its own background traffic
# (updates, sync, safe browsing), which a closed network refuses and which is not the page's.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Every other host unreachable, as on a closed network: name resolution fails. Not Playwright's
# request routing, which switches off the HTTP cache and bypasses network throttling.
OFFLINE_ARG = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
# JupyterLite ("Run in your browser"; window.jupyterapp is exposed by tools/lite/build.py): the
# chapter is open and its kernel idle; then, after run-all, every code cell ran or one raised.
LITE_KERNEL_READY_JS = """() => {
  const app = window.jupyterapp;
  const widget = app && app.shell.currentWidget;
  const session = widget && widget.sessionContext && widget.sessionContext.session;
  return !!(session && session.kernel && session.kernel.status === 'idle' && widget.content && widget.content.model);
}"""
LITE_RUN_DONE_JS = """() => {
  const widget = window.jupyterapp.shell.currentWidget;
  const code = widget.content.model.toJSON().cells.filter((c) => c.cell_type === 'code');
  const errored = code.some((c) => (c.outputs || []).some((o) => o.output_type === 'error'));
  return widget.sessionContext.session.kernel.status === 'idle' && (errored || code.every((c) => c.execution_count !== null));
}"""
# axe-core impact levels that fail a page.
FAILING_IMPACTS = {"serious", "critical"}
# How long a chart may take to draw after the page has loaded.
CHART_TIMEOUT_MS = 15_000


def missing(reason: str):
    """Fail in CI, skip loudly elsewhere."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(f"BROWSER TESTS NOT RUN: {reason}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextmanager
def served(site: Path, handler=QuietHandler):
    """``site`` on a local port, as a static host serves it; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return candidate if candidate and Path(candidate).exists() else None


def site_pages(site: Path = SITE) -> list[str]:
    """Every HTML page of the built site, as paths relative to the site root (theme fragments excluded)."""
    # run/ is JupyterLite ("Run in your browser"), tested by test_run_in_browser.py.
    skip = {"_static", "_sources", "_images", "run"}
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if rel.parts[0] in skip or any(part.startswith(".") for part in rel.parts):
            continue
        pages.append(rel.as_posix())
    return pages
