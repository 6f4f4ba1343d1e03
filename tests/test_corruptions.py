"""The corruption suite: `check-data` on generated, broken copies of both data packages.

Every case copies ``data/ohashi2019`` or ``data/evidence`` into ``tmp_path``, breaks one thing
(or makes a harmless change), runs the command line in-process, and asserts:

- the exit status: 0 valid, 1 invalid data, 2 usage error;
- the message: for invalid data, exactly the expected number of problems (one root fault, one
  message), each quoted fragment present, naming file, case and column;
- no traceback, ever (``run`` has no catch-all: a crash fails the test);
- frictionless-py, the standard's reference validator, run on the same copy: whatever it rejects,
  ``check-data`` rejects too (it may reject more: the book's descriptor is the contract, and it
  has rules frictionless does not know).

The counts by outcome are printed by the last test ("corruption suite: ...").
"""

from __future__ import annotations

import collections
import csv
import io
import json
import os
import pathlib
import shutil
from dataclasses import dataclass, field
from typing import Callable

import pytest

from spinemets import DATA_ROOT
from spinemets.__main__ import run

try:  # the reference validator, test-only (requirements-test.txt, installed by make)
    import frictionless
except ImportError:  # the suite still runs; only the comparison with frictionless-py is skipped, never in CI
    if os.environ.get("CI") == "true":
        raise
    frictionless = None

OUTCOMES: collections.Counter = collections.Counter()


# ---- Editing a copy ----------------------------------------------------------------------------


def read_rows(directory: pathlib.Path, file: str) -> list[list[str]]:
    with (directory / file).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def write_rows(directory: pathlib.Path, file: str, rows: list[list[str]], **options) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", **options).writerows(rows)
    (directory / file).write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(file: str, key: str, column: str, value: str) -> Callable:
    """Change one cell of the row whose first column is ``key``."""
    def mutate(directory: pathlib.Path) -> None:
        rows = read_rows(directory, file)
        position = rows[0].index(column)
        matches = [row for row in rows[1:] if row[0] == key]
        assert len(matches) == 1, f"{key} not found once in {file}"
        matches[0][position] = value
        write_rows(directory, file, rows)
    return mutate


def edit_text(file: str, edit: Callable[[str], str]) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        path = directory / file
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    return mutate


def write_bytes(file: str, make: Callable[[bytes], bytes]) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        path = directory / file
        path.write_bytes(make(path.read_bytes()))
    return mutate


def edit_rows(file: str, edit: Callable[[list[list[str]]], list[list[str]]]) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        write_rows(directory, file, edit(read_rows(directory, file)))
    return mutate


def edit_descriptor(edit: Callable[[dict], object]) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        path = directory / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        edit(descriptor)
        path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return mutate


def schema_field(descriptor: dict, table: str, name: str) -> dict:
    resource = next(r for r in descriptor["resources"] if r["name"] == table)
    return next(f for f in resource["schema"]["fields"] if f["name"] == name)


def resource_of(descriptor: dict, table: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == table)


def every(*mutations: Callable) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        for mutation in mutations:
            mutation(directory)
    return mutate


def each_csv(make: Callable[[str], Callable]) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        for path in sorted(directory.glob("*.csv")):
            make(path.name)(directory)
    return mutate


def add_column(file: str, name: str, value: str) -> Callable:
    return edit_rows(file, lambda rows: [rows[0] + [name]] + [row + [value] for row in rows[1:]])


def duplicate_column(file: str, name: str, value: str) -> Callable:
    """A second copy of ``name`` at the end of the header, holding ``value``."""
    return add_column(file, name, value)


def rename_column(file: str, old: str, new: str) -> Callable:
    return edit_rows(file, lambda rows: [[new if c == old else c for c in rows[0]]] + rows[1:])


def rename_field(table: str, old: str, new: str) -> Callable:
    def edit(descriptor):
        schema_field(descriptor, table, old)["name"] = new
    return edit_descriptor(edit)


def symlink_loop(file: str) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        (directory / file).unlink()
        os.symlink(file, directory / file)
    return mutate


def dangling_symlink(file: str) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        (directory / file).unlink()
        os.symlink("nowhere.csv", directory / file)
    return mutate


def folder_instead_of(file: str) -> Callable:
    def mutate(directory: pathlib.Path) -> None:
        (directory / file).unlink()
        (directory / file).mkdir()
    return mutate


def remove(file: str) -> Callable:
    return lambda directory: (directory / file).unlink()


def permission_denied(file: str) -> Callable:
    """Root reads any file whatever its mode, so the refusal is simulated at the read itself."""
    def patch(monkeypatch, directory: pathlib.Path) -> None:
        target = directory / file
        original = pathlib.Path.read_bytes

        def read_bytes(self):
            if self == target:
                raise PermissionError(13, "Permission denied", str(self))
            return original(self)
        monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    return patch


def reverse_rows(rows):
    return [rows[0]] + rows[1:][::-1]


# ---- The cases ---------------------------------------------------------------------------------


