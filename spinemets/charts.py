"""Altair plumbing shared by every chapter: the book theme, an offline renderer and small helpers.

Why a renderer of our own: Altair's default HTML output fetches Vega, Vega-Lite and Vega-Embed
from a public CDN when the page is opened, so on a network that blocks CDNs every chart is
blank. The book instead serves one pinned bundle from its own ``_static`` folder (see
``spinemets.sphinx_vega``), and this renderer emits HTML that draws the chart with that bundle.
Chart ids are hashes of the spec, so re-running a notebook gives byte-identical output.

Why every float in a spec is rounded (``round_floats``) before it is serialised: a computed value
such as 0.0026265748713528952 can differ in its last binary digit on another CPU or BLAS build,
and one differing digit changes the chart id and the whole committed output, so nbval fails there.
Six significant digits are finer than any pixel or tooltip shows and far coarser than that noise.

In live Jupyter (Binder) there is no book page around the output; set the environment variable
``SPINEMETS_ALTAIR_RENDERER=default`` there to get Altair's own renderer.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os

import altair as alt

RENDERER = "spinemets"
THEME = "spinemets"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
EMBED_OPTIONS = {"renderer": "svg", "actions": {"export": True, "source": False, "compiled": False, "editor": False}}

# Colour-blind-safe palette (Okabe & Ito) so that groups stay distinguishable for every reader.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


CHART_SIGNIFICANT_DIGITS = 6


def round_floats(value, significant: int = CHART_SIGNIFICANT_DIGITS):
    """``value`` with every float inside it (dicts, lists, tuples) rounded to ``significant`` digits.

    Integers, strings and booleans pass through unchanged; whole-number floats stay floats.
    """
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or value == 0:
            return value
        return float(f"{value:.{significant}g}")
    if isinstance(value, dict):
        return {key: round_floats(item, significant) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [round_floats(item, significant) for item in value]
    return value


def rounded_spec(spec: dict) -> dict:
    """``spec`` with its floats rounded and its inline datasets renamed after the rounded values.

    Altair names each dataset after a hash of the unrounded data, so the name would still carry
    the noise; the new name is a hash of what is actually embedded.
    """
    spec = round_floats(spec)
    datasets = spec.get("datasets") or {}
    renames = {
        old: "data-" + hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]
        for old, values in datasets.items()
    }
    if not renames:
        return spec
    text = json.dumps(spec, sort_keys=True)
    for old, new in renames.items():
        text = text.replace(json.dumps(old), json.dumps(new))
    return json.loads(text)


def chart_description(spec: dict) -> str:
    description = spec.get("description")
    if not description:
        raise ValueError("every chart in the book needs a text description: use spinemets.charts.finish(...)")
    return description


def render(spec: dict, **metadata) -> dict:
    """Altair renderer: a figure whose script draws ``spec`` with the page's own Vega-Embed."""
    spec = rounded_spec(spec)
    description = chart_description(spec)
    spec_json = json.dumps(spec, sort_keys=True)
    chart_id = "vega-chart-" + hashlib.sha256(spec_json.encode()).hexdigest()[:16]
    safe_json = spec_json.replace("</", "<\\/")  # a '</script>' inside data must not end the tag
    page = f"""<figure class="spinemets-chart">
<div id="{chart_id}" class="spinemets-chart-canvas"></div>
<figcaption class="spinemets-chart-description">{html.escape(description)}</figcaption>
<script type="application/json" id="{chart_id}-spec">{safe_json}</script>
<script>
(function () {{
  var target = document.getElementById("{chart_id}");
  var spec = JSON.parse(document.getElementById("{chart_id}-spec").textContent);
  if (window.vegaEmbed) {{
    window.vegaEmbed(target, spec, {json.dumps(EMBED_OPTIONS, sort_keys=True)}).catch(function (error) {{
      target.textContent = "The chart could not be drawn: " + error;
    }});
  }} else {{
    target.textContent = "This chart needs the book's copy of Vega-Embed. In live Jupyter, set SPINEMETS_ALTAIR_RENDERER=default.";
  }}
}})();
</script>
</figure>"""
    return {"text/html": page, "text/plain": f"Chart: {description}"}


def theme() -> dict:
    """White background (readable in the site's dark mode too), readable fonts, no chart border."""
    return {
        "config": {
            "background": "white",
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 300},
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#444"},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "grid": True, "gridColor": "#e6e6e6"},
            # Legends below the plot keep charts within the page's text column on any screen.
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelLimit": 400, "columns": 2},
            "range": {"category": PALETTE},
        }
    }


alt.renderers.register(RENDERER, render)
alt.theme.register(THEME, enable=True)(theme)
alt.renderers.enable(os.environ.get("SPINEMETS_ALTAIR_RENDERER", RENDERER))


def finish(chart: alt.TopLevelMixin, title: str, description: str, subtitle: str | None = None) -> alt.TopLevelMixin:
    """Give a chart its finding-stating title and the text description screen readers announce."""
    title_params = alt.TitleParams(text=title, subtitle=subtitle) if subtitle else title
    return chart.properties(title=title_params, description=description)
