"""Survival analysis of the case series: product-limit life tables, software conventions, group
comparisons, effect sizes and the methods beyond Kaplan-Meier.

The chapters in ``book/survival/`` teach these steps; this module holds them once so that the
audit (``spinemets.reproduction``), the charts and the tests use the same code. lifelines, scipy
and numpy do the work wherever they have the method; what is computed here by hand is either the
lesson (the life table, SPSS's rules) or missing from those libraries (a confidence interval for
the restricted mean, simultaneous confidence bands).

Conventions
-----------
Two programs can fit the same Kaplan-Meier curve and still print different summaries. The paper
used IBM SPSS Statistics 21. ``median_conventions`` shows the four readings of one curve:

``spss_median``
    The smallest event time at which S(t) is 0.5 or less. lifelines means the same rule, but a
    product of fractions that equals 0.5 exactly can come out as 0.5000000000000002 in floating
    point, and lifelines then moves on to the next step. We compare with a tolerance of 1e-9.
``plateau_median``
    R's ``survival`` package and SAS's PROC LIFETEST: where S(t) is exactly 0.5 over an interval,
    the midpoint of that interval (the usual median of an even number of uncensored times). Their
    intervals differ by default: R's survfit uses the log band (conf.type = "log"), SAS's LIFETEST
    the log-log band (CONFTYPE=LOGLOG).
``spss_median_se`` / ``spss_median_ci``
    SPSS gives the median +/- 1.96 standard errors, where the standard error is the Greenwood
    standard error of S at the median divided by a crude density estimate: the drop in S
    between the last event time with S >= 0.55 and the first with S <= 0.45, per month.
``band_inversion_ci``
    Brookmeyer and Crowley's idea, used by R (log band), SAS (log-log band) and lifelines: the times at which the pointwise
    confidence band of S crosses 0.5. Where S falls to 0 the band is undefined, and the limit is
    "Not reached" (NaN); lifelines instead draws the band at 0 there, which turns a missing upper
    limit into the time of the last event.
``mann_whitney_p``
    SPSS's "Asymp. Sig." is the normal approximation with the tie correction and without a
    continuity correction; scipy's default adds the continuity correction; the permutation p is
    exact for these data, ties included.
``quantile_definitions``
    The nine sample-quantile definitions of Hyndman and Fan (numpy's ``method`` names), beside
    SPSS EXAMINE's five percentile keywords; ``tukey_hinge`` the hinges SPSS Explore prints beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd
from lifelines import AalenJohansenFitter, CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test, proportional_hazard_test
from lifelines.utils import median_survival_times, restricted_mean_survival_time
from scipy import stats

from spinemets.bands import equal_precision_critical_value
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
    "dss": Endpoint("Disease-specific survival", "dss_months", "dss_event", "death from disease"),
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
    time, event = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    # numpy rather than a pandas groupby: the audit's explanation tests rebuild this table many times.
    times, which = np.unique(time, return_inverse=True)
    leaving = np.bincount(which, minlength=len(times))
    died = np.bincount(which, weights=event, minlength=len(times)).astype(int)
    at_risk = len(time) - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    conditional = 1 - died / at_risk
    survival = np.cumprod(conditional)
    # Where everyone left has the event, S falls to 0 and d / (n (n - d)) is infinite: the SE is
    # undefined there (NaN), as in lifelines' band.
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(died > 0, died / (at_risk * (at_risk - died)), 0.0)
        greenwood = survival * np.sqrt(np.cumsum(terms))
    table = pd.DataFrame({"time": times, "at_risk": at_risk.astype(int), "events": died, "censored": leaving - died,
                          "conditional_survival": conditional, "survival": survival, "greenwood_se": greenwood})
    return table[["time", "at_risk", "events", "censored", "conditional_survival", "survival", "greenwood_se"]]


def fit(durations, events, label: str = "KM estimate") -> KaplanMeierFitter:
    """lifelines' Kaplan-Meier fit (95% log-log pointwise confidence band)."""
    return KaplanMeierFitter(label=label).fit(np.asarray(durations, dtype=float), np.asarray(events, dtype=bool))


def survival_at(kmf: KaplanMeierFitter, time: float) -> float:
    """S(time) of a lifelines fit (the step function, right-continuous: an event at ``time`` counts)."""
    return float(kmf.survival_function_at_times([time]).iloc[0])