@dataclass
class Corruption:
    id: str
    package: str  # "ohashi2019" or "evidence"
    mutate: Callable | None
    exit: int
    expect: list[str] = field(default_factory=list)  # fragments of the output
    count: int | None = 1  # problems expected for exit 1 (one root fault, one message)
    target: str = "folder"  # what is passed: "folder", "descriptor" or a path relative to the copy
    patch: Callable | None = None
    reference: bool = True  # run frictionless-py too (not on a pipe or device: it would wait for ever)


O, E = "ohashi2019", "evidence"
LONG = "x" * 2500
HUGE = "y" * 200_000

CASES = [
    # ---- valid variants: exit 0
    Corruption("unchanged", O, None, 0, ["is valid"]),
    Corruption("unchanged", E, None, 0, ["is valid"]),
    Corruption("descriptor-path-given", O, None, 0, ["is valid"], target="descriptor"),
    Corruption("descriptor-path-given", E, None, 0, ["is valid"], target="descriptor"),
    Corruption("utf8-bom-every-csv", O, each_csv(lambda f: write_bytes(f, lambda b: b"\xef\xbb\xbf" + b)), 0),
    Corruption("utf8-bom-every-csv", E, each_csv(lambda f: write_bytes(f, lambda b: b"\xef\xbb\xbf" + b)), 0),

    Corruption("crlf-line-ends", O, each_csv(lambda f: write_bytes(f, lambda b: b.replace(b"\n", b"\r\n"))), 0),
    Corruption("crlf-line-ends", E, each_csv(lambda f: write_bytes(f, lambda b: b.replace(b"\n", b"\r\n"))), 0),
    Corruption("rows-reordered", O, each_csv(lambda f: edit_rows(f, reverse_rows)), 0),
    Corruption("rows-reordered", E, each_csv(lambda f: edit_rows(f, reverse_rows)), 0),
    Corruption("every-cell-quoted", O, each_csv(lambda f: lambda d: write_rows(d, f, read_rows(d, f), quoting=csv.QUOTE_ALL)), 0),
    Corruption("no-final-newline", O, edit_text("patients.csv", str.rstrip), 0),
    Corruption("documentation-reworded", O, edit_descriptor(lambda d: d.update(title="My copy", description="edited")), 0),
    Corruption("field-description-reworded", E, edit_descriptor(lambda d: schema_field(d, "studies", "doi").update(description="x")), 0),
    # ---- usage errors: exit 2
    Corruption("missing-folder", O, None, 2, ["does not exist"], target="no-such-folder"),
    Corruption("csv-file-given", O, None, 2, ["neither a data package folder nor a datapackage.json"], target="patients.csv"),
    Corruption("folder-without-descriptor", O, remove("datapackage.json"), 2, ["folder without a datapackage.json"]),
    Corruption("missing-descriptor-path", E, remove("datapackage.json"), 2, ["does not exist"], target="descriptor"),
    # ---- one parse: what is checked is what is loaded
    Corruption("duplicated-column", O, duplicate_column("outcomes.csv", "followup_months", "999"), 1,
               ["outcomes.csv, column followup_months: column 'followup_months' appears 2 times in the header (positions 10, 11)"]),
    Corruption("nul-byte-in-cell", O, set_cell("patients.csv", "3", "primary_site", "Kid\x00ney"), 1,
               ["patients.csv, case 3, column primary_site: value 'Kid\\x00ney' contains an invisible character, U+0000 (NUL)"]),
    Corruption("case-with-leading-zero", O, set_cell("surgery.csv", "2", "case", "02"), 1,
               ["surgery.csv, line 3, column case: value '02' has a leading zero; write '2'"]),
    Corruption("case-1-written-01-in-new-row", O, edit_rows("patients.csv", lambda rows: rows + [["01"] + rows[1][1:]]), 1,
               ["patients.csv, line 20, column case: value '01' has a leading zero"]),
    Corruption("duplicate-row", O, edit_rows("patients.csv", lambda rows: rows + [rows[1]]), 1,
               ["patients.csv, case 1, column case: duplicate key '1' (also on line 2)"]),
    # ---- rejections, naming file, case and column
    Corruption("header-repeated-in-the-middle", O, edit_rows("surgery.csv", lambda rows: rows[:5] + [rows[0]] + rows[5:]), 1,
               ["surgery.csv, line 6: line repeats the header row"]),
    Corruption("header-repeated-in-the-middle", E, edit_rows("studies.csv", lambda rows: rows[:3] + [rows[0]] + rows[3:]), 1,
               ["studies.csv, line 4: line repeats the header row"]),
    Corruption("second-file-pasted-below", O, edit_text("outcomes.csv", lambda t: t + "\ufeff" + t), 1,
               ["outcomes.csv, line 20: line repeats the header row"], count=19),
    Corruption("fullwidth-digits", O, set_cell("patients.csv", "6", "age", "７３"), 1,
               ["patients.csv, case 6, column age: value '７３' is written with non-ASCII digits"]),
    Corruption("arabic-indic-digit", O, set_cell("patients.csv", "9", "tomita_type", "٣"), 1,
               ["patients.csv, case 9, column tomita_type: value '٣' is written with non-ASCII digits"]),
    Corruption("non-ascii-digits-year", E, set_cell("studies.csv", "patchell2005", "year", "２００５"), 1,
               ["studies.csv, key patchell2005, column year: value '２００５' is written with non-ASCII digits"]),
    Corruption("integer-10-to-the-30", O, set_cell("surgery.csv", "4", "blood_loss_g", "1" + "0" * 30), 1,
               ["surgery.csv, case 4, column blood_loss_g: value '1000000000000000000000000000000' is above the maximum 50000"]),
    Corruption("integer-10-to-the-30-no-field-maximum", E, set_cell("studies.csv", "patchell2005", "n_patients", "1" + "0" * 30), 1,
               ["studies.csv, key patchell2005, column n_patients: value '1000000000000000000000000000000' is beyond the largest magnitude"]),
    Corruption("integer-of-5000-digits", O, set_cell("outcomes.csv", "3", "followup_months", "9" * 5000), 1,
               ["outcomes.csv, case 3, column followup_months: value '99999", "(5000 characters) is longer than the 2000 characters"]),
    Corruption("integer-with-underscore", O, set_cell("surgery.csv", "5", "operative_time_min", "1_000"), 1,
               ["surgery.csv, case 5, column operative_time_min: value '1_000' is not a whole number"]),
    Corruption("integer-as-decimal", O, set_cell("outcomes.csv", "5", "followup_months", "58.0"), 1,
               ["outcomes.csv, case 5, column followup_months: value '58.0' is not a whole number"]),
    Corruption("tab-in-cell", O, set_cell("patients.csv", "5", "levels", "T6\t"), 1,
               ["patients.csv, case 5, column levels: value 'T6\\t' contains an invisible character, U+0009 (tab)"]),
    Corruption("newline-in-quoted-cell", O, set_cell("patients.csv", "7", "primary_site", "Kid\nney"), 1,
               ["patients.csv, case 7, column primary_site: value 'Kid\\nney' contains an invisible character, U+000A"]),
    Corruption("zero-width-space", E, set_cell("studies.csv", "young1980", "first_author", "You\u200bng"), 1,
               ["studies.csv, key young1980, column first_author: value 'You\\u200bng' contains an invisible character, U+200B"]),
    Corruption("nul-byte-in-title", E, set_cell("studies.csv", "young1980", "title", "Treat\x00ment"), 1,
               ["studies.csv, key young1980, column title: value 'Treat\\x00ment' contains an invisible character, U+0000 (NUL)"]),
    Corruption("cell-over-2000-characters", E, set_cell("studies.csv", "patchell2005", "key_result", LONG), 1,
               ["studies.csv, key patchell2005, column key_result:", "(2500 characters) is longer than the 2000 characters"]),
    # over the csv module's default field limit (131072 characters): still a cell, named by case and column
    Corruption("cell-over-csv-field-limit", E, set_cell("studies.csv", "patchell2005", "key_result", HUGE), 1,
               ["studies.csv, key patchell2005, column key_result:", "(200000 characters) is longer than the 2000 characters"]),
    Corruption("cell-over-csv-field-limit", O, set_cell("patients.csv", "4", "primary_site", HUGE), 1,
               ["patients.csv, case 4, column primary_site:", "(200000 characters) is longer than the 2000 characters"]),
    Corruption("file-over-size-limit", O, set_cell("patients.csv", "4", "primary_site", "z" * 6_000_000), 1,
               ["patients.csv: is 6000", "bytes long; the checker reads files of at most 5000000 bytes"], reference=False),
    Corruption("code-repeated-in-list", O, set_cell("surgery.csv", "2", "adjuvant_therapy", "C+C"), 1,
               ["surgery.csv, case 2, column adjuvant_therapy: value 'C+C' repeats the code 'C'"]),
    Corruption("code-repeated-in-comma-list", O, set_cell("surgery.csv", "6", "postoperative_complications", "ND, ND"), 1,
               ["surgery.csv, case 6, column postoperative_complications: value 'ND, ND' repeats the code 'ND'"]),
    Corruption("treatment-code-repeated", O, set_cell("outcomes.csv", "3", "distant_relapse_treatment", "S+S"), 1,
               ["outcomes.csv, case 3, column distant_relapse_treatment: value 'S+S' repeats the code 'S'"]),
    Corruption("unknown-code-in-list", O, set_cell("surgery.csv", "2", "adjuvant_therapy", "C+X"), 1,
               ["surgery.csv, case 2, column adjuvant_therapy: value 'C+X' contains the unknown code 'X'; allowed: C, RAI, R"]),
    Corruption("relapse-site-banana", O, set_cell("outcomes.csv", "12", "distant_relapse_sites", "Banana"), 1,
               ["outcomes.csv, case 12, column distant_relapse_sites: value 'Banana' contains the unknown code 'Banana'"]),
    Corruption("relapse-site-unknown-in-list", O, set_cell("outcomes.csv", "9", "distant_relapse_sites", "Lung, moon"), 1,
               ["outcomes.csv, case 9, column distant_relapse_sites: value 'Lung, moon' contains the unknown code 'moon'"]),
    Corruption("bone-metastasis-unknown", O, set_cell("patients.csv", "13", "extraspinal_bone_metastasis", "Skull"), 1,
               ["patients.csv, case 13, column extraspinal_bone_metastasis: value 'Skull' contains the unknown code 'Skull'"]),
    Corruption("age-zero", O, set_cell("patients.csv", "1", "age", "0"), 1,
               ["patients.csv, case 1, column age: value '0' is below the minimum 18"]),
    Corruption("age-twelve", O, set_cell("patients.csv", "2", "age", "12"), 1, ["below the minimum 18"]),
    Corruption("last-contact-after-data-closed", O, set_cell("surgery.csv", "2", "year", "2015"), 1,
               ["outcomes.csv, case 2, column followup_months: 266 months of follow-up after surgery in 2015 (surgery.csv) put the last contact in 2037-03"]),
    Corruption("follow-up-too-long", O, set_cell("outcomes.csv", "18", "followup_months", "60"), 1,
               ["outcomes.csv, case 18, column followup_months: 60 months of follow-up after surgery in 2015"]),
    # ---- cell rules already enforced before, kept
    Corruption("required-empty", O, set_cell("patients.csv", "4", "sex", ""), 1, ["patients.csv, case 4, column sex: is empty but a value is required"]),
    Corruption("code-not-allowed", O, set_cell("outcomes.csv", "9", "prognosis", "DEAD"), 1,
               ["outcomes.csv, case 9, column prognosis: value 'DEAD' is not one of the allowed codes: DOD, DOC, AWD, NED"]),
    Corruption("tomita-9", O, set_cell("patients.csv", "16", "tomita_type", "9"), 1,
               ["patients.csv, case 16, column tomita_type: value 9 is not one of the allowed codes: 1, 2, 3, 4, 5, 6, 7"]),
    Corruption("stray-space", O, set_cell("patients.csv", "7", "primary_site", "Kidney "), 1,
               ["patients.csv, case 7, column primary_site: value 'Kidney ' has leading or trailing spaces"]),
    Corruption("level-with-fullwidth-digit", O, set_cell("patients.csv", "1", "levels", "T６"), 1,
               ["patients.csv, case 1, column levels: value 'T６' does not have the expected form (for example 'T10, 11')"]),
    Corruption("level-wrong-form", O, set_cell("patients.csv", "5", "levels", "T6-T7"), 1,
               ["patients.csv, case 5, column levels: value 'T6-T7' does not have the expected form (for example 'T10, 11')"]),
    Corruption("event-after-follow-up", O, set_cell("outcomes.csv", "7", "followup_months", "10"), 1,
               ["outcomes.csv, case 7, column local_recurrence_months: event at month 13 is after the last follow-up"]),
    Corruption("negative-score", O, set_cell("patients.csv", "2", "tokuhashi", "-1"), 1, ["below the minimum 0"]),
    Corruption("design-unknown", E, set_cell("studies.csv", "patchell2005", "design", "anecdote"), 1,
               ["studies.csv, key patchell2005, column design: value 'anecdote' is not one of the allowed codes"]),
    Corruption("doi-wrong-form", E, set_cell("studies.csv", "patchell2005", "doi", "doi:10.1000/xyz"), 1,
               ["studies.csv, key patchell2005, column doi: value 'doi:10.1000/xyz' does not have the expected form"]),
    Corruption("key-not-in-bibliography", E, set_cell("studies.csv", "weigel1999", "key", "nosuchentry2099"), 1,
               ["studies.csv, key nosuchentry2099, column key: key 'nosuchentry2099' has no entry in the bibliography"]),
    Corruption("duplicate-key", E, set_cell("studies.csv", "chow2001", "key", "chow2005"), 1,
               ["studies.csv, key chow2005, column key: duplicate key 'chow2005'"]),
    # ---- cross-table: one message per missing case
    Corruption("case-missing-from-one-file", O, edit_rows("surgery.csv", lambda rows: [r for r in rows if r[0] != "10"]), 1,
               ["surgery.csv, case 10, column case: case is missing from this file but present in patients.csv, outcomes.csv"]),
    Corruption("case-missing-from-patients", O, edit_rows("patients.csv", lambda rows: [r for r in rows if r[0] != "10"]), 1,
               ["patients.csv, case 10, column case: no such row, yet surgery.csv, outcomes.csv refer to it"]),
    # ---- the shape of a file: one root fault, one message
    Corruption("blank-first-line", O, edit_text("patients.csv", lambda t: "\n" + t), 1,
               ["patients.csv: line 1 is not the header row: found a blank line"]),
    Corruption("comment-above-header", O, edit_text("outcomes.csv", lambda t: "# Table 3 of Ohashi 2019\n" + t), 1,
               ["outcomes.csv: line 1 is not the header row: found '# Table 3 of Ohashi 2019'"]),
    Corruption("comment-above-header", E, edit_text("studies.csv", lambda t: "# studies\n" + t), 1,
               ["studies.csv: line 1 is not the header row"]),
    Corruption("empty-file", O, edit_text("surgery.csv", lambda t: ""), 1, ["surgery.csv: is empty: it has no header row"]),
    Corruption("header-only", O, edit_text("surgery.csv", lambda t: t.splitlines()[0] + "\n"), 1, ["surgery.csv: the table has no rows"]),
    Corruption("blank-line-inside", O, edit_text("patients.csv", lambda t: t.replace("\n", "\n\n", 3).replace("\n\n", "\n", 2)), 1,
               ["patients.csv, line 4: line is blank"]),
    Corruption("short-row", O, edit_text("patients.csv", lambda t: t.replace("\n1,55,F,Breast,T6,2,No,No,E,13\n", "\n1,55,F,Breast,T6,2,No,No,E\n")), 1,
               ["patients.csv, line 2: row has 9 cells but the header has 10"]),
    Corruption("long-row", O, edit_text("patients.csv", lambda t: t.replace("\n1,55,F,Breast,T6,2,No,No,E,13\n", "\n1,55,F,Breast,T6,2,No,No,E,13,x\n")), 1,
               ["patients.csv, line 2: row has 11 cells but the header has 10"]),
    Corruption("semicolon-delimited", O, each_csv(lambda f: lambda d: write_rows(d, f, read_rows(d, f), delimiter=";")), 1,
               ["line 1 is not the header row"], count=3),
    Corruption("bad-quoting", O, edit_text("patients.csv", lambda t: t.replace("\n1,55,F,Breast,", '\n1,55,F,"Bre"ast,')), 1,
               ["patients.csv, line 2: cannot be read as CSV"]),
    Corruption("column-missing", O, edit_rows("outcomes.csv", lambda rows: [r[:1] + r[2:] for r in rows]), 1,
               ["outcomes.csv, column margin: column is missing from the header"]),
    Corruption("column-added", O, add_column("patients.csv", "ecog", "1"), 1,
               ["patients.csv, column ecog: column 'ecog' is not in the schema (unexpected column)"]),
    Corruption("column-renamed-in-csv", O, rename_column("outcomes.csv", "margin", "margins"), 1, ["column margin: column is missing"], count=2),
    Corruption("header-name-with-space", O, rename_column("patients.csv", "sex", "Sex "), 1,
               ["patients.csv, column sex: the header has 'Sex ' where the schema has 'sex'"]),
    Corruption("columns-reordered", O, edit_rows("patients.csv", lambda rows: [[r[1], r[0]] + r[2:] for r in rows]), 1,
               ["patients.csv: columns are not in the schema's order"]),
    Corruption("header-with-bom-inside", O, rename_column("patients.csv", "age", "\ufeffage"), 1,
               ["header column 2: value '\\ufeffage' contains an invisible character, U+FEFF (byte-order mark)"]),
    # ---- unreadable input: a message, never a traceback
    Corruption("latin-1", O, write_bytes("patients.csv", lambda b: b.decode("utf-8").replace("Salivary", "Salivâry").encode("latin-1")), 1,
               ["patients.csv: is not UTF-8 text (byte 0xe2 on line 5"]),
    Corruption("latin-1", E, write_bytes("studies.csv", lambda b: b.decode("utf-8").replace("Frankel", "Fränkel", 1).encode("latin-1")), 1,
               ["studies.csv: is not UTF-8 text"]),
    Corruption("utf-16", O, write_bytes("surgery.csv", lambda b: b.decode("utf-8").encode("utf-16")), 1,
               ["surgery.csv: is UTF-16 text, not UTF-8"]),
    Corruption("utf-16", E, write_bytes("studies.csv", lambda b: b.decode("utf-8").encode("utf-16")), 1, ["studies.csv: is UTF-16 text"]),
    Corruption("utf-16-without-bom", O, write_bytes("patients.csv", lambda b: b.decode("utf-8").encode("utf-16-le")), 1,
               ["patients.csv: is not UTF-8 text: it is full of NUL bytes (UTF-16 without a byte-order mark"]),
    Corruption("binary-zeros", E, write_bytes("studies.csv", lambda b: bytes(4096)), 1, ["studies.csv: is not UTF-8 text: it is full of NUL bytes"]),
    Corruption("binary", O, write_bytes("outcomes.csv", lambda b: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), 1,
               ["outcomes.csv: is not UTF-8 text"]),
    Corruption("binary-descriptor", O, write_bytes("datapackage.json", lambda b: bytes(range(256))), 1, ["datapackage.json: is not UTF-8 text"]),
    Corruption("utf8-bom-descriptor", O, write_bytes("datapackage.json", lambda b: b"\xef\xbb\xbf" + b), 1,
               ["datapackage.json: starts with a byte-order mark, which JSON does not allow"]),
    Corruption("latin-1-descriptor", E, write_bytes("datapackage.json", lambda b: b.decode("utf-8").replace("history", "histöry", 1).encode("latin-1")), 1,
               ["datapackage.json: is not UTF-8 text"]),
    Corruption("permission-denied", O, None, 1, ["patients.csv: cannot be read: permission denied"], patch=permission_denied("patients.csv")),
    Corruption("permission-denied-descriptor", E, None, 1, ["datapackage.json: cannot be read: permission denied"],
               patch=permission_denied("datapackage.json")),
    Corruption("symlink-loop", O, symlink_loop("outcomes.csv"), 1, ["outcomes.csv: is a symbolic link that loops back on itself"]),
    Corruption("symlink-loop-descriptor", E, symlink_loop("datapackage.json"), 1, ["datapackage.json: is a symbolic link that loops"]),
    Corruption("dangling-symlink", O, dangling_symlink("surgery.csv"), 1, ["surgery.csv: is a symbolic link to a file that does not exist"]),
    Corruption("folder-instead-of-csv", O, folder_instead_of("surgery.csv"), 1, ["surgery.csv: is a folder, not a file"]),
    Corruption("folder-instead-of-csv", E, folder_instead_of("studies.csv"), 1, ["studies.csv: is a folder, not a file"]),
    Corruption("folder-instead-of-descriptor", O, folder_instead_of("datapackage.json"), 1, ["datapackage.json: is a folder, not a file"]),
    Corruption("pipe-instead-of-csv", O, every(remove("patients.csv"), lambda d: os.mkfifo(d / "patients.csv")), 1,
               ["patients.csv: is not a regular file"], reference=False),
    Corruption("symlink-to-a-device", E, every(remove("studies.csv"), lambda d: os.symlink("/dev/zero", d / "studies.csv")), 1,
               ["studies.csv: is not a regular file"], reference=False),
    Corruption("csv-missing", O, remove("outcomes.csv"), 1, ["outcomes.csv: file not found at"]),
    Corruption("csv-missing", E, remove("studies.csv"), 1, ["studies.csv: file not found at"]),
    Corruption("descriptor-not-json", O, edit_text("datapackage.json", lambda t: "{not json"), 1, ["datapackage.json: is not valid JSON"]),
    Corruption("descriptor-a-list", O, edit_text("datapackage.json", lambda t: "[]"), 1, ["datapackage.json: must hold a JSON object, not list"]),
    Corruption("descriptor-deeply-nested", O, edit_text("datapackage.json", lambda t: "[" * 100_000 + "]" * 100_000), 1,
               ["datapackage.json: is not valid JSON"]),
    Corruption("descriptor-integer-of-5000-digits", O, edit_text("datapackage.json", lambda t: t.replace('"maximum": 120', '"maximum": 1' + "0" * 5000)), 1,
               ["datapackage.json: is not valid JSON (Exceeds the limit"]),
    Corruption("resources-empty", E, edit_text("datapackage.json", lambda t: '{"resources": []}'), 1,
               ["datapackage.json: the package has no 'name'", "datapackage.json: 'resources' must be a non-empty list"], count=2),
    Corruption("resources-empty-named", E, edit_descriptor(lambda d: d.update(resources=[])), 1,
               ["datapackage.json: 'resources' must be a non-empty list of tables"]),
    Corruption("resources-empty-named", O, edit_descriptor(lambda d: d.update(resources=[])), 1, ["'resources' must be a non-empty list"]),
    Corruption("resource-not-an-object", O, edit_descriptor(lambda d: d["resources"].append(42)), 1, ["datapackage.json, resource 4: must be a JSON object"]),
    Corruption("fields-not-a-list", E, edit_descriptor(lambda d: d["resources"][0]["schema"].update(fields={"a": 1})), 1,
               ["datapackage.json, table studies: needs a 'schema' with a non-empty list of 'fields'"]),
    Corruption("unknown-package-name", O, edit_descriptor(lambda d: d.update(name="my-data")), 1,
               ["datapackage.json: the package name 'my-data' is not one of the book's data packages"]),
    Corruption("path-outside-the-folder", O, edit_descriptor(lambda d: resource_of(d, "patients").update(path="../patients.csv")), 1,
               ["datapackage.json, table patients: 'path' '../patients.csv' must be a file name inside the package folder"]),
    Corruption("path-is-a-url", E, edit_descriptor(lambda d: resource_of(d, "studies").update(path="https://example.org/studies.csv")), 1,
               ["must be a file name inside the package folder, not a URL"]),
    # ---- the book's descriptor is the contract
    Corruption("tomita-9-allowed-by-copy", O, every(edit_descriptor(lambda d: schema_field(d, "patients", "tomita_type")["constraints"]["enum"].append(9)),
                                                    set_cell("patients.csv", "16", "tomita_type", "9")), 1,
               ["datapackage.json, table patients, field tomita_type: constraint 'enum' differs from the book's descriptor: this copy adds [9]"]),
    Corruption("maximum-raised-by-copy", O, edit_descriptor(lambda d: schema_field(d, "patients", "age")["constraints"].update(maximum=500)), 1,
               ["table patients, field age: constraint 'maximum' is 500 here but 120 in the book's descriptor"]),
    Corruption("minimum-dropped-by-copy", O, edit_descriptor(lambda d: schema_field(d, "patients", "age")["constraints"].pop("minimum")), 1,
               ["table patients, field age: lacks the constraint 'minimum' (18) of the book's descriptor"]),
    Corruption("required-dropped-by-copy", E, edit_descriptor(lambda d: schema_field(d, "studies", "year")["constraints"].pop("required")), 1,
               ["table studies, field year: lacks the constraint 'required'"]),
    Corruption("pattern-dropped-by-copy", E, edit_descriptor(lambda d: schema_field(d, "studies", "doi")["constraints"].pop("pattern")), 1,
               ["table studies, field doi: lacks the constraint 'pattern'"]),
    Corruption("pattern-loosened-by-copy", O, edit_descriptor(lambda d: schema_field(d, "patients", "levels")["constraints"].update(pattern=".*")), 1,
               ["table patients, field levels: constraint 'pattern' is \".*\" here but"]),
    Corruption("code-added-by-copy", O, edit_descriptor(lambda d: schema_field(d, "outcomes", "distant_relapse_sites")["codes"].update(banana="banana")), 1,
               ["field distant_relapse_sites: codes differ from the book's descriptor: added [\"banana\"]"]),
    Corruption("table-dropped", O, edit_descriptor(lambda d: d["resources"].pop()), 1,
               ["datapackage.json, table outcomes: the book's package has the table 'outcomes' (outcomes.csv); this copy's descriptor lacks it"]),
    Corruption("table-added", E, edit_descriptor(lambda d: d["resources"].append({**d["resources"][0], "name": "extra", "path": "extra.csv"})), 1,
               ["datapackage.json, table extra: this copy adds a table 'extra' that the book's package does not have"]),
    Corruption("field-renamed", O, every(rename_field("outcomes", "margin", "margins"), rename_column("outcomes.csv", "margin", "margins")), 1,
               ["datapackage.json, table outcomes: field 'margin' is renamed 'margins' in this copy"]),
    Corruption("field-renamed", E, every(rename_field("studies", "doi", "DOI"), rename_column("studies.csv", "doi", "DOI")), 1,
               ["table studies: field 'doi' is renamed 'DOI' in this copy"]),
    Corruption("field-dropped", O, edit_descriptor(lambda d: resource_of(d, "patients")["schema"]["fields"].pop(1)), 1,
               ["table patients: the book's field 'age' is missing from this copy's descriptor"]),
    Corruption("type-to-string", O, edit_descriptor(lambda d: schema_field(d, "outcomes", "followup_months").update(type="string")), 1,
               ["table outcomes, field followup_months: 'type' is \"string\" here but \"integer\" in the book's descriptor"]),
    Corruption("type-to-number", O, edit_descriptor(lambda d: schema_field(d, "surgery", "year").update(type="number")), 1,
               ["table surgery, field year: 'type' is \"number\" here but \"integer\""]),
    Corruption("type-to-string", E, edit_descriptor(lambda d: schema_field(d, "studies", "n_patients").update(type="string")), 1,
               ["table studies, field n_patients: 'type' is \"string\" here but \"integer\""]),
    Corruption("primary-key-dropped", O, edit_descriptor(lambda d: resource_of(d, "surgery")["schema"].pop("primaryKey")), 1,
               ["table surgery: lacks the property 'primaryKey'"]),
    Corruption("foreign-key-dropped", O, edit_descriptor(lambda d: resource_of(d, "outcomes")["schema"].pop("foreignKeys")), 1,
               ["table outcomes: lacks the property 'foreignKeys'"]),
    Corruption("path-renamed", E, every(edit_descriptor(lambda d: resource_of(d, "studies").update(path="papers.csv")),
                                        lambda dd: (dd / "studies.csv").rename(dd / "papers.csv")), 1,
               ["table studies: 'path' is \"papers.csv\" here but \"studies.csv\" in the book's descriptor"]),
    Corruption("data-closed-moved", O, edit_descriptor(lambda d: d["dataClosed"].update(date="2040-01-01")), 1,
               ["datapackage.json: 'dataClosed' is"]),
    Corruption("unit-changed", O, edit_descriptor(lambda d: schema_field(d, "outcomes", "followup_months").update(unit="days")), 1,
               ["field followup_months: 'unit' is \"days\" here but \"months\""]),
    Corruption("custom-property-added", O, edit_descriptor(lambda d: schema_field(d, "patients", "sex").update(caseInsensitive=True)), 1,
               ["field sex: adds the property 'caseInsensitive' (true), which the book's descriptor does not have"]),
    # ---- Frictionless features the checker does not implement: rejected by name
    Corruption("dialect", O, edit_descriptor(lambda d: resource_of(d, "patients").update(dialect={"delimiter": ";"})), 1,
               ["datapackage.json, table patients: the resource property 'dialect' is a Frictionless feature this checker does not implement"]),
    Corruption("dialect", E, edit_descriptor(lambda d: resource_of(d, "studies").update(dialect={"header": False})), 1,
               ["table studies: the resource property 'dialect' is a Frictionless feature"]),
    Corruption("encoding-latin-1", O, edit_descriptor(lambda d: resource_of(d, "surgery").update(encoding="latin-1")), 1,
               ["table surgery: the resource property 'encoding' 'latin-1' is a Frictionless feature this checker does not implement (only 'utf-8' or 'utf8' is supported)"]),
    Corruption("missing-values-na", O, edit_descriptor(lambda d: resource_of(d, "outcomes")["schema"].update(missingValues=["", "NA"])), 1,
               ["table outcomes: the schema property 'missingValues' ['', 'NA'] is a Frictionless feature"]),
    Corruption("missing-values-na", E, edit_descriptor(lambda d: resource_of(d, "studies")["schema"].update(missingValues=["-"])), 1,
               ["table studies: the schema property 'missingValues' ['-']"]),
    Corruption("compression", O, edit_descriptor(lambda d: resource_of(d, "patients").update(compression="gz")), 1,
               ["the resource property 'compression'"]),
    Corruption("hash", E, edit_descriptor(lambda d: resource_of(d, "studies").update(hash="sha256:00")), 1, ["the resource property 'hash'"]),
    Corruption("inline-data", O, edit_descriptor(lambda d: resource_of(d, "patients").update(data=[["case"], [1]])), 1,
               ["the resource property 'data'"]),
    Corruption("format-json", O, edit_descriptor(lambda d: resource_of(d, "patients").update(format="json")), 1,
               ["the resource property 'format' 'json'"]),
    Corruption("schema-by-path", O, edit_descriptor(lambda d: resource_of(d, "patients").update(schema="schema.json")), 1,
               ["table patients: a schema given as a path or URL ('schema.json') is not supported"]),
    Corruption("true-values", E, edit_descriptor(lambda d: schema_field(d, "studies", "doi").update(trueValues=["y"])), 1,
               ["field doi: the field property 'trueValues'"]),
    Corruption("group-char", O, edit_descriptor(lambda d: schema_field(d, "surgery", "blood_loss_g").update(groupChar=",")), 1,
               ["field blood_loss_g: the field property 'groupChar'"]),
    Corruption("bare-number", O, edit_descriptor(lambda d: schema_field(d, "surgery", "blood_loss_g").update(bareNumber=False)), 1,
               ["field blood_loss_g: the field property 'bareNumber'"]),
    Corruption("exclusive-minimum", O, edit_descriptor(lambda d: schema_field(d, "patients", "age")["constraints"].update(exclusiveMinimum=0)), 1,
               ["field age: the constraint 'exclusiveMinimum' is a Frictionless feature"]),
    Corruption("unsupported-type", O, edit_descriptor(lambda d: schema_field(d, "patients", "levels").update(type="array")), 1,
               ["field levels: type 'array' is not supported"]),
    Corruption("unique-keys", O, edit_descriptor(lambda d: resource_of(d, "patients")["schema"].update(uniqueKeys=[["case"]])), 1,
               ["the schema property 'uniqueKeys'"]),
]


