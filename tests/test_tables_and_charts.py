"""spinemets.tables (tables that read on a phone) and the chart MIME bundle of spinemets.charts."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from spinemets import charts, tables
from spinemets_site.sphinx_vega import VegaLiteFigure


def test_numbers_are_printed_as_the_quantity_demands():
    frame = pd.DataFrame({"year": [1991.0, 2015.0], "share": [55.55, 44.4], "loss": [1337.5, 18070.0]})
    html = tables.html_table(frame, decimals={"share": 1}, formats={"loss": ",.0f"})
    assert ">1991<" in html and "1991.0" not in html
    assert ">55.5<" in html or ">55.6<" in html
    assert ">18,070<" in html


def test_per_row_precision_from_a_column_or_series():
    frame = pd.DataFrame({"reported": [62.0, 55.6], "decimals": [0, 1]})
    assert ">62<" in tables.html_table(frame, decimals={"reported": "decimals"})
    assert ">55.6<" in tables.html_table(frame, decimals={"reported": frame["decimals"]})


def test_no_float_artefacts_without_a_stated_precision():
    assert tables.format_value(0.1 + 0.2) == "0.3"
    assert tables.format_value(12345.678) == "12346"
    assert tables.format_value(float("nan")) == ""


def test_dois_become_links_and_flagged_rows_say_so():
    frame = pd.DataFrame({"study": ["a", "b"], "doi": ["10.31616/asj.2018.0145", "none recorded"], "agrees": [True, False]})
    html = tables.html_table(frame, flag=~frame["agrees"], flag_label="differs")
    assert '<a href="https://doi.org/10.31616/asj.2018.0145">' in html
    assert html.count('class="spinemets-flagged"') == 1 and "differs" in html
    assert 'class="spinemets-table-scroll" role="region" tabindex="0"' in html


def test_an_unknown_column_is_named_in_the_error():
    with pytest.raises(KeyError, match="nope"):
        tables.html_table(pd.DataFrame({"a": [1]}), decimals={"nope": 1})


@pytest.fixture
def spec():
    frame = pd.DataFrame({"month": [0.0, 12.0], "survival": [1.0, 0.722], "group": ["all", "all"]})
    chart = alt.Chart(frame).mark_line().encode(
        x=alt.X("month:Q", title="Months"), y="survival:Q",
        tooltip=[alt.Tooltip("month:Q", title="Month"), alt.Tooltip("survival:Q", title="S(t)", format=".1%")])
    return charts.finish(chart, title="Survival falls", description="A line of survival by month.").to_dict()


def test_render_returns_a_bundle_jupyterlab_draws(spec):
    bundle = charts.render(spec)
    assert set(bundle) == {charts.VEGALITE_MIME, "text/markdown", "text/plain"}
    assert "text/html" not in bundle  # JupyterLab would prefer it over the Vega-Lite renderer
    assert "| Month | S(t) |" in bundle["text/markdown"] and "72.2%" in bundle["text/markdown"]


def test_site_figure_has_description_and_data_disclosure(spec):
    page = charts.figure_html(spec)
    assert '<figure class="spinemets-chart">' in page
    assert '<details class="spinemets-chart-data"><summary>Data</summary>' in page
    assert ">72.2%<" in page and "spinemetsDrawChart" in page


def test_myst_nb_plugin_turns_the_bundle_into_the_figure(spec):
    class Data:
        mime_type, content = charts.VEGALITE_MIME, spec
    (node,) = VegaLiteFigure.handle_mime(None, Data, inline=False)
    assert node.astext() == charts.figure_html(spec)
    assert ("html", charts.VEGALITE_MIME, 1) in VegaLiteFigure.mime_priority_overrides


def test_a_chart_without_description_is_refused():
    with pytest.raises(ValueError, match="description"):
        charts.render(alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q").to_dict())


def test_an_infinite_value_prints_as_infinity_without_a_stated_precision():
    from spinemets.tables import format_value
    assert format_value(float("inf")) == "∞" and format_value(float("-inf")) == "−∞"