def endpoint_fit(cases: pd.DataFrame, endpoint: str) -> KaplanMeierFitter:
    """lifelines' Kaplan-Meier fit of one endpoint."""
    frame = endpoint_data(cases, endpoint)
    return fit(frame["duration"], frame["event"], label=ENDPOINTS[endpoint].name)


def spss_median(table: pd.DataFrame, tolerance: float = TOLERANCE) -> float:
    """SPSS's median: the smallest event time with S(t) <= 0.5 (NaN if never reached)."""
    reached = (table["events"].to_numpy() > 0) & (table["survival"].to_numpy(float) <= 0.5 + tolerance)
    return float(table["time"].to_numpy(float)[reached][0]) if reached.any() else float("nan")


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
    is_event = table["events"].to_numpy() > 0
    times = table["time"].to_numpy(float)[is_event]
    s = table["survival"].to_numpy(float)[is_event]
    se = table["greenwood_se"].to_numpy(float)[is_event]
    upper = np.flatnonzero(s >= 0.5 + epsilon - tolerance)
    lower = np.flatnonzero(s <= 0.5 - epsilon + tolerance)
    if np.isnan(median) or not len(upper) or not len(lower):
        return parts
    u, l = upper[-1], lower[0]
    parts.update(upper_time=float(times[u]), upper_survival=float(s[u]), lower_time=float(times[l]),
                 lower_survival=float(s[l]))
    parts["density"] = (parts["upper_survival"] - parts["lower_survival"]) / (parts["lower_time"] - parts["upper_time"])
    parts["se_at_median"] = float(se[times == median][0])
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
    the normal approximation with a continuity correction). ``permutation``: exact, from every
    way of splitting the pooled values into groups of these sizes (mid-ranks for ties), through
    scipy.stats.permutation_test."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if convention == "spss":
        return float(stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=False).pvalue)
    if convention == "scipy":
        return float(stats.mannwhitneyu(x, y).pvalue)
    if convention == "permutation":
        # U is a shift of the rank sum of x, so the exact test enumerates every way of choosing which
        # len(x) of the pooled mid-ranks belong to x (tests/test_survival.py checks it against
        # scipy.stats.permutation_test, which does the same more slowly).
        ranks = stats.rankdata(np.concatenate([x, y]))
        splits = np.fromiter(combinations(range(len(ranks)), len(x)), dtype=np.dtype((int, len(x))))
        sums = ranks[splits].sum(axis=1)
        centre = len(x) * (len(ranks) + 1) / 2
        observed = abs(ranks[: len(x)].sum() - centre)
        return float(np.mean(np.abs(sums - centre) >= observed - 1e-9))
    raise ValueError(f"unknown convention {convention!r}")


# Hyndman and Fan's nine sample-quantile definitions, by their type number, as numpy names them.
HYNDMAN_FAN = {1: "inverted_cdf", 2: "averaged_inverted_cdf", 3: "closest_observation",
               4: "interpolated_inverted_cdf", 5: "hazen", 6: "weibull", 7: "linear", 8: "median_unbiased",
               9: "normal_unbiased"}
SPSS_EXAMINE = ("HAVERAGE", "WAVERAGE", "ROUND", "EMPIRICAL", "AEMPIRICAL")


def quartiles(values, method: str = "linear") -> tuple[float, float, float]:
    """First quartile, median and third quartile by a numpy quantile ``method`` (one of HYNDMAN_FAN)."""
    q1, q2, q3 = np.quantile(np.asarray(values, dtype=float), [0.25, 0.5, 0.75], method=method)
    return float(q1), float(q2), float(q3)


def quantile_definitions(values, probabilities=(0.25, 0.5, 0.75)) -> pd.DataFrame:
    """The quantiles of ``values`` under all nine Hyndman-Fan definitions: one row per type, with
    numpy's name for it, one column per probability."""
    values = np.asarray(values, dtype=float)
    rows = {kind: [float(q) for q in np.quantile(values, probabilities, method=method)]
            for kind, method in HYNDMAN_FAN.items()}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(probabilities))
    frame.insert(0, "numpy method", [HYNDMAN_FAN[kind] for kind in frame.index])
    frame.index.name = "Hyndman-Fan type"
    return frame


