"""Altair charts for survival analysis: Kaplan-Meier step curves and a follow-up (swimmer) plot.

``km_chart`` draws one or more Kaplan-Meier curves the way a paper's figure should be read:
step lines, the 95% pointwise confidence band as a shaded step area, a cross where a patient
was censored, tooltips on every mark and a number-at-risk table under the x-axis. Estimates
come from lifelines (``spinemets.survival.fit``). Give the result a title and a description
with ``spinemets.charts.finish``.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from spinemets import charts  # noqa: F401  (registers the book's renderer and theme)
from spinemets.charts import PALETTE
from spinemets.survival import fit


def curve_frame(durations, events, group: str) -> pd.DataFrame:
    """One row per step of the curve (time 0 and every distinct time) with the band and counts."""
    kmf = fit(durations, events, label=group)
    steps = kmf.event_table.join(kmf.survival_function_).join(kmf.confidence_interval_)
    steps.columns = ["removed", "events", "censored", "entrance", "at_risk", "survival", "lower", "upper"]
    steps = steps.reset_index().rename(columns={"event_at": "time"})
    steps["group"] = group
    # Four decimals (0.01 percentage points) is finer than any screen shows; raw floats would put
    # 16-digit noise into the committed chart data.
    steps[["survival", "lower", "upper"]] = steps[["survival", "lower", "upper"]].round(4)
    return steps[["group", "time", "at_risk", "events", "censored", "survival", "lower", "upper"]]


def at_risk_counts(frame: pd.DataFrame, times) -> pd.DataFrame:
    """Number still at risk at each of ``times`` (patients whose time is >= t), per group, read off
    lifelines' event table in ``curve_frame``: the at-risk count of the first row at or after t."""
    rows = []
    for group, steps in frame.groupby("group", sort=False):
        for t in times:
            later = steps.loc[steps["time"] >= t, "at_risk"]
            rows.append({"group": group, "time": float(t), "at_risk": int(later.iloc[0]) if len(later) else 0})
    return pd.DataFrame(rows)


# The steps (months) a time axis may tick at, and the most intervals it may have: at most six
# intervals keep every number-at-risk count at least 1/6.5 of the plot apart, which on a phone
# (a plot about 230 px wide at 390 px) is wider than the 28 px the site's chart script needs to
# keep a count (book/_static/spinemets-charts.js drops counts closer than that).
TICK_STEPS = (1, 2, 3, 6, 12, 24, 36, 60, 120, 240)
MAX_INTERVALS = 6


def risk_ticks(x_max: float) -> list[float]:
    """Evenly spaced times from 0 to at most ``x_max``, in the smallest step of ``TICK_STEPS`` that
    gives at most ``MAX_INTERVALS`` intervals: the curve's x ticks and the number-at-risk times."""
    step = next((s for s in TICK_STEPS if x_max / s <= MAX_INTERVALS), TICK_STEPS[-1])
    return [float(t) for t in np.arange(0, x_max + 1e-9, step)]


