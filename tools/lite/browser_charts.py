"""Charts that fit the notebook's column in the reader's browser, a phone's too (JupyterLite only).

On the book's site, ``book/_static/spinemets-charts.js`` draws every chart at its column's width.
JupyterLite draws the same Vega-Lite MIME bundle with its own renderer, at the width the spec
asks for (the book's theme: a 520 px plot, wider than a phone's 352 px column). The browser copy's
first cell imports this module, which wraps the book's renderer (``spinemets.charts.render``):

* a single or layered chart gets ``width: "container"``: it is drawn at the column's width and
  redrawn when the column changes (a chart that asks for a width that fits a phone keeps it);
* a chart of stacked views (a survival curve over its numbers-at-risk table) cannot take the
  container's width in Vega-Lite, so its plots are drawn 280 px wide, which fits a phone's column
  with the axis beside it.

Only the chart's drawing size changes: its data, text description and plotted values are the
book's (``tests/browser/test_run_in_browser.py`` compares them with the executed book's).
"""

from __future__ import annotations

import altair as alt

from spinemets import charts

# A phone's column: a 390 px screen leaves 352 px for an output; the y axis and its title take ~60.
NARROW_WIDTH = 280
CONCAT_KEYS = ("vconcat", "hconcat", "concat", "facet", "repeat")


def fit_column(spec: dict) -> dict:
    spec = dict(spec)
    if any(key in spec for key in CONCAT_KEYS):
        config = dict(spec.get("config", {}))
        config["view"] = {**config.get("view", {}), "continuousWidth": NARROW_WIDTH}
        spec["config"] = config
    elif not (isinstance(spec.get("width"), (int, float)) and spec["width"] <= NARROW_WIDTH):
        spec["width"] = "container"
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def render(spec: dict, **metadata) -> dict:
    bundle = charts.render(spec, **metadata)
    bundle[charts.VEGALITE_MIME] = fit_column(bundle[charts.VEGALITE_MIME])
    return bundle


alt.renderers.register(charts.RENDERER, render)
alt.renderers.enable(charts.RENDERER)
