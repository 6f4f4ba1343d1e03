"""Inference for Cox models with few events: the partial likelihood itself, profile-likelihood
intervals, Firth's penalised likelihood, and the exact Grambsch-Therneau test.

lifelines fits the Cox model (``spinemets.survival.cox_model``) and reports Wald intervals:
estimate +/- 1.96 standard errors on the log scale. With 5 to 13 events the log partial likelihood
is far from a parabola, and the Wald interval can be badly placed. The remedies need the partial
likelihood at any coefficient, which lifelines does not expose, so it is written out here
(``efron``) and checked against lifelines at its estimate (tests) and against R's ``coxph`` at
fixed coefficients (``tests/r/methods_crosscheck.R``).

``efron``
    The log partial likelihood with Efron's handling of tied event times (lifelines' and R's
    default), its score and its information matrix. At each distinct event time with d tied events,
    the k-th of them (k = 0..d-1) sees the risk set with k/d of the tied patients' weight removed.
``profile_interval``
    The likelihood-ratio (profile-likelihood) interval: every coefficient b whose log likelihood is
    within chi2(1, 0.95) / 2 = 1.92 of the maximum. It follows the likelihood's real shape.
``firth``
    Firth's bias-reducing penalised partial likelihood, l(b) + 0.5 log |I(b)|, as proposed for the
    Cox model by Heinze and Schemper (2001, Statistics in Medicine): it pulls the estimate towards 0
    by about the size of its small-sample bias and stays finite when one group has no events
    (monotone likelihood). Its interval is the profile *penalised* likelihood interval, its p the
    penalised likelihood-ratio test, as in that paper.
``zph_test``
    The Grambsch-Therneau test of proportional hazards as R's ``cox.zph`` computes it (survival
    3.5-3, read from its source): the score test for adding x * g(t) to the model, with the full information
    matrix of (x, x * g(t)). ``lifelines.statistics.proportional_hazard_test`` computes the
    original approximation, which replaces that information by var(b) and the spread of g(t) at the
    event times (Grambsch and Therneau 1994); with few events the two differ.

The models here have one covariate, as 18 patients allow; ``efron`` itself takes any number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from lifelines.statistics import proportional_hazard_test
from scipy import optimize, stats

from spinemets.survival import cox_model, endpoint_data

CHI2_95 = float(stats.chi2.ppf(0.95, 1))
LIMIT = 20.0   # |log hazard ratio| searched; beyond it a likelihood is treated as flat (interval open)


def _design(covariates) -> np.ndarray:
    x = np.asarray(covariates, dtype=float)
    return x.reshape(len(x), -1)


def efron(durations, events, covariates, beta, time_covariates=None) -> tuple[float, np.ndarray, np.ndarray]:
    """Log partial likelihood (Efron ties), score vector and information matrix at ``beta``.

    ``covariates``: n x p (or length n). ``time_covariates``, optional: a function of the event time
    returning the n x p matrix to use at that time (a time-varying covariate such as x * g(t))."""
    time, event = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    fixed = _design(covariates)
    beta = np.atleast_1d(np.asarray(beta, dtype=float))
    p = len(beta)
    loglik, score, information = 0.0, np.zeros(p), np.zeros((p, p))
    for t in np.unique(time[event]):
        x = fixed if time_covariates is None else _design(time_covariates(t))
        weight = np.exp(x @ beta)
        risk, tied = time >= t, (time == t) & event
        d = int(tied.sum())
        s0_r, s1_r = weight[risk].sum(), weight[risk] @ x[risk]
        s2_r = (x[risk] * weight[risk, None]).T @ x[risk]
        s0_d, s1_d = weight[tied].sum(), weight[tied] @ x[tied]
        s2_d = (x[tied] * weight[tied, None]).T @ x[tied]
        loglik += float(x[tied].sum(axis=0) @ beta)
        score += x[tied].sum(axis=0)
        for k in range(d):
            share = k / d
            s0, s1, s2 = s0_r - share * s0_d, s1_r - share * s1_d, s2_r - share * s2_d
            loglik -= np.log(s0)
            score -= s1 / s0
            information += s2 / s0 - np.outer(s1, s1) / s0 ** 2
    return float(loglik), score, information


def _one(durations, events, covariate, penalised: bool):
    """The (penalised) log partial likelihood of a one-covariate model as a function of b."""
    def loglik(b: float) -> float:
        value, _, information = efron(durations, events, covariate, [b])
        return value + (0.5 * np.log(information[0, 0]) if penalised else 0.0)
    return loglik


def _maximum(loglik) -> float:
    result = optimize.minimize_scalar(lambda b: -loglik(b), bounds=(-LIMIT, LIMIT), method="bounded",
                                      options={"xatol": 1e-10})
    return float(result.x)


def _interval(loglik, estimate: float) -> tuple[float, float]:
    """The coefficients where loglik falls chi2(1, 0.95) / 2 below its value at ``estimate``;
    -inf / inf where it never does within |b| <= LIMIT."""
    floor = loglik(estimate) - CHI2_95 / 2

    def side(end: float) -> float:
        if loglik(end) > floor:
            return float(np.sign(end) * np.inf)
        return float(optimize.brentq(lambda b: loglik(b) - floor, *sorted((estimate, end)), xtol=1e-10))

    return side(-LIMIT), side(LIMIT)


def profile_interval(durations, events, covariate) -> dict:
    """Maximum partial likelihood estimate (as lifelines') with its 95% profile-likelihood interval
    and likelihood-ratio p, on the log hazard ratio scale."""
    loglik = _one(durations, events, covariate, penalised=False)
    estimate = _maximum(loglik)
    lower, upper = _interval(loglik, estimate)
    statistic = 2 * (loglik(estimate) - loglik(0.0))
    return {"coef": estimate, "lower": lower, "upper": upper, "p": float(stats.chi2.sf(statistic, 1))}


def firth(durations, events, covariate) -> dict:
    """Firth's penalised estimate (Heinze-Schemper), its 95% profile penalised likelihood interval
    and penalised likelihood-ratio p, on the log hazard ratio scale."""
    loglik = _one(durations, events, covariate, penalised=True)
    estimate = _maximum(loglik)
    lower, upper = _interval(loglik, estimate)
    statistic = 2 * (loglik(estimate) - loglik(0.0))
    return {"coef": estimate, "lower": lower, "upper": upper, "p": float(stats.chi2.sf(statistic, 1))}


def profile_curve(durations, events, covariate, hazard_ratios) -> pd.DataFrame:
    """The log partial likelihood and Firth's penalised one at each hazard ratio, each minus its
    maximum (0 at its estimate; the 95% interval is where it is above -chi2(1, 0.95) / 2)."""
    rows = []
    for name, penalised in (("partial likelihood", False), ("Firth penalised likelihood", True)):
        loglik = _one(durations, events, covariate, penalised)
        top = loglik(_maximum(loglik))
        rows += [{"likelihood": name, "hazard ratio": float(hr), "relative log likelihood": loglik(np.log(hr)) - top}
                 for hr in hazard_ratios]
    return pd.DataFrame(rows)


def _km_transform(durations, events):
    """R's ``cox.zph`` "km" time transform: g(t) = 1 - S(t-), the Kaplan-Meier estimate of the
    endpoint itself just before t."""
    time, event = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    event_times = np.unique(time[event])
    factors = [1 - ((time == t) & event).sum() / (time >= t).sum() for t in event_times]
    survival = np.cumprod(factors)

    def g(t: float) -> float:
        before = survival[event_times < t]
        return 1 - (before[-1] if len(before) else 1.0)
    return g


def zph_test(durations, events, covariate, transform: str = "km") -> dict:
    """Grambsch-Therneau test as R's ``cox.zph`` (survival 3.5-3): the score test, at the fitted
    b and gamma = 0, for gamma in the model b x + gamma x g(t), with the full 2 x 2 information
    matrix (Efron ties). ``transform``: "km" (R's default) or "rank" (ranks of all the times,
    censored included, as R). Returns the chi-square statistic and its p (1 df)."""
    time, event = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    x = np.asarray(covariate, dtype=float)
    if transform == "km":
        g = _km_transform(time, event)
    elif transform == "rank":
        ranks = dict(zip(time, stats.rankdata(time)))   # tied times share their average rank, as R's rank()
        g = ranks.__getitem__
    else:
        raise ValueError(f"unknown transform {transform!r}")
    estimate = _maximum(_one(time, event, x, penalised=False))
    _, score, information = efron(time, event, np.column_stack([x, x]), [estimate, 0.0],
                                  time_covariates=lambda t: np.column_stack([x, x * g(t)]))
    u = np.array([0.0, score[1]])                      # the score for b is 0 at its estimate
    statistic = float(u @ np.linalg.solve(information, u))
    return {"statistic": statistic, "p": float(stats.chi2.sf(statistic, 1))}


def lifelines_zph(cases: pd.DataFrame, endpoint: str, covariate: str, transform: str) -> dict:
    """lifelines' approximate Grambsch-Therneau test (``proportional_hazard_test``) with one of its
    time transforms ("km", "rank", "identity", "log")."""
    cph = cox_model(cases, endpoint, covariate)
    frame = endpoint_data(cases, endpoint).join(cases[covariate].astype(float))
    result = proportional_hazard_test(cph, frame, time_transform=transform)
    return {"statistic": float(np.asarray(result.test_statistic)[0]), "p": float(np.asarray(result.p_value)[0])}


def inference_table(cases: pd.DataFrame, endpoint: str, covariate: str) -> pd.DataFrame:
    """One Cox model (one endpoint, one covariate) three ways, as hazard ratios with 95% intervals
    and p: Wald (lifelines), profile likelihood, and Firth's penalised likelihood."""
    frame = endpoint_data(cases, endpoint).join(cases[covariate].astype(float))
    durations, events, x = frame["duration"], frame["event"], frame[covariate]
    row = cox_model(cases, endpoint, covariate).summary.iloc[0]
    wald = {"coef": float(row["coef"]), "lower": float(row["coef lower 95%"]), "upper": float(row["coef upper 95%"]),
            "p": float(row["p"])}
    methods = {"Wald (lifelines)": wald, "profile likelihood": profile_interval(durations, events, x),
               "Firth, profile penalised likelihood": firth(durations, events, x)}
    rows = [{"method": name, "hazard ratio": np.exp(r["coef"]), "lower": np.exp(r["lower"]),
             "upper": np.exp(r["upper"]), "p": r["p"]} for name, r in methods.items()]
    return pd.DataFrame(rows).set_index("method")
