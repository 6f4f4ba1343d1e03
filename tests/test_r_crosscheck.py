"""An independent re-computation with R's survival package (Debian r-cran-survival).

The test writes the analysis-ready case series (``spinemets.data.load``) to a CSV, runs
``tests/r/survival_crosscheck.R`` over it and compares every number with lifelines and
``spinemets.survival``: Kaplan-Meier estimates, medians and their intervals (R's conventions),
the log-rank p, Cox hazard ratios, restricted mean survival times with their standard errors, the
reverse Kaplan-Meier median follow-up and the Aalen-Johansen cumulative incidence. Without Rscript
the test is skipped with the reason, except in CI (CI=true), where it fails.
"""

import math
from pathlib import Path

import pytest

from r_support import r_output
from spinemets import data, survival

SCRIPT = Path(__file__).parent / "r" / "survival_crosscheck.R"


@pytest.fixture(scope="module")
def r_values(tmp_path_factory) -> dict:
    return r_output(SCRIPT, tmp_path_factory.mktemp("r"), timeout=120)


@pytest.fixture(scope="module")
def cases():
    return data.load()


def same(r_value: float, python_value: float, tolerance: float = 1e-6) -> bool:
    if math.isnan(r_value):
        return math.isnan(python_value) or math.isinf(python_value)
    return python_value == pytest.approx(r_value, abs=tolerance)


@pytest.mark.parametrize("endpoint", ["dss", "drfs", "lr"])
def test_kaplan_meier_estimates(r_values, cases, endpoint):
    kmf = survival.endpoint_fit(cases, endpoint)
    for months in (12, 24, 36, 60, 120):
        assert same(r_values[f"{endpoint}_S_{months}"], survival.survival_at(kmf, months)), months


@pytest.mark.parametrize("endpoint", ["dss", "drfs", "lr"])
def test_medians_follow_r_conventions(r_values, cases, endpoint):
    table = survival.endpoint_table(endpoint, cases=cases)
    assert same(r_values[f"{endpoint}_median"], survival.plateau_median(table))
    lower, upper = survival.band_inversion_ci(table, "log")
    assert same(r_values[f"{endpoint}_median_lower"], lower)
    assert same(r_values[f"{endpoint}_median_upper"], upper)


def test_the_distant_relapse_median_is_the_plateau_midpoint(r_values, cases):
    table = survival.endpoint_table("drfs", cases=cases)
    assert r_values["drfs_median"] == survival.plateau_median(table) != survival.spss_median(table)


@pytest.mark.parametrize("endpoint", ["dss", "drfs", "lr"])
def test_restricted_mean_survival_time(r_values, cases, endpoint):
    frame = survival.endpoint_data(cases, endpoint)
    for horizon in (60, 120):
        result = survival.rmst(frame["duration"], frame["event"], horizon)
        assert same(r_values[f"{endpoint}_rmst_{horizon}"], result["rmst"], 1e-4)
        assert same(r_values[f"{endpoint}_rmst_se_{horizon}"], result["se"], 1e-4)


def test_logrank_and_cox(r_values, cases):
    assert same(r_values["logrank_drfs_margin_p"], survival.logrank(cases, "drfs", "margin_positive").p_value)
    margin = survival.hazard_ratio(cases, "drfs", "margin_positive")
    era = survival.hazard_ratio(cases, "drfs", "year", per=5)
    for key, result in [("cox_drfs_margin", margin), ("cox_drfs_year5", era)]:
        assert same(r_values[f"{key}_hr"], result["hazard ratio"], 1e-4)
        assert same(r_values[f"{key}_lower"], result["lower"], 1e-4)
        assert same(r_values[f"{key}_upper"], result["upper"], 1e-4)


def test_reverse_kaplan_meier_follow_up(r_values, cases):
    follow = survival.follow_up(cases)
    assert same(r_values["reverse_km_median"], follow["reverse KM median"])
    assert same(r_values["reverse_km_median_all_deaths"], follow["reverse KM median, every death censored"])


@pytest.mark.parametrize("endpoint", ["lr", "drfs"])
def test_aalen_johansen_cumulative_incidence(r_values, cases, endpoint):
    incidence = survival.cumulative_incidence(cases, endpoint, [24, 60, 120])
    for months in (24, 60, 120):
        assert same(r_values[f"{endpoint}_cif_{months}"], incidence.loc[float(months), "Aalen-Johansen"]), months
