"""spinemets.small_sample and Tukey's hinges, recomputed with R (Debian r-cran-survival, r-cran-coin, boot).

The test writes the analysis-ready case series to a CSV, runs ``tests/r/small_sample_crosscheck.R``
over it and compares: the exact log-rank p-values with coin::logrank_test(distribution = "exact");
every leave-one-out headline estimate with survival's survfit, survdiff and coxph; Tukey's hinges
with stats::fivenum; and the bootstrap medians, in distribution, with R's boot package (R's own
random numbers, so the two bootstraps agree only to Monte Carlo error, which the test allows for).
Without Rscript the test is skipped with the reason, except in CI (CI=true), where it fails.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spinemets import data, small_sample, survival
from r_support import key_values, run_r

SCRIPT = Path(__file__).parent / "r" / "small_sample_crosscheck.R"
KEYS = {"dss5": "5-year DSS (%)", "os5": "5-year OS (%)", "median_dss": "median DSS (months)",
        "median_drfs": "median DRFS (months)", "logrank_p": "log-rank p, DRFS by margin", "hr": "HR, DRFS by margin"}


@pytest.fixture(scope="module")
def r_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("r_small_sample")
    run_r(SCRIPT, folder, outputs=("out.csv", "boot.csv"))
    return key_values(folder / "out.csv"), pd.read_csv(folder / "boot.csv")


@pytest.fixture(scope="module")
def cases():
    return data.load()


@pytest.mark.parametrize("endpoint", ["drfs", "lr", "dss"])
def test_exact_logrank_equals_coin(r_run, cases, endpoint):
    values, _ = r_run
    result = small_sample.exact_logrank_test(cases, endpoint, "margin_positive")
    assert result["p"] == pytest.approx(values[f"exact_logrank_{endpoint}_margin_p"], abs=1e-9)
    assert result["asymptotic_p"] == pytest.approx(values[f"asymptotic_logrank_{endpoint}_margin_p"], abs=1e-9)


def test_every_leave_one_out_value_equals_r(r_run, cases):
    values, _ = r_run
    table = small_sample.leave_one_out(cases)
    for row in table.index:
        for key, column in KEYS.items():
            r_value, python_value = values[f"loo_{row}_{key}"], float(table.loc[row, column])
            if math.isnan(r_value):
                assert math.isnan(python_value), (row, column)
            else:
                assert python_value == pytest.approx(r_value, rel=1e-4, abs=1e-6), (row, column, r_value)


@pytest.mark.parametrize("column", ["margin_positive", "lr_event", "drfs_event"])
def test_tukey_hinges_equal_fivenum(r_run, cases, column):
    values, _ = r_run
    for value in (True, False):
        years = cases.loc[cases[column] == value, "year"]
        for name, p in [("lower", 0.25), ("median", 0.5), ("upper", 0.75)]:
            assert survival.tukey_hinge(years, p) == values[f"hinges_{column}_{value}_{name}"], (column, value, name)


@pytest.mark.parametrize("endpoint", ["drfs", "dss"])
def test_bootstrap_medians_follow_the_same_distribution_as_r_boot(r_run, cases, endpoint):
    _, resampled = r_run
    r_medians = resampled[endpoint].to_numpy(float)
    frame = survival.endpoint_data(cases, endpoint)
    python_medians = small_sample.bootstrap_medians(frame["duration"], frame["event"], resamples=len(r_medians))
    r_share = pd.Series(np.where(np.isnan(r_medians), np.inf, r_medians)).value_counts(normalize=True)
    python_share = pd.Series(np.where(np.isnan(python_medians), np.inf, python_medians)).value_counts(normalize=True)
    both = pd.concat({"R": r_share, "Python": python_share}, axis=1).fillna(0.0)
    # Two independent samples of the same distribution: each share may differ by Monte Carlo error.
    pooled = (both["R"] + both["Python"]) / 2
    se = np.sqrt(pooled * (1 - pooled) * 2 / len(r_medians))
    assert (np.abs(both["R"] - both["Python"]) <= 4 * se + 1e-9).all(), both
    # Only event times can be medians, in R as in Python
    events = set(frame.loc[frame["event"], "duration"]) | {np.inf}
    assert set(both.index) <= events