def spss_examine_percentile(values, probability: float, keyword: str = "HAVERAGE") -> float:
    """A percentile as SPSS EXAMINE computes it with each PERCENTILES keyword (n cases, p the
    probability, x_i the i-th smallest value; i the integer part and f the fraction of the position):
    HAVERAGE, weighted average at (n + 1)p; WAVERAGE, weighted average at np; ROUND, the observation
    closest to np; EMPIRICAL, the empirical distribution function (x_i if f = 0, else x_(i+1));
    AEMPIRICAL, the same with averaging ((x_i + x_(i+1)) / 2 if f = 0)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)

    def at(i: int) -> float:  # x_i, 1-based, clamped to the sample
        return float(x[min(max(i, 1), n) - 1])

    def weighted(position: float) -> float:
        i, f = int(np.floor(position)), position - np.floor(position)
        return (1 - f) * at(i) + f * at(i + 1)

    position = n * probability
    i, f = int(np.floor(position)), position - np.floor(position)
    if keyword == "HAVERAGE":
        return weighted((n + 1) * probability)
    if keyword == "WAVERAGE":
        return weighted(position)
    if keyword == "ROUND":
        return at(int(np.floor(position + 0.5)))
    if keyword == "EMPIRICAL":
        return at(i) if f == 0 else at(i + 1)
    if keyword == "AEMPIRICAL":
        return (at(i) + at(i + 1)) / 2 if f == 0 else at(i + 1)
    raise ValueError(f"unknown SPSS EXAMINE percentile keyword {keyword!r}; choose one of {SPSS_EXAMINE}")


def tukey_hinge(values, probability: float) -> float:
    """Tukey's hinges, which SPSS Explore prints beside its weighted-average percentiles, for
    ``probability`` 0.25 (lower hinge), 0.5 (median) or 0.75 (upper hinge): with n values and
    d = floor((n + 3) / 2) / 2, the lower hinge is the value at position d, the upper at n + 1 - d
    (the average of the two neighbours when d ends in .5), as in R's ``fivenum``."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    depth = {0.25: np.floor((n + 3) / 2) / 2, 0.5: (n + 1) / 2}
    depth[0.75] = n + 1 - depth[0.25]
    if probability not in depth:
        raise ValueError(f"Tukey's hinges exist only for 0.25, 0.5 and 0.75, not {probability}")
    d = depth[probability]
    return float((x[int(np.floor(d)) - 1] + x[int(np.ceil(d)) - 1]) / 2)


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


# ---- Median conventions ------------------------------------------------------------------------

def plateau_median(table: pd.DataFrame, tolerance: float = TOLERANCE) -> float:
    """R's and SAS's median: as SPSS's, except that where S(t) equals 0.5 (within ``tolerance``)
    over an interval, the midpoint of that interval, from the event time where S reaches 0.5 to
    the next event time. NaN if S never reaches 0.5 or stays at 0.5 to the end of follow-up."""
    median = spss_median(table, tolerance)
    if np.isnan(median):
        return median
    events = table[table["events"] > 0]
    at_median = float(events.loc[events["time"] == median, "survival"].iloc[0])
    if abs(at_median - 0.5) > tolerance:
        return median
    later = events.loc[events["time"] > median, "time"]
    return (median + float(later.iloc[0])) / 2 if len(later) else float("nan")


