"""The validator against deliberately broken copies of the data: one test per rule.

Each test breaks one thing and asserts that the problem is reported with the file, the case and
the column named, and that ``load()`` refuses the data with the same message.
"""

import json
import subprocess
import sys

import pytest

from spinemets.data import DEFAULT_DATA_DIR, load
from spinemets.validation import DataValidationError, validate


def problems_text(directory) -> list[str]:
    return [str(problem) for problem in validate(directory)]


def assert_reported(data_copy, file: str, case: str, column: str, words: str) -> None:
    """The one problem reported names the file, the case (or line) and the column, and ``load`` raises it."""
    reported = problems_text(data_copy.directory)
    place = [file] + ([case if case.startswith("line") else f"case {case}"] if case else []) + ([f"column {column}"] if column else [])
    expected_start = ", ".join(place) + ":"
    matching = [line for line in reported if line.startswith(expected_start) and words in line]
    assert matching, f"expected a problem starting {expected_start!r} mentioning {words!r}; got {reported}"
    assert len(reported) == 1, f"one fault, one message; got {reported}"
    with pytest.raises(DataValidationError) as raised:
        load(data_copy.directory)
    assert matching[0] in str(raised.value)


def test_the_shipped_data_are_valid():
    assert validate(DEFAULT_DATA_DIR) == []
    assert len(load()) == 18


def test_required_value_missing(data_copy):
    data_copy.set("patients.csv", 4, "sex", "")
    assert_reported(data_copy, "patients.csv", "4", "sex", "is empty but a value is required")


def test_integer_column_with_text(data_copy):
    data_copy.set("surgery.csv", 6, "blood_loss_g", "18,070")
    assert_reported(data_copy, "surgery.csv", "6", "blood_loss_g", "not a whole number")


def test_number_below_minimum(data_copy):
    data_copy.set("patients.csv", 2, "tokuhashi", "-1")
    assert_reported(data_copy, "patients.csv", "2", "tokuhashi", "below the minimum 0")


def test_number_above_maximum(data_copy):
    data_copy.set("patients.csv", 3, "age", "430")  # noqa: the maximum is 120
    assert_reported(data_copy, "patients.csv", "3", "age", "above the maximum 120")


def test_year_outside_the_series(data_copy):
    data_copy.set("surgery.csv", 18, "year", "2016")
    assert_reported(data_copy, "surgery.csv", "18", "year", "above the maximum 2015")


def test_code_not_in_dictionary(data_copy):
    data_copy.set("outcomes.csv", 9, "prognosis", "DEAD")
    assert_reported(data_copy, "outcomes.csv", "9", "prognosis", "not one of the allowed codes")


def test_integer_code_not_in_dictionary(data_copy):
    data_copy.set("patients.csv", 16, "tomita_type", "8")
    assert_reported(data_copy, "patients.csv", "16", "tomita_type", "not one of the allowed codes")


def test_value_of_the_wrong_form(data_copy):
    data_copy.set("patients.csv", 5, "levels", "T6-T7")
    assert_reported(data_copy, "patients.csv", "5", "levels", "does not have the expected form")


def test_unknown_code_in_a_list(data_copy):
    data_copy.set("surgery.csv", 8, "postoperative_complications", "ND, MI")
    assert_reported(data_copy, "surgery.csv", "8", "postoperative_complications", "contains the unknown code 'MI'; allowed: Pneumonia")


def test_code_repeated_in_a_list(data_copy):
    data_copy.set("surgery.csv", 2, "adjuvant_therapy", "C+C")
    assert_reported(data_copy, "surgery.csv", "2", "adjuvant_therapy", "repeats the code 'C'")


def test_distant_relapse_site_outside_the_vocabulary(data_copy):
    data_copy.set("outcomes.csv", 12, "distant_relapse_sites", "Banana")
    assert_reported(data_copy, "outcomes.csv", "12", "distant_relapse_sites", "contains the unknown code 'Banana'; allowed: bone, neck")


def test_implausible_age(data_copy):
    data_copy.set("patients.csv", 5, "age", "0")
    assert_reported(data_copy, "patients.csv", "5", "age", "below the minimum 18")


def test_last_contact_after_the_data_were_closed(data_copy):
    data_copy.set("surgery.csv", 2, "year", "2015")
    assert_reported(data_copy, "outcomes.csv", "2", "followup_months",
                    "266 months of follow-up after surgery in 2015 (surgery.csv) put the last contact in 2037-03 at the earliest, "
                    "after the data were closed on 2018-11-29")


def test_the_closing_date_is_recorded_with_its_source():
    closed = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))["dataClosed"]
    assert closed["date"] == "2018-11-29" and "PMC6454284" in closed["source"] and closed["description"]