def km_chart(groups: dict, time_title: str, survival_title: str, risk_times=None, x_max: float | None = None,
             band: bool = True, height: int = 300) -> alt.VConcatChart:
    """Kaplan-Meier curves of ``groups`` ({name: (durations, events)}) over a number-at-risk table.

    ``time_title`` and ``survival_title`` are the axis titles (with units). The curve's x ticks
    and the times at which the table counts patients at risk are the same: ``risk_times`` if
    given (same unit as the durations; keep them evenly spaced, at most ``MAX_INTERVALS`` apart,
    or a phone drops some counts), else ``risk_ticks(x_max)``.
    """
    frame = pd.concat([curve_frame(d, e, name) for name, (d, e) in groups.items()], ignore_index=True)
    names = list(groups)
    x_max = float(frame["time"].max()) if x_max is None else float(x_max)
    ticks = risk_ticks(x_max) if risk_times is None else [float(t) for t in risk_times if t <= x_max]
    x_scale = alt.Scale(domain=[0, x_max], nice=False)
    # The ticks are spaced for a phone already (MAX_INTERVALS): no label may be hidden as "overlapping".
    x_axis = alt.Axis(values=ticks, format="d", labelOverlap=False)
    colour = alt.Color("group:N", title=None, scale=alt.Scale(domain=names, range=PALETTE[: len(names)]),
                       legend=alt.Legend(orient="top-right") if len(names) > 1 else None)
    shown = frame[frame["time"] <= x_max]
    tooltip = [
        alt.Tooltip("group:N", title="Group"),
        alt.Tooltip("time:Q", title=time_title),
        alt.Tooltip("survival:Q", title="Estimated S(t)", format=".1%"),
        alt.Tooltip("lower:Q", title="95% CI lower", format=".1%"),
        alt.Tooltip("upper:Q", title="95% CI upper", format=".1%"),
        alt.Tooltip("at_risk:Q", title="At risk just before"),
        alt.Tooltip("events:Q", title="Events"),
        alt.Tooltip("censored:Q", title="Censored"),
    ]
    # Each curve ends at its group's last observed time: drawing it further would invent follow-up.
    base = alt.Chart(shown).encode(x=alt.X("time:Q", title=time_title, scale=x_scale, axis=x_axis), color=colour)
    layers = []
    if band:
        layers.append(base.mark_area(interpolate="step-after", opacity=0.15).encode(
            y=alt.Y("lower:Q"), y2="upper:Q", tooltip=tooltip))
    layers.append(base.mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        y=alt.Y("survival:Q", title=survival_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=tooltip))
    censored = shown[shown["censored"] > 0]
    layers.append(alt.Chart(censored).mark_point(shape="cross", size=90, filled=True, opacity=1).encode(
        x=alt.X("time:Q", scale=x_scale, axis=x_axis), y="survival:Q", color=colour, tooltip=tooltip))
    curves = alt.layer(*layers).properties(height=height)

    risk = at_risk_counts(frame, ticks)
    table = alt.Chart(risk).mark_text(fontSize=12).encode(
        x=alt.X("time:Q", scale=x_scale, title=f"Number at risk at {time_title[0].lower()}{time_title[1:]}",
                axis=alt.Axis(values=ticks, format="d", grid=False)),
        y=alt.Y("group:N", title=None, sort=names, axis=alt.Axis(labelLimit=220, labelPadding=18, ticks=False, domain=False)),
        text="at_risk:Q",
        color=alt.Color("group:N", scale=alt.Scale(domain=names, range=PALETTE[: len(names)]), legend=None),
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("time:Q", title=time_title),
                 alt.Tooltip("at_risk:Q", title="Patients at risk")],
    ).properties(height=28 * len(names))
    return alt.vconcat(curves, table, spacing=8).resolve_scale(color="shared")


def swimmer_chart(cases: pd.DataFrame, duration: str, event: str, event_name: str, time_title: str) -> alt.LayerChart:
    """One bar per patient from 0 to the end of follow-up for an endpoint: a filled circle where
    the event happened, a cross where the patient was censored."""
    frame = cases[[duration, event, "prognosis"]].dropna(subset=[duration]).reset_index()
    frame["outcome"] = np.where(frame[event].astype(bool), event_name, "censored")
    order = frame.sort_values(duration, ascending=False, kind="stable")["case"].astype(str).tolist()
    frame["case"] = frame["case"].astype(str)
    tooltip = [alt.Tooltip("case:N", title="Case"), alt.Tooltip(f"{duration}:Q", title=time_title),
               alt.Tooltip("outcome:N", title="End of the bar"), alt.Tooltip("prognosis:N", title="Status (Table 3)")]
    y = alt.Y("case:N", sort=order, title="Case")
    bars = alt.Chart(frame).mark_bar(height=6, color="#9aa5b1").encode(
        x=alt.X(f"{duration}:Q", title=time_title), y=y, tooltip=tooltip)
    ends = alt.Chart(frame).mark_point(size=90, filled=True, opacity=1).encode(
        x=f"{duration}:Q", y=y,
        shape=alt.Shape("outcome:N", title="End of follow-up",
                        scale=alt.Scale(domain=[event_name, "censored"], range=["circle", "cross"])),
        color=alt.Color("outcome:N", title="End of follow-up",
                        scale=alt.Scale(domain=[event_name, "censored"], range=[PALETTE[3], PALETTE[0]])),
        tooltip=tooltip)
    return alt.layer(bars, ends).properties(height=18 * len(frame))


