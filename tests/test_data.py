"""The analysis-ready table: derived columns follow the documented rules, on any copy of the data."""

from spinemets.data import load, printed_table


def test_one_row_per_case_nothing_dropped():
    cases = load()
    assert list(cases.index) == list(range(1, 19))


def test_derived_events_follow_the_codes():
    cases = load()
    assert (cases["dss_event"] == cases["prognosis"].eq("DOD")).all()
    assert (cases["drfs_event"] == cases["distant_relapse_sites"].ne("None")).all()
    relapsed = cases[cases["drfs_event"]]
    assert (relapsed["drfs_months"] == relapsed["distant_relapse_months"]).all()
    assert (relapsed["post_relapse_months"] == relapsed["followup_months"] - relapsed["distant_relapse_months"]).all()
    assert cases.loc[~cases["drfs_event"], "post_relapse_months"].isna().all()
    assert (cases.loc[~cases["drfs_event"], "drfs_months"] == cases.loc[~cases["drfs_event"], "followup_months"]).all()


def test_indicators_follow_the_paper_definitions():
    cases = load()
    assert cases["systemic_adjuvant"].equals(cases["adjuvant_therapy"].str.contains(r"\bC\b|RAI", regex=True))
    assert cases["extraspinal_lesions"].equals(
        cases["vital_organ_metastasis"].ne("No") | cases["extraspinal_bone_metastasis"].ne("No"))


def test_load_reads_the_directory_it_is_given(data_copy):
    data_copy.set("outcomes.csv", 6, "prognosis", "DOD")
    assert load(data_copy.directory).loc[6, "dss_event"]
    assert not load().loc[6, "dss_event"]


def test_printed_table_keeps_values_as_printed():
    table = printed_table("outcomes")
    assert table.loc[1, "Local recurrence: duration after EBS (months)"] == ""
    assert table.loc[3, "Surgical margin"] == "+"
    assert table.loc[14, "Distant relapse after EBS: region"] == "Bone"