def test_every_integer_field_states_a_maximum():
    package = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            if field["type"] == "integer":
                assert {"maximum", "enum"} & set(field.get("constraints", {})), f"{resource['name']}.{field['name']}"


def test_stray_spaces(data_copy):
    data_copy.set("patients.csv", 7, "primary_site", "Kidney ")
    assert_reported(data_copy, "patients.csv", "7", "primary_site", "leading or trailing spaces")


def test_duplicate_case(data_copy):
    data_copy.set("outcomes.csv", 12, "case", "11")
    assert_reported(data_copy, "outcomes.csv", "11", "case", "duplicate key '11' (also on line 12)")


def test_case_missing_from_one_file(data_copy):
    header, rows = data_copy.rows("surgery.csv")
    data_copy.write("surgery.csv", header, [row for row in rows if row["case"] != "10"])
    assert_reported(data_copy, "surgery.csv", "10", "case", "missing from this file but present in patients.csv, outcomes.csv")


def test_missing_column(data_copy):
    header, rows = data_copy.rows("outcomes.csv")
    header.remove("margin")
    data_copy.write("outcomes.csv", header, [{k: v for k, v in row.items() if k != "margin"} for row in rows])
    assert_reported(data_copy, "outcomes.csv", "", "margin", "column is missing from the header")


def test_unexpected_column(data_copy):
    header, rows = data_copy.rows("patients.csv")
    data_copy.write("patients.csv", header + ["ecog"], [{**row, "ecog": "1"} for row in rows])
    assert_reported(data_copy, "patients.csv", "", "ecog", "not in the schema")


def test_row_with_surplus_cells(data_copy):
    path = data_copy.directory / "patients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_reported(data_copy, "patients.csv", "line 2", "", "row has 11 cells but the header has 10")


def test_missing_file(data_copy):
    (data_copy.directory / "outcomes.csv").unlink()
    assert_reported(data_copy, "outcomes.csv", "", "", "file not found")


def test_broken_datapackage(data_copy):
    (data_copy.directory / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"datapackage.json: is not valid JSON"):
        load(data_copy.directory)


def test_local_recurrence_without_its_month(data_copy):
    data_copy.set("outcomes.csv", 7, "local_recurrence_months", "")
    assert_reported(data_copy, "outcomes.csv", "7", "local_recurrence_months", "local_recurrence is 'Yes'")


def test_month_of_a_recurrence_that_did_not_happen(data_copy):
    data_copy.set("outcomes.csv", 1, "local_recurrence_months", "10")
    assert_reported(data_copy, "outcomes.csv", "1", "local_recurrence_months", "local_recurrence is 'No'")


def test_distant_relapse_without_its_month(data_copy):
    data_copy.set("outcomes.csv", 16, "distant_relapse_months", "")
    assert_reported(data_copy, "outcomes.csv", "16", "distant_relapse_months", "a relapse needs its month")


def test_treatment_of_a_relapse_that_did_not_happen(data_copy):
    data_copy.set("outcomes.csv", 8, "distant_relapse_treatment", "R")
    assert_reported(data_copy, "outcomes.csv", "8", "distant_relapse_treatment", "distant_relapse_sites is 'None'")


def test_event_after_the_last_follow_up(data_copy):
    data_copy.set("outcomes.csv", 7, "followup_months", "10")
    assert_reported(data_copy, "outcomes.csv", "7", "local_recurrence_months", "after the last follow-up")


def test_survivor_followed_for_less_than_two_years(data_copy):
    data_copy.set("outcomes.csv", 18, "followup_months", "23")
    assert_reported(data_copy, "outcomes.csv", "18", "followup_months", "at least 24")


def test_every_problem_is_listed_not_only_the_first(data_copy):
    data_copy.set("patients.csv", 1, "sex", "X")
    data_copy.set("outcomes.csv", 2, "margin", "?")
    reported = problems_text(data_copy.directory)
    assert any(line.startswith("patients.csv, case 1, column sex:") for line in reported)
    assert any(line.startswith("outcomes.csv, case 2, column margin:") for line in reported)


def test_schema_documents_every_column():
    package = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert package["sources"] and "10.31616/asj.2018.0145" in package["sources"][0]["path"]
    assert package["licenses"]
    for resource in package["resources"]:
        assert resource["source"].startswith("Ohashi et al. 2019, Table")
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['name']}.{field['name']} has no description"
            assert field.get("title"), f"{resource['name']}.{field['name']} has no title"
            if field.get("constraints", {}).get("enum") and field["type"] == "string" and field["name"] not in (
                "local_recurrence", "intraoperative_complications"
            ):
                assert set(field["codes"]) == set(field["constraints"]["enum"]), f"{field['name']}: every code explained"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "spinemets", "check-data", *map(str, args)],
                          capture_output=True, text=True, check=False)


