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
        elif r.comparison == "half-year":
            assert r.agrees == (round(2 * r.recomputed) / 2 == r.reported and abs(r.recomputed - r.reported) < 0.25), r.quantity
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
    kmf = KaplanMeierFitter().fit(cases["dss_months"], cases["dss_event"])
    for years in (2, 5, 10):
        expected = 100 * float(kmf.survival_function_at_times([12 * years]).iloc[0])
        assert row(table, f"Disease-specific survival at {years} years (%)")["recomputed"] == pytest.approx(expected)


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
    """The reproduced choices (DOD as the event, SPSS median and interval) must keep reproducing."""
    for quantity in ["Disease-specific survival at 10 years (%)", "Median months to distant relapse",
                     "Median months to distant relapse, 95% CI lower", "Median disease-specific survival, 95% CI upper",
                     "p, log-rank, distant-relapse-free survival by margin", "p, year of EBS by distant relapse"]:
        assert row(table, quantity)["agrees"], quantity


def test_summary_counts(table):
    counts = reproduction.summary(table)
    assert counts["reported"] == len(table) == counts["agree"] + counts["disagree"]


def test_audit_follows_the_data(table, data_copy):
    # Case 1 (dead of disease at 24 months) now lives to 30 months: every disease-specific survival figure
    # around 2 years moves (and the SE of the median with it); the margin and age rows do not.
    data_copy.set("outcomes.csv", 1, "followup_months", "30")
    changed = reproduction.audit(data_copy.directory).set_index("quantity")
    original = table.set_index("quantity")
    for quantity in ["Disease-specific survival at 2 years (%)", "Survival 1 year after distant relapse (%)",
                     "Median disease-specific survival, 95% CI upper"]:
        assert changed.loc[quantity, "recomputed"] != original.loc[quantity, "recomputed"], quantity
    assert not changed.loc["Disease-specific survival at 2 years (%)", "agrees"]
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
    specific = sensitivity.loc["Disease-specific survival"]
    assert specific["10-year (%)"].nunique() == 2  # counting the death from other causes changes the 10-year figure
    assert (sensitivity["events"] > 0).all()
    # Past the longest follow-up the table has no estimate (not a repeated 0.0).
    beyond = sensitivity["longest follow-up (months)"] < 120
    assert beyond.any() and sensitivity.loc[beyond, "10-year (%)"].isna().all()


def test_conventions_table_shows_both():
    table = reproduction.conventions()
    assert {"reported", reproduction.SPSS, "library default"} <= set(table.columns)
    assert len(table) >= 8


def test_numbers_the_tables_cannot_check_are_listed_with_a_reason(table):
    unchecked = reproduction.not_checkable()
    assert len(unchecked) >= 5
    assert unchecked["why not"].str.len().gt(10).all()
    assert not set(unchecked["quantity"]) & set(table["quantity"])


def note(frame: pd.DataFrame, quantity: str) -> str:
    return row(frame, quantity)["note"]


def test_disagreement_notes_quote_the_data(table, data_copy):
    """The numbers and case lists in the disagreement notes are recomputed: edit a copy of data/ and they change."""
    data_copy.set("outcomes.csv", 7, "local_recurrence_months", "20")  # recurrence months 6, 12, 20, 46, 53
    data_copy.set("outcomes.csv", 1, "distant_relapse_treatment", "BSC")  # one more relapse treated with BSC only
    data_copy.set("surgery.csv", 12, "year", "2006")  # a positive-margin year
    changed = reproduction.audit(data_copy.directory)
    cases = data.load(data_copy.directory)

    quantity = "Median months from EBS to local recurrence"
    months = sorted(cases.loc[cases["lr_event"], "local_recurrence_months"].astype(int))
    assert note(changed, quantity) != note(table, quantity)
    assert ", ".join(map(str, months[:-1])) + f" and {months[-1]}" in note(changed, quantity)
    assert f"whose median is {row(changed, quantity)['recomputed']:g}" in note(changed, quantity)

    quantity = "Relapsed patients who received treatment for distant relapse (%)"
    relapsed = cases[cases["drfs_event"]]
    bsc = relapsed.index[relapsed["distant_relapse_treatment"].fillna("BSC").eq("BSC")]
    assert 1 in bsc
    assert note(changed, quantity) != note(table, quantity)
    assert f"{len(relapsed) - len(bsc)} of {len(relapsed)} ({row(changed, quantity)['recomputed']:.1f}%)" in note(changed, quantity)
    assert "cases " + ", ".join(map(str, bsc[:-1])) + f" and {bsc[-1]}" in note(changed, quantity)

    quantity = "Year of EBS, positive resection margin: median"
    years = sorted(cases.loc[cases["margin_positive"], "year"].astype(int))
    assert note(changed, quantity) != note(table, quantity)
    assert ", ".join(map(str, years[:-1])) + f" and {years[-1]}" in note(changed, quantity)


