"""Sphinx extension: a "Run in your browser" button beside Binder's on every chapter page.

The button opens the chapter in the site's own JupyterLite (built into ``run/`` by
``tools/lite/build.py``; see README, "Three ways to run a chapter"). It is a plain link in the
theme's launch menu, so a page at rest gains a few hundred bytes and loads nothing more; the
in-browser runtime loads only after the click.
"""

from __future__ import annotations

from pathlib import Path

# Where tools/lite/build.py puts JupyterLite in the built site, and the interface a chapter opens in.
RUN_DIR = "run"
INTERFACE = "notebooks/index.html"
LABEL = "Run in your browser"
TOOLTIP = "Run this chapter in your browser: nothing to install, no server (JupyterLite)"


def add_button(app, pagename, templatename, context, doctree) -> None:
    source = Path(app.env.doc2path(pagename)) if pagename in app.env.all_docs else None
    if source is None or source.suffix != ".ipynb":
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            url = context["pathto"](f"{RUN_DIR}/{INTERFACE}", 1) + f"?path={pagename}.ipynb"
            group["buttons"].append({
                "type": "link",
                "text": LABEL,
                "tooltip": TOOLTIP,
                "icon": "_static/images/logo_jupyterlite.svg",
                "url": url,
                "label": "run-in-browser-button",
            })


def setup(app):
    # After sphinx-book-theme builds its launch menu (priority 501).
    app.connect("html-page-context", add_button, priority=502)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
