"""Inference that fits 18 patients: exact permutation log-rank tests, leave-one-out influence and a
bootstrap interval for the median.

The asymptotic methods of ``spinemets.survival`` (the log-rank chi-square, Wald intervals, the
Greenwood-based intervals of the median) are approximations whose accuracy grows with the number
of events. With 18 patients three checks say how far the numbers can be trusted:

``exact_logrank``
    The log-rank statistic O - E of one group is a sum of per-patient *log-rank scores*,
    a_i = delta_i - H(t_i), where H is the Nelson-Aalen cumulative hazard of the pooled sample at
    the patient's time (every event time up to and including t_i). Under the hypothesis of one
    shared survival curve and the same censoring in both groups, every assignment of the group
    labels to the patients is equally likely, given the times. The exact conditional p-value is
    the share of all those assignments whose |O - E| is at least the observed one. For these group
    sizes every assignment is enumerated (C(18, 8) = 43,758); past ``ENUMERATION_LIMIT`` a seeded
    Monte Carlo sample is used instead and its standard error reported. The scores are those of
    R's coin::logrank_test (ties.method = "mid-ranks"), which ``tests/r/small_sample_crosscheck.R``
    runs with distribution = "exact".
``leave_one_out``
    Every headline estimate recomputed 18 times, each time without one patient: how far one
    patient moves the 5-year survival, the medians, the log-rank p and the hazard ratio.
``bootstrap_median``
    A percentile bootstrap interval for the median: patients resampled with replacement (seeded),
    the median (SPSS's rule, as the paper's) of each resample, and the 2.5th and 97.5th
    percentiles of those medians. A resample whose curve never falls to 0.5 has no median; it is
    counted as "beyond the last follow-up", so an upper limit that lands there is "Not reached".
"""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter
from lifelines.statistics import logrank_test

from spinemets import survival

ENUMERATION_LIMIT = 2_000_000
MONTE_CARLO_RESAMPLES = 100_000
BOOTSTRAP_RESAMPLES = 2000
SEED = 2019
NOT_REACHED = "Not reached"


# ---- Exact (permutation) log-rank test ----------------------------------------------------------

def logrank_scores(durations, events) -> np.ndarray:
    """Each patient's log-rank score, delta_i - H(t_i): the event indicator minus the pooled
    Nelson-Aalen cumulative hazard at the patient's time (events at that time included). The sum
    of the scores of one group is that group's observed minus expected events, O - E."""
    time, event = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    table = survival.life_table(time, event)
    hazard = np.cumsum(table["events"].to_numpy() / table["at_risk"].to_numpy())
    position = np.searchsorted(table["time"].to_numpy(float), time)
    return event.astype(float) - hazard[position]


def _subset_sums(scores: np.ndarray, size: int, chunk: int = 200_000):
    """The score sums of every subset of ``size`` patients, yielded in chunks (full enumeration)."""
    subsets = combinations(range(len(scores)), size)
    while True:
        block = np.fromiter((i for subset in _take(subsets, chunk) for i in subset), dtype=np.int64)
        if not len(block):
            return
        yield scores[block.reshape(-1, size)].sum(axis=1)


def _take(iterator, count: int):
    for _, item in zip(range(count), iterator):
        yield item


def exact_logrank(durations, events, in_group, seed: int = SEED) -> dict:
    """The exact conditional (permutation) log-rank test of the patients with ``in_group`` True
    against the rest.

    Returns ``observed`` and ``expected`` events of the group, ``o_minus_e``, ``arrangements``
    (how many label assignments were counted), ``enumerated`` (True: all of them; False: a seeded
    Monte Carlo sample of ``MONTE_CARLO_RESAMPLES``), ``p`` (two-sided: the share of assignments
    with |O - E| at least the observed), ``monte_carlo_se`` (0 when enumerated) and ``asymptotic_p``
    (the usual chi-square p, lifelines, for comparison)."""
    time, event = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    group = np.asarray(in_group, dtype=bool)
    if not (len(time) == len(event) == len(group)):
        raise ValueError("durations, events and in_group must have the same length")
    if group.all() or not group.any():
        raise ValueError("both groups need at least one patient")
    scores = logrank_scores(time, event)
    observed = float(scores[group].sum())
    size = int(group.sum())
    tolerance = 1e-9
    total = comb(len(scores), size)
    if total <= ENUMERATION_LIMIT:
        extreme = sum(int(np.sum(np.abs(sums) >= abs(observed) - tolerance)) for sums in _subset_sums(scores, size))
        counted, enumerated, p = total, True, extreme / total
        se = 0.0
    else:
        rng = np.random.default_rng(seed)
        draws = np.argsort(rng.random((MONTE_CARLO_RESAMPLES, len(scores))), axis=1)[:, :size]
        sums = scores[draws].sum(axis=1)
        counted, enumerated = MONTE_CARLO_RESAMPLES, False
        p = float(np.mean(np.abs(sums) >= abs(observed) - tolerance))
        se = float(np.sqrt(p * (1 - p) / counted))
    asymptotic = logrank_test(time[group], time[~group], event[group], event[~group]).p_value
    return {"observed": int(event[group].sum()), "expected": float(event[group].sum() - observed),
            "o_minus_e": observed, "arrangements": int(counted), "enumerated": enumerated, "p": float(p),
            "monte_carlo_se": se, "asymptotic_p": float(asymptotic)}