def test_year_quantiles_agree_only_to_the_half_year(table):
    """The paper prints year quantiles to the half year: 2012.25 is not a printed 2012."""
    third = row(table, "Year of EBS, positive resection margin: third quartile")
    assert third["recomputed"] == 2012.25 and third["reported"] == 2012 and not third["agrees"]
    assert reproduction.agrees(2008.5, 2008.5, 1, "half-year") and not reproduction.agrees(2011.5, 2011.75, 1, "half-year")


def test_each_note_is_the_first_general_explanation(table):
    """Quantile definitions are tested before leave-one-out or misreporting, and every disagreement
    that carries evidence is explained by the first test that reproduces its printed figure."""
    ctx = reproduction.Context(data.load())
    names = [name for name, _ in reproduction.EXPLANATION_TESTS]
    assert names == ["quantile definitions", "rounding", "text versus table", "leave-one-out"]
    explained = 0
    for spec in reproduction.ROWS:
        if spec.evidence is None or row(table, spec.quantity)["agrees"]:
            continue
        verdicts = reproduction.explanations(ctx, spec)
        first = next(sentence for sentence in verdicts.values() if sentence)
        assert first in note(table, spec.quantity), spec.quantity
        explained += 1
    assert explained >= 8


def test_quantile_definitions_explain_the_year_and_recurrence_medians(table):
    # "Every median definition averages the middle two" is false: types 1, 3 and 4 give the printed figures.
    assert "Hyndman-Fan types 1, 3 and 4" in note(table, "Year of EBS, positive resection margin: median")
    assert "type 4" in note(table, "Year of EBS, patients with distant relapse: median")
    assert "WAVERAGE" in note(table, "Median months from EBS to local recurrence")
    assert "Leaving out" in note(table, "Year of EBS, patients with distant relapse: third quartile")


def test_text_versus_table_and_rounding_explanations(table):
    assert "typing error" in note(table, "Median disease-specific survival (months)")
    assert "the text and the tables disagree" in note(table, "Relapsed patients who received treatment for distant relapse (%)")
    assert "within the rounding" in note(table, "Median survival after distant relapse, 95% CI lower")


def test_interval_note_follows_the_data(table, data_copy):
    # Case 14 (dead of disease 14 months after relapse) now lives 2 months longer: the SPSS standard
    # error after relapse moves, and so must the note that quotes it.
    data_copy.set("outcomes.csv", 14, "followup_months", "22")
    changed = reproduction.audit(data_copy.directory)
    quantity = "Median survival after distant relapse, 95% CI lower"
    se = survival.spss_median_se(survival.endpoint_table("post_relapse", data_copy.directory))
    assert se != pytest.approx(survival.spss_median_se(survival.endpoint_table("post_relapse")))
    assert f"SE {se:.2f}" in note(changed, quantity)
    assert note(changed, quantity) != note(table, quantity)


def test_not_checkable_reason_quotes_the_data(data_copy):
    data_copy.set("outcomes.csv", 4, "followup_months", "5")
    shortest = data.load(data_copy.directory)["followup_months"].min()
    reasons = " ".join(reproduction.not_checkable(data_copy.directory)["why not"])
    assert f"shortest follow-up, {shortest:g} months" in reasons
    assert reasons != " ".join(reproduction.not_checkable()["why not"])


def test_edited_copy_changes_only_the_copy():
    original = data.load()
    with reproduction.edited_copy({("outcomes.csv", 14, "distant_relapse_months"): 18}) as copy:
        moved = data.load(copy)
        assert copy.exists()
    assert not copy.exists()
    assert moved.loc[14, "distant_relapse_months"] == 18 != original.loc[14, "distant_relapse_months"]
    assert moved.drop(columns=[c for c in moved if "relapse" in c or "drfs" in c]).equals(
        original.drop(columns=[c for c in original if "relapse" in c or "drfs" in c]))
    with pytest.raises(KeyError):
        with reproduction.edited_copy({("outcomes.csv", 99, "margin"): "-"}):
            pass