def band_chart(bands: pd.DataFrame, time_title: str, survival_title: str, band_name: str) -> alt.LayerChart:
    """One Kaplan-Meier curve (``bands`` from ``survival.simultaneous_band``) with its pointwise and
    its simultaneous 95% band as two shaded step areas."""
    long = pd.concat([
        bands.assign(band="pointwise 95%", lower=bands["pointwise lower"], upper=bands["pointwise upper"]),
        bands.assign(band=f"simultaneous 95% ({band_name})", lower=bands["simultaneous lower"],
                     upper=bands["simultaneous upper"]),
    ])[["time", "survival", "band", "lower", "upper"]].round({"survival": 4, "lower": 4, "upper": 4})
    bands = bands.round(4)
    names = [f"simultaneous 95% ({band_name})", "pointwise 95%"]
    tooltip = [alt.Tooltip("band:N", title="Band"), alt.Tooltip("time:Q", title=time_title),
               alt.Tooltip("survival:Q", title="Estimated S(t)", format=".1%"),
               alt.Tooltip("lower:Q", title="Lower", format=".1%"), alt.Tooltip("upper:Q", title="Upper", format=".1%")]
    x = alt.X("time:Q", title=time_title)
    areas = alt.Chart(long).mark_area(interpolate="step-after", opacity=0.3).encode(
        x=x, y=alt.Y("lower:Q", title=survival_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y2="upper:Q", color=alt.Color("band:N", title=None, scale=alt.Scale(domain=names, range=[PALETTE[1], PALETTE[0]]),
                                      legend=alt.Legend(orient="bottom", labelLimit=320)),
        tooltip=tooltip)
    line = alt.Chart(bands).mark_line(interpolate="step-after", strokeWidth=2.5, color="#222").encode(
        x=x, y="survival:Q", tooltip=[alt.Tooltip("time:Q", title=time_title),
                                      alt.Tooltip("survival:Q", title="Estimated S(t)", format=".1%")])
    return alt.layer(areas, line).properties(height=280)


def incidence_lines(frame: pd.DataFrame, series: str, styles: dict, series_title: str, time_title: str,
                    incidence_title: str, extra_tooltip: tuple = ()) -> alt.Chart:
    """Cumulative incidence curves as step lines, one per value of ``series``; ``styles`` maps each value
    (in legend order) to its (colour, dash)."""
    names = list(styles)
    return alt.Chart(frame.round({"incidence": 4})).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=alt.X("time:Q", title=time_title),
        y=alt.Y("incidence:Q", title=incidence_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="top-left"),
                        scale=alt.Scale(domain=names, range=[colour for colour, _ in styles.values()])),
        strokeDash=alt.StrokeDash(f"{series}:N", legend=None,
                                  scale=alt.Scale(domain=names, range=[dash for _, dash in styles.values()])),
        tooltip=[alt.Tooltip(f"{series}:N", title=series_title), alt.Tooltip("time:Q", title=time_title),
                 alt.Tooltip("incidence:Q", title="Cumulative incidence", format=".1%"), *extra_tooltip],
    ).properties(height=260)


def incidence_chart(curve: pd.DataFrame, time_title: str, incidence_title: str) -> alt.Chart:
    """Cumulative incidence two ways (``survival.cumulative_incidence_curve``): Aalen-Johansen with
    death as a competing event, and 1 - Kaplan-Meier with deaths censored, as step lines."""
    long = curve.melt(id_vars="time", var_name="estimate", value_name="incidence")
    styles = {"1 - Kaplan-Meier": (PALETTE[3], [6, 3]), "Aalen-Johansen": (PALETTE[0], [1, 0])}
    return incidence_lines(long, "estimate", styles, "Estimate", time_title, incidence_title)


