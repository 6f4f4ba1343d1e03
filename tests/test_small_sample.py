"""spinemets.small_sample against independent computations: brute-force enumeration, scipy's
permutation test, the package's life table and an exactly enumerated bootstrap. The R cross-check
(coin, survival, boot) is tests/test_small_sample_r.py."""

from itertools import combinations, product

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spinemets import data, small_sample, survival, survival_charts

TIMES = np.array([2.0, 3.0, 3.0, 5.0, 7.0, 8.0, 8.0, 11.0, 13.0])
EVENTS = np.array([True, True, False, True, False, True, True, False, True])
GROUP = np.array([True, False, True, True, False, False, True, False, False])


@pytest.fixture(scope="module")
def cases():
    return data.load()


def o_minus_e_by_hand(time, event, group) -> float:
    """Observed minus expected events of ``group``, one event time at a time (the chapter's loop)."""
    total = 0.0
    for t in np.unique(time[event]):
        at_risk = time >= t
        died = at_risk & (time == t) & event
        total += died[group].sum() - died.sum() * at_risk[group].sum() / at_risk.sum()
    return float(total)


def test_scores_of_a_group_sum_to_its_observed_minus_expected(cases):
    frame = survival.endpoint_data(cases, "drfs").join(cases["margin_positive"])
    time, event, group = frame["duration"].to_numpy(), frame["event"].to_numpy(), frame["margin_positive"].to_numpy()
    scores = small_sample.logrank_scores(time, event)
    assert scores[group].sum() == pytest.approx(o_minus_e_by_hand(time, event, group), abs=1e-12)
    assert scores.sum() == pytest.approx(0, abs=1e-12)   # O - E over everyone is 0


def test_exact_p_equals_brute_force_over_every_assignment():
    observed = abs(o_minus_e_by_hand(TIMES, EVENTS, GROUP))
    extreme = total = 0
    for chosen in combinations(range(len(TIMES)), int(GROUP.sum())):
        group = np.zeros(len(TIMES), dtype=bool)
        group[list(chosen)] = True
        total += 1
        extreme += abs(o_minus_e_by_hand(TIMES, EVENTS, group)) >= observed - 1e-9
    result = small_sample.exact_logrank(TIMES, EVENTS, GROUP)
    assert result["enumerated"] and result["arrangements"] == total == 126
    assert result["p"] == pytest.approx(extreme / total, abs=1e-12)


def test_exact_p_equals_scipy_permutation_test():
    def statistic(indices_in_group, _indices_rest):
        group = np.zeros(len(TIMES), dtype=bool)
        group[np.asarray(indices_in_group, dtype=int)] = True
        return abs(o_minus_e_by_hand(TIMES, EVENTS, group))

    indices = np.arange(len(TIMES))
    scipy_result = stats.permutation_test((indices[GROUP], indices[~GROUP]), statistic, permutation_type="independent",
                                          alternative="greater", n_resamples=np.inf, vectorized=False)
    assert small_sample.exact_logrank(TIMES, EVENTS, GROUP)["p"] == pytest.approx(scipy_result.pvalue, abs=1e-12)


def test_exact_and_asymptotic_agree_closely_for_the_margin_comparison(cases):
    result = small_sample.exact_logrank_test(cases, "drfs", "margin_positive")
    assert result["arrangements"] == 43758 and result["enumerated"]
    assert result["asymptotic_p"] == pytest.approx(survival.logrank(cases, "drfs", "margin_positive").p_value)
    assert abs(result["p"] - result["asymptotic_p"]) < 0.01
    distribution = small_sample.logrank_permutation_distribution(*survival.endpoint_data(cases, "drfs").T.to_numpy(),
                                                                 cases["margin_positive"])
    assert distribution["probability"].sum() == pytest.approx(1)
    extreme = distribution.loc[distribution["o_minus_e"].abs() >= abs(result["o_minus_e"]) - 1e-6, "probability"].sum()
    assert extreme == pytest.approx(result["p"], abs=1e-9)


def test_monte_carlo_is_used_past_the_enumeration_limit_and_states_its_precision(monkeypatch):
    exact = small_sample.exact_logrank(TIMES, EVENTS, GROUP)
    monkeypatch.setattr(small_sample, "ENUMERATION_LIMIT", 10)
    sampled = small_sample.exact_logrank(TIMES, EVENTS, GROUP)
    assert not sampled["enumerated"] and sampled["arrangements"] == small_sample.MONTE_CARLO_RESAMPLES
    assert sampled["monte_carlo_se"] > 0
    assert abs(sampled["p"] - exact["p"]) < 4 * sampled["monte_carlo_se"]
    assert small_sample.exact_logrank(TIMES, EVENTS, GROUP) == sampled   # seeded: the same every run


