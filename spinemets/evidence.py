"""The evidence history as data: ``data/evidence/studies.csv``, validated, and its timeline chart.

One row per cited study, keyed by its BibTeX key in ``book/references.bib`` (see the Table Schema
in ``data/evidence/datapackage.json``). ``load()`` checks every cell against the schema with the
same cell rules as the case series (:func:`spinemets.validation.check_cell`), checks that keys are
unique and that every key resolves in the bibliography, and raises one
:class:`~spinemets.validation.DataValidationError` listing every problem.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import altair as alt
import pandas as pd

from spinemets import DATA_ROOT, PROJECT_ROOT
from spinemets.charts import PALETTE
from spinemets.validation import DataValidationError, Problem, check_cell, read_package

DEFAULT_DATA_DIR = DATA_ROOT / "evidence"
DEFAULT_BIBLIOGRAPHY = PROJECT_ROOT / "book" / "references.bib"
BIB_KEY = re.compile(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
DOI_URL = "https://doi.org/"


def resolve(data_dir: str | Path | None) -> Path:
    return DEFAULT_DATA_DIR if data_dir is None else Path(data_dir)


def bibliography_keys(bib_path: str | Path | None = None) -> set[str]:
    """Every entry key defined in a BibTeX file (``book/references.bib`` by default)."""
    path = DEFAULT_BIBLIOGRAPHY if bib_path is None else Path(bib_path)
    return set(BIB_KEY.findall(path.read_text(encoding="utf-8")))


def fields(data_dir: str | Path | None = None) -> list[dict]:
    """The Table Schema field descriptors of ``studies.csv``."""
    return read_package(resolve(data_dir))["resources"][0]["schema"]["fields"]


def validate(data_dir: str | Path | None = None, bib_path: str | Path | None = None) -> list[Problem]:
    """Every problem in ``studies.csv``: header, cell rules, unique keys, keys missing from the bibliography."""
    directory = resolve(data_dir)
    resource = read_package(directory)["resources"][0]
    file = resource["path"]
    schema_fields = resource["schema"]["fields"]
    path = directory / file
    if not path.is_file():
        return [Problem(file, "-", "-", f"file not found at {path}")]
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        rows = list(reader)
    expected = [f["name"] for f in schema_fields]
    problems = [Problem(file, "-", c, "column is missing from the header") for c in expected if c not in header]
    problems += [Problem(file, "-", c, "column is not in the schema (unexpected column)") for c in header if c not in expected]
    known_keys = bibliography_keys(bib_path)
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        key = row.get("key") or f"line {line}"
        for descriptor in schema_fields:
            if descriptor["name"] in row:
                problem = check_cell(row[descriptor["name"]] or "", descriptor)
                if problem:
                    problems.append(Problem(file, key, descriptor["name"], problem))
        if key in seen:
            problems.append(Problem(file, key, "key", f"duplicate key (also on line {seen[key]})"))
        seen.setdefault(key, line)
        if row.get("key") and row["key"] not in known_keys:
            problems.append(Problem(file, key, "key", "key has no entry in the bibliography (references.bib)"))
    return problems


def load(data_dir: str | Path | None = None, bib_path: str | Path | None = None) -> pd.DataFrame:
    """The validated studies, one row per study, sorted by year; empty cells are missing values."""
    directory = resolve(data_dir)
    problems = validate(directory, bib_path)
    if problems:
        raise DataValidationError(directory, problems)
    studies = pd.read_csv(directory / "studies.csv", dtype=str, keep_default_na=False).replace("", None)
    for column in ("year", "n_patients"):
        studies[column] = pd.to_numeric(studies[column]).astype("Int64")
    studies["doi_url"] = studies["doi"].map(lambda doi: DOI_URL + doi if doi else None)
    return studies.sort_values(["year", "key"]).reset_index(drop=True)


def table(studies: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The studies as a readable table: column titles from the schema, empty cells shown as ''."""
    titles = {f["name"]: f["title"] for f in fields()}
    chosen = columns or ["year", "first_author", "design", "n_patients", "key_result", "doi"]
    shown = studies[chosen].astype(object).where(studies[chosen].notna(), "")
    return shown.rename(columns=titles)


def timeline(studies: pd.DataFrame) -> alt.Chart:
    """Interactive timeline: one point per study, colour = design, size = patients, row = role in history.

    Studies without a sample size (reviews, scores) are drawn as small hollow points so they
    stay visible; the tooltip gives the key result and the DOI. Pass the result to
    ``charts.finish`` for its title and description.
    """
    frame = studies.assign(
        size=studies["n_patients"].astype("Float64").fillna(0).astype(float),
        sized=studies["n_patients"].notna().map({True: "reported", False: "not reported"}),
        n_text=studies["n_patients"].astype(object).where(studies["n_patients"].notna(), "not reported"),
        doi_text=studies["doi"].fillna("none recorded"),
        result_text=studies["key_result"].fillna("abstract not read"),
    )[["key", "year", "first_author", "journal", "design", "role_in_history", "size", "sized", "n_text", "doi_text", "result_text"]]
    roles = list(dict.fromkeys(frame.sort_values("year")["role_in_history"]))
    designs = sorted(frame["design"].unique())  # one distinct colour each (the palette has 8, plus grey)
    tooltip = [
        alt.Tooltip("first_author:N", title="First author"),
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("journal:N", title="Journal"),
        alt.Tooltip("design:N", title="Design"),
        alt.Tooltip("n_text:N", title="Patients"),
        alt.Tooltip("result_text:N", title="Key result"),
        alt.Tooltip("doi_text:N", title="DOI"),
    ]
    return alt.Chart(frame).mark_point(filled=True, opacity=0.85, stroke="black", strokeWidth=0.5).encode(
        x=alt.X("year:Q", title="Year of publication", scale=alt.Scale(domain=[1965, 2030]), axis=alt.Axis(format="d")),
        y=alt.Y("role_in_history:N", title=None, sort=roles, axis=alt.Axis(labelLimit=200)),
        color=alt.Color("design:N", title="Study design", legend=alt.Legend(orient="bottom", columns=2),
                        scale=alt.Scale(domain=designs, range=(PALETTE + ["#999999"])[: len(designs)])),
        size=alt.Size("size:Q", title="Patients analysed", scale=alt.Scale(range=[40, 900], zero=True),
                      legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("sized:N", title="Sample size", scale=alt.Scale(domain=["reported", "not reported"], range=["circle", "diamond"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=tooltip,
    ).properties(height=300)  # the width follows the page column (spinemets.charts)
