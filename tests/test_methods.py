"""The methods of "Beyond Kaplan-Meier" behave as their definitions say, checked against lifelines
and against independent computations (R's values are in tests/test_r_methods.py)."""

import numpy as np
import pandas as pd
import pytest
from scipy import linalg, optimize, stats

from spinemets import bands, competing_risks, cox_inference, data, methods_charts, restricted_mean, survival


@pytest.fixture(scope="module")
def cases():
    return data.load()


# ---- Cox inference ---------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ["dss", "drfs", "lr"])
def test_partial_likelihood_equals_lifelines_at_its_estimate(cases, endpoint):
    cph = survival.cox_model(cases, endpoint, "margin_positive")
    frame = survival.endpoint_data(cases, endpoint).join(cases["margin_positive"].astype(float))
    loglik, score, information = cox_inference.efron(frame["duration"], frame["event"], frame["margin_positive"],
                                                     cph.params_.to_numpy())
    assert loglik == pytest.approx(cph.log_likelihood_, abs=1e-9)
    assert abs(score[0]) < 1e-3   # lifelines stops its Newton steps at a small score, not at 0
    assert np.sqrt(1 / information[0, 0]) == pytest.approx(float(cph.standard_errors_.iloc[0]), rel=1e-5)
    profile = cox_inference.profile_interval(frame["duration"], frame["event"], frame["margin_positive"])
    assert profile["coef"] == pytest.approx(float(cph.params_.iloc[0]), abs=1e-3)   # lifelines' Newton tolerance


def test_firth_stays_finite_where_the_likelihood_is_monotone():
    # every event in the exposed group: the ordinary estimate runs off to infinity
    durations = np.array([2, 4, 5, 7, 9, 10, 12, 15], dtype=float)
    events = np.array([1, 1, 1, 0, 0, 0, 0, 0], dtype=bool)
    x = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=float)
    profile = cox_inference.profile_interval(durations, events, x)
    assert profile["upper"] == np.inf and profile["coef"] > 10
    firth = cox_inference.firth(durations, events, x)
    # the penalty 0.5 log I(b) falls to -infinity as b grows, so the estimate and both limits are finite
    assert 0 < firth["coef"] < 5 and np.isfinite(firth["lower"]) and np.isfinite(firth["upper"])


def test_firth_shrinks_towards_no_effect(cases):
    table = cox_inference.inference_table(cases, "lr", "margin_positive")
    wald, firth = table.loc["Wald (lifelines)"], table.loc["Firth, profile penalised likelihood"]
    assert 1 < firth["hazard ratio"] < wald["hazard ratio"]


def test_exact_grambsch_therneau_needs_a_known_transform(cases):
    frame = survival.endpoint_data(cases, "dss").join(cases["margin_positive"].astype(float))
    with pytest.raises(ValueError, match="unknown transform"):
        cox_inference.zph_test(frame["duration"], frame["event"], frame["margin_positive"], "log2")


# ---- Competing risks -------------------------------------------------------------------------

def test_gray_test_does_not_depend_on_which_group_is_first(cases):
    frame = competing_risks.coded(cases, "lr").join(cases["margin_positive"])
    one = competing_risks.gray_test(frame["duration"], frame["code"], frame["margin_positive"])
    other = competing_risks.gray_test(frame["duration"], frame["code"], ~frame["margin_positive"])
    assert one["statistic"] == pytest.approx(other["statistic"], rel=1e-10)
    assert one["score"][0] == pytest.approx(-other["score"][0], rel=1e-10)


def test_gray_test_without_competing_events_is_close_to_the_logrank_test(cases):
    # With no competing event Gray's test compares Kaplan-Meier curves; its score is the log-rank score.
    frame = survival.endpoint_data(cases, "drfs").join(cases["margin_positive"])
    gray = competing_risks.gray_test(frame["duration"], frame["event"].astype(int), frame["margin_positive"])
    logrank = survival.logrank(cases, "drfs", "margin_positive")
    assert gray["statistic"] == pytest.approx(logrank.test_statistic, rel=0.05)


def test_other_cause_death_coding(cases):
    coded = competing_risks.dss_competing_data(cases)
    assert (coded["code"] == competing_risks.OTHER_CAUSE).sum() == (cases["death_any"] & ~cases["dss_event"]).sum()
    broken = cases.copy()
    broken.loc[broken.index[0], ["dss_event", "death_any"]] = [True, False]
    with pytest.raises(ValueError, match="death_any"):
        competing_risks.dss_competing_data(broken)


def test_incidence_with_a_competitor_stays_below_one_minus_km(cases):
    incidence = competing_risks.incidence(cases, "dss", [24, 60, 120, 266])
    assert (incidence["Aalen-Johansen"] <= incidence["1 - Kaplan-Meier"] + 1e-12).all()
    # the other-cause death comes late, so the two agree early and differ afterwards
    assert incidence.loc[24.0, "Aalen-Johansen"] == pytest.approx(incidence.loc[24.0, "1 - Kaplan-Meier"])
    assert incidence.loc[120.0, "Aalen-Johansen"] < incidence.loc[120.0, "1 - Kaplan-Meier"]


