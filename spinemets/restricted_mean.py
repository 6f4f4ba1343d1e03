"""Restricted mean survival time (RMST) as an effect size: which survival it restricts, and the
difference between two groups when hazards are not proportional.

``spinemets.survival.rmst`` computes one curve's RMST with its standard error. Two things are added:

``overall_and_disease_specific``
    The same horizon for two different quantities: the disease-specific RMST (death from another
    cause censored, so it describes a world in which no one dies of anything else, under
    independent censoring) and the overall-survival RMST (any death ends survival), which is what
    patients actually lived.
``rmst_difference``
    The difference in RMST between the two values of a boolean column up to a horizon tau that
    both groups' follow-up supports (``common_horizon``: the shorter of the two groups' longest
    observed times), with the 95% interval from the sum of the two independent variances
    (Royston and Parmar 2013).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from spinemets.survival import Z95, endpoint_data, rmst


def overall_and_disease_specific(cases: pd.DataFrame, horizons) -> pd.DataFrame:
    """The disease-specific and the overall-survival RMST (months) at each horizon, with 95% CI."""
    time = cases["dss_months"].astype(float)
    quantities = {"disease-specific (other-cause death censored)": cases["dss_event"].astype(bool),
                  "overall (any death)": cases["death_any"].astype(bool)}
    rows = []
    for name, event in quantities.items():
        for horizon in horizons:
            result = rmst(time, event, horizon)
            rows.append({"quantity": name, "horizon (months)": horizon, "RMST": result["rmst"],
                         "lower": result["lower"], "upper": result["upper"]})
    return pd.DataFrame(rows).set_index(["quantity", "horizon (months)"])


def common_horizon(cases: pd.DataFrame, endpoint: str, group: str) -> float:
    """The largest horizon both groups' follow-up reaches: the smaller of the two groups' longest
    observed times (event or censoring). Beyond it one group's curve is not estimated."""
    frame = endpoint_data(cases, endpoint).join(cases[group].astype(bool))
    return float(frame.groupby(group)["duration"].max().min())


def rmst_difference(cases: pd.DataFrame, endpoint: str, group: str, horizon: float) -> dict:
    """RMST of each group up to ``horizon`` and their difference (True minus False) with its 95%
    interval and two-sided p. Refuses a horizon beyond ``common_horizon``."""
    limit = common_horizon(cases, endpoint, group)
    if horizon > limit:
        raise ValueError(f"horizon {horizon:g} months is beyond the follow-up of one {group} group "
                         f"(longest observed time {limit:g} months)")
    frame = endpoint_data(cases, endpoint).join(cases[group].astype(bool))
    yes = frame[frame[group]]
    no = frame[~frame[group]]
    first, second = rmst(yes["duration"], yes["event"], horizon), rmst(no["duration"], no["event"], horizon)
    difference = first["rmst"] - second["rmst"]
    se = float(np.sqrt(first["se"] ** 2 + second["se"] ** 2))
    return {"horizon": float(horizon), "rmst true": first["rmst"], "se true": first["se"], "rmst false": second["rmst"],
            "se false": second["se"], "difference": float(difference), "se": se, "lower": float(difference - Z95 * se),
            "upper": float(difference + Z95 * se), "p": float(2 * stats.norm.sf(abs(difference) / se))}
