"""The evidence history as data: ``data/evidence/``, validated, and its timeline chart.

One row per cited study in the ``studies`` table, keyed by its BibTeX key in the book's
bibliography (see the Table Schema in ``data/evidence/datapackage.json``). ``load()`` checks the
whole package with the book's checker (:func:`spinemets.validation.check`: the descriptor
against the book's, every cell against its field, keys, and the package's own rule that every
study key resolves in a ``.bib`` file under ``book/``), raises one
:class:`~spinemets.validation.DataValidationError` listing every problem, and otherwise returns
the table it checked, built from the very rows that were checked.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from spinemets import DATA_ROOT, PROJECT_ROOT
from spinemets.charts import PALETTE
from spinemets.validation import DataValidationError, Problem, check, read_descriptor
from spinemets.validation import bibliography_keys as _bibliography_keys

DEFAULT_DATA_DIR = DATA_ROOT / "evidence"
DEFAULT_BIBLIOGRAPHY = PROJECT_ROOT / "book" / "references.bib"  # the book's main bibliography; keys may be in any book/**/*.bib
DOI_URL = "https://doi.org/"


def resolve(data_dir: str | Path | None) -> Path:
    return DEFAULT_DATA_DIR if data_dir is None else Path(data_dir)


def bib_list(bib_path: str | Path | list | None) -> list[Path] | None:
    if bib_path is None:
        return None
    return [Path(p) for p in bib_path] if isinstance(bib_path, (list, tuple)) else [Path(bib_path)]


def bibliography_keys(bib_path: str | Path | list | None = None) -> set[str]:
    """Every entry key defined in the book's BibTeX files (every ``*.bib`` under ``book/``), or in ``bib_path``."""
    keys, problems = _bibliography_keys(bib_list(bib_path))
    if problems:
        raise DataValidationError(Path(problems[0].file), problems)
    return keys


def fields(data_dir: str | Path | None = None, resource: str = "studies") -> list[dict]:
    """The Table Schema field descriptors of one table of the package (``studies`` by default)."""
    directory = resolve(data_dir)
    descriptor, problems = read_descriptor(directory / "datapackage.json")
    if problems:
        raise DataValidationError(directory, problems)
    for candidate in descriptor.get("resources", []):
        if candidate.get("name") == resource:
            return candidate["schema"]["fields"]
    raise KeyError(f"the evidence package has no table {resource!r}")


def validate(data_dir: str | Path | None = None, bib_path: str | Path | list | None = None) -> list[Problem]:
    """Every problem in the evidence package; an empty list means valid."""
    return check(resolve(data_dir), bib_paths=bib_list(bib_path)).problems


def load(data_dir: str | Path | None = None, resource: str = "studies", *, bib_path: str | Path | list | None = None) -> pd.DataFrame:
    """One table of the validated evidence package, read from the file its descriptor names.

    The whole package is checked first (every table, every rule); any problem raises
    :class:`~spinemets.validation.DataValidationError`. Types follow the schema (integer ->
    Int64, number -> float, ...); empty cells are missing. ``studies`` comes sorted by year and
    key, with a ``doi_url`` column; any other table sorted by its primary key.
    """
    directory = resolve(data_dir)
    package = check(directory, bib_paths=bib_list(bib_path)).raise_if_invalid()
    frame = package.frame(resource)
    if resource == "studies":
        frame["doi_url"] = frame["doi"].map(lambda doi: DOI_URL + doi if doi else None)
        frame = frame.sort_values(["year", "key"]).reset_index(drop=True)
    return frame


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
    ).properties(width=440, height=300)