def pointwise_band(table: pd.DataFrame, transform: str = "log-log", z: float = Z95) -> pd.DataFrame:
    """The 95% pointwise confidence band of S(t) at each row of a life table, from Greenwood's
    standard error: ``log-log`` (lifelines' default), ``log`` (R's default) or ``plain``.
    Undefined (NaN) where S is 0 and, for log-log, where S is 1."""
    s, se = table["survival"].to_numpy(float), table["greenwood_se"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if transform == "log-log":
            half = z * se / (s * np.abs(np.log(s)))
            lower = np.exp(-np.exp(np.log(-np.log(s)) + half))
            upper = np.exp(-np.exp(np.log(-np.log(s)) - half))
            lower, upper = np.where(s < 1, lower, np.nan), np.where(s < 1, upper, np.nan)
        elif transform == "log":
            lower, upper = s * np.exp(-z * se / s), np.minimum(1.0, s * np.exp(z * se / s))
        elif transform == "plain":
            lower, upper = np.maximum(0.0, s - z * se), np.minimum(1.0, s + z * se)
        else:
            raise ValueError(f"unknown transform {transform!r}")
    defined = s > 0
    return pd.DataFrame({"time": table["time"].to_numpy(float), "lower": np.where(defined, lower, np.nan),
                         "upper": np.where(defined, upper, np.nan)})


def band_inversion_ci(table: pd.DataFrame, transform: str = "log-log", tolerance: float = TOLERANCE) -> tuple[float, float]:
    """Brookmeyer-Crowley interval of the median by inverting the pointwise band: the lower limit
    is the first time the lower band reaches 0.5, the upper limit the first time the upper band
    does. NaN means "Not reached" (the band never gets there, or is undefined because S fell to 0)."""
    band = pointwise_band(table, transform)

    def first(column: str) -> float:
        reached = band.loc[band[column] <= 0.5 + tolerance, "time"]
        return float(reached.iloc[0]) if len(reached) else float("nan")

    return first("lower"), first("upper")


def median_conventions(durations, events) -> pd.DataFrame:
    """One Kaplan-Meier curve's median and its 95% interval under each program's convention."""
    table = life_table(durations, events)
    kmf = fit(durations, events)
    rows = [
        ("SPSS 21", "smallest event time with S(t) <= 0.5", spss_median(table),
         "median +/- 1.96 SE (density from S at 0.55 and 0.45)", *spss_median_ci(table)),
        ("R survival 3.5", "midpoint of a plateau at exactly 0.5", plateau_median(table),
         "band inversion, log band (survfit's default conf.type)", *band_inversion_ci(table, "log")),
        ("SAS PROC LIFETEST", "midpoint of a plateau at exactly 0.5", plateau_median(table),
         "band inversion, log-log band (default CONFTYPE=LOGLOG)", *band_inversion_ci(table, "log-log")),
        ("lifelines 0.30", "first time S(t) <= 0.5 in floating point", lifelines_median(kmf),
         "times where lifelines' log-log band crosses 0.5", *lifelines_median_ci(kmf)),
    ]
    return pd.DataFrame(rows, columns=["program", "median rule", "median", "interval rule", "lower", "upper"])


# ---- Effect sizes with confidence intervals ------------------------------------------------------

def _wilson(k: int, n: int) -> tuple[float, float]:
    interval = stats.binomtest(int(k), int(n)).proportion_ci(method="wilson")
    return float(interval.low), float(interval.high)


def risk_difference(cases: pd.DataFrame, exposure: str, outcome: str) -> dict:
    """Risk of ``outcome`` with minus without ``exposure``, with Newcombe's hybrid score 95% interval
    (built from the two Wilson intervals, scipy's binomtest)."""
    table = two_by_two(cases, exposure, outcome)
    (a, b), (c, d) = table.to_numpy()
    p1, p2 = a / (a + b), c / (c + d)
    (l1, u1), (l2, u2) = _wilson(a, a + b), _wilson(c, c + d)
    difference = p1 - p2
    return {"risk exposed": p1, "risk unexposed": p2, "difference": difference,
            "lower": difference - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            "upper": difference + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)}


def odds_ratio(cases: pd.DataFrame, exposure: str, outcome: str) -> dict:
    """The conditional maximum-likelihood odds ratio with its exact 95% interval (the pair that
    goes with Fisher's exact test; scipy.stats.contingency.odds_ratio)."""
    result = stats.contingency.odds_ratio(two_by_two(cases, exposure, outcome).to_numpy(), kind="conditional")
    interval = result.confidence_interval(0.95)
    return {"odds ratio": float(result.statistic), "lower": float(interval.low), "upper": float(interval.high)}


def cox_model(cases: pd.DataFrame, endpoint: str, covariate: str, per: float = 1.0) -> CoxPHFitter:
    """lifelines' Cox proportional-hazards model of one endpoint on one covariate, scaled so the
    hazard ratio is per ``per`` units (e.g. per 5 years)."""
    frame = endpoint_data(cases, endpoint).join(cases[covariate].astype(float) / per)
    return CoxPHFitter().fit(frame, duration_col="duration", event_col="event")