def logrank_permutation_distribution(durations, events, in_group) -> pd.DataFrame:
    """The exact permutation distribution of a group's O - E: every distinct value (rounded to 6
    decimals) with its probability, from all C(n, k) assignments of the group label (enumerated)."""
    scores = logrank_scores(durations, events)
    size = int(np.asarray(in_group, dtype=bool).sum())
    if comb(len(scores), size) > ENUMERATION_LIMIT:
        raise ValueError(f"C({len(scores)}, {size}) assignments are too many to enumerate")
    sums = np.round(np.concatenate(list(_subset_sums(scores, size))), 6)
    values, counts = np.unique(sums, return_counts=True)
    return pd.DataFrame({"o_minus_e": values, "probability": counts / counts.sum()})


def exact_logrank_test(cases: pd.DataFrame, endpoint: str, group: str) -> dict:
    """``exact_logrank`` of an endpoint (``survival.ENDPOINTS``) between the two values of a boolean column."""
    frame = survival.endpoint_data(cases, endpoint).join(cases[group])
    return exact_logrank(frame["duration"], frame["event"], frame[group].astype(bool))


# ---- Leave one patient out ----------------------------------------------------------------------

HEADLINES = {
    "5-year DSS (%)": "disease-specific survival at 60 months (deaths from disease are events)",
    "5-year OS (%)": "overall survival at 60 months (every death is an event)",
    "median DSS (months)": "median disease-specific survival, SPSS rule",
    "median DRFS (months)": "median distant-relapse-free survival, SPSS rule",
    "log-rank p, DRFS by margin": "log-rank test of distant relapse, positive against negative margin",
    "HR, DRFS by margin": "Cox hazard ratio of distant relapse, positive against negative margin",
}


def headline_estimates(cases: pd.DataFrame) -> dict:
    """The headline estimates of ``HEADLINES`` from one set of patients."""
    dss = survival.endpoint_data(cases, "dss")
    os_events = cases.loc[dss.index, "death_any"].astype(bool)
    drfs = survival.endpoint_data(cases, "drfs")
    # lifelines stops Newton-Raphson at a change of 1e-7 by default, which leaves the hazard ratio
    # of some subsets 1e-4 from the maximum (R's coxph goes further); converge fully instead.
    frame = drfs.join(cases["margin_positive"].astype(float))
    cox = CoxPHFitter().fit(frame, duration_col="duration", event_col="event", fit_options={"precision": 1e-12})
    return {
        "5-year DSS (%)": 100 * survival.survival_at(survival.fit(dss["duration"], dss["event"]), 60),
        "5-year OS (%)": 100 * survival.survival_at(survival.fit(dss["duration"], os_events), 60),
        "median DSS (months)": survival.spss_median(survival.life_table(dss["duration"], dss["event"])),
        "median DRFS (months)": survival.spss_median(survival.life_table(drfs["duration"], drfs["event"])),
        "log-rank p, DRFS by margin": float(survival.logrank(cases, "drfs", "margin_positive").p_value),
        "HR, DRFS by margin": float(cox.summary["exp(coef)"].iloc[0]),
    }


def leave_one_out(cases: pd.DataFrame) -> pd.DataFrame:
    """``headline_estimates`` without each patient in turn: one row per omitted case (index
    ``case``), plus the row ``all`` with every patient."""
    rows = {"all": headline_estimates(cases)}
    for case in cases.index:
        rows[case] = headline_estimates(cases.drop(index=case))
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "case left out"
    return frame


