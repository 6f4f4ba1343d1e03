"""An independent re-computation, in R, of the methods of "Beyond Kaplan-Meier".

The test writes the case series (``spinemets.data.load``) to a CSV, runs
``tests/r/methods_crosscheck.R`` over it and compares with ``spinemets.cox_inference``,
``spinemets.competing_risks`` and ``spinemets.restricted_mean``: the Efron log partial likelihood
and information at fixed coefficients (``coxph`` with ``iter.max = 0``), the profile-likelihood and
Firth (profile penalised likelihood) estimates and intervals (optimised in R with ``optimize`` and
``uniroot``), the Grambsch-Therneau test (``cox.zph``), Gray's test and the cumulative incidence
(``cmprsk::cuminc``), the restricted mean survival time by margin (``summary(survfit, rmean=)``) and
the reverse Kaplan-Meier median follow-up with its interval. Without Rscript (or its survival and
cmprsk packages) the test is skipped with the reason, except in CI (CI=true), where it fails.
"""

import math
from pathlib import Path

import numpy as np
import pytest

from r_support import r_output
from spinemets import competing_risks, cox_inference, data, restricted_mean, survival
from test_r_crosscheck import same

SCRIPT = Path(__file__).parent / "r" / "methods_crosscheck.R"
ENDPOINTS = ["dss", "drfs", "lr"]


@pytest.fixture(scope="module")
def r_values(tmp_path_factory) -> dict:
    return r_output(SCRIPT, tmp_path_factory.mktemp("r"))


@pytest.fixture(scope="module")
def cases():
    return data.load()


def model_data(cases, endpoint):
    frame = survival.endpoint_data(cases, endpoint).join(cases["margin_positive"].astype(float))
    return frame["duration"], frame["event"], frame["margin_positive"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_partial_likelihood_and_information_at_fixed_coefficients(r_values, cases, endpoint):
    durations, events, x = model_data(cases, endpoint)
    for b in (-1, 0, 0.5, 2):
        loglik, _, information = cox_inference.efron(durations, events, x, [b])
        assert same(r_values[f"{endpoint}_loglik_{b:g}"], loglik, 1e-9), b
        assert same(r_values[f"{endpoint}_information_{b:g}"], information[0, 0], 1e-9), b


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("method", ["profile", "firth"])
def test_profile_and_firth_intervals(r_values, cases, endpoint, method):
    durations, events, x = model_data(cases, endpoint)
    result = (cox_inference.profile_interval if method == "profile" else cox_inference.firth)(durations, events, x)
    for part in ("coef", "lower", "upper", "p"):
        assert same(r_values[f"{endpoint}_{method}_{part}"], result[part], 1e-6), part


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("transform", ["km", "rank"])
def test_grambsch_therneau_as_cox_zph(r_values, cases, endpoint, transform):
    durations, events, x = model_data(cases, endpoint)
    assert same(r_values[f"{endpoint}_zph_{transform}_p"], cox_inference.zph_test(durations, events, x, transform)["p"],
                1e-8)


def test_the_approximate_and_the_exact_test_differ_for_disease_specific_survival(r_values, cases):
    exact = r_values["dss_zph_km_p"]
    approximate = cox_inference.lifelines_zph(cases, "dss", "margin_positive", "km")["p"]
    assert exact < 0.05 < approximate


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_gray_test_as_cmprsk(r_values, cases, endpoint):
    result = competing_risks.gray_by(cases, endpoint, "margin_positive")
    assert same(r_values[f"{endpoint}_gray_stat"], result["statistic"], 1e-8)
    assert same(r_values[f"{endpoint}_gray_p"], result["p"], 1e-8)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_cumulative_incidence_by_margin_as_cmprsk(r_values, cases, endpoint):
    curves = competing_risks.cumulative_incidence_by_group(cases, endpoint, "margin_positive")
    for group in (False, True):
        curve = curves[curves["group"] == group]
        for months in (24, 60):
            value = float(curve.loc[curve["time"] <= months, "incidence"].iloc[-1])
            assert same(r_values[f"{endpoint}_cif_margin{int(group)}_{months}"], value), (group, months)


def test_death_from_disease_with_other_cause_death_competing(r_values, cases):
    incidence = competing_risks.incidence(cases, "dss", [24, 60, 120])
    for months in (24, 60, 120):
        assert same(r_values[f"dss_cif_{months}"], incidence.loc[float(months), "Aalen-Johansen"]), months


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_rmst_by_margin(r_values, cases, endpoint):
    tau = restricted_mean.common_horizon(cases, endpoint, "margin_positive")
    assert tau == r_values[f"{endpoint}_tau_common"]
    for key, horizon in (("60", 60.0), ("common", tau)):
        result = restricted_mean.rmst_difference(cases, endpoint, "margin_positive", horizon)
        assert same(r_values[f"{endpoint}_rmst_{key}_margin1"], result["rmst true"], 1e-6)
        assert same(r_values[f"{endpoint}_rmst_{key}_margin0"], result["rmst false"], 1e-6)
        assert same(r_values[f"{endpoint}_rmst_{key}_se_margin1"], result["se true"], 1e-6)
        assert same(r_values[f"{endpoint}_rmst_{key}_se_margin0"], result["se false"], 1e-6)
        se = math.hypot(r_values[f"{endpoint}_rmst_{key}_se_margin1"], r_values[f"{endpoint}_rmst_{key}_se_margin0"])
        difference = r_values[f"{endpoint}_rmst_{key}_margin1"] - r_values[f"{endpoint}_rmst_{key}_margin0"]
        assert same(difference - 1.959963984540054 * se, result["lower"], 1e-6)


def test_disease_specific_and_overall_rmst(r_values, cases):
    table = restricted_mean.overall_and_disease_specific(cases, [60, 120])
    for horizon in (60, 120):
        assert same(r_values[f"dss_rmst_{horizon}"],
                    table.loc[("disease-specific (other-cause death censored)", horizon), "RMST"], 1e-6)
        assert same(r_values[f"os_rmst_{horizon}"], table.loc[("overall (any death)", horizon), "RMST"], 1e-6)
    assert r_values["os_rmst_120"] < r_values["dss_rmst_120"]


@pytest.mark.parametrize("key,reversed_event", [("reverse_km", "dss_event"), ("reverse_km_all_deaths", "death_any")])
def test_reverse_kaplan_meier_follow_up_interval(r_values, cases, key, reversed_event):
    table = survival.life_table(cases["dss_months"], ~cases[reversed_event].astype(bool))
    lower, upper = survival.band_inversion_ci(table, "log")
    assert same(r_values[f"{key}_median"], survival.plateau_median(table))
    assert same(r_values[f"{key}_lower"], lower)
    assert same(r_values[f"{key}_upper"], upper)
    assert np.isnan(upper) == math.isnan(r_values[f"{key}_upper"])