def hazard_ratio(cases: pd.DataFrame, endpoint: str, covariate: str, per: float = 1.0) -> dict:
    """Hazard ratio with 95% Wald interval and p, plus the p of the proportional-hazards check
    (Grambsch-Therneau test on rank-transformed time, lifelines.statistics.proportional_hazard_test)."""
    cph = cox_model(cases, endpoint, covariate, per)
    row = cph.summary.iloc[0]
    frame = endpoint_data(cases, endpoint).join(cases[covariate].astype(float) / per)
    check = proportional_hazard_test(cph, frame, time_transform="rank")
    return {"hazard ratio": float(row["exp(coef)"]), "lower": float(row["exp(coef) lower 95%"]),
            "upper": float(row["exp(coef) upper 95%"]), "p": float(row["p"]),
            "events": int(frame["event"].sum()), "proportional hazards p": float(check.p_value[0])}


# ---- Competing risks ----------------------------------------------------------------------------

COMPETING_DEATH = 2


def competing_data(cases: pd.DataFrame, endpoint: str) -> pd.DataFrame:
    """``duration`` and ``code`` for a competing-risks analysis of ``lr`` or ``drfs``: 1 the event,
    2 a death (of any cause) before it, 0 censored alive."""
    frame = endpoint_data(cases, endpoint)
    code = np.where(frame["event"], 1, np.where(cases.loc[frame.index, "death_any"], COMPETING_DEATH, 0))
    return pd.DataFrame({"duration": frame["duration"], "code": code.astype(int)}, index=frame.index)


def cumulative_incidence(cases: pd.DataFrame, endpoint: str, times) -> pd.DataFrame:
    """At each of ``times``: the Aalen-Johansen cumulative incidence of the event with death as a
    competing event (lifelines' AalenJohansenFitter), and 1 - KM with deaths censored."""
    frame = competing_data(cases, endpoint)
    aj = AalenJohansenFitter(calculate_variance=False).fit(frame["duration"], frame["code"], event_of_interest=1)
    cif = aj.cumulative_density_.iloc[:, 0]
    kmf = fit(frame["duration"], frame["code"] == 1)
    rows = []
    for t in times:
        upto = cif[cif.index <= t]
        rows.append({"time": float(t), "Aalen-Johansen": float(upto.iloc[-1]) if len(upto) else 0.0,
                     "1 - Kaplan-Meier": 1 - survival_at(kmf, t)})
    return pd.DataFrame(rows).set_index("time")


def cumulative_incidence_curve(cases: pd.DataFrame, endpoint: str) -> pd.DataFrame:
    """The whole step functions behind ``cumulative_incidence``: one row per distinct time."""
    frame = competing_data(cases, endpoint)
    aj = AalenJohansenFitter(calculate_variance=False).fit(frame["duration"], frame["code"], event_of_interest=1)
    kmf = fit(frame["duration"], frame["code"] == 1)
    times = np.unique(np.concatenate([[0.0], frame["duration"].to_numpy(float)]))
    cif = aj.cumulative_density_.iloc[:, 0]
    aj_values = [float(cif[cif.index <= t].iloc[-1]) if (cif.index <= t).any() else 0.0 for t in times]
    km_values = 1 - kmf.survival_function_at_times(times).to_numpy()
    return pd.DataFrame({"time": times, "Aalen-Johansen": aj_values, "1 - Kaplan-Meier": km_values})


# ---- Restricted mean survival time --------------------------------------------------------------

def rmst(durations, events, horizon: float) -> dict:
    """Restricted mean survival time up to ``horizon`` (the area under S, lifelines'
    restricted_mean_survival_time) with its standard error (the usual Greenwood-type sum over event
    times t <= horizon of A(t)^2 d / (n (n - d)), A(t) the area under S from t to the horizon) and
    95% interval."""
    kmf = fit(durations, events)
    estimate = float(restricted_mean_survival_time(kmf, t=horizon))
    table = life_table(durations, events)
    steps = table[table["time"] <= horizon]
    edges = np.append(steps["time"].to_numpy(float), horizon)
    areas = steps["survival"].to_numpy(float) * np.diff(edges)   # S constant on [t_i, t_(i+1))
    after = np.cumsum(areas[::-1])[::-1]                          # area from t_i to the horizon
    died, at_risk = steps["events"].to_numpy(float), steps["at_risk"].to_numpy(float)
    usable = (died > 0) & (at_risk > died)
    variance = float(np.sum(after[usable] ** 2 * died[usable] / (at_risk[usable] * (at_risk[usable] - died[usable]))))
    se = np.sqrt(variance)
    return {"horizon": float(horizon), "rmst": estimate, "se": float(se), "lower": estimate - Z95 * se,
            "upper": min(estimate + Z95 * se, float(horizon))}


