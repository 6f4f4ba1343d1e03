"""Altair plumbing shared by every chapter: the book theme, an offline renderer and small helpers.

Why a renderer of our own: Altair's default HTML output fetches Vega, Vega-Lite and Vega-Embed
from a public CDN when the page is opened, so on a network that blocks CDNs every chart is
blank; and Altair 6's own MIME type (Vega-Lite v6) is one JupyterLab 4 does not draw. This
renderer (``render``) returns a MIME bundle that JupyterLab draws natively, so a downloaded
chapter shows its charts without re-running. The book's site turns the same bundle into a
figure (``figure_html``) drawn by one pinned Vega bundle from its own ``_static`` folder (see
``spinemets_site.sphinx_vega``), sized to its column at any screen width by
``book/_static/spinemets-charts.js``, with the plotted values in a "Data" disclosure under it.
Chart ids are hashes of the spec, so re-running a notebook gives byte-identical output.

Why every float in a spec is rounded (``round_floats``) before it leaves the renderer: a computed
value such as 0.0026265748713528952 can differ in its last binary digit on another CPU or BLAS
build, and one differing digit changes the committed output, so nbval fails there. Six
significant digits are finer than any pixel or tooltip shows and far coarser than that noise.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re

import altair as alt

from spinemets import tables

RENDERER = "spinemets"
# JupyterLab 4's built-in Vega extension draws Vega-Lite v3-v5 MIME types (checked in JupyterLab 4.6.6).
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
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


def chart_title(spec: dict) -> str:
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def render(spec: dict, **metadata) -> dict:
    """Altair renderer: the chart's MIME bundle.

    * ``application/vnd.vegalite.v5+json``, the spec itself: JupyterLab 4 draws it natively (its
      built-in renderer knows Vega-Lite v3, v4 and v5 MIME types, not Altair 6's v6 one; its
      Vega-Lite 5 compiles the book's specs), and the book's site turns it into a responsive
      figure with a Data disclosure (``figure_html``, via ``spinemets_site.sphinx_vega``);
    * ``text/markdown``, the title, description and plotted values, for viewers that run no
      JavaScript (nbviewer, GitHub);
    * ``text/plain``, the description.
    """
    spec = rounded_spec(spec)
    description = chart_description(spec)
    return {VEGALITE_MIME: spec, "text/markdown": chart_markdown(spec), "text/plain": f"Chart: {description}"}


def spec_json(spec: dict) -> str:
    return json.dumps(spec, sort_keys=True)


def figure_html(spec: dict) -> str:
    """The site's HTML for a chart: drawn by the page's own Vega-Embed to fit its column
    (``book/_static/spinemets-charts.js``), its text description and a Data disclosure."""
    description = chart_description(spec)
    text = spec_json(spec)
    chart_id = "vega-chart-" + hashlib.sha256(text.encode()).hexdigest()[:16]
    safe_json = text.replace("</", "<\\/")  # a '</script>' inside data must not end the tag
    data = "".join(
        (f'<p class="spinemets-chart-data-name">{html.escape(name)}</p>' if name else "")
        + tables.html_table(frame, formats=formats, caption=f"Plotted values: {chart_title(spec)}", index=False)
        for name, frame, formats in plotted_tables(spec))
    disclosure = (f'<details class="spinemets-chart-data"><summary>Data</summary>{data}</details>' if data else "")
    return f"""<figure class="spinemets-chart">
<div id="{chart_id}" class="spinemets-chart-canvas"></div>
<figcaption class="spinemets-chart-description">{html.escape(description)}</figcaption>
{disclosure}
<script type="application/json" id="{chart_id}-spec">{safe_json}</script>
<script>
(function () {{
  var draw = function () {{
    if (window.spinemetsDrawChart) {{
      window.spinemetsDrawChart("{chart_id}", {json.dumps(EMBED_OPTIONS, sort_keys=True)});
    }} else {{
      document.getElementById("{chart_id}").textContent = "This chart needs the book's copy of Vega-Embed.";
    }}
  }};
  if (document.readyState === "loading") {{ document.addEventListener("DOMContentLoaded", draw); }} else {{ draw(); }}
}})();
</script>
</figure>"""


# ---- The plotted values, for the Data disclosure and for viewers without JavaScript ----

CHANNELS = ("x", "x2", "y", "y2", "theta", "radius", "color", "size", "shape", "text", "detail")


def _views(spec: dict, data=None):
    """Every unit view of a spec with the data it draws (inherited from its parents)."""
    data = spec.get("data", data)
    children = [child for key in ("layer", "vconcat", "hconcat", "concat") for child in spec.get(key, [])]
    if "spec" in spec:
        children.append(spec["spec"])
    if "mark" in spec:
        yield spec, data
    for child in children:
        yield from _views(child, data)


def _columns(view: dict) -> list[tuple[str, str, str | None]]:
    """(field, title, d3 format) of what a view plots: its tooltip if it has one, else its channels."""
    encoding = view.get("encoding", {})
    tooltip = encoding.get("tooltip")
    if isinstance(tooltip, dict):
        tooltip = [tooltip]
    channels = tooltip if tooltip else [encoding[c] for c in CHANNELS if isinstance(encoding.get(c), dict)]
    columns = []
    for channel in channels:
        field = channel.get("field")
        if not field or channel.get("aggregate") or channel.get("bin"):
            continue
        title = channel.get("title")
        title = " ".join(title) if isinstance(title, list) else (title or field)
        if field not in [c[0] for c in columns]:
            columns.append((field, title, channel.get("format")))
    return columns


def _d3_format(fmt: str | None) -> str | None:
    """The simple d3 formats the book uses (',', '.1%', 'd', ',.0f') mean the same in Python; others are dropped."""
    return fmt if fmt and re.fullmatch(r",?(\.\d+)?[%fd]?", fmt) else None


def plotted_tables(spec: dict) -> list[tuple[str, "pd.DataFrame", dict]]:
    """The values a chart plots, one table per distinct data source: (name, frame, formats)."""
    import pandas as pd

    datasets = spec.get("datasets", {})
    found: dict[str, tuple[list, list]] = {}
    for view, data in _views(spec):
        if not isinstance(data, dict):
            continue
        rows = datasets.get(data.get("name")) if "name" in data else data.get("values")
        if not isinstance(rows, list) or not rows:
            continue
        key = data.get("name") or spec_json(data)[:64]
        columns = [c for c in _columns(view) if c[0] in rows[0]]
        if key in found:
            known = [c[0] for c in found[key][1]]
            found[key][1].extend(c for c in columns if c[0] not in known)
        else:
            found[key] = (rows, columns)
    tables = []
    for rows, columns in found.values():
        if not columns:
            continue
        frame = pd.DataFrame([[row.get(field) for field, _, _ in columns] for row in rows],
                             columns=[title for _, title, _ in columns]).drop_duplicates()
        formats = {title: f for _, title, fmt in columns if (f := _d3_format(fmt))}
        tables.append((frame, formats))
    # A table whose rows all appear in a larger one (the censored points of a curve) adds nothing.
    tables.sort(key=lambda t: -len(t[0]))
    kept = []
    for frame, formats in tables:
        rows = set(map(tuple, frame.astype(str).to_numpy()))
        if any(set(frame.columns) <= set(k.columns) and rows <= set(map(tuple, k[frame.columns].astype(str).to_numpy()))
               for k, _ in kept):
            continue
        kept.append((frame, formats))
    return [("", frame, formats) for frame, formats in kept]


def chart_markdown(spec: dict) -> str:
    """Title, description and plotted values as Markdown (what nbviewer and GitHub show)."""
    lines = [f"**{chart_title(spec)}**" if chart_title(spec) else "", "", chart_description(spec), "",
             "*Interactive chart: open this notebook in JupyterLab or read it on the book's site.*"]
    for _, frame, formats in plotted_tables(spec):
        texts = tables.formatted(frame, formats=formats)
        lines += ["", "| " + " | ".join(map(str, frame.columns)) + " |",
                  "| " + " | ".join("---" for _ in frame.columns) + " |"]
        lines += ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in texts.to_numpy()]
    return "\n".join(lines).strip() + "\n"


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
