"""Small helpers the Techniques chapters share: the operative burden of the case series by group,
and the complications it records.

Every number leaves here rounded to the precision it is meaningful at (whole minutes, whole
grams), so committed outputs are the same on every machine.
"""

from __future__ import annotations

import pandas as pd

from spinemets import data

GREAT_VESSELS = ("aorta", "vena cava")


def surgery_table(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per patient: year, era (decade), approach in words and the operative burden."""
    names = data.field("surgery", "approach")["codes"]
    table = cases.reset_index()[["case", "year", "approach", "operative_time_min", "blood_loss_g",
                                 "intraoperative_complications", "postoperative_complications", "margin"]]
    unknown = table.loc[~table["approach"].isin(list(names)), ["case", "approach"]]
    if len(unknown):
        listing = ", ".join(f"case {case}: {code!r}" for case, code in unknown.itertuples(index=False))
        raise ValueError(f"data/ohashi2019/surgery.csv, column approach: code not in datapackage.json ({listing})")
    return table.assign(approach_name=table["approach"].map(names), era=(table["year"] // 10 * 10).astype(str) + "s")


def burden_by(table: pd.DataFrame, group: str) -> pd.DataFrame:
    """Patients, years, and median and range of operative time and blood loss for each group, in time order."""
    grouped = table.groupby(group)
    summary = pd.DataFrame({
        "patients": grouped.size(),
        "years": grouped["year"].agg(lambda y: f"{y.min()}-{y.max()}"),
        "median time (min)": grouped["operative_time_min"].median().round(1),
        "time range (min)": grouped["operative_time_min"].agg(lambda t: f"{t.min()}-{t.max()}"),
        "median blood loss (g)": grouped["blood_loss_g"].median().round(0).astype(int),
        "blood loss range (g)": grouped["blood_loss_g"].agg(lambda b: f"{b.min():,}-{b.max():,}"),
        "first year": grouped["year"].min(),
    })
    return summary.sort_values("first year", kind="stable").drop(columns="first year")


def great_vessel_injuries(table: pd.DataFrame) -> pd.Series:
    """Cases whose printed intraoperative complication names the aorta or the vena cava."""
    text = table["intraoperative_complications"].str.lower()
    return table.loc[text.str.contains("|".join(GREAT_VESSELS)), "case"]