def permutation_chart(distribution: pd.DataFrame, observed: float, statistic_title: str) -> alt.LayerChart:
    """The exact permutation distribution of a statistic (``small_sample.logrank_permutation_distribution``)
    as bars in bins of 0.25, those at least as extreme as ``observed`` (either sign) coloured, with a
    rule at the observed value."""
    frame = distribution.assign(bin=(np.floor(distribution["o_minus_e"] / 0.25) * 0.25).round(2))
    frame["extreme"] = np.where(frame["o_minus_e"].abs() >= abs(observed) - 1e-9, "at least as extreme", "less extreme")
    binned = frame.groupby(["bin", "extreme"], as_index=False)["probability"].sum().sort_values(["bin", "extreme"])
    binned["bin_end"] = binned["bin"] + 0.25
    # Stacked by hand (a bin can hold both kinds): each bar from the top of the one below it.
    binned["top"] = binned.groupby("bin")["probability"].cumsum().round(6)
    binned["bottom"] = (binned["top"] - binned["probability"]).round(6)
    binned["probability"] = binned["probability"].round(6)
    names = ["at least as extreme", "less extreme"]
    bars = alt.Chart(binned).mark_bar().encode(
        x=alt.X("bin:Q", title=statistic_title), x2="bin_end:Q",
        y=alt.Y("top:Q", title="Probability (share of all assignments)", axis=alt.Axis(format="%")), y2="bottom:Q",
        color=alt.Color("extreme:N", title=None, scale=alt.Scale(domain=names, range=[PALETTE[3], "#9aa5b1"])),
        tooltip=[alt.Tooltip("bin:Q", title="From"), alt.Tooltip("bin_end:Q", title="To"),
                 alt.Tooltip("extreme:N", title="Compared with the observed"),
                 alt.Tooltip("probability:Q", title="Probability", format=".2%")])
    rule = alt.Chart(pd.DataFrame({"value": [round(float(observed), 4)], "label": ["observed"]})).mark_rule(
        strokeDash=[4, 3], color="#222").encode(
        x="value:Q", tooltip=[alt.Tooltip("label:N", title="Line"), alt.Tooltip("value:Q", title=statistic_title, format=".2f")])
    return alt.layer(bars, rule).properties(height=240)


def influence_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Leave-one-out influence (``small_sample.leave_one_out``): one row per estimate, one point per
    omitted patient at its value as a percentage of the estimate from every patient (100% = no
    change), with the case and the value in the tooltip."""
    full = table.loc["all"]
    rest = table.drop(index="all")
    long = rest.reset_index().melt(id_vars="case left out", var_name="estimate", value_name="value")
    long["relative"] = (100 * long["value"] / long["estimate"].map(full)).round(2)
    long["value"] = long["value"].round(3)
    long["all patients"] = long["estimate"].map(full).round(3)
    long["case left out"] = long["case left out"].astype(str)
    order = list(table.columns)
    y = alt.Y("estimate:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    points = alt.Chart(long).mark_point(size=70, filled=True, opacity=0.75, color=PALETTE[0]).encode(
        x=alt.X("relative:Q", title="Value without one patient (% of the value with all 18)", scale=alt.Scale(zero=False)),
        y=y, tooltip=[alt.Tooltip("estimate:N", title="Estimate"), alt.Tooltip("case left out:N", title="Case left out"),
                      alt.Tooltip("value:Q", title="Value without that case"),
                      alt.Tooltip("all patients:Q", title="Value with all patients"),
                      alt.Tooltip("relative:Q", title="% of the value with all", format=".1f")])
    rule = alt.Chart(pd.DataFrame({"relative": [100.0], "label": ["value with all patients"]})).mark_rule(
        strokeDash=[4, 3], color="#222").encode(x="relative:Q", tooltip=[alt.Tooltip("label:N", title="Line")])
    return alt.layer(rule, points)
