"""Survival analysis of the case series: product-limit life tables, SPSS conventions, group tests.

The chapters in ``book/survival/`` teach these steps; this module holds them once so that the
audit (``spinemets.reproduction``), the charts and the tests use the same code.

Conventions
-----------
Two programs can fit the same Kaplan-Meier curve and still print different summaries. The paper
used IBM SPSS Statistics 21; lifelines and scipy have other defaults. Each difference is a
function here, so the chapters can show the library default and the SPSS figure side by side:

``spss_median``
    SPSS reports the smallest event time at which S(t) is 0.5 or less. lifelines does the same
    in exact arithmetic, but a product of fractions that should equal 0.5 can come out as
    0.5000000000000002 in floating point, and lifelines then moves on to the next step.
    We compare with a tolerance of 1e-9.
``spss_median_se`` / ``spss_median_ci``
    SPSS gives the median +/- 1.96 standard errors, where the standard error is the Greenwood
    standard error of S at the median divided by a crude density estimate: the drop in S
    between the last event time with S >= 0.55 and the first with S <= 0.45, per month
    (Klein & Moeschberger's large-sample variance with a uniform kernel). lifelines instead
    reads off where the pointwise (log-log) confidence band of S crosses 0.5.
``mann_whitney_p``
    SPSS's "Asymp. Sig." is the normal approximation with the tie correction and without a
    continuity correction; scipy's default adds the continuity correction (or is exact).
``quartiles``
    The paper's interquartile ranges of the year of surgery are reproduced by linear
    interpolation between order statistics, position (n - 1)p (numpy's and pandas' default,
    Excel's QUARTILE), not by SPSS Explore's weighted average at (n + 1)p (numpy 'weibull').
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times
from scipy import stats

from spinemets.data import load

TOLERANCE = 1e-9
Z95 = stats.norm.ppf(0.975)


@dataclass(frozen=True)
class Endpoint:
    name: str
    duration: str
    event: str
    event_meaning: str


ENDPOINTS = {
    "os": Endpoint("Overall survival", "os_months", "os_event", "death from disease"),
    "drfs": Endpoint("Distant-relapse-free survival", "drfs_months", "drfs_event", "distant relapse"),
    "post_relapse": Endpoint("Survival after distant relapse", "post_relapse_months", "post_relapse_event",
                             "death from disease"),
    "lr": Endpoint("Local-recurrence-free survival", "lr_months", "lr_event", "local recurrence"),
}


def endpoint_data(cases: pd.DataFrame, endpoint: str) -> pd.DataFrame:
    """``duration`` (months) and ``event`` (bool) of one endpoint, for the cases it applies to."""
    spec = ENDPOINTS[endpoint]
    frame = cases[[spec.duration, spec.event]].dropna()
    return pd.DataFrame({"duration": frame[spec.duration].astype(float), "event": frame[spec.event].astype(bool)})


def life_table(durations, events) -> pd.DataFrame:
    """The product-limit life table, computed by hand (one row per distinct time).

    Columns: ``time``; ``at_risk`` (n, still followed just before the time); ``events`` (d);
    ``censored`` (c, last seen alive/event-free at the time); ``conditional_survival``
    (1 - d/n); ``survival`` (S(t), the running product); ``greenwood_se`` (standard error of
    S(t): S(t) * sqrt(sum of d / (n (n - d))) over event times up to t).
    """
    frame = pd.DataFrame({"time": np.asarray(durations, dtype=float), "event": np.asarray(events, dtype=bool)})
    table = frame.groupby("time").agg(events=("event", "sum"), leaving=("event", "size")).reset_index()
    table["censored"] = table["leaving"] - table["events"]
    table["at_risk"] = len(frame) - table["leaving"].cumsum().shift(fill_value=0)
    table["conditional_survival"] = 1 - table["events"] / table["at_risk"]
    table["survival"] = table["conditional_survival"].cumprod()
    at_risk, died = table["at_risk"], table["events"]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(died > 0, died / (at_risk * (at_risk - died)), 0.0)
    table["greenwood_se"] = table["survival"] * np.sqrt(np.cumsum(terms))
    table[["events", "censored", "at_risk"]] = table[["events", "censored", "at_risk"]].astype(int)
    return table[["time", "at_risk", "events", "censored", "conditional_survival", "survival", "greenwood_se"]]


def fit(durations, events, label: str = "KM estimate") -> KaplanMeierFitter:
    """lifelines' Kaplan-Meier fit (95% log-log pointwise confidence band)."""
    return KaplanMeierFitter(label=label).fit(np.asarray(durations, dtype=float), np.asarray(events, dtype=bool))


