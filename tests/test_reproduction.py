"""The reproduction audit: complete, consistent with the package, explained, and driven by data/."""

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from scipy import stats

from spinemets import data, descriptive, reproduction, survival


@pytest.fixture(scope="module")
def table():
    return reproduction.audit()


def row(frame: pd.DataFrame, quantity: str) -> pd.Series:
    match = frame[frame["quantity"] == quantity]
    assert len(match) == 1, quantity
    return match.iloc[0]


def test_audit_covers_at_least_80_numbers(table):
    assert len(table) >= 80
    assert {"quantity", "reported", "recomputed", "agrees", "note"} <= set(table.columns)
    assert table["quantity"].is_unique
    assert table["reported"].dtype == float and table["recomputed"].dtype == float
    assert table["agrees"].dtype == bool


def test_agrees_is_consistent_with_printed_precision(table):
    for r in table.itertuples():
        if r.comparison == "greater":
            assert r.agrees == (r.recomputed > r.reported), r.quantity
        else:
            assert r.agrees == descriptive.agrees(r.reported, r.recomputed, r.decimals), r.quantity


def test_every_row_says_how_and_every_disagreement_why(table):
    assert table["note"].str.len().gt(10).all()
    assert table.loc[~table["agrees"], "note"].str.len().gt(80).all()


def test_descriptive_rows_are_reused(table):
    described = descriptive.describe()
    merged = described.merge(table, on="quantity", suffixes=("_descriptive", "_audit"))
    assert len(merged) == len(described)
    np.testing.assert_allclose(merged["recomputed_audit"], merged["recomputed_descriptive"], atol=1e-4)
    assert (merged["agrees_audit"] == merged["agrees_descriptive"]).all()


def test_survival_rows_are_what_lifelines_estimates(table):
    cases = data.load()
    kmf = KaplanMeierFitter().fit(cases["os_months"], cases["os_event"])
    for years in (2, 5, 10):
        expected = 100 * float(kmf.survival_function_at_times([12 * years]).iloc[0])
        assert row(table, f"Overall survival at {years} years (%)")["recomputed"] == pytest.approx(expected)


def test_median_rows_are_the_package_conventions(table):
    drfs = survival.endpoint_table("drfs")
    assert row(table, "Median months to distant relapse")["recomputed"] == survival.spss_median(drfs)
    low, high = survival.spss_median_ci(drfs)
    assert row(table, "Median months to distant relapse, 95% CI lower")["recomputed"] == pytest.approx(low)
    assert row(table, "Median months to distant relapse, 95% CI upper")["recomputed"] == pytest.approx(high)


def test_fisher_rows_are_fisher_exact(table):
    cases = data.load()
    crosstab = pd.crosstab(cases["margin_positive"], cases["lr_event"]).to_numpy()
    expected = stats.fisher_exact(crosstab).pvalue
    assert row(table, "p, margin vs local recurrence")["recomputed"] == pytest.approx(expected)


def test_headline_results_reproduce(table):
    """The reproduced choices (DOD as the OS event, SPSS median and interval) must keep reproducing."""
    for quantity in ["Overall survival at 10 years (%)", "Median months to distant relapse",
                     "Median months to distant relapse, 95% CI lower", "Median overall survival, 95% CI upper",
                     "p, log-rank, distant-relapse-free survival by margin", "p, year of EBS by distant relapse"]:
        assert row(table, quantity)["agrees"], quantity


def test_summary_counts(table):
    counts = reproduction.summary(table)
    assert counts["reported"] == len(table) == counts["agree"] + counts["disagree"]


def test_audit_follows_the_data(table, data_copy):
    # Case 1 (dead of disease at 24 months) now lives to 30 months: every overall-survival figure
    # around 2 years moves (and the SE of the median with it); the margin and age rows do not.
    data_copy.set("outcomes.csv", 1, "followup_months", "30")
    changed = reproduction.audit(data_copy.directory).set_index("quantity")
    original = table.set_index("quantity")
    for quantity in ["Overall survival at 2 years (%)", "Survival 1 year after distant relapse (%)",
                     "Median overall survival, 95% CI upper"]:
        assert changed.loc[quantity, "recomputed"] != original.loc[quantity, "recomputed"], quantity
    assert not changed.loc["Overall survival at 2 years (%)", "agrees"]
    for quantity in ["Patients with a positive resection margin", "Median age at EBS (years)"]:
        assert changed.loc[quantity, "recomputed"] == original.loc[quantity, "recomputed"]


def test_audit_follows_a_margin_change(table, data_copy):
    data_copy.set("outcomes.csv", 6, "margin", "-")
    changed = reproduction.audit(data_copy.directory).set_index("quantity")
    original = table.set_index("quantity")
    for quantity in ["Patients with a positive resection margin", "p, margin vs distant relapse",
                     "p, log-rank, distant-relapse-free survival by margin", "p, year of EBS by resection margin"]:
        assert changed.loc[quantity, "recomputed"] != original.loc[quantity, "recomputed"], quantity


def test_sensitivity_reproduces_the_known_alternative():
    sensitivity = reproduction.sensitivity().set_index(["endpoint", "choice"])
    overall = sensitivity.loc["Overall survival"]
    assert overall["10-year (%)"].nunique() == 2  # counting the death from other causes changes the 10-year figure
    assert (sensitivity["events"] > 0).all()


def test_conventions_table_shows_both():
    table = reproduction.conventions()
    assert {"reported", reproduction.SPSS, "library default"} <= set(table.columns)
    assert len(table) >= 8


def test_numbers_the_tables_cannot_check_are_listed_with_a_reason(table):
    unchecked = reproduction.not_checkable()
    assert len(unchecked) >= 5
    assert unchecked["why not"].str.len().gt(10).all()
    assert not set(unchecked["quantity"]) & set(table["quantity"])
