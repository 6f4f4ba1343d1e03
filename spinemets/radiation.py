"""Radiobiology of the linear-quadratic (LQ) model: BED and EQD2 of a fractionation regimen.

The LQ model describes the fraction of cells surviving a dose ``d`` (Gy) as
``exp(-(alpha * d + beta * d**2))``. Two regimens with the same *biologically effective dose*

    BED = n * d * (1 + d / (alpha/beta))          (n fractions of d Gy; total dose D = n * d)

are predicted to have the same effect on a tissue whose ratio alpha/beta (Gy) is given.
EQD2 re-expresses a BED as the total dose that 2 Gy fractions would need to match it:

    EQD2 = BED / (1 + 2 / (alpha/beta))

Alpha/beta is not one number for every tumour. ``ALPHA_BETAS`` lists the values the book uses,
each with the paper it was read in: 10 Gy, the conventional value for tumours (the EQD2 at
alpha/beta = 10 of a 2024 preprint the chapter checks against); 2.5 Gy for melanoma (Overgaard et
al. 1986, a clinical linear-quadratic analysis of 618 irradiated lesions); 1.12 Gy for prostate
cancer (Bentzen and Ritter 2005, from the PR5 trial, 95% CI -3.3 to 5.6 Gy); and 2 Gy for the
spinal cord (Sahgal et al. 2013). For renal cell carcinoma and sarcoma no clinical estimate could
be verified, and the table says so rather than borrowing one. The model is contested at the high
doses per fraction of radiosurgery (Kirkpatrick et al. 2008; Brenner 2008 for the defence): the
chapter *Separation surgery and stereotactic radiosurgery* says so beside every number these
functions produce.

Public API: :func:`bed`, :func:`eqd2`, :class:`Regimen`, :data:`REGIMENS`, :data:`ZELEFSKY_2021`,
:class:`AlphaBeta`, :data:`ALPHA_BETAS`, :func:`alpha_beta_table`, :func:`regimen_table`,
:func:`dose_by_tissue`, :data:`THECAL_SAC_LIMITS_SAHGAL_2013` (with the old name
``CORD_LIMITS_SAHGAL_2013`` kept), :data:`TUMOUR_ALPHA_BETA`, :data:`CORD_ALPHA_BETA`.

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
REGIMENS = [
    Regimen(8, 1, "conventional", "hoskin2019", "SCORAD: single fraction for spinal canal compression"),
    Regimen(20, 5, "conventional", "hoskin2019", "SCORAD and SC.24: five fractions"),
    Regimen(30, 10, "conventional", "patchell2005", "Patchell trial: ten fractions of 3 Gy"),
    Regimen(16, 1, "stereotactic", "ryu2023", "RTOG 0631: single-fraction radiosurgery (16 or 18 Gy)"),
    Regimen(18, 1, "stereotactic", "ryu2023", "RTOG 0631: single-fraction radiosurgery (16 or 18 Gy)"),
    Regimen(24, 1, "stereotactic", "sahgal2013fracture", "24 Gy or more per fraction: the highest fracture risk"),
    Regimen(24, 2, "stereotactic", "sahgal2021", "SC.24: two daily fractions"),
    # Postoperative SBRT (Al-Omair et al. 2013, abstract in PMC3779044): 18-26 Gy in 1 or 2 fractions,
    # or 18-40 Gy in 3 to 5 fractions; the high end of each range.
    Regimen(26, 2, "stereotactic", "alomair2013", "after surgery: high end of 18-26 Gy in 1 or 2 fractions"),
    Regimen(40, 5, "stereotactic", "alomair2013", "after surgery: high end of 18-40 Gy in 3 to 5 fractions"),
]

# The two arms of the randomised trial of Zelefsky et al. 2021 (oligometastases, not only spinal):
# 24 Gy in a single dose against 3 x 9 Gy (abstract).
ZELEFSKY_2021 = [
    Regimen(24, 1, "stereotactic", "zelefsky2021", "Zelefsky 2021: single-dose arm"),
    Regimen(27, 3, "stereotactic", "zelefsky2021", "Zelefsky 2021: 3-fraction arm (3 x 9 Gy)"),
]

# Thecal-sac point-maximum limits for a risk of radiation myelopathy of 5% or less, by number of
# fractions (Sahgal et al. 2013, abstract). The limit is on the thecal sac, the dural tube around
# the cord, not on the cord itself; the chapter shows they are one BED at alpha/beta = 2.
THECAL_SAC_LIMITS_SAHGAL_2013 = {1: 12.4, 2: 17.0, 3: 20.3, 4: 23.0, 5: 25.3}  # fractions -> Gy
CORD_LIMITS_SAHGAL_2013 = THECAL_SAC_LIMITS_SAHGAL_2013  # the earlier name, kept for old notebooks

TUMOUR_ALPHA_BETA = 10.0
CORD_ALPHA_BETA = 2.0


@dataclass(frozen=True)
class AlphaBeta:
    """An alpha/beta ratio the book uses, with the paper it was read in (``value_gy`` None: none verified)."""

    tissue: str
    value_gy: float | None
    source: str        # bibliography key; '' where no value could be verified
    evidence: str      # what the source reports, in the book's words


ALPHA_BETAS = [
    AlphaBeta("tumour, conventional value", TUMOUR_ALPHA_BETA, "preprints2024mescc",
              "EQD2 values at alpha/beta = 10 Gy, the convention for tumours, as a 2024 preprint prints them"),
    AlphaBeta("melanoma", 2.5, "overgaard1986",
              "618 irradiated melanoma lesions analysed with the linear-quadratic model (abstract)"),
    AlphaBeta("prostate carcinoma", 1.12, "bentzen2005",
              "estimate from the PR5 randomised trial, 95% CI -3.3 to 5.6 Gy (abstract)"),
    AlphaBeta("renal cell carcinoma", None, "",
              "no clinical estimate could be verified; none is used"),
    AlphaBeta("sarcoma", None, "",
              "no clinical estimate could be verified; none is used"),
    AlphaBeta("spinal cord", CORD_ALPHA_BETA, "sahgal2013myelopathy",
              "2 Gy-equivalent doses at alpha/beta = 2 Gy in the myelopathy analysis (abstract)"),
]


def alpha_beta_table(values: list[AlphaBeta] = ALPHA_BETAS) -> pd.DataFrame:
    """The alpha/beta ratios the book uses, one row per tissue, with source and evidence."""
    return pd.DataFrame([{"tissue": a.tissue, "alpha_beta_gy": a.value_gy, "source": a.source or "none verified",
                          "evidence": a.evidence} for a in values]).set_index("tissue")


def dose_by_tissue(regimens: list[Regimen], values: list[AlphaBeta] = ALPHA_BETAS) -> pd.DataFrame:
    """BED and EQD2 (Gy, to 0.1) of each regimen for each tissue with a verified alpha/beta.

    Tissues without a verified value are left out, not filled with a borrowed one.
    """
    rows = []
    for regimen in regimens:
        for a in values:
            if a.value_gy is None:
                continue
            rows.append({"regimen": regimen.label, "context": regimen.context, "tissue": a.tissue,
                         "alpha_beta_gy": a.value_gy,
                         "bed_gy": round(bed(regimen.total_dose_gy, regimen.fractions, a.value_gy), 1),
                         "eqd2_gy": round(eqd2(regimen.total_dose_gy, regimen.fractions, a.value_gy), 1),
                         "alpha_beta_source": a.source})
    return pd.DataFrame(rows)


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