# ---- Follow-up ----------------------------------------------------------------------------------

def follow_up(cases: pd.DataFrame, endpoint: str = "dss") -> dict:
    """Median follow-up three ways: the crude median of the observation times; the reverse
    Kaplan-Meier median of the endpoint (its status reversed: the end of follow-up without the event
    is the event, the endpoint's event censors); and the reverse Kaplan-Meier median with every
    death censored (the reverse of overall survival), which estimates how long patients would have
    been followed had none of them died."""
    frame = endpoint_data(cases, endpoint)
    reverse = fit(frame["duration"], ~frame["event"], label="reverse Kaplan-Meier")
    any_death = cases.loc[frame.index, "death_any"].astype(bool)
    reverse_all = fit(frame["duration"], ~any_death, label="reverse Kaplan-Meier, every death censored")
    return {"crude median": float(frame["duration"].median()), "reverse KM median": lifelines_median(reverse),
            "reverse KM median, every death censored": lifelines_median(reverse_all), "reverse KM": reverse}


# ---- Simultaneous confidence bands --------------------------------------------------------------

@lru_cache(maxsize=32)
def _band_critical_value(kind: str, a_low: float, a_high: float, confidence: float = 0.95, simulations: int = 10000,
                         steps: int = 800, seed: int = 2019) -> float:
    """The critical value of a simultaneous band, by simulating a Brownian bridge W0 on [0, 1]:
    the ``confidence`` quantile of sup |W0(x)| (Hall-Wellner) or sup |W0(x)| / sqrt(x (1 - x))
    (equal precision, Nair) over a_low <= x <= a_high. Rounded to 2 decimals, the precision a
    simulation of this size supports, so that every machine gets the same value."""
    rng = np.random.default_rng(seed)
    grid = (np.arange(1, steps) / steps).astype(np.float32)
    inside = (grid >= a_low) & (grid <= a_high)
    suprema = []
    for _ in range(simulations // 2000):
        walk = np.cumsum(rng.standard_normal((2000, steps), dtype=np.float32) / np.float32(np.sqrt(steps)), axis=1)
        bridge = walk[:, :-1] - grid * walk[:, -1:]
        values = np.abs(bridge[:, inside])
        if kind == "equal precision":
            values = values / np.sqrt(grid[inside] * (1 - grid[inside]))
        suprema.append(values.max(axis=1))
    return round(float(np.quantile(np.concatenate(suprema), confidence)), 2)


def simultaneous_band(durations, events, kind: str = "equal precision", confidence: float = 0.95) -> pd.DataFrame:
    """A 95% simultaneous confidence band for S(t) between the first and the last event time with
    0 < S < 1 (on the log(-log) scale, like lifelines' pointwise band), beside the
    pointwise band at each of those times. ``kind``: "equal precision" (critical value computed to 3
    decimals, ``spinemets.bands``) or "Hall-Wellner" (simulated, 2 decimals)."""
    table = life_table(durations, events)
    n = len(np.asarray(durations))
    rows = table[(table["events"] > 0) & (table["survival"] > 0) & (table["survival"] < 1)].copy()
    sigma2 = (rows["greenwood_se"] / rows["survival"]) ** 2        # Greenwood sum of d / (n (n - d))
    a = n * sigma2 / (1 + n * sigma2)
    if kind == "equal precision":   # computed, not simulated: see spinemets.bands
        critical = equal_precision_critical_value(round(float(a.min()), 6), round(float(a.max()), 6), confidence)
    else:
        critical = _band_critical_value(kind, round(float(a.min()), 3), round(float(a.max()), 3), confidence)
    s = rows["survival"]
    if kind == "equal precision":
        half = critical * np.sqrt(sigma2) / np.log(s)
    elif kind == "Hall-Wellner":
        half = critical * (1 + n * sigma2) / (np.sqrt(n) * np.log(s))
    else:
        raise ValueError(f"unknown band {kind!r}")
    pointwise = pointwise_band(rows)
    return pd.DataFrame({"time": rows["time"].to_numpy(float), "survival": s.to_numpy(float),
                         "pointwise lower": pointwise["lower"].to_numpy(), "pointwise upper": pointwise["upper"].to_numpy(),
                         "simultaneous lower": (s ** np.exp(-half)).to_numpy(),
                         "simultaneous upper": (s ** np.exp(half)).to_numpy(), "critical value": critical})
