"""Charts that fit the notebook's column in the reader's browser, a phone's too (JupyterLite only).

On the book's site, ``book/_static/spinemets-charts.js`` draws every chart at its column's width.
JupyterLite draws the same Vega-Lite MIME bundle with its own renderer, at the width the spec
asks for (the book's theme: a 520 px plot, wider than a phone's 352 px column). The browser copy's
first cell imports this module, which wraps the book's renderer (``spinemets.charts.render``):

* a single or layered chart is fitted whole (axes, labels and legend included) to 330 px, which
  fits a phone's 352 px column and reads at any wider screen; in a chart of stacked views, such as
  a survival curve over its numbers-at-risk table, which Vega-Lite cannot fit, every plot is drawn
  at most 140 px wide, its axis labels cut at 100 px (the row labels take room at the left).
  (Vega-Lite's ``width: "container"`` would follow the column, but in JupyterLab's output area
  the container takes the chart's own width, and the two grew each other until the tab crashed.)
* a title or subtitle longer than the column is wrapped onto several lines, and a legend is
  one column of entries;
* no actions menu ("..."): its button beside the chart takes 38 px of a phone's column.

Only the chart's drawing size changes: its data, text description and plotted values are the
book's (``tests/browser/test_run_in_browser.py`` compares them with the executed book's).
"""

from __future__ import annotations

import textwrap

import altair as alt

from spinemets import charts

# A phone's column: a 390 px screen leaves 352 px for an output, and the axes take the rest.
PLOT_WIDTH = 270
STACKED_PLOT_WIDTH = 140
# In stacked views the row labels at the left (a numbers-at-risk table's groups) are cut at this width;
# the tooltip names the group in full.
STACKED_LABEL_LIMIT = 100
STACKED_TITLE_CHARACTERS = 24  # an axis title's line under a 150 px plot
CONCAT_KEYS = ("vconcat", "hconcat", "concat", "facet", "repeat")


def _cap_label_limits(node):
    if isinstance(node, dict):
        node = {key: _cap_label_limits(value) for key, value in node.items()}
        encoding = node.get("encoding")
        if isinstance(encoding, dict):  # an axis title wider than the plot is wrapped onto lines
            for channel in ("x", "y"):
                if isinstance(encoding.get(channel), dict) and isinstance(encoding[channel].get("title"), str):
                    encoding[channel] = {**encoding[channel],
                                         "title": _wrap(encoding[channel]["title"], STACKED_TITLE_CHARACTERS)}
        if isinstance(node.get("axis"), dict):
            node["axis"] = {**node["axis"], "labelLimit": min(node["axis"].get("labelLimit", STACKED_LABEL_LIMIT),
                                                              STACKED_LABEL_LIMIT)}
        return node
    if isinstance(node, list):
        return [_cap_label_limits(item) for item in node]
    return node


def _cap_widths(view: dict, limit: int) -> dict:
    view = dict(view)
    if isinstance(view.get("width"), (int, float)) and view["width"] > limit:
        view["width"] = limit
    for key in ("layer", *CONCAT_KEYS):
        if isinstance(view.get(key), list):
            view[key] = [_cap_widths(child, limit) for child in view[key]]
    if isinstance(view.get("spec"), dict):
        view["spec"] = _cap_widths(view["spec"], limit)
    return view


# A title wider than the plot widens the chart: its lines are wrapped to the column (in characters
# of the theme's bold 15 px title and 12 px subtitle: about 0.6 em a character).
COLUMN_WIDTH = 300
TITLE_CHARACTERS = int(COLUMN_WIDTH / (15 * 0.6))
SUBTITLE_CHARACTERS = int(COLUMN_WIDTH / (12 * 0.6))


def _wrap(text, characters: int):
    lines = [text] if isinstance(text, str) else list(text)
    wrapped = [part for line in lines for part in (textwrap.wrap(line, characters) or [""])]
    return wrapped if len(wrapped) > 1 else wrapped[0]


def _wrap_title(title):
    if isinstance(title, (str, list)):
        return _wrap(title, TITLE_CHARACTERS)
    if isinstance(title, dict):
        title = dict(title)
        if "text" in title:
            title["text"] = _wrap(title["text"], TITLE_CHARACTERS)
        if "subtitle" in title:
            title["subtitle"] = _wrap(title["subtitle"], SUBTITLE_CHARACTERS)
    return title


# A single or layered view is fitted whole, axes, labels and legend included, to this width (a
# phone's 352 px column less Vega's padding); Vega-Lite cannot fit a concatenation, whose plots are
# capped instead.
FIT_WIDTH = 330


def _drop_widths(view: dict) -> dict:
    view = {key: value for key, value in view.items() if key != "width"}
    if isinstance(view.get("layer"), list):
        view["layer"] = [_drop_widths(child) for child in view["layer"]]
    return view


def fit_column(spec: dict) -> dict:
    if any(key in spec for key in CONCAT_KEYS):
        spec = _cap_label_limits(_cap_widths(spec, STACKED_PLOT_WIDTH))
        limit = STACKED_PLOT_WIDTH
    else:
        spec = {**_drop_widths(spec), "width": FIT_WIDTH, "autosize": {"type": "fit-x", "contains": "padding"}}
        limit = PLOT_WIDTH
    if "title" in spec:
        spec["title"] = _wrap_title(spec["title"])
    config = dict(spec.get("config", {}))
    view = dict(config.get("view", {}))
    view["continuousWidth"] = min(view.get("continuousWidth", limit), limit)
    config["view"] = view
    # A legend in one column under the plot, its labels cut at the column's width.
    config["legend"] = {**config.get("legend", {}), "columns": 1, "labelLimit": COLUMN_WIDTH - 40}
    spec["config"] = config
    return spec


def render(spec: dict, **metadata) -> tuple[dict, dict]:
    bundle = charts.render(spec, **metadata)
    bundle[charts.VEGALITE_MIME] = fit_column(bundle[charts.VEGALITE_MIME])
    # No actions menu beside the chart: its button takes 38 px of a phone's column (JupyterLab's
    # Vega renderer reads these Vega-Embed options from the output's metadata).
    return bundle, {charts.VEGALITE_MIME: {"embed_options": {"actions": False}}}


alt.renderers.register(charts.RENDERER, render)
alt.renderers.enable(charts.RENDERER)