def survival_at(table: pd.DataFrame, time: float) -> float:
    """S(time) from a life table: the step function, right-continuous (an event at ``time`` counts)."""
    upto = table.loc[table["time"] <= time, "survival"]
    return 1.0 if upto.empty else float(upto.iloc[-1])


def spss_median(table: pd.DataFrame, tolerance: float = TOLERANCE) -> float:
    """SPSS's median: the smallest event time with S(t) <= 0.5 (NaN if never reached)."""
    reached = table.loc[(table["events"] > 0) & (table["survival"] <= 0.5 + tolerance), "time"]
    return float(reached.iloc[0]) if len(reached) else float("nan")


def spss_median_se_parts(table: pd.DataFrame, epsilon: float = 0.05, tolerance: float = TOLERANCE) -> dict:
    """The pieces of SPSS's standard error of the median, for explaining it: ``median``,
    ``se_at_median`` (Greenwood SE of S there), ``upper_time``/``upper_survival`` (the last event
    time with S >= 0.5 + epsilon), ``lower_time``/``lower_survival`` (the first with
    S <= 0.5 - epsilon), ``density`` (drop in S per month between them) and ``se``
    (se_at_median / density). Every value is NaN when a piece does not exist."""
    median = spss_median(table, tolerance)
    parts = dict.fromkeys(["median", "se_at_median", "upper_time", "upper_survival", "lower_time", "lower_survival",
                           "density", "se"], float("nan"))
    parts["median"] = median
    events = table[table["events"] > 0]
    upper = events[events["survival"] >= 0.5 + epsilon - tolerance]
    lower = events[events["survival"] <= 0.5 - epsilon + tolerance]
    if np.isnan(median) or upper.empty or lower.empty:
        return parts
    u, l = upper.iloc[-1], lower.iloc[0]
    parts.update(upper_time=float(u["time"]), upper_survival=float(u["survival"]), lower_time=float(l["time"]),
                 lower_survival=float(l["survival"]))
    parts["density"] = (parts["upper_survival"] - parts["lower_survival"]) / (parts["lower_time"] - parts["upper_time"])
    parts["se_at_median"] = float(events.loc[events["time"] == median, "greenwood_se"].iloc[0])
    parts["se"] = parts["se_at_median"] / parts["density"]
    return parts


def spss_median_se(table: pd.DataFrame, epsilon: float = 0.05, tolerance: float = TOLERANCE) -> float:
    """SPSS's standard error of the median: SE(S(median)) / density, the density from S at
    the last event time with S >= 0.5 + epsilon and the first with S <= 0.5 - epsilon."""
    return spss_median_se_parts(table, epsilon, tolerance)["se"]


def spss_median_ci(table: pd.DataFrame) -> tuple[float, float]:
    """SPSS's 95% confidence interval of the median: median +/- 1.96 * SE (not truncated at 0)."""
    median, se = spss_median(table), spss_median_se(table)
    return median - Z95 * se, median + Z95 * se


def lifelines_median(kmf: KaplanMeierFitter) -> float:
    return float(kmf.median_survival_time_)


def lifelines_median_ci(kmf: KaplanMeierFitter) -> tuple[float, float]:
    """lifelines' interval: the times where the pointwise confidence band crosses 0.5."""
    bounds = median_survival_times(kmf.confidence_interval_)
    return float(bounds.iloc[0, 0]), float(bounds.iloc[0, 1])


