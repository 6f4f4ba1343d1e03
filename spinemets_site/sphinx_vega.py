"""Sphinx extension: serve Vega, Vega-Lite and Vega-Embed from the book's own ``_static`` folder,
and draw every chart output (a Vega-Lite MIME bundle from ``spinemets.charts.render``) as the
book's responsive figure.

The JavaScript comes from the pinned ``vl-convert-python`` wheel (PyPI), at the Vega-Lite
version of the pinned Altair, so the site needs no CDN. The bundle (0.31 MB gzip, the heaviest
file of a page) must not hold up the page's text on a slow network (``make bench``: Largest
Contentful Paint on slow 4G), so a small inline script in the head defines ``window.vegaEmbed`` at
once, queueing the calls of the chart scripts in the body, and starts loading the bundle only
when the page's HTML has been parsed; the bundle then draws every queued chart with the real
Vega-Embed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

import json

import altair as alt
import vl_convert
from docutils import nodes

from spinemets import charts

BUNDLE = f"vendor/vega-embed-bundle-vl{alt.SCHEMA_VERSION.lstrip('v')}.js"


# Vega-Embed's action menu is a <summary> holding only an icon: screen readers announce nothing
# (axe-core rule summary-name). Name it once the chart is drawn.
NAME_ACTION_MENU = """/* Give each chart's action menu an accessible name. */
(function () {
  var embed = window.vegaEmbed;
  if (!embed) { return; }
  var named = function (el, spec, options) {
    return embed(el, spec, options).then(function (result) {
      var target = typeof el === "string" ? document.querySelector(el) : el;
      if (target) {
        target.querySelectorAll("details > summary").forEach(function (summary) {
          summary.setAttribute("aria-label", "Chart actions: save the chart as an image");
        });
      }
      return result;
    });
  };
  Object.keys(embed).forEach(function (key) { named[key] = embed[key]; });
  window.vegaEmbed = named;
})();
"""


# Runs in the head before any chart script: stands in for Vega-Embed until the bundle has run,
# and loads the bundle once the HTML is parsed (after the styles and scripts the text waits for).
QUEUE_CHARTS = """window.spinemetsVegaQueue = [];
window.vegaEmbed = function (el, spec, options) {
  return new Promise(function (resolve, reject) { window.spinemetsVegaQueue.push([el, spec, options, resolve, reject]); });
};
document.addEventListener("DOMContentLoaded", function () {
  var script = document.createElement("script");
  script.src = (document.documentElement.dataset.content_root || "") + "_static/%s";
  document.head.appendChild(script);
});""" % BUNDLE

# Appended to the bundle: draw the charts the page asked for before the bundle had loaded.
DRAW_QUEUED = """/* Draw the charts queued before the bundle ran. */
(function () {
  var queued = window.spinemetsVegaQueue || [];
  window.spinemetsVegaQueue = null;
  queued.forEach(function (call) { window.vegaEmbed(call[0], call[1], call[2]).then(call[3], call[4]); });
})();
"""


def bundle_header() -> str:
    """First line of the bundle; it names every input, so an unchanged header means an unchanged bundle."""
    wrapper = hashlib.sha256((NAME_ACTION_MENU + DRAW_QUEUED).encode()).hexdigest()[:12]
    return (f"/* Vega-Embed bundle with Vega-Lite {alt.SCHEMA_VERSION}, from vl-convert-python "
            f"{importlib.metadata.version('vl-convert-python')} (menu labels {wrapper}) */\n")


def bundle_source() -> str:
    vegalite_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    code = vl_convert.javascript_bundle(vl_version=vegalite_minor)
    # The bundle declares top-level constants; a function scope keeps them out of the page's globals.
    return bundle_header() + f"(function () {{\n{code}\n}})();\n" + NAME_ACTION_MENU + DRAW_QUEUED


def write_bundle(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / BUNDLE
        target.parent.mkdir(parents=True, exist_ok=True)
        # Bundling takes seconds (most of a no-change rebuild), so it runs only when an input changed.
        if target.exists():
            with target.open(encoding="utf-8") as existing:
                if existing.readline() == bundle_header():
                    return
        target.write_text(bundle_source(), encoding="utf-8")


# Sizes every chart to its column, wraps its titles and opens tooltips on tap (book/_static).
CHART_SCRIPT = "spinemets-charts.js"
CHART_FIGURE = '<figure class="spinemets-chart">'  # how charts.figure_html opens every chart
HTML_BUILDERS = ("html", "dirhtml", "singlehtml", "readthedocs", "readthedocsdirhtml")


class VegaLiteFigure:
    """myst-nb MIME renderer (entry point ``myst_nb.mime_renderers``): a chart's Vega-Lite MIME
    bundle becomes ``charts.figure_html`` on HTML pages; other builders fall back to its Markdown."""

    mime_priority_overrides = [(builder, charts.VEGALITE_MIME, 1) for builder in HTML_BUILDERS]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != charts.VEGALITE_MIME:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.string)
        return [nodes.raw(text=charts.figure_html(spec), format="html", classes=["output", "text_html"])]


def chart_scripts(app, pagename, templatename, context, doctree) -> None:
    """Only a page that draws a chart loads Vega (0.31 MB gzip) and the chart script."""
    if CHART_FIGURE in context.get("body", ""):
        app.add_js_file(None, body=QUEUE_CHARTS, priority=200)
        app.add_js_file(CHART_SCRIPT, priority=201)


def setup(app):
    app.connect("html-page-context", chart_scripts)
    app.connect("build-finished", write_bundle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