def case_id(case: Corruption) -> str:
    return f"{case.package}-{case.id}"


def run_frictionless(directory: pathlib.Path) -> bool:
    """True when frictionless-py finds the copy valid against the copy's own descriptor."""
    try:
        return frictionless.validate(str(directory / "datapackage.json")).valid
    except Exception:  # frictionless raising on a broken copy counts as rejecting it
        return False


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_corruption(case: Corruption, tmp_path, capsys, monkeypatch):
    directory = tmp_path / case.package
    shutil.copytree(DATA_ROOT / case.package, directory)
    if case.mutate:
        case.mutate(directory)
    target = {"folder": directory, "descriptor": directory / "datapackage.json"}.get(case.target, directory / case.target)

    frictionless_valid = None
    if case.exit != 2 and case.patch is None and case.reference and frictionless is not None:
        frictionless_valid = run_frictionless(directory)
    if case.patch:
        case.patch(monkeypatch, directory)

    status = run(["check-data", str(target)])  # no catch-all here: a crash is a failed test
    out, err = capsys.readouterr()
    OUTCOMES[f"exit {status}"] += 1
    OUTCOMES["traceback"] += "Traceback" in out + err
    if frictionless_valid is not None:
        OUTCOMES["frictionless run"] += 1
        OUTCOMES["frictionless rejected"] += not frictionless_valid

    assert "Traceback" not in out + err
    assert status == case.exit, f"exit {status}; output:\n{out}{err}"
    if frictionless_valid is False:
        assert status == 1, "frictionless-py rejects this copy, so check-data must too"
    for fragment in case.expect:
        assert fragment in out + err, f"expected {fragment!r} in:\n{out}{err}"
    if status == 0:
        assert out.startswith("OK: ") and len(out.splitlines()) == 1 and err == ""
    elif status == 1:
        problems = [line for line in err.splitlines() if line.startswith("  - ")]
        if case.count is not None:
            assert len(problems) == case.count, f"one root fault, {case.count} message(s) expected; got:\n{err}"
        assert out == ""
    else:
        assert len(err.strip().splitlines()) == 1 and err.startswith("python -m spinemets: error: ")


def test_the_suite_covers_both_packages_and_every_outcome():
    assert {c.package for c in CASES} == {"ohashi2019", "evidence"}
    assert {c.exit for c in CASES} == {0, 1, 2}
    assert len({case_id(c) for c in CASES}) == len(CASES), "case ids are unique"


def test_counts_by_outcome(capsys):
    """Runs after the cases above (pytest keeps the file's order) and prints their counts."""
    total = sum(OUTCOMES[f"exit {status}"] for status in (0, 1, 2))
    if total != len(CASES):
        pytest.skip("only part of the suite ran")
    assert OUTCOMES["traceback"] == 0
    with capsys.disabled():
        print(f"\ncorruption suite: {total} copies: {OUTCOMES['exit 0']} exit 0 (valid), {OUTCOMES['exit 1']} exit 1 (invalid), "
              f"{OUTCOMES['exit 2']} exit 2 (usage error), {OUTCOMES['traceback']} tracebacks; frictionless-py rejected "
              f"{OUTCOMES['frictionless rejected']} of the {OUTCOMES['frictionless run']} copies it ran on, and check-data rejected each of those")
