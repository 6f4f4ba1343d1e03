"""Descriptive statistics of the case series, next to the values the paper prints.

Each statistic is computed from the validated data (``spinemets.data.load``); the reported
values are the numbers printed in Ohashi et al. 2019 (abstract and Results, sections 1-2), and
``where`` says where. ``describe()`` compares them at the paper's printed precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from spinemets.data import load


def percent(count: int, total: int) -> float:
    return 100 * count / total


def count_items(cell: str, separator: str = ", ", none_value: str = "None") -> int:
    return 0 if cell in (None, none_value) else len(cell.split(separator))


def perioperative_complications(cases: pd.DataFrame) -> pd.Series:
    """Number of perioperative complications per case: intraoperative (one per printed entry,
    so 'Aorta and vena cava tear' is one) plus each comma-separated postoperative item."""
    intraoperative = cases["intraoperative_complications"].ne("None").astype(int)
    postoperative = cases["postoperative_complications"].map(count_items)
    return intraoperative + postoperative


@dataclass(frozen=True)
class Statistic:
    quantity: str
    reported: float
    compute: Callable[[pd.DataFrame], float]
    decimals: int
    where: str
    note: str = ""


def value_counts(column: str, value) -> Callable[[pd.DataFrame], float]:
    return lambda cases: float((cases[column] == value).sum())


ADJUVANT_NOTE = ("Table 2 prints an adjuvant therapy for fewer patients than the text counts, and the text's "
                 "percentage matches its own count, not the table. Either one patient's therapy is missing "
                 "from Table 2 or the text miscounted; the published tables cannot tell which.")

STATISTICS = [
    Statistic("Median age at EBS (years)", 62, lambda c: c["age"].median(), 0, "Abstract; Results 1"),
    Statistic("Youngest patient (years)", 40, lambda c: c["age"].min(), 0, "Abstract; Results 1"),
    Statistic("Oldest patient (years)", 77, lambda c: c["age"].max(), 0, "Abstract; Results 1"),
    Statistic("Primary site kidney (patients)", 7, value_counts("primary_site", "Kidney"), 0, "Abstract; Results 1"),
    Statistic("Primary site thyroid (patients)", 4, value_counts("primary_site", "Thyroid"), 0, "Abstract; Results 1"),
    Statistic("Primary site liver (patients)", 3, value_counts("primary_site", "Liver"), 0, "Abstract; Results 1"),
    Statistic("Primary site other (patients)", 4,
              lambda c: float((~c["primary_site"].isin(["Kidney", "Thyroid", "Liver"])).sum()), 0, "Abstract; Results 1"),
    *[Statistic(f"Tomita type {t} (patients)", n, value_counts("tomita_type", t), 0, "Results 1")
      for t, n in [(1, 1), (2, 1), (4, 3), (5, 6), (6, 5), (7, 2)]],
    Statistic("Lung metastases at EBS (patients)", 2, value_counts("vital_organ_metastasis", "Lung"), 0, "Results 1"),
    Statistic("Extraspinal bone metastases at EBS (patients)", 2,
              lambda c: float(c["extraspinal_bone_metastasis"].ne("No").sum()), 0, "Results 1"),
    *[Statistic(f"Preoperative Frankel grade {g} (patients)", n, value_counts("frankel_pre", g), 0, "Results 1")
      for g, n in [("C", 3), ("D", 10), ("E", 5)]],
    Statistic("Median preoperative Tokuhashi score (points)", 11, lambda c: c["tokuhashi"].median(), 0, "Results 1"),
    Statistic("Lowest Tokuhashi score (points)", 7, lambda c: c["tokuhashi"].min(), 0, "Results 1"),
    Statistic("Highest Tokuhashi score (points)", 14, lambda c: c["tokuhashi"].max(), 0, "Results 1"),
    Statistic("Median operative time (minutes)", 767.5, lambda c: c["operative_time_min"].median(), 1, "Abstract; Results 2"),
    Statistic("Shortest operative time (minutes)", 447, lambda c: c["operative_time_min"].min(), 0, "Results 2"),
    Statistic("Longest operative time (minutes)", 1110, lambda c: c["operative_time_min"].max(), 0, "Results 2"),
    Statistic("Median operative time (hours)", 12.8, lambda c: c["operative_time_min"].median() / 60, 1, "Discussion"),
    Statistic("Median intraoperative blood loss (g)", 2375, lambda c: c["blood_loss_g"].median(), 0, "Abstract; Results 2"),
    Statistic("Lowest blood loss (g)", 330, lambda c: c["blood_loss_g"].min(), 0, "Results 2"),
    Statistic("Highest blood loss (g)", 18070, lambda c: c["blood_loss_g"].max(), 0, "Results 2"),
    Statistic("Patients given adjuvant therapy", 10, lambda c: float(c["adjuvant_therapy"].ne("None").sum()), 0, "Results 2",
              ADJUVANT_NOTE),
    Statistic("Patients given adjuvant therapy (%)", 55.6,
              lambda c: percent(c["adjuvant_therapy"].ne("None").sum(), len(c)), 1, "Results 2", ADJUVANT_NOTE),
    Statistic("Patients given adjuvant radiation therapy", 2,
              lambda c: float(c["adjuvant_therapy"].str.split("+").map(lambda codes: "R" in codes).sum()), 0, "Results 2"),
    Statistic("Patients with perioperative complications", 12,
              lambda c: float(perioperative_complications(c).gt(0).sum()), 0, "Abstract; Results 2"),
    Statistic("Patients with perioperative complications (%)", 66.7,
              lambda c: percent(perioperative_complications(c).gt(0).sum(), len(c)), 1, "Abstract; Results 2"),
    Statistic("Perioperative complications (events)", 18, lambda c: float(perioperative_complications(c).sum()), 0, "Results 2"),
    Statistic("Patients with postoperative neurological deficits", 3,
              lambda c: float(c["postoperative_complications"].str.split(", ").map(lambda items: "ND" in items).sum()), 0, "Results 2"),
]


def agrees(reported: float, recomputed: float, decimals: int) -> bool:
    """Equal at the paper's printed precision (round half away from zero, as printed tables do)."""
    scale = 10 ** decimals
    rounded = int(abs(recomputed) * scale + 0.5 + 1e-9) / scale
    return abs(round(reported, decimals)) == rounded and (reported >= 0) == (recomputed >= 0)


def describe(data_dir=None) -> pd.DataFrame:
    """One row per descriptive statistic: reported, recomputed from ``data/``, agrees, where, note,
    and the printed precision (``decimals``) at which they were compared."""
    cases = load(data_dir)
    rows = []
    for statistic in STATISTICS:
        recomputed = float(statistic.compute(cases))
        rows.append({"quantity": statistic.quantity, "reported": float(statistic.reported),
                     "recomputed": round(recomputed, 4), "agrees": agrees(statistic.reported, recomputed, statistic.decimals),
                     "where": statistic.where, "note": statistic.note, "decimals": statistic.decimals})
    return pd.DataFrame(rows)
