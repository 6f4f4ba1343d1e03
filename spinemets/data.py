"""Load the Ohashi 2019 case series: validated, merged, with one time/event pair per endpoint.

``load()`` returns one row per case, in case order: every column of Tables 1-3 (values as
printed, numbers as numbers, empty cells as missing) plus the derived columns below. The files
are read once, by the checker (:func:`spinemets.validation.check`); the table is built from the
typed rows it checked, so what is loaded is exactly what was checked. Any problem raises
:class:`~spinemets.validation.DataValidationError` listing every one; nothing is dropped or
repaired.

Derived columns, and why
------------------------
Indicators
    ``margin_positive`` (margin ``+``), ``local_recurrence_event`` (``Yes``),
    ``distant_relapse_event`` (any region other than ``None``), ``systemic_adjuvant``
    (adjuvant chemotherapy/hormonal therapy ``C`` or radioactive iodine ``RAI``: the paper's
    "systemic adjuvant therapies, including chemotherapy and radioactive iodine therapy"),
    ``extraspinal_lesions`` (metastasis to a vital organ or to extraspinal bone at EBS: the
    paper's four patients "with extraspinal metastatic lesions").
Disease-specific survival (``dss_months``, ``dss_event``)
    Time: months of follow-up. Event: death from disease (``DOD``). The one death from other
    causes (``DOC``) is censored at death. The paper calls this endpoint "overall survival" and
    does not say which deaths it counted; only this choice reproduces its 10-year survival of
    27.1% (counting ``DOC`` as well gives 20.3%). Counting only deaths from the cancer makes it
    disease-specific survival, and censoring a death from another cause assumes independent
    censoring: that the patient who died of something else would, had they lived, have had the
    same risk of dying of the cancer as the patients still followed. ``death_any`` keeps both
    kinds of death for the sensitivity analysis and the competing-risks analysis.
Distant-relapse-free survival (``drfs_months``, ``drfs_event``)
    Time: months to the first distant relapse, else to last follow-up. Event: distant relapse.
    The paper defines the period as "between EBS and the first occurrence of distant
    metastasis", so deaths without relapse are censored.
Survival after distant relapse (``post_relapse_months``, ``post_relapse_event``)
    Only for the patients who relapsed (missing otherwise). Time: follow-up minus months to
    relapse. Event: death from disease, as for disease-specific survival.
Local recurrence (``lr_months``, ``lr_event``)
    Time: months to local recurrence, else to last follow-up. Event: local recurrence.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from spinemets import DATA_ROOT
from spinemets.validation import DataValidationError, load_package, read_descriptor

DEFAULT_DATA_DIR = DATA_ROOT / "ohashi2019"
TABLES = ("patients", "surgery", "outcomes")
SYSTEMIC_ADJUVANT_CODES = {"C", "RAI"}
DEATH_FROM_DISEASE = "DOD"
DEATH_CODES = {"DOD", "DOC"}


def resolve(data_dir: str | Path | None) -> Path:
    return DEFAULT_DATA_DIR if data_dir is None else Path(data_dir)


def schema(data_dir: str | Path | None = None) -> dict:
    """The data package descriptor (``datapackage.json``) as a dict."""
    directory = resolve(data_dir)
    descriptor, problems = read_descriptor(directory / "datapackage.json")
    if problems:
        raise DataValidationError(directory, problems)
    return descriptor


def field(table: str, column: str, data_dir: str | Path | None = None) -> dict:
    """The Table Schema field descriptor of ``column`` in ``table`` (title, unit, codes...)."""
    for resource in schema(data_dir)["resources"]:
        if resource["name"] == table:
            for descriptor in resource["schema"]["fields"]:
                if descriptor["name"] == column:
                    return descriptor
    raise KeyError(f"{table}.{column} is not in the data package")


def load_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One of ``patients``, ``surgery``, ``outcomes``: validated, values as printed, indexed by case."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; choose one of {TABLES}")
    return load_package(resolve(data_dir)).frame(name).set_index("case")


def has_code(cell: str | None, codes: set[str], separator: str = "+") -> bool:
    return cell is not None and bool(set(cell.split(separator)) & codes)


def load(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The validated, merged, analysis-ready case series (one row per case); see the module doc."""
    # One parse: the DataFrame is built from the very rows the checker typed and passed.
    package = load_package(resolve(data_dir))
    cases = pd.concat([package.frame(name).set_index("case") for name in TABLES], axis=1)

    cases["margin_positive"] = cases["margin"].eq("+")
    cases["systemic_adjuvant"] = cases["adjuvant_therapy"].map(lambda cell: has_code(cell, SYSTEMIC_ADJUVANT_CODES))
    cases["extraspinal_lesions"] = cases["vital_organ_metastasis"].ne("No") | cases["extraspinal_bone_metastasis"].ne("No")
    cases["local_recurrence_event"] = cases["local_recurrence"].eq("Yes")
    cases["distant_relapse_event"] = cases["distant_relapse_sites"].ne("None")
    cases["death_any"] = cases["prognosis"].isin(DEATH_CODES)

    # Durations as floats and events as plain booleans: the types survival libraries expect.
    cases["dss_months"] = cases["followup_months"].astype(float)
    cases["dss_event"] = cases["prognosis"].eq(DEATH_FROM_DISEASE)
    cases["drfs_months"] = cases["distant_relapse_months"].fillna(cases["followup_months"]).astype(float)
    cases["drfs_event"] = cases["distant_relapse_event"]
    relapsed = cases["distant_relapse_event"]
    cases["post_relapse_months"] = (cases["followup_months"] - cases["distant_relapse_months"]).astype(float).where(relapsed)
    cases["post_relapse_event"] = cases["dss_event"].where(relapsed).astype("boolean")
    cases["lr_months"] = cases["local_recurrence_months"].fillna(cases["followup_months"]).astype(float)
    cases["lr_event"] = cases["local_recurrence_event"]
    return cases


def printed_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """A table as the paper prints it: values as printed, column titles (and units) from the schema."""
    table = load_table(name, data_dir)
    resource = next(r for r in schema(data_dir)["resources"] if r["name"] == name)
    titles = {f["name"]: f["title"] + (f" ({f['unit']})" if "unit" in f else "") for f in resource["schema"]["fields"]}
    printed = table.astype(object).where(table.notna(), "").rename(columns=titles)
    printed.index.name = "Case"
    return printed
