"""The hand-built life table equals lifelines; the SPSS conventions behave as documented."""

import json

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from scipy import stats

from spinemets import data, survival, survival_charts

ENDPOINTS = list(survival.ENDPOINTS)


@pytest.fixture(scope="module")
def cases():
    return data.load()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_life_table_equals_lifelines(cases, endpoint):
    frame = survival.endpoint_data(cases, endpoint)
    table = survival.life_table(frame["duration"], frame["event"]).set_index("time")
    kmf = KaplanMeierFitter().fit(frame["duration"], frame["event"])
    events = kmf.event_table.drop(index=0.0, errors="ignore")
    assert list(table.index) == list(events.index)
    assert (table["at_risk"] == events["at_risk"]).all()
    assert (table["events"] == events["observed"]).all()
    assert (table["censored"] == events["censored"]).all()
    np.testing.assert_allclose(table["survival"], kmf.survival_function_.loc[table.index].iloc[:, 0], rtol=1e-12)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_greenwood_se_gives_lifelines_confidence_band(cases, endpoint):
    """lifelines' default band is the log-log transform of Greenwood's variance: rebuild it from our SE."""
    frame = survival.endpoint_data(cases, endpoint)
    table = survival.life_table(frame["duration"], frame["event"]).set_index("time")
    kmf = KaplanMeierFitter().fit(frame["duration"], frame["event"])
    usable = table[(table["survival"] > 0) & (table["survival"] < 1)]
    s, se = usable["survival"], usable["greenwood_se"]
    half_width = stats.norm.ppf(0.975) * se / (s * np.abs(np.log(s)))
    lower = np.exp(-np.exp(np.log(-np.log(s)) + half_width))
    band = kmf.confidence_interval_.loc[usable.index]
    np.testing.assert_allclose(lower, band.iloc[:, 0], rtol=1e-9)


def test_life_table_by_hand_on_a_tiny_example():
    # times 2, 3+, 5, 5, 8+: S(2) = 4/5, S(5) = 4/5 * 1/3
    table = survival.life_table([2, 3, 5, 5, 8], [True, False, True, True, False]).set_index("time")
    assert table.loc[5.0, "at_risk"] == 3 and table.loc[5.0, "events"] == 2
    assert table.loc[3.0, "censored"] == 1
    assert table.loc[5.0, "survival"] == pytest.approx(4 / 15)
    assert table.loc[2.0, "greenwood_se"] == pytest.approx(0.8 * np.sqrt(1 / (5 * 4)))


def test_spss_median_takes_a_plateau_at_exactly_one_half():
    table = survival.life_table([1, 2, 3, 4], [True] * 4)  # S = 0.75, 0.5, 0.25, 0
    assert survival.spss_median(table) == 2.0


def test_spss_median_tolerates_floating_point(cases):
    frame = survival.endpoint_data(cases, "drfs")
    table = survival.life_table(frame["duration"], frame["event"])
    median = survival.spss_median(table)
    kmf = survival.fit(frame["duration"], frame["event"])
    assert survival.survival_at(kmf, median) == pytest.approx(0.5, abs=1e-12)
    assert survival.survival_at(kmf, median) > 0.5  # in floating point, just above
    assert survival.lifelines_median(kmf) > median  # so the library default moves on to the next step


def test_spss_median_is_nan_when_never_reached(cases):
    assert np.isnan(survival.spss_median(survival.endpoint_table("lr", cases=cases)))


def test_spss_median_interval_is_symmetric(cases):
    table = survival.endpoint_table("dss", cases=cases)
    low, high = survival.spss_median_ci(table)
    assert (low + high) / 2 == pytest.approx(survival.spss_median(table))
    assert high - low == pytest.approx(2 * 1.959964 * survival.spss_median_se(table), rel=1e-6)


def test_mann_whitney_spss_is_the_uncorrected_normal_approximation():
    # U = 0 for 3 vs 3 without ties: z = -4.5 / sqrt(3 * 3 * 7 / 12) = -1.964, p = 0.0495
    assert survival.mann_whitney_p([1, 2, 3], [4, 5, 6], "spss") == pytest.approx(0.0495, abs=1e-4)
    assert survival.mann_whitney_p([1, 2, 3], [4, 5, 6], "scipy") == pytest.approx(0.1, abs=1e-9)  # exact: 2/20
    with pytest.raises(ValueError):
        survival.mann_whitney_p([1], [2], "spss21")


