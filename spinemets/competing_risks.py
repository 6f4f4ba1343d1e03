"""Competing risks carried through: the cumulative incidence of death from the cancer with death
from another cause competing, cumulative incidence by group, and Gray's test.

``spinemets.survival.competing_data`` codes local recurrence and distant relapse with any death
before them as the competing event. Here the same is done for death from the disease, whose
competitor is death from another cause (Table 3's "DOC"), and groups are compared.

``cumulative_incidence_by_group``
    The Aalen-Johansen cumulative incidence of the event of interest in each group (lifelines'
    ``AalenJohansenFitter``), as step functions.
``gray_test``
    Gray's (1988) k-sample test that the cumulative incidence functions of one cause are equal
    across groups, with weight (1 - F(t-))^rho (rho = 0, the default of R's ``cmprsk::cuminc``).
    At each event time it compares each group's events of the cause of interest with the number
    expected from the pooled subdistribution hazard among that group's "subdistribution risk set"
    (R_k (1 - F_k(t-)) / S_k(t-), patients still event-free plus those already taken by the
    competing event, re-weighted); the variance is Gray's, from the asymptotic representation of
    each group's cumulative incidence. No Python library implements it; R's ``cmprsk::cuminc``
    (Gray's own program) is the cross-check (``tests/test_r_methods.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from lifelines import AalenJohansenFitter
from scipy import stats

from spinemets.survival import ENDPOINTS, competing_data, fit, survival_at

OTHER_CAUSE = 2


def dss_competing_data(cases: pd.DataFrame) -> pd.DataFrame:
    """``duration`` and ``code`` for death from the disease: 1 death from disease, 2 death from
    another cause, 0 alive at last contact."""
    spec = ENDPOINTS["dss"]
    died = cases["death_any"].astype(bool)
    from_disease = cases[spec.event].astype(bool)
    if (from_disease & ~died).any():
        raise ValueError(f"cases {list(cases.index[from_disease & ~died])}: a death from disease without a death "
                         f"(columns {spec.event}, death_any)")
    code = np.where(from_disease, 1, np.where(died, OTHER_CAUSE, 0))
    return pd.DataFrame({"duration": cases[spec.duration].astype(float), "code": code.astype(int)}, index=cases.index)


def coded(cases: pd.DataFrame, endpoint: str) -> pd.DataFrame:
    """The competing-risks coding of ``endpoint``: "dss" (other-cause death competes), "lr" or
    "drfs" (any death before the event competes)."""
    return dss_competing_data(cases) if endpoint == "dss" else competing_data(cases, endpoint)


def _step(values: pd.Series, times) -> np.ndarray:
    """A right-continuous step function (index: jump times) read at ``times`` (0 before the first)."""
    index = values.index.to_numpy(float)
    positions = np.searchsorted(index, np.asarray(times, dtype=float), side="right") - 1
    return np.where(positions >= 0, values.to_numpy(float)[np.maximum(positions, 0)], 0.0)


def aalen_johansen(durations, codes) -> AalenJohansenFitter:
    """lifelines' Aalen-Johansen fit of cause 1 (``codes``: 0 censored, 1 the cause, 2 competing)."""
    return AalenJohansenFitter(calculate_variance=False).fit(np.asarray(durations, dtype=float),
                                                             np.asarray(codes, dtype=int), event_of_interest=1)


def incidence(cases: pd.DataFrame, endpoint: str, times) -> pd.DataFrame:
    """At each of ``times``: the Aalen-Johansen cumulative incidence of the endpoint's event and
    1 - Kaplan-Meier with the competing event censored."""
    frame = coded(cases, endpoint)
    cif = aalen_johansen(frame["duration"], frame["code"]).cumulative_density_.iloc[:, 0]
    kmf = fit(frame["duration"], frame["code"] == 1)
    return pd.DataFrame({"time": np.asarray(times, dtype=float), "Aalen-Johansen": _step(cif, times),
                         "1 - Kaplan-Meier": [1 - survival_at(kmf, t) for t in times]}).set_index("time")


def incidence_curve(cases: pd.DataFrame, endpoint: str) -> pd.DataFrame:
    """The whole step functions behind ``incidence``: one row per distinct time (and 0)."""
    frame = coded(cases, endpoint)
    times = np.unique(np.concatenate([[0.0], frame["duration"].to_numpy(float)]))
    return incidence(cases, endpoint, times).reset_index()


def cumulative_incidence_by_group(cases: pd.DataFrame, endpoint: str, group: str) -> pd.DataFrame:
    """The Aalen-Johansen cumulative incidence in each value of the boolean column ``group``, one row
    per group and distinct time (and 0): ``group``, ``time``, ``incidence``, ``at_risk``."""
    frame = coded(cases, endpoint).join(cases[group].astype(bool))
    rows = []
    for value, part in frame.groupby(group, sort=False):
        cif = aalen_johansen(part["duration"], part["code"]).cumulative_density_.iloc[:, 0]
        times = np.unique(np.concatenate([[0.0], part["duration"].to_numpy(float)]))
        at_risk = [(part["duration"] >= t).sum() for t in times]
        rows.append(pd.DataFrame({"group": value, "time": times, "incidence": _step(cif, times), "at_risk": at_risk}))
    return pd.concat(rows, ignore_index=True)


