"""The checker is general: any package of the book, any number of tables; frictionless-py agrees on the book's packages."""

import json
import os
import shutil

import pytest

from spinemets import DATA_ROOT, evidence
from spinemets.validation import DataValidationError, book_descriptors, check

if os.environ.get("CI") == "true":
    import frictionless  # CI must have the reference validator (requirements-test.txt)
else:
    frictionless = pytest.importorskip("frictionless", reason="frictionless-py is test-only: pip install -r requirements-test.txt")


@pytest.mark.parametrize("descriptor", sorted(book_descriptors().values()), ids=lambda p: p.parent.name)
def test_frictionless_finds_every_book_package_valid(descriptor):
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("descriptor", sorted(book_descriptors().values()), ids=lambda p: p.parent.name)
def test_every_book_package_passes_check_data(descriptor):
    assert check(descriptor.parent).problems == []


def test_evidence_load_returns_the_checked_copy(tmp_path):
    copy = tmp_path / "evidence"
    shutil.copytree(DATA_ROOT / "evidence", copy)
    studies = copy / "studies.csv"
    studies.write_text(studies.read_text(encoding="utf-8").replace(",Young,", ",Young (edited),"), encoding="utf-8")
    loaded = evidence.load(copy)
    assert loaded.loc[loaded["key"] == "young1980", "first_author"].item() == "Young (edited)"
    assert evidence.load().loc[lambda f: f["key"] == "young1980", "first_author"].item() == "Young"


def test_evidence_load_names_an_unknown_table():
    with pytest.raises(KeyError, match="no table 'arms'"):
        evidence.load(resource="arms")


def test_empty_resources_is_a_message_not_an_index_error(tmp_path):
    copy = tmp_path / "evidence"
    shutil.copytree(DATA_ROOT / "evidence", copy)
    (copy / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")
    with pytest.raises(DataValidationError, match="'resources' must be a non-empty list"):
        evidence.load(copy)


def two_table_book(tmp_path):
    """A book whose evidence package has one more table, trial-arms.csv, keyed to studies by a foreign key,
    read from a file name the descriptor chooses: what the loader must handle without code changes."""
    root = tmp_path / "book-data"
    shutil.copytree(DATA_ROOT / "evidence", root / "evidence")
    descriptor = json.loads((root / "evidence" / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "study-list.csv"
    (root / "evidence" / "studies.csv").rename(root / "evidence" / "study-list.csv")
    descriptor["resources"].append({
        "name": "arms", "path": "trial-arms.csv", "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {
            "primaryKey": ["key", "arm"],
            "foreignKeys": [{"fields": ["key"], "reference": {"resource": "studies", "fields": ["key"]}}],
            "missingValues": [""],
            "fields": [
                {"name": "key", "type": "string", "constraints": {"required": True}},
                {"name": "arm", "type": "string", "constraints": {"required": True, "enum": ["surgery", "radiotherapy"]}},
                {"name": "n", "type": "integer", "constraints": {"minimum": 1, "maximum": 100000}},
                {"name": "ambulatory_percent", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
                {"name": "randomised", "type": "boolean"},
                {"name": "published", "type": "date"},
            ],
        },
    })
    (root / "evidence" / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    (root / "evidence" / "trial-arms.csv").write_text(
        "key,arm,n,ambulatory_percent,randomised,published\n"
        "patchell2005,surgery,50,84.5,true,2005-08-20\n"
        "patchell2005,radiotherapy,51,57.0,true,2005-08-20\n", encoding="utf-8")
    return root


def test_any_number_of_tables_typed_by_their_schema(tmp_path):
    root = two_table_book(tmp_path)
    package = check(root / "evidence", data_root=root)
    assert package.problems == []
    trials = package.frame("arms")
    assert list(trials["arm"]) == ["radiotherapy", "surgery"]  # sorted by the primary key
    assert [str(trials[c].dtype) for c in ("n", "ambulatory_percent", "randomised")] == ["Int64", "float64", "boolean"]
    assert str(trials["published"].dtype).startswith("datetime64")
    assert len(package.frame("studies")) == len(evidence.load())


@pytest.mark.parametrize("row, message", [
    ("patchell2005,surgery,50,84.5,true,2005-08-20", "trial-arms.csv, key patchell2005, arm surgery, column key, arm: duplicate primary key (also on line 2)"),
    ("nosuch2000,surgery,5,1,true,2000-01-01", "study-list.csv, key nosuch2000, column key: no such row, yet trial-arms.csv refers to it"),
    ("patchell2005,placebo,5,1,true,2000-01-01", "value 'placebo' is not one of the allowed codes"),
    ("young1980,surgery,5,1e2,true,2000-01-01", "value '1e2' is not a number"),
    ("young1980,surgery,5,101,true,2000-01-01", "value '101' is above the maximum 100"),
    ("young1980,surgery,5,1,yes,2000-01-01", "value 'yes' is not true or false"),
    ("young1980,surgery,5,1,true,2000-02-30", "value '2000-02-30' is not a date written YYYY-MM-DD"),
])
def test_a_second_table_gets_the_same_quality_of_messages(tmp_path, row, message):
    root = two_table_book(tmp_path)
    arms = root / "evidence" / "trial-arms.csv"
    arms.write_text(arms.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    problems = [str(p) for p in check(root / "evidence", data_root=root).problems]
    assert len(problems) == 1 and message in problems[0], problems