def test_two_by_two_orders_true_first(cases):
    table = survival.two_by_two(cases, "margin_positive", "lr_event")
    assert list(table.index) == [True, False] and list(table.columns) == [True, False]
    assert table.to_numpy().sum() == len(cases)
    assert table.loc[True, True] == int((cases["margin_positive"] & cases["lr_event"]).sum())


def test_quartile_conventions_differ():
    years = [1991, 1995, 2001, 2007, 2008, 2009, 2010, 2014, 2014, 2015]
    assert survival.quartiles(years, "linear") == (2002.5, 2008.5, 2013.0)
    assert survival.quartiles(years, "weibull") == (1999.5, 2008.5, 2014.0)


def test_nine_quantile_definitions_and_spss_examine():
    years = [2001, 2004, 2004, 2005, 2011, 2012, 2013, 2013]  # n = 8: the median need not average the middle two
    table = survival.quantile_definitions(years)
    assert list(table.index) == list(range(1, 10))
    assert {kind for kind in table.index if table.loc[kind, 0.5] == 2005} == {1, 3, 4}
    assert table.loc[7, 0.5] == 2008 and table.loc[6, 0.75] == 2012.75
    # SPSS EXAMINE: HAVERAGE is type 6, WAVERAGE type 4, EMPIRICAL type 1, AEMPIRICAL type 2
    for keyword, kind in [("HAVERAGE", 6), ("WAVERAGE", 4), ("EMPIRICAL", 1), ("AEMPIRICAL", 2)]:
        for p in (0.25, 0.5, 0.75):
            assert survival.spss_examine_percentile(years, p, keyword) == pytest.approx(table.loc[kind, p]), (keyword, p)
    assert survival.spss_examine_percentile([6, 12, 13, 46, 53], 0.5, "WAVERAGE") == 12.5
    assert survival.spss_examine_percentile([1, 2, 3, 4], 0.5, "ROUND") == 2
    with pytest.raises(ValueError):
        survival.spss_examine_percentile(years, 0.5, "MEDIAN")


def test_median_conventions_of_the_distant_relapse_curve(cases):
    frame = survival.endpoint_data(cases, "drfs")
    table = survival.median_conventions(frame["duration"], frame["event"]).set_index("program")
    assert table.loc["SPSS 21", "median"] == 21
    assert table.loc["R survival 3.5", "median"] == table.loc["SAS PROC LIFETEST", "median"] == 24.5  # plateau midpoint
    assert table.loc["lifelines 0.30", "median"] == 28                  # S(21) is 0.5000000000000002
    # lifelines' band is 0 after the final event, so its upper limit is that event's time; undefined elsewhere
    assert table.loc["lifelines 0.30", "upper"] == frame["duration"].max()
    assert np.isnan(table.loc["R survival 3.5", "upper"])
    assert np.isnan(table.loc["SAS PROC LIFETEST", "upper"])
    # R's default log band and SAS's default log-log band give different lower limits
    table_lt = survival.life_table(frame["duration"], frame["event"])
    assert table.loc["R survival 3.5", "lower"] == survival.band_inversion_ci(table_lt, "log")[0] == 15
    assert table.loc["SAS PROC LIFETEST", "lower"] == survival.band_inversion_ci(table_lt, "log-log")[0] == 7


def test_tukey_hinges_average_at_half_depths():
    # n = 8: depth of the hinges floor(11 / 2) / 2 = 2.5, so the lower hinge averages the 2nd and 3rd values
    years = [2001, 2004, 2004, 2005, 2011, 2012, 2013, 2013]
    assert [survival.tukey_hinge(years, p) for p in (0.25, 0.5, 0.75)] == [2004, 2008, 2012.5]
    # n = 5: depth 2, whole positions
    assert [survival.tukey_hinge([6, 12, 13, 46, 53], p) for p in (0.25, 0.5, 0.75)] == [12, 13, 46]
    with pytest.raises(ValueError):
        survival.tukey_hinge(years, 0.9)


def test_greenwood_se_does_not_always_grow(cases):
    """What grows is the variance of log S (the Greenwood sum); the SE of S itself can fall."""
    table = survival.endpoint_table("drfs", cases=cases).set_index("time")
    assert table.loc[36.0, "greenwood_se"] < table.loc[21.0, "greenwood_se"]
    relative = (table["greenwood_se"] / table["survival"]).dropna()
    assert relative.is_monotonic_increasing


