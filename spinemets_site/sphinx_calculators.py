"""Sphinx extension: load the calculators' script (``book/_static/spinemets-calculators.js``) on
the pages that hold a calculator (``spinemets.calculators``), and only there."""

from __future__ import annotations

SCRIPT = "spinemets-calculators.js"
MARK = 'class="spinemets-calc"'


def add_script(app, pagename, templatename, context, doctree) -> None:
    if MARK in context.get("body", ""):
        # Called from html-page-context, add_js_file adds the script to this page only.
        app.add_js_file(SCRIPT, loading_method="defer")


def setup(app):
    app.connect("html-page-context", add_script)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
