"""Altair charts for "Beyond Kaplan-Meier": the shape of a Cox model's likelihood, and cumulative
incidence by group. Give each a title and a description with ``spinemets.charts.finish``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from spinemets import charts  # noqa: F401  (registers the book's renderer and theme)
from spinemets.charts import PALETTE
from spinemets.cox_inference import CHI2_95
from spinemets.survival_charts import incidence_lines


def profile_chart(curve: pd.DataFrame, wald: tuple[float, float]) -> alt.LayerChart:
    """The relative log likelihoods of ``cox_inference.profile_curve`` against the hazard ratio
    (log scale), the cut-off -chi2(1, 0.95) / 2 that defines the 95% likelihood intervals, and the
    Wald interval ``wald`` (lower, upper) as a bar at that height."""
    curve = curve.round({"hazard ratio": 4, "relative log likelihood": 4})
    names = ["partial likelihood", "Firth penalised likelihood"]
    x = alt.X("hazard ratio:Q", title="Hazard ratio, positive against negative margin (log scale)",
              scale=alt.Scale(type="log", nice=False,
                              domain=[float(curve["hazard ratio"].min()), float(curve["hazard ratio"].max())]))
    y = alt.Y("relative log likelihood:Q", title="Log likelihood minus its maximum",
              scale=alt.Scale(domain=[float(curve["relative log likelihood"].min()), 0.2]))
    lines = alt.Chart(curve).mark_line(strokeWidth=2.5).encode(
        x=x, y=y,
        color=alt.Color("likelihood:N", title=None, scale=alt.Scale(domain=names, range=[PALETTE[0], PALETTE[3]]),
                        legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("likelihood:N", scale=alt.Scale(domain=names, range=[[1, 0], [6, 3]]), legend=None),
        tooltip=[alt.Tooltip("likelihood:N", title="Likelihood"), alt.Tooltip("hazard ratio:Q", title="Hazard ratio", format=".2f"),
                 alt.Tooltip("relative log likelihood:Q", title="Log likelihood minus maximum", format=".2f")])
    cut = pd.DataFrame({"level": [round(-CHI2_95 / 2, 4)], "meaning": ["95% likelihood interval cut-off (−1.92)"]})
    rule = alt.Chart(cut).mark_rule(strokeDash=[2, 2], color="#555").encode(
        y="level:Q", tooltip=[alt.Tooltip("meaning:N", title="Line")])
    bar = pd.DataFrame({"lower": [round(wald[0], 4)], "upper": [round(wald[1], 4)], "level": [round(-CHI2_95 / 2, 4)],
                        "interval": ["Wald 95% interval"]})
    wald_bar = alt.Chart(bar).mark_rule(strokeWidth=6, opacity=0.5, color=PALETTE[2]).encode(
        x="lower:Q", x2="upper:Q", y="level:Q",
        tooltip=[alt.Tooltip("interval:N", title="Bar"), alt.Tooltip("lower:Q", title="Lower", format=".2f"),
                 alt.Tooltip("upper:Q", title="Upper", format=".2f")])
    return alt.layer(lines, rule, wald_bar).properties(height=280)


def incidence_by_group_chart(curves: pd.DataFrame, names: dict, time_title: str, incidence_title: str) -> alt.Chart:
    """Step lines of ``competing_risks.cumulative_incidence_by_group``; ``names`` maps each group value
    to its legend label."""
    first, second = names.values()
    return incidence_lines(curves.assign(group=curves["group"].map(names)), "group",
                           {first: (PALETTE[0], [1, 0]), second: (PALETTE[3], [6, 3])}, "Margin", time_title,
                           incidence_title, extra_tooltip=(alt.Tooltip("at_risk:Q", title="At risk just before"),))