def endpoint_table(endpoint: str, data_dir=None, cases: pd.DataFrame | None = None) -> pd.DataFrame:
    cases = load(data_dir) if cases is None else cases
    frame = endpoint_data(cases, endpoint)
    return life_table(frame["duration"], frame["event"])


def logrank(cases: pd.DataFrame, endpoint: str, group: str):
    """lifelines' log-rank test (Mantel-Cox, as SPSS's default) of an endpoint between the two
    values of a boolean column."""
    frame = endpoint_data(cases, endpoint).join(cases[group])
    yes, no = frame[frame[group]], frame[~frame[group]]
    return logrank_test(yes["duration"], no["duration"], yes["event"], no["event"])


def two_by_two(cases: pd.DataFrame, exposure: str, outcome: str) -> pd.DataFrame:
    """The 2x2 table of two boolean columns, rows and columns ordered True then False."""
    table = pd.crosstab(cases[exposure], cases[outcome]).reindex(index=[True, False], columns=[True, False], fill_value=0)
    table.index.name, table.columns.name = exposure, outcome
    return table


def fisher_p(cases: pd.DataFrame, exposure: str, outcome: str) -> float:
    """Two-sided Fisher's exact test (scipy; the same definition as SPSS's 'Exact Sig. (2-sided)')."""
    return float(stats.fisher_exact(two_by_two(cases, exposure, outcome).to_numpy()).pvalue)


def mann_whitney_p(x, y, convention: str = "spss") -> float:
    """Two-sided Mann-Whitney p. ``spss``: normal approximation, tie-corrected, no continuity
    correction (SPSS 'Asymp. Sig.'). ``scipy``: scipy's default (exact without ties, otherwise
    the normal approximation with a continuity correction)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if convention == "spss":
        return float(stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=False).pvalue)
    if convention == "scipy":
        return float(stats.mannwhitneyu(x, y).pvalue)
    raise ValueError(f"unknown convention {convention!r}")


def quartiles(values, method: str = "linear") -> tuple[float, float, float]:
    """First quartile, median and third quartile by a numpy quantile ``method``."""
    q1, q2, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75], method=method)
    return float(q1), float(q2), float(q3)


@lru_cache(maxsize=64)
def _fisher_significant(n_exposed: int, n_unexposed: int, alpha: float) -> np.ndarray:
    """1 where the 2x2 table (a of n_exposed, c of n_unexposed) gives a two-sided Fisher p < alpha."""
    return np.array([[stats.fisher_exact([[a, n_exposed - a], [c, n_unexposed - c]]).pvalue < alpha
                      for c in range(n_unexposed + 1)] for a in range(n_exposed + 1)], dtype=float)


def fisher_power(n_exposed: int, n_unexposed: int, p_exposed: float, p_unexposed: float, alpha: float = 0.05) -> float:
    """Power of the two-sided Fisher's exact test at level ``alpha``: the probability, if the true
    proportions are ``p_exposed`` and ``p_unexposed``, that a study of this size gives p < alpha
    (exact: every possible 2x2 table weighted by its binomial probability)."""
    significant = _fisher_significant(n_exposed, n_unexposed, alpha)
    prob_a = stats.binom.pmf(np.arange(n_exposed + 1), n_exposed, p_exposed)
    prob_c = stats.binom.pmf(np.arange(n_unexposed + 1), n_unexposed, p_unexposed)
    return float(prob_a @ significant @ prob_c)


def detectable_difference(n_exposed: int, n_unexposed: int, p_unexposed: float, alpha: float = 0.05,
                          power: float = 0.8) -> float:
    """The smallest proportion in the exposed group (in steps of 0.01 above ``p_unexposed``) that a
    two-sided Fisher's exact test would detect with the given power; NaN if even 1 would not."""
    for p_exposed in np.arange(p_unexposed, 1.0 + 1e-9, 0.01):
        if fisher_power(n_exposed, n_unexposed, min(p_exposed, 1.0), p_unexposed, alpha) >= power:
            return float(round(p_exposed, 2))
    return float("nan")
