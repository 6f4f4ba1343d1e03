"""Radiobiology of the linear-quadratic (LQ) model: BED and EQD2 of a fractionation regimen.

The LQ model describes the fraction of cells surviving a dose ``d`` (Gy) as
``exp(-(alpha * d + beta * d**2))``. Two regimens with the same *biologically effective dose*

    BED = n * d * (1 + d / (alpha/beta))          (n fractions of d Gy; total dose D = n * d)

are predicted to have the same effect on a tissue whose ratio alpha/beta (Gy) is given.
EQD2 re-expresses a BED as the total dose that 2 Gy fractions would need to match it:

    EQD2 = BED / (1 + 2 / (alpha/beta))

The usual teaching values are alpha/beta = 10 Gy for tumours and early-responding tissue and
2-3 Gy for late-responding tissue such as the spinal cord; Sahgal et al. (2013) used 2 Gy for
the cord. The model is contested at the high doses per fraction of radiosurgery (Kirkpatrick
et al. 2008; Brenner 2008 for the defence): the chapter *Separation surgery and stereotactic
radiosurgery* says so beside every number these functions produce.

This module teaches; it does not plan treatment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from spinemets.formula import Formula


def _check(total_dose_gy: float, fractions: int, alpha_beta: float) -> None:
    """Refuse inputs for which the formula has no meaning, naming the argument at fault."""
    for name, value in (("total_dose_gy", total_dose_gy), ("alpha_beta", alpha_beta)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number of gray, not {value!r}")
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive, finite number of gray, not {value!r}")
    if isinstance(fractions, bool) or not isinstance(fractions, int):
        raise TypeError(f"fractions must be a whole number of fractions, not {fractions!r}")
    if fractions < 1:
        raise ValueError(f"fractions must be at least 1, not {fractions}")


# The two formulas, written once: the functions below and the page's BED and EQD2 calculator
# (``spinemets.calculators``) evaluate these same trees.
BED_FORMULA = Formula("total_dose_gy * (1 + total_dose_gy / fractions / alpha_beta)")
EQD2_FORMULA = Formula("bed / (1 + 2 / alpha_beta)")


def bed(total_dose_gy: float, fractions: int, alpha_beta: float) -> float:
    """Biologically effective dose (Gy) of ``total_dose_gy`` given in equal ``fractions``.

    >>> bed(30, 10, 10)   # 10 x 3 Gy: 30 * (1 + 3/10)
    39.0
    """
    _check(total_dose_gy, fractions, alpha_beta)
    return BED_FORMULA(total_dose_gy=total_dose_gy, fractions=fractions, alpha_beta=alpha_beta)


def eqd2(total_dose_gy: float, fractions: int, alpha_beta: float) -> float:
    """Equivalent dose in 2 Gy fractions (Gy): the BED divided by the BED of one 2 Gy fraction per Gy.

    >>> eqd2(30, 10, 10)  # 39 / (1 + 2/10)
    32.5
    """
    return EQD2_FORMULA(bed=bed(total_dose_gy, fractions, alpha_beta), alpha_beta=alpha_beta)


@dataclass(frozen=True)
class Regimen:
    """A dose-fractionation regimen named in a source the book cites (``source`` is its bibliography key)."""

    total_dose_gy: float
    fractions: int
    kind: str      # "conventional" or "stereotactic"
    source: str
    context: str

    @property
    def label(self) -> str:
        dose = f"{self.total_dose_gy:g} Gy"
        return f"{dose} x 1" if self.fractions == 1 else f"{dose} / {self.fractions}"

    @property
    def dose_per_fraction_gy(self) -> float:
        return self.total_dose_gy / self.fractions


# Regimens as the cited papers name them (the chapter shows the source next to each).
# Spinal-cord point-maximum limits for a risk of radiation myelopathy of 5% or less, by number of
# fractions (Sahgal et al. 2013, abstract): the chapter shows they are one BED at alpha/beta = 2.
REGIMENS = [
    Regimen(8, 1, "conventional", "hoskin2019", "SCORAD: single fraction for spinal canal compression"),
    Regimen(20, 5, "conventional", "hoskin2019", "SCORAD and SC.24: five fractions"),
    Regimen(30, 10, "conventional", "patchell2005", "Patchell trial: ten fractions of 3 Gy"),
    Regimen(16, 1, "stereotactic", "ryu2023", "RTOG 0631: single-fraction radiosurgery (16 or 18 Gy)"),
    Regimen(18, 1, "stereotactic", "ryu2023", "RTOG 0631: single-fraction radiosurgery (16 or 18 Gy)"),
    Regimen(24, 1, "stereotactic", "sahgal2013fracture", "24 Gy or more per fraction: the highest fracture risk"),
    Regimen(24, 2, "stereotactic", "sahgal2021", "SC.24: two daily fractions"),
    Regimen(24, 3, "stereotactic", "laufer2013separation", "after separation surgery: low end of 24-30 Gy / 3"),
    Regimen(30, 3, "stereotactic", "laufer2013separation", "after separation surgery: high end of 24-30 Gy / 3"),
]

CORD_LIMITS_SAHGAL_2013 = {1: 12.4, 2: 17.0, 3: 20.3, 4: 23.0, 5: 25.3}  # fractions -> Gy

TUMOUR_ALPHA_BETA = 10.0
CORD_ALPHA_BETA = 2.0


def regimen_table(regimens: list[Regimen] = REGIMENS,
                  alpha_betas: tuple[float, ...] = (TUMOUR_ALPHA_BETA, CORD_ALPHA_BETA)) -> pd.DataFrame:
    """One row per regimen and alpha/beta: physical dose, BED and EQD2, rounded to 0.1 Gy."""
    rows = []
    for regimen in regimens:
        for alpha_beta in alpha_betas:
            rows.append({
                "regimen": regimen.label,
                "kind": regimen.kind,
                "fractions": regimen.fractions,
                "dose_per_fraction_gy": round(regimen.dose_per_fraction_gy, 1),
                "total_dose_gy": regimen.total_dose_gy,
                "alpha_beta_gy": alpha_beta,
                "bed_gy": round(bed(regimen.total_dose_gy, regimen.fractions, alpha_beta), 1),
                "eqd2_gy": round(eqd2(regimen.total_dose_gy, regimen.fractions, alpha_beta), 1),
                "source": regimen.source,
                "context": regimen.context,
            })
    return pd.DataFrame(rows)
