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


# ---- One parse: what is loaded is exactly what was checked --------------------------------------

import pytest  # noqa: E402

from spinemets.validation import DataValidationError, check  # noqa: E402


def rewrite(path, edit):
    path.write_bytes(edit(path.read_bytes()))


@pytest.mark.parametrize("variant", ["utf8-bom", "crlf", "rows-reversed"])
def test_harmless_variants_load_the_same_table(data_copy, variant):
    for path in sorted(data_copy.directory.glob("*.csv")):
        if variant == "utf8-bom":
            rewrite(path, lambda data: b"\xef\xbb\xbf" + data)
        elif variant == "crlf":
            rewrite(path, lambda data: data.replace(b"\n", b"\r\n"))
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
            path.write_text("\n".join(lines[:1] + lines[1:][::-1]) + "\n", encoding="utf-8")
    assert load(data_copy.directory).equals(load())


@pytest.mark.parametrize("file, column, value", [
    ("outcomes.csv", "followup_months", "999"),  # as a second, duplicated column
])
def test_a_duplicated_column_is_refused_not_half_loaded(data_copy, file, column, value):
    header, rows = data_copy.rows(file)
    path = data_copy.directory / file
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([text[0] + f",{column}"] + [line + f",{value}" for line in text[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=f"column '{column}' appears 2 times in the header"):
        load(data_copy.directory)


def test_a_nul_byte_is_refused_not_truncated(data_copy):
    data_copy.set("patients.csv", 3, "primary_site", "Kid\x00ney")
    with pytest.raises(DataValidationError, match=r"value 'Kid\\x00ney' contains an invisible character, U\+0000"):
        load(data_copy.directory)


def test_case_numbers_are_compared_as_numbers(data_copy):
    header, rows = data_copy.rows("patients.csv")
    data_copy.write("patients.csv", header, rows + [{**rows[0], "case": "01"}])
    with pytest.raises(DataValidationError, match="value '01' has a leading zero"):
        load(data_copy.directory)


def test_the_frame_is_built_from_the_checked_rows():
    package = check(DEFAULT_DATA_DIR)
    assert package.problems == []
    patients = package.frame("patients")
    assert list(patients["case"]) == [row["case"] for row in sorted(package.tables["patients"].rows, key=lambda r: r["case"])]
    assert str(patients["age"].dtype) == "Int64" and patients["primary_site"].dtype == object


from spinemets.data import DEFAULT_DATA_DIR  # noqa: E402
