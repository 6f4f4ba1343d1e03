"""Validate the Ohashi 2019 case-series tables against their Table Schema and cross-table rules.

Every rule reports *all* its problems; nothing is dropped or repaired. A problem names the
file, the case (or the line, when the case number itself is unusable) and the column, in
plain words. ``validate(data_dir)`` returns the problems; ``spinemets.data.load`` raises
them as one :class:`DataValidationError`.

Field-level rules come from ``datapackage.json``: ``required``, ``type`` (integer),
``minimum``/``maximum``, ``enum``, ``pattern`` and ``unique``, plus two documented custom
properties: ``codes`` (the code dictionary from the table footnotes) with ``listSeparator``
(the cell is a list of codes joined by that separator) and ``noneValue`` (the word the table
prints when the list is empty).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

ALIVE = {"AWD", "NED"}
MINIMUM_FOLLOWUP_MONTHS = 24  # inclusion criterion of the series: at least 2 years of follow-up


@dataclass(frozen=True)
class Problem:
    file: str
    case: str  # the case number as written, or "line N" when no usable case number exists
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, case {self.case}, column {self.column}: {self.message}"


class DataValidationError(ValueError):
    """Raised by ``load`` when the data break the schema or a cross-table rule."""

    def __init__(self, data_dir: Path, problems: list[Problem]):
        self.data_dir = Path(data_dir)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in {self.data_dir}:\n{lines}")


def read_package(data_dir: Path) -> dict:
    path = Path(data_dir) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError(data_dir, [Problem("datapackage.json", "-", "-", f"file not found at {path}")]) from None
    except json.JSONDecodeError as err:
        raise DataValidationError(data_dir, [Problem("datapackage.json", "-", "-", f"not valid JSON ({err})")]) from None


def read_raw_tables(data_dir: Path, package: dict) -> tuple[dict[str, list[dict[str, str]]], list[Problem]]:
    """Read every resource as text, exactly as written; report missing files and wrong headers."""
    tables, problems = {}, []
    for resource in package["resources"]:
        file = resource["path"]
        path = Path(data_dir) / file
        if not path.is_file():
            problems.append(Problem(file, "-", "-", f"file not found at {path}"))
            continue
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            rows = list(reader)
        expected = [field["name"] for field in resource["schema"]["fields"]]
        for column in expected:
            if column not in header:
                problems.append(Problem(file, "-", column, "column is missing from the header"))
        for column in header:
            if column not in expected:
                problems.append(Problem(file, "-", column, "column is not in the schema (unexpected column)"))
        for line_number, row in enumerate(rows, start=2):
            if None in row:  # csv.DictReader puts surplus cells under the key None
                problems.append(Problem(file, f"line {line_number}", "-", f"row has more cells than the header ({row[None]!r} left over)"))
        tables[resource["name"]] = rows
    return tables, problems


def case_label(row: dict[str, str], line_number: int) -> str:
    case = (row.get("case") or "").strip()
    return case if re.fullmatch(r"\d+", case) else f"line {line_number} (case {case!r})"


def check_cell(value: str, field: dict) -> str | None:
    """Return a plain-words problem for one cell, or None when it is valid."""
    constraints = field.get("constraints", {})
    if value == "":
        return "is empty but a value is required" if constraints.get("required") else None
    if value != value.strip():
        return f"value {value!r} has leading or trailing spaces"
    if field["type"] == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return f"value {value!r} is not a whole number"
        number = int(value)
        if "minimum" in constraints and number < constraints["minimum"]:
            return f"value {number} is below the minimum {constraints['minimum']}"
        if "maximum" in constraints and number > constraints["maximum"]:
            return f"value {number} is above the maximum {constraints['maximum']}"
        if "enum" in constraints and number not in constraints["enum"]:
            return f"value {number} is not one of the allowed codes {constraints['enum']}"
        return None
    if "enum" in constraints and value not in constraints["enum"]:
        return f"value {value!r} is not one of the allowed codes {constraints['enum']}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
        return f"value {value!r} does not have the expected form (pattern {constraints['pattern']})"
    separator = field.get("listSeparator")
    if separator and "codes" in field and value != field.get("noneValue"):
        unknown = [item for item in value.split(separator) if item not in field["codes"]]
        if unknown:
            return f"value {value!r} contains unknown code(s) {unknown}; allowed: {sorted(field['codes'])}"
    return None


def check_fields(tables: dict, package: dict) -> list[Problem]:
    problems = []
    for resource in package["resources"]:
        rows = tables.get(resource["name"])
        if rows is None:
            continue
        file = resource["path"]
        if not rows:
            problems.append(Problem(file, "-", "-", "the table has no rows"))
        for field in resource["schema"]["fields"]:
            seen: dict[str, int] = {}
            for line_number, row in enumerate(rows, start=2):
                if field["name"] not in row:
                    continue  # reported once as a missing column
                value = row[field["name"]] or ""
                problem = check_cell(value, field)
                if problem:
                    problems.append(Problem(file, case_label(row, line_number), field["name"], problem))
                if field.get("constraints", {}).get("unique") and value:
                    if value in seen:
                        problems.append(Problem(file, case_label(row, line_number), field["name"],
                                                f"duplicate value {value!r} (also on line {seen[value]})"))
                    seen.setdefault(value, line_number)
    return problems


def check_same_cases(tables: dict, package: dict) -> list[Problem]:
    """Every file must describe exactly the same patients."""
    files = {r["name"]: r["path"] for r in package["resources"]}
    case_sets = {name: {row.get("case", "") for row in rows} for name, rows in tables.items()}
    if not case_sets:
        return []
    everyone = set().union(*case_sets.values())
    problems = []
    for name, cases in case_sets.items():
        for case in sorted(everyone - cases, key=lambda c: (len(c), c)):
            others = [files[n] for n, s in case_sets.items() if case in s]
            problems.append(Problem(files[name], case, "case", f"case is missing from this file but present in {', '.join(others)}"))
    return problems


def as_int(value: str) -> int | None:
    return int(value) if re.fullmatch(r"-?\d+", value or "") else None


def check_outcomes(rows: list[dict[str, str]], file: str) -> list[Problem]:
    """Cross-column rules of Table 3: event months present exactly when the event happened,
    no event after the last follow-up, survivors followed for the study's minimum."""
    problems = []
    for line_number, row in enumerate(rows, start=2):
        case = case_label(row, line_number)
        followup = as_int(row.get("followup_months", ""))

        def report(column: str, message: str) -> None:
            problems.append(Problem(file, case, column, message))

        recurred = row.get("local_recurrence") == "Yes"
        for column in ("local_recurrence_months", "local_recurrence_treatment"):
            value = row.get(column, "")
            if recurred and not value:
                report(column, "is empty but local_recurrence is 'Yes': a recurrence needs its month and treatment")
            if row.get("local_recurrence") == "No" and value:
                report(column, f"has {value!r} but local_recurrence is 'No'")

        relapsed = row.get("distant_relapse_sites", "") not in ("", "None")
        for column in ("distant_relapse_months", "distant_relapse_treatment"):
            value = row.get(column, "")
            if relapsed and not value:
                report(column, f"is empty but distant_relapse_sites is {row['distant_relapse_sites']!r}: a relapse needs its month and treatment")
            if row.get("distant_relapse_sites") == "None" and value:
                report(column, f"has {value!r} but distant_relapse_sites is 'None'")

        for column in ("local_recurrence_months", "distant_relapse_months"):
            month = as_int(row.get(column, ""))
            if month is not None and followup is not None and month > followup:
                report(column, f"event at month {month} is after the last follow-up (followup_months = {followup})")

        if row.get("prognosis") in ALIVE and followup is not None and followup < MINIMUM_FOLLOWUP_MONTHS:
            report("followup_months", f"patient is alive ({row['prognosis']}) but followed for only {followup} months; "
                                      f"the series requires at least {MINIMUM_FOLLOWUP_MONTHS}")
    return problems


def validate(data_dir: Path) -> list[Problem]:
    """All problems in the case-series directory ``data_dir``; an empty list means valid."""
    package = read_package(data_dir)
    tables, problems = read_raw_tables(data_dir, package)
    problems += check_fields(tables, package)
    problems += check_same_cases(tables, package)
    if "outcomes" in tables:
        problems += check_outcomes(tables["outcomes"], "outcomes.csv")
    return problems