def test_effect_sizes_of_margin_and_local_recurrence(cases):
    difference = survival.risk_difference(cases, "margin_positive", "lr_event")
    assert difference["difference"] == pytest.approx(0.4)
    assert difference["lower"] < 0 < difference["upper"] < 1
    ratio = survival.odds_ratio(cases, "margin_positive", "lr_event")
    assert 7 < ratio["odds ratio"] < 9 and ratio["lower"] < 1 < ratio["upper"]
    hazard = survival.hazard_ratio(cases, "drfs", "margin_positive")
    assert hazard["lower"] < hazard["hazard ratio"] < hazard["upper"] and hazard["events"] == int(cases["drfs_event"].sum())
    assert 0 <= hazard["proportional hazards p"] <= 1


def test_permutation_mann_whitney_is_exact(cases):
    # 3 vs 3 without ties: the exact two-sided p of complete separation is 2/20
    assert survival.mann_whitney_p([1, 2, 3], [4, 5, 6], "permutation") == pytest.approx(0.1)
    # With ties, on the data: the same as scipy's exact permutation test of the U statistic
    x, y = cases.loc[cases["drfs_event"], "year"], cases.loc[~cases["drfs_event"], "year"]
    centre = len(x) * len(y) / 2
    reference = stats.permutation_test(
        (x.to_numpy(float), y.to_numpy(float)),
        lambda a, b, axis: np.abs(stats.mannwhitneyu(a, b, axis=axis).statistic - centre),
        permutation_type="independent", vectorized=True, n_resamples=np.inf, alternative="greater").pvalue
    assert survival.mann_whitney_p(x, y, "permutation") == pytest.approx(reference, abs=1e-12)


def test_competing_risks_incidence_is_below_one_minus_km(cases):
    incidence = survival.cumulative_incidence(cases, "lr", [60, 120])
    assert (incidence["Aalen-Johansen"] <= incidence["1 - Kaplan-Meier"] + 1e-12).all()
    assert incidence.loc[60.0, "Aalen-Johansen"] < incidence.loc[60.0, "1 - Kaplan-Meier"]


def test_rmst_and_follow_up(cases):
    frame = survival.endpoint_data(cases, "dss")
    short, long = survival.rmst(frame["duration"], frame["event"], 60), survival.rmst(frame["duration"], frame["event"], 120)
    assert 0 < short["rmst"] <= 60 and short["rmst"] < long["rmst"] <= 120 and short["se"] < long["se"]
    follow = survival.follow_up(cases)
    assert follow["crude median"] == float(cases["followup_months"].median())
    assert follow["reverse KM median"] > follow["crude median"]


def test_simultaneous_band_contains_the_pointwise_band(cases):
    frame = survival.endpoint_data(cases, "dss")
    for kind in ("equal precision", "Hall-Wellner"):
        band = survival.simultaneous_band(frame["duration"], frame["event"], kind)
        assert (band["simultaneous lower"] <= band["survival"]).all() and (band["survival"] <= band["simultaneous upper"]).all()
        assert band["critical value"].iloc[0] > 1
    equal = survival.simultaneous_band(frame["duration"], frame["event"], "equal precision")
    assert (equal["simultaneous lower"] <= equal["pointwise lower"] + 1e-12).all()


def test_detectable_difference_is_above_the_baseline():
    detectable = survival.detectable_difference(8, 10, 0.1)
    assert 0.1 < detectable <= 1.0
    assert survival.detectable_difference(40, 40, 0.1) < detectable  # more patients, smaller detectable effect


def test_km_chart_has_tooltips_and_number_at_risk(cases):
    frame = survival.endpoint_data(cases, "dss")
    chart = survival_charts.km_chart({"All": (frame["duration"], frame["event"])}, "Months after EBS",
                                     "Disease-specific survival", risk_times=[0, 24, 60, 120])
    spec = chart.to_dict()
    for layer in spec["vconcat"][0]["layer"] + [spec["vconcat"][1]]:
        assert "tooltip" in layer["encoding"]
    risk = pd.DataFrame(spec["datasets"][spec["vconcat"][1]["data"]["name"]])
    table = survival.life_table(frame["duration"], frame["event"])
    for t, n in zip(risk["time"], risk["at_risk"]):
        assert n == int((frame["duration"] >= t).sum())
    assert json.dumps(spec)  # serialisable for the renderer
    assert len(table) > 0


def test_fisher_power_is_at_most_alpha_without_a_difference():
    assert survival.fisher_power(8, 10, 0.3, 0.3) <= 0.05
    assert survival.fisher_power(8, 10, 0.9, 0.1) > survival.fisher_power(8, 10, 0.5, 0.1)