def influence_summary(table: pd.DataFrame) -> pd.DataFrame:
    """For each estimate of ``leave_one_out``: the value with every patient, the smallest and the
    largest leave-one-out value, and the cases that give them."""
    full, rest = table.loc["all"], table.drop(index="all")
    rows = []
    for column in table.columns:
        values = rest[column]
        rows.append({"estimate": column, "all patients": full[column], "smallest": values.min(),
                     "case (smallest)": ", ".join(map(str, values.index[values == values.min()])),
                     "largest": values.max(),
                     "case (largest)": ", ".join(map(str, values.index[values == values.max()]))})
    return pd.DataFrame(rows).set_index("estimate")


# ---- Bootstrap interval for the median ----------------------------------------------------------

def km_median(durations, events, tolerance: float = survival.TOLERANCE) -> float:
    """The SPSS median (smallest event time with S(t) <= 0.5; NaN if never reached), computed in
    numpy without building a life table, for the many resamples of ``bootstrap_median``."""
    time, event = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    times, which = np.unique(time, return_inverse=True)
    leaving = np.bincount(which, minlength=len(times))
    died = np.bincount(which, weights=event, minlength=len(times))
    at_risk = len(time) - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    s = np.cumprod(1 - died / at_risk)
    reached = (died > 0) & (s <= 0.5 + tolerance)
    return float(times[reached][0]) if reached.any() else float("nan")


def bootstrap_medians(durations, events, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = SEED) -> np.ndarray:
    """The median of each of ``resamples`` bootstrap samples (patients drawn with replacement,
    numpy's default generator seeded with ``seed``); NaN where a resample's curve never reaches 0.5."""
    time, event = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(time), size=(resamples, len(time)))
    return np.array([km_median(time[rows], event[rows]) for rows in draws])


def bootstrap_median(durations, events, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = SEED,
                     confidence: float = 0.95) -> dict:
    """Percentile bootstrap interval of the SPSS median: the (1 - confidence) / 2 and
    (1 + confidence) / 2 quantiles (numpy's ``inverted_cdf``, an order statistic) of the resampled
    medians, a resample without a median counted as beyond the last follow-up (infinite). An
    infinite limit means "Not reached". Also returns ``not_reached_share``, the share of resamples
    without a median, and ``distinct``, how many different medians the resamples produced."""
    medians = bootstrap_medians(durations, events, resamples, seed)
    ordered = np.where(np.isnan(medians), np.inf, medians)
    alpha = (1 - confidence) / 2
    lower, upper = np.quantile(ordered, [alpha, 1 - alpha], method="inverted_cdf")
    return {"median": km_median(durations, events), "lower": float(lower), "upper": float(upper),
            "resamples": int(resamples), "seed": int(seed), "not_reached_share": float(np.mean(np.isnan(medians))),
            "distinct": int(len(np.unique(medians[~np.isnan(medians)])))}


def months_or_not_reached(value: float, decimals: int = 0) -> str:
    """A time limit in months for prose and tables: "Not reached" for an infinite or missing limit."""
    return NOT_REACHED if not np.isfinite(value) else f"{value:.{decimals}f}"


def median_intervals(cases: pd.DataFrame, endpoint: str) -> pd.DataFrame:
    """The median of an endpoint with four 95% intervals side by side: SPSS's (median +/- 1.96 SE),
    Brookmeyer-Crowley's with R's log band and with SAS's log-log band, and the percentile bootstrap."""
    frame = survival.endpoint_data(cases, endpoint)
    table = survival.life_table(frame["duration"], frame["event"])
    boot = bootstrap_median(frame["duration"], frame["event"])
    rows = [
        ("SPSS: median ± 1.96 SE", *survival.spss_median_ci(table)),
        ("Brookmeyer–Crowley, log band (R survival's default)", *survival.band_inversion_ci(table, "log")),
        ("Brookmeyer–Crowley, log-log band (SAS LIFETEST's default)", *survival.band_inversion_ci(table, "log-log")),
        (f"percentile bootstrap, {boot['resamples']} resamples (seed {boot['seed']})", boot["lower"], boot["upper"]),
    ]
    out = pd.DataFrame(rows, columns=["interval", "lower", "upper"]).set_index("interval")
    out.insert(0, "median", survival.spss_median(table))
    return out