def test_a_group_without_patients_is_refused():
    with pytest.raises(ValueError, match="both groups"):
        small_sample.exact_logrank(TIMES, EVENTS, np.ones(len(TIMES), dtype=bool))


def test_leave_one_out_has_one_row_per_patient_and_the_full_data(cases):
    table = small_sample.leave_one_out(cases)
    assert list(table.index) == ["all", *cases.index]
    assert table.loc["all", "5-year DSS (%)"] == pytest.approx(48.75)
    assert table.loc["all", "log-rank p, DRFS by margin"] == pytest.approx(0.622, abs=5e-4)
    summary = small_sample.influence_summary(table)
    assert (summary["smallest"] <= summary["all patients"]).all() and (summary["largest"] >= summary["all patients"]).all()
    # Case 6 (the death from another cause, at 80 months, positive margin, never relapsed) moves the log-rank p most
    assert summary.loc["log-rank p, DRFS by margin", "case (largest)"] == "6"


def test_numpy_median_equals_the_life_table_median_on_resamples(cases):
    frame = survival.endpoint_data(cases, "dss")
    time, event = frame["duration"].to_numpy(float), frame["event"].to_numpy(bool)
    rng = np.random.default_rng(7)
    for rows in rng.integers(0, len(time), size=(300, len(time))):
        expected = survival.spss_median(survival.life_table(time[rows], event[rows]))
        got = small_sample.km_median(time[rows], event[rows])
        assert (np.isnan(expected) and np.isnan(got)) or got == expected


def test_bootstrap_distribution_matches_exact_enumeration_of_every_resample():
    time, event = np.array([4.0, 6.0, 9.0, 12.0, 15.0]), np.array([True, False, True, True, False])
    # Every one of the 5^5 equally likely resamples, enumerated: the exact bootstrap distribution.
    exact = pd.Series([small_sample.km_median(time[list(rows)], event[list(rows)])
                       for rows in product(range(5), repeat=5)]).fillna(np.inf).value_counts(normalize=True)
    resamples = 20000
    sampled = pd.Series(small_sample.bootstrap_medians(time, event, resamples, seed=11)).fillna(np.inf)
    sampled = sampled.value_counts(normalize=True).reindex(exact.index, fill_value=0.0)
    se = np.sqrt(exact * (1 - exact) / resamples)
    assert (np.abs(sampled - exact) <= 4 * se + 1e-12).all(), pd.DataFrame({"exact": exact, "sampled": sampled})


def test_bootstrap_interval_is_seeded_and_says_not_reached(cases):
    frame = survival.endpoint_data(cases, "dss")
    first = small_sample.bootstrap_median(frame["duration"], frame["event"])
    assert first == small_sample.bootstrap_median(frame["duration"], frame["event"])
    assert first["median"] == survival.spss_median(survival.endpoint_table("dss", cases=cases)) == 55
    # More than 2.5% of the resamples never reach 0.5, so the upper limit does not exist
    assert first["not_reached_share"] > 0.025 and np.isinf(first["upper"])
    assert small_sample.months_or_not_reached(first["upper"]) == "Not reached"
    assert small_sample.months_or_not_reached(float("nan")) == "Not reached"
    assert small_sample.months_or_not_reached(24.0) == "24"
    intervals = small_sample.median_intervals(cases, "dss")
    assert list(intervals.columns) == ["median", "lower", "upper"] and len(intervals) == 4


@pytest.mark.parametrize("x_max, step", [(61, 12), (240, 60), (270, 60), (30, 6)])
def test_risk_ticks_are_evenly_spaced_and_few(x_max, step):
    ticks = survival_charts.risk_ticks(x_max)
    assert ticks[0] == 0 and np.all(np.diff(ticks) == step) and ticks[-1] <= x_max
    assert len(ticks) - 1 <= survival_charts.MAX_INTERVALS


def test_number_at_risk_row_shares_the_curve_ticks(cases):
    frame = survival.endpoint_data(cases, "dss")
    spec = survival_charts.km_chart({"All": (frame["duration"], frame["event"])}, "Months after EBS",
                                    "Disease-specific survival").to_dict()
    curve, table = spec["vconcat"]
    curve_ticks = {tuple(layer["encoding"]["x"]["axis"]["values"]) for layer in curve["layer"]}
    table_ticks = tuple(table["encoding"]["x"]["axis"]["values"])
    assert curve_ticks == {table_ticks} and table_ticks == (0.0, 60.0, 120.0, 180.0, 240.0)
    counts = spec["datasets"][table["data"]["name"]]
    assert [row["time"] for row in counts] == list(table_ticks)
    assert [row["at_risk"] for row in counts] == [int((frame["duration"] >= t).sum()) for t in table_ticks]
