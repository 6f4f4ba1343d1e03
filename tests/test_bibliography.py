"""Every book/*.bib, parsed with pybtex (what sphinxcontrib-bibtex reads): no two entries share a DOI
or a PMID, every journal article carries a DOI or a PMID, and journal names are written out."""

import re
from collections import defaultdict

import pytest
from pybtex.database import parse_file

from spinemets import PROJECT_ROOT

BIB_FILES = sorted((PROJECT_ROOT / "book").glob("*.bib"))
# An abbreviated journal word: a capitalised stem of at most five letters followed by a full stop
# ("J.", "Neurosurg.", "Oncol."); a written-out name has none.
ABBREVIATED = re.compile(r"\b(?!Society\.)[A-Z][a-z]{0,8}\.(?=\s|$)")


def entries():
    """(file name, key, pybtex entry) for every entry of every bibliography of the book."""
    found = []
    for path in BIB_FILES:
        for key, entry in parse_file(str(path)).entries.items():
            found.append((path.name, key, entry))
    return found


def normalised_doi(doi: str) -> str:
    return doi.strip().lower().removeprefix("https://doi.org/")


def test_the_book_has_bibliographies_to_check():
    assert len(BIB_FILES) >= 2 and len(entries()) > 50


@pytest.mark.parametrize("field, normalise", [("doi", normalised_doi), ("pmid", str.strip)])
def test_no_two_entries_share_a_doi_or_a_pmid(field, normalise):
    holders = defaultdict(list)
    for file, key, entry in entries():
        if field in entry.fields:
            holders[normalise(entry.fields[field])].append(f"{file}:{key}")
    shared = {value: keys for value, keys in holders.items() if len(keys) > 1}
    assert shared == {}, f"entries that share a {field}: {shared}"


def test_no_key_is_defined_twice_across_files():
    keys = defaultdict(list)
    for file, key, _ in entries():
        keys[key.lower()].append(file)
    assert {key: files for key, files in keys.items() if len(files) > 1} == {}


def test_every_article_has_a_doi_or_a_pmid_or_says_why_not():
    """A journal article carries its DOI or PMID; one whose records showed neither says so in a
    ``noidentifier`` field (which the bibliography style does not print), so a gap is never silent."""
    missing = [f"{file}:{key}" for file, key, entry in entries()
               if entry.type == "article" and not ({"doi", "pmid", "noidentifier"} & set(entry.fields.keys()))]
    assert missing == [], f"journal articles without a DOI or PMID and no word on why: {missing}"


def test_an_entry_with_an_identifier_does_not_also_claim_to_have_none():
    both = [f"{file}:{key}" for file, key, entry in entries()
            if "noidentifier" in entry.fields and ({"doi", "pmid"} & set(entry.fields.keys()))]
    assert both == []


def test_dois_and_pmids_are_well_formed():
    for file, key, entry in entries():
        if "doi" in entry.fields:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", entry.fields["doi"]), f"{file}:{key} DOI {entry.fields['doi']!r}"
        if "pmid" in entry.fields:
            assert re.fullmatch(r"[1-9]\d{0,8}", entry.fields["pmid"]), f"{file}:{key} PMID {entry.fields['pmid']!r}"


def test_journal_names_are_written_out():
    abbreviated = [f"{file}:{key} ({entry.fields['journal']})" for file, key, entry in entries()
                   if "journal" in entry.fields and ABBREVIATED.search(entry.fields["journal"])]
    assert abbreviated == [], f"abbreviated journal names: {abbreviated}"


@pytest.mark.parametrize("journal, abbreviated", [
    ("J. Neurosurg. Spine", True), ("Spine", False), ("Journal of Neurosurgery: Spine", False),
    ("Int J Radiat Oncol Biol Phys", False), ("Neurosurg. Focus", True),
    ("Journal of the Royal Statistical Society. Series A (General)", False),
])
def test_the_abbreviation_rule_catches_dotted_abbreviations(journal, abbreviated):
    assert bool(ABBREVIATED.search(journal)) is abbreviated