# ---- Restricted means ------------------------------------------------------------------------

def test_rmst_difference_refuses_a_horizon_one_group_does_not_reach(cases):
    tau = restricted_mean.common_horizon(cases, "dss", "margin_positive")
    restricted_mean.rmst_difference(cases, "dss", "margin_positive", tau)
    with pytest.raises(ValueError, match="beyond the follow-up"):
        restricted_mean.rmst_difference(cases, "dss", "margin_positive", tau + 1)


# ---- The equal-precision band's critical value -----------------------------------------------

def finite_difference(c: float, length: float, points: int) -> float:
    u = np.linspace(-c, c, points + 1)[1:-1]
    h = 2 * c / points
    second = (np.diag(np.full(points - 2, 1.0), -1) - 2 * np.eye(points - 1) + np.diag(np.full(points - 2, 1.0), 1)) / h ** 2
    first = (np.diag(np.full(points - 2, 1.0), 1) - np.diag(np.full(points - 2, 1.0), -1)) / (2 * h)
    v = linalg.expm(length * (second - u[:, None] * first)) @ np.ones(points - 1)
    return float(h * np.sum(stats.norm.pdf(u) * v))


def finite_difference_stay_probability(c: float, length: float) -> float:
    """The same probability by a different route: second-order finite differences on a uniform
    grid, Dirichlet boundaries, the trapezoidal rule, the dense matrix exponential; Richardson
    extrapolation from 60 and 120 intervals removes the leading h^2 error."""
    return (4 * finite_difference(c, length, 120) - finite_difference(c, length, 60)) / 3


@pytest.mark.parametrize("a_low,a_high", [(0.1, 0.9), (0.055556, 0.831497)])
def test_equal_precision_critical_value_against_finite_differences(a_low, a_high):
    length = bands.interval_length(a_low, a_high)
    reference = optimize.brentq(lambda c: finite_difference_stay_probability(c, length) - 0.95, 2.5, 3.5, xtol=1e-5)
    assert bands.equal_precision_critical_value(a_low, a_high) == pytest.approx(reference, abs=1e-3)


def test_equal_precision_critical_value_limits():
    # one time point: the pointwise 1.96; a longer stretch of the curve: a larger value
    assert bands.equal_precision_critical_value(0.4, 0.4) == pytest.approx(1.96, abs=1e-3)
    assert bands.equal_precision_critical_value(0.3, 0.6) < bands.equal_precision_critical_value(0.1, 0.9)
    with pytest.raises(ValueError, match="a_low"):
        bands.interval_length(0.9, 0.1)


def test_a_grid_simulation_underestimates_the_critical_value(cases):
    frame = survival.endpoint_data(cases, "dss")
    exact = survival.simultaneous_band(frame["duration"], frame["event"], "equal precision")["critical value"].iloc[0]
    table = survival.life_table(frame["duration"], frame["event"])
    rows = table[(table["events"] > 0) & (table["survival"] > 0) & (table["survival"] < 1)]
    sigma2 = (rows["greenwood_se"] / rows["survival"]) ** 2
    a = len(frame) * sigma2 / (1 + len(frame) * sigma2)
    simulated = survival._band_critical_value("equal precision", round(float(a.min()), 3), round(float(a.max()), 3))
    assert simulated < exact


# ---- Charts ----------------------------------------------------------------------------------

def _layers(spec: dict) -> list:
    return spec.get("layer", [spec])


def test_methods_charts_have_tooltips_and_axis_titles(cases):
    frame = survival.endpoint_data(cases, "lr").join(cases["margin_positive"].astype(float))
    curve = cox_inference.profile_curve(frame["duration"], frame["event"], frame["margin_positive"], [0.5, 1, 4, 20])
    assert set(curve["likelihood"]) == {"partial likelihood", "Firth penalised likelihood"}
    assert curve.groupby("likelihood")["relative log likelihood"].max().le(1e-9).all()
    profile = methods_charts.profile_chart(curve, (0.4, 34.0)).to_dict()
    by_group = methods_charts.incidence_by_group_chart(
        competing_risks.cumulative_incidence_by_group(cases, "lr", "margin_positive"),
        {True: "positive margin", False: "negative margin"}, "Months after EBS", "Cumulative incidence").to_dict()
    for spec in (profile, by_group):
        for layer in _layers(spec):
            assert layer["encoding"]["tooltip"], layer["mark"]
    assert "log scale" in profile["layer"][0]["encoding"]["x"]["title"]
    assert by_group["encoding"]["x"]["title"] == "Months after EBS"
