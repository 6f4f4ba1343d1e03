"""data/evidence/studies.csv: valid against its schema, every key and DOI resolvable, errors caught."""

import csv
import re
import shutil

import pytest

from spinemets import evidence
from spinemets.validation import DataValidationError

DOI = re.compile(r"10\.\d{4,9}/\S+")
BIB_FIELD = re.compile(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$")


def bib_entries():
    """key -> {field: value} for every entry of references.bib (one field per line, as the file is written)."""
    entries, key = {}, None
    for line in evidence.DEFAULT_BIBLIOGRAPHY.read_text(encoding="utf-8").splitlines():
        start = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)\s*,", line)
        if start:
            key = start.group(1)
            entries[key] = {}
        elif key and (match := BIB_FIELD.match(line)):
            entries[key][match.group(1).lower()] = match.group(2)
    return entries


@pytest.fixture
def studies_copy(tmp_path):
    shutil.copytree(evidence.DEFAULT_DATA_DIR, tmp_path / "evidence")
    return tmp_path / "evidence"


def edit(directory, key, column, value):
    path = directory / "studies.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["key"] == key:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_studies_validate_against_their_schema():
    assert evidence.validate() == []
    studies = evidence.load()
    assert studies["key"].is_unique and len(studies) > 0


def test_every_key_resolves_in_references_bib():
    assert set(evidence.load()["key"]) <= evidence.bibliography_keys()


def test_every_doi_is_well_formed_and_matches_the_bibliography():
    entries = bib_entries()
    for key, fields in entries.items():
        if "doi" in fields:
            assert DOI.fullmatch(fields["doi"]), f"{key}: malformed DOI {fields['doi']!r}"
    for row in evidence.load().itertuples():
        if row.doi is not None:
            assert DOI.fullmatch(row.doi)
            assert entries[row.key].get("doi") == row.doi, f"{row.key}: DOI differs from references.bib"
        assert str(entries[row.key].get("year")) == str(row.year), f"{row.key}: year differs from references.bib"


def test_the_seed_references_are_all_in_the_data():
    seed = {"mohme2021", "findlay1984", "steinmetz2001", "weigel1999", "young1980", "heary2001",
            "chow2005", "chow2001", "patchell2005", "jacobs2001", "meleis2021"}
    assert seed <= set(evidence.load()["key"])


@pytest.mark.parametrize("column, value, message", [
    ("doi", "doi:10.1000/xyz", "does not have the expected form"),
    ("design", "anecdote", "not one of the allowed codes"),
    ("n_patients", "about 50", "not a whole number"),
    ("year", "", "required"),
    ("key", "nosuchentry2099", "no entry in the bibliography"),
])
def test_a_broken_copy_is_rejected_with_the_reason(studies_copy, column, value, message):
    edit(studies_copy, "patchell2005", column, value)
    with pytest.raises(DataValidationError, match=message):
        evidence.load(studies_copy)


def test_duplicate_keys_are_rejected(studies_copy):
    edit(studies_copy, "chow2001", "key", "chow2005")
    problems = evidence.validate(studies_copy)
    assert any("duplicate key" in p.message for p in problems)


def test_timeline_encodes_design_size_and_tooltips():
    spec = evidence.timeline(evidence.load()).to_dict()
    encoding = spec["encoding"]
    assert encoding["color"]["field"] == "design"
    assert encoding["size"]["field"] == "size"
    titles = {t["title"] for t in encoding["tooltip"]}
    assert {"Key result", "DOI", "Design", "Patients"} <= titles