def gray_test(durations, codes, groups, rho: float = 0.0) -> dict:
    """Gray's test of equal cumulative incidence of cause 1 across ``groups`` (``codes``: 0 censored,
    1 the cause, 2 a competing event). Returns the score of each group but the last, the
    chi-square statistic (k - 1 df) and its p."""
    time = np.asarray(durations, dtype=float)
    code = np.asarray(codes, dtype=int)
    labels, group = np.unique(np.asarray(groups), return_inverse=True)
    k = len(labels)
    at_risk = np.bincount(group, minlength=k).astype(float)
    surv_before = np.ones(k)      # S_k(t-): Kaplan-Meier of any event, left-continuous
    cif_before = np.zeros(k)      # F_k(t-): cumulative incidence of cause 1, left-continuous
    pooled_before = 0.0           # the pooled F(t-) that the weight and the variance use
    score = np.zeros(k - 1)
    variance = np.zeros((k - 1, k - 1))
    c = np.zeros((k, k))          # running integrals of the weights against the pooled hazard
    v_cause = np.zeros((k - 1, k))
    v_self = np.zeros(k)
    for t in np.unique(time):
        at_t = time == t
        d1 = np.bincount(group[at_t & (code == 1)], minlength=k).astype(float)
        d2 = np.bincount(group[at_t & (code == 2)], minlength=k).astype(float)
        n1, n2 = d1.sum(), d2.sum()
        live = at_risk > 0
        if n1 + n2 > 0:
            surv = surv_before.copy()
            cif = cif_before.copy()
            surv[live] = surv_before[live] * (at_risk[live] - d1[live] - d2[live]) / at_risk[live]
            cif[live] = cif_before[live] + surv_before[live] * d1[live] / at_risk[live]
            h = np.where(live, at_risk / np.where(live, surv_before, 1.0), 0.0)
            sub_risk = np.where(live, at_risk * (1 - cif_before) / np.where(live, surv_before, 1.0), 0.0)
            h_total, sub_total = h.sum(), sub_risk.sum()
            pooled = pooled_before + n1 / h_total
            weight = (1 - pooled_before) ** rho
            a = -weight * np.outer(h, h) / h_total
            np.fill_diagonal(a, weight * h * (1 - h / h_total))
            c += a * n1 / (h_total * (1 - pooled_before))
            expected = n1 * sub_risk[: k - 1] / sub_total
            score += np.where(live[: k - 1], weight * (d1[: k - 1] - expected), 0.0)
            if n1 > 0:
                for j in np.flatnonzero(live):
                    t4 = 1 - (1 - pooled) / surv[j] if surv[j] > 0 else 1.0
                    t5 = 1 - (n1 - 1) / (h_total * surv_before[j] - 1) if n1 > 1 else 1.0
                    t3 = t5 * surv_before[j] * n1 / (h_total * at_risk[j])
                    v_self[j] += t4 * t4 * t3
                    t1 = a[: k - 1, j] - t4 * c[: k - 1, j]
                    v_cause[:, j] += t1 * t4 * t3
                    variance += np.outer(t1, t1) * t3
            if n2 > 0:
                for j in np.flatnonzero(live & (surv > 0) & (d2 > 0)):
                    t4 = (1 - pooled) / surv[j]
                    t5 = 1 - (d2[j] - 1) / (at_risk[j] - 1) if d2[j] > 1 else 1.0
                    t3 = t5 * surv_before[j] ** 2 * d2[j] / at_risk[j] ** 2
                    v_self[j] += t4 * t4 * t3
                    t1 = t4 * c[: k - 1, j]
                    v_cause[:, j] -= t1 * t4 * t3
                    variance += np.outer(t1, t1) * t3
            pooled_before, surv_before, cif_before = pooled, surv, cif
        at_risk -= np.bincount(group[at_t], minlength=k)
    cc = c[: k - 1]
    variance += (cc * v_self) @ cc.T + cc @ v_cause.T + v_cause @ cc.T
    statistic = float(score @ np.linalg.solve(variance, score))
    return {"score": score, "statistic": statistic, "df": k - 1, "p": float(stats.chi2.sf(statistic, k - 1)),
            "groups": list(labels)}


def gray_by(cases: pd.DataFrame, endpoint: str, group: str) -> dict:
    """Gray's test of ``endpoint``'s cumulative incidence between the values of ``group``."""
    frame = coded(cases, endpoint).join(cases[group])
    return gray_test(frame["duration"], frame["code"], frame[group])