def test_command_line_accepts_the_shipped_data():
    result = run_cli(DEFAULT_DATA_DIR)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK:") and len(result.stdout.strip().splitlines()) == 1


def test_command_line_rejects_a_corrupted_copy(data_copy):
    data_copy.set("outcomes.csv", 5, "distant_relapse_months", "80")
    result = run_cli(data_copy.directory)
    assert result.returncode == 1
    assert "outcomes.csv, case 5, column distant_relapse_months: event at month 80 is after the last follow-up" in result.stderr


# ---- The radiosensitivity classes (data/radiosensitivity): same checker, same quality of message ----

import csv  # noqa: E402
import shutil  # noqa: E402

from spinemets import DATA_ROOT  # noqa: E402
from spinemets.pathway import UnknownHistology, classify_histology  # noqa: E402

RADIOSENSITIVITY = DATA_ROOT / "radiosensitivity"


@pytest.fixture
def classes_copy(tmp_path):
    target = tmp_path / "radiosensitivity"
    shutil.copytree(RADIOSENSITIVITY, target)
    return target


def edit_row(directory, histology: str, column: str, value: str) -> None:
    path = directory / "histologies.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames), list(reader)
    matches = [row for row in rows if row["histology"] == histology]
    assert len(matches) == 1 and column in header
    matches[0][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def assert_class_problem(directory, row: str, column: str, words: str) -> None:
    """One fault, one message naming the file, the histology and the column; the pathway refuses the copy too."""
    reported = [str(problem) for problem in validate(directory)]
    start = f"histologies.csv, {row}, column {column}:"
    assert len(reported) == 1 and reported[0].startswith(start) and words in reported[0], reported
    with pytest.raises(DataValidationError) as raised:
        classify_histology("melanoma", data_dir=directory)
    assert reported[0] in str(raised.value)


def test_the_shipped_classes_are_valid():
    assert validate(RADIOSENSITIVITY) == []


@pytest.mark.parametrize("histology, column, value, row, words", [
    ("breast carcinoma", "class", "intermediate", "histology breast carcinoma", "not one of the allowed codes"),
    ("leukaemia", "class", "", "histology leukaemia", "is empty but a value is required"),
    ("melanoma", "source", "aofoundation2020", "histology melanoma", "has no entry in the bibliography"),
    ("sarcoma", "aliases", "soft-tissue sarcoma; melanoma", "histology sarcoma", "already names the row histology melanoma"),
    ("sarcoma", "aliases", "bone sarcoma; bone sarcoma", "histology sarcoma", "repeats"),
    ("plasmacytoma", "note", "", "histology plasmacytoma", "extended by the book"),
    ("lymphoma", "histology", "Lymphoma", "line 6", "does not have the expected form"),
    ("melanoma", "statement", "resistant", "histology melanoma", "shorter than the minimum length 20"),
], ids=["class-outside-the-two", "class-empty", "source-not-in-bibliography", "name-names-two-rows",
        "alias-repeated", "extension-without-note", "histology-in-capitals", "statement-too-short"])
def test_a_corrupted_class_is_reported_by_file_histology_and_column(classes_copy, histology, column, value, row, words):
    edit_row(classes_copy, histology, column, value)
    assert_class_problem(classes_copy, row, column, words)


def test_a_duplicate_histology(classes_copy):
    edit_row(classes_copy, "leukaemia", "histology", "lymphoma")
    reported = [str(problem) for problem in validate(classes_copy)]
    assert any(line.startswith("histologies.csv, histology lymphoma, column histology:") and "duplicate key" in line
               for line in reported), reported


def test_the_command_line_names_the_histology_and_column(classes_copy):
    edit_row(classes_copy, "prostate carcinoma", "class", "sensitive")
    result = subprocess.run([sys.executable, "-m", "spinemets", "check-data", str(classes_copy)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "histologies.csv, histology prostate carcinoma, column class:" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_histology_is_a_value_error_naming_the_file():
    with pytest.raises(UnknownHistology, match="histologies.csv") as raised:
        classify_histology("lung adenocarcinoma")
    assert isinstance(raised.value, ValueError)


def test_frictionless_agrees_the_corrupted_class_is_invalid(classes_copy):
    frictionless = pytest.importorskip("frictionless", reason="frictionless-py is test-only")
    edit_row(classes_copy, "breast carcinoma", "class", "intermediate")
    assert not frictionless.validate(str(classes_copy / "datapackage.json")).valid
    assert validate(classes_copy)
