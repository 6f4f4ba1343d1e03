"""The reproduction audit of Ohashi et al. 2019: every reported number, recomputed from ``data/``.

``audit(data_dir=None)`` returns one row per number printed in the abstract, Results (and the
few in the Discussion that restate a computable result), with columns

``quantity``   what the number is, in plain words
``reported``   the printed value, in the paper's unit (72.2 for 72.2 %, 0.12 for p = 0.12)
``recomputed`` the value this package computes from the data, in the same unit
``agrees``     equal at the paper's printed precision (``descriptive.agrees``); for a number
               printed as a bound ("p > 0.99"), whether the recomputed value is beyond it
``note``       how it was computed; for a disagreement, the most likely reason
``decimals``, ``comparison``, ``where``  the printed precision, "equal" or "greater", and where it is printed.

The descriptive rows are ``spinemets.descriptive.describe()`` (reused, not recomputed here);
the survival, relapse and test rows use ``spinemets.survival`` with the SPSS conventions the
paper's numbers reveal (see that module). ``conventions()`` shows those conventions beside the
library defaults and ``sensitivity()`` the headline results under the other reasonable choices.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from spinemets import descriptive, survival
from spinemets.data import load, resolve
from spinemets.descriptive import agrees as agrees_at_precision

SPSS = "SPSS 21 convention"


class Context:
    """The data and the fitted life tables that the rows read, computed once per audit."""

    def __init__(self, cases: pd.DataFrame):
        self.cases = cases

    def table(self, endpoint: str) -> pd.DataFrame:
        return self._tables[endpoint]

    @cached_property
    def _tables(self) -> dict:
        return {name: survival.endpoint_table(name, cases=self.cases) for name in survival.ENDPOINTS}

    def rate(self, endpoint: str, months: float) -> float:
        return 100 * survival.survival_at(self.table(endpoint), months)

    def count(self, mask) -> float:
        return float(np.asarray(mask, dtype=bool).sum())

    def percent(self, mask, within=None) -> float:
        mask = pd.Series(mask, index=self.cases.index)
        within = pd.Series(True, index=self.cases.index) if within is None else pd.Series(within, index=self.cases.index)
        return 100 * float(mask[within].mean())

    def fisher(self, exposure: str, outcome: str) -> float:
        return survival.fisher_p(self.cases, exposure, outcome)

    def year(self, group: str, value: bool) -> pd.Series:
        return self.cases.loc[self.cases[group] == value, "year"].astype(float)

    def year_quartile(self, group: str, value: bool, which: int) -> float:
        return survival.quartiles(self.year(group, value), method="linear")[which]

    def year_p(self, group: str) -> float:
        return survival.mann_whitney_p(self.year(group, True), self.year(group, False), convention="spss")


@dataclass(frozen=True)
class Row:
    quantity: str
    reported: float
    compute: Callable[[Context], float]
    decimals: int
    where: str
    note: str | Callable[[Context, "Row"], str]   # a function of the data for a data-dependent explanation
    comparison: str = "equal"

    def explain(self, ctx: Context) -> str:
        return self.note(ctx, self) if callable(self.note) else self.note


KM = "Kaplan-Meier estimate S(t) at t months (the step function; an event at t counts)"
MEDIAN_NOTE = ("SPSS median: the smallest event time with S(t) <= 0.5, compared with a tolerance of 1e-9 "
               "(lifelines' default misses a plateau at exactly 0.5 by floating-point error)")
CI_NOTE = ("SPSS interval: median +/- 1.96 SE, SE = Greenwood SE of S at the median / (drop in S between the last "
           "event time with S >= 0.55 and the first with S <= 0.45, per month)")
FISHER_NOTE = "Two-sided Fisher's exact test of the 2x2 table (scipy.stats.fisher_exact; same definition as SPSS)"
MW_NOTE = ("Mann-Whitney U, normal approximation with tie correction and no continuity correction "
           "(SPSS 'Asymp. Sig.'); scipy's default differs")
QUARTILE_NOTE = ("Quartiles by linear interpolation at (n - 1)p (numpy/pandas default, Excel QUARTILE); SPSS Explore's "
                 "(n + 1)p definition reproduces fewer of the paper's quartiles")
TABLE3 = "Counted in Table 3"

# ---- Disagreement notes -----------------------------------------------------------------------
# Each note is a function of the Context (the data) and its Row (the printed value), so every number
# and case list in it is recomputed from data/. An alternative explanation is tested, and the note
# says whether it reproduces the printed value, so the wording stays true on modified data.

def _g(value: float) -> str:
    return f"{value:g}"


def _join(items, last: str = "and") -> str:
    items = [str(item) for item in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def _count(k: int, noun: str) -> str:
    return f"{k} {noun}" if k == 1 else f"{k} {noun}s"


def _cases(index) -> str:
    index = list(index)
    return ("case " if len(index) == 1 else "cases ") + _join(index)


def printed(quantity: str) -> float:
    """The paper's printed value of an audited quantity (its row's ``reported``)."""
    return _BY_QUANTITY[quantity].reported


def reproduces(ctx: Context, quantity: str) -> bool:
    """Whether the audited quantity, recomputed on the context's data, agrees with the paper."""
    spec = _BY_QUANTITY[quantity]
    return agrees(spec.reported, float(spec.compute(ctx)), spec.decimals, spec.comparison)


def os_median_reason(ctx: Context, row: "Row") -> str:
    table = ctx.table("os")
    median = survival.spss_median(table)
    cases = ctx.cases
    at_median = cases.index[cases["os_event"] & cases["os_months"].eq(median)]
    low, high = printed("Median overall survival, 95% CI lower"), printed("Median overall survival, 95% CI upper")
    centre = (low + high) / 2
    ci_ok = (reproduces(ctx, "Median overall survival, 95% CI lower")
             and reproduces(ctx, "Median overall survival, 95% CI upper"))
    text = (f"Disagrees: the data give {_g(median)} months, the month of the death where S first falls to 0.5 or "
            f"below ({_cases(at_median)}). The paper's own interval, {low:.2f}-{high:.2f}, is centred on {centre:.2f}")
    if ci_ok and agrees_at_precision(centre, median, 2):
        return text + (f" and is reproduced to the last digit with a median of {_g(median)}, so SPSS printed "
                       f"{_g(median)}; '{_g(row.reported)}' is most likely a typing error.")
    return text + (f"; with these data the interval is {'' if ci_ok else 'not '}reproduced and its centre "
                   f"{'equals' if agrees_at_precision(centre, median, 2) else 'differs from'} the recomputed median, "
                   "so a typing error in the printed median is not the only possible explanation.")


def post_ci_reason(ctx: Context, row: "Row") -> str:
    table = ctx.table("post_relapse")
    parts = survival.spss_median_se_parts(table)
    low, high = (printed("Median survival after distant relapse, 95% CI lower"),
                 printed("Median survival after distant relapse, 95% CI upper"))
    implied_se = (high - low) / (2 * survival.Z95)
    span = parts["lower_time"] - parts["upper_time"]
    needed = span * implied_se / parts["se"]
    rates = [q for q in _BY_QUANTITY if q.startswith("Survival ") and q.endswith("after distant relapse (%)")]
    rates_ok = sum(reproduces(ctx, q) for q in rates)
    median_quantity = "Median survival after distant relapse (months)"
    median_ok = reproduces(ctx, median_quantity)
    width = "narrower" if parts["se"] < implied_se else "wider"
    text = (f"Disagrees: the median ({_g(parts['median'])}; printed {_g(printed(median_quantity))}) "
            f"{'reproduces' if median_ok else 'does not reproduce'} and {rates_ok} of the {len(rates)} survival rates "
            f"after relapse reproduce, but the interval is {width} here (SE {parts['se']:.2f} vs the {implied_se:.2f} "
            f"the printed bounds imply). The SE needs the months from the last death with S >= 0.55 "
            f"({_g(parts['upper_time'])} months) to the first with S <= 0.45 ({_g(parts['lower_time'])} months): the "
            f"printed bounds need {needed:.1f} months there instead of {_g(span)}.")
    if abs(needed - span) <= 1.5:
        text += (" Each post-relapse time is follow-up minus relapse month, two rounded numbers, so a difference of "
                 "about a month in the unrounded data is the most likely reason.")
    else:
        text += " That is more than the rounding of two whole-month times can explain."
    return text


def lr_median_reason(ctx: Context, row: "Row") -> str:
    cases = ctx.cases
    months = cases.loc[cases["lr_event"], "local_recurrence_months"].astype(float)
    median = float(months.median())
    low, high = printed("Earliest local recurrence (months)"), printed("Latest local recurrence (months)")
    text = (f"Disagrees: the {len(months)} recurrence months in Table 3 are {_join(_g(m) for m in sorted(months))}, "
            f"whose median is {_g(median)}.")
    # Leaving one recurrence out must also keep the printed range.
    left_out = [case for case in months.index
                if agrees_at_precision(row.reported, float(months.drop(case).median()), row.decimals)
                and (months.drop(case).min(), months.drop(case).max()) == (low, high)]
    explanations = []
    if left_out:
        details = []
        for case in left_out:
            relapse = cases.loc[case, "distant_relapse_months"]
            same = pd.notna(relapse) and float(relapse) == float(months[case])
            details.append(f"case {case}" + (f" (its local recurrence and distant relapse were found in the same "
                                              f"month, {_g(months[case])})" if same else ""))
        explanations.append(f"what the median of {len(months) - 1} of them gives if {_join(details, 'or')} is left out")
    if len(months) % 2 == 1 and abs(row.reported - median) <= 0.5:
        explanations.append(f"what {len(months)} months give if one recurrence time was {_g(row.reported)} before "
                            "rounding in Table 3")
    printed_text = f"{_g(row.reported)} (with the printed range {_g(low)}-{_g(high)})"
    if explanations:
        return text + f" {printed_text} is " + ", or ".join(explanations) + ". The published data cannot tell which."
    return text + (f" Leaving out one recurrence and rounding one recurrence time were tested; neither reproduces "
                   f"{printed_text}.")


def treated_reason(ctx: Context, row: "Row") -> str:
    cases = ctx.cases
    relapsed = cases[cases["drfs_event"]]
    bsc = relapsed.index[relapsed["distant_relapse_treatment"].fillna("BSC").eq("BSC")]
    n, treated = len(relapsed), len(relapsed) - len(bsc)
    matching = [k for k in range(n + 1) if agrees_at_precision(row.reported, 100 * k / n, row.decimals)]
    text = (f"Disagrees: Table 3 lists best supportive care (BSC) as the only treatment of distant relapse for "
            f"{_cases(bsc)}, so {treated} of {n} ({100 * treated / n:.1f}%) received treatment; ")
    if not matching:
        return text + f"no count out of {n} gives {_g(row.reported)}%, so the paper's denominator differs too."
    k = matching[0]
    text += f"{_g(row.reported)}% is {k} of {n}."
    if k > treated:
        return text + (f" Either {_count(k - treated, 'BSC patient')} also received treatment not printed in Table 3, "
                       "or the count is wrong.")
    return text + " Either a treated patient was counted as untreated, or the count is wrong."


def year_pos_median_reason(ctx: Context, row: "Row") -> str:
    years = sorted(ctx.year("margin_positive", True))
    n, median = len(years), float(np.median(years))
    quartiles_ok = all(reproduces(ctx, f"Year of EBS, positive resection margin: {q}")
                       for q in ("first quartile", "third quartile"))
    p_quantity = "p, year of EBS by resection margin"
    p_ok = reproduces(ctx, p_quantity)
    text = f"Disagrees: the {n} positive-margin years are {_join(_g(y) for y in years)}; "
    if n % 2 == 0:
        middle = years[n // 2 - 1: n // 2 + 1]
        text += (f"every median definition averages the middle two, {_g(middle[0])} and {_g(middle[1])}, giving "
                 f"{_g(median)}.")
        if row.reported in middle:
            text += (f" {_g(row.reported)} is the {'lower' if row.reported == middle[0] else 'upper'} of the two "
                     "middle values.")
    else:
        text += f"every median definition takes the middle one, {_g(median)}."
    checks = (f"The quartiles {'reproduce' if quartiles_ok else 'do not both reproduce'} and the p-value "
              f"({_g(printed(p_quantity))}) {'reproduces' if p_ok else 'does not reproduce'} with the same {n} years")
    if quartiles_ok and p_ok:
        return text + f" {checks}, so the groups are right and the median was most likely misreported."
    return text + f" {checks}, so the groups themselves may differ from the paper's."


def year_omissions(cases: pd.DataFrame, group: str = "drfs_event", value: bool = True) -> pd.DataFrame:
    """The year-of-EBS summaries of a group with each patient left out in turn: one row per left-out
    case with its year, the linear-interpolation quartiles of the rest, and the upper hinge (Tukey:
    the median of the upper half), to test whether a printed figure came from an incomplete list."""
    years = cases.loc[cases[group] == value, "year"].astype(float)
    rows = []
    for case in years.index:
        rest = np.sort(years.drop(case).to_numpy())
        q1, median, q3 = survival.quartiles(rest, method="linear")
        rows.append({"case": case, "year": years[case], "first quartile": q1, "median": median,
                     "third quartile": q3, "upper hinge": float(np.median(rest[len(rest) // 2:]))})
    return pd.DataFrame(rows).set_index("case")


def year_dr_reason(ctx: Context, row: "Row") -> str:
    years = ctx.year("drfs_event", True)
    n = len(years)
    _, median, q3 = survival.quartiles(years, method="linear")
    names = ["first quartile", "median", "third quartile"]
    wanted = dict(zip(names, (printed(f"Year of EBS, patients with distant relapse: {name}") for name in names)))
    p_quantity = "p, year of EBS by distant relapse"
    n_without = int((~ctx.cases["drfs_event"]).sum())
    parity = ("a median ending in .5 needs an even number of patients, but "
              if wanted["median"] % 1 == 0.5 and n % 2 == 1 else "")
    text = (f"Disagrees: {parity}{n} patients relapsed; their median year is {_g(median)} and the third quartile "
            f"{_g(q3)}, against the printed {_g(wanted['median'])} and {_g(wanted['third quartile'])}.")
    omissions = year_omissions(ctx.cases)
    same = lambda w, x: agrees_at_precision(w, x, 1 if w % 1 else 0)  # noqa: E731
    linear = [f"case {case} ({_g(r.year)})" for case, r in omissions.iterrows()
              if all(same(wanted[name], r[name]) for name in names)]
    hinge = [f"case {case} ({_g(r.year)})" for case, r in omissions.iterrows()
             if same(wanted["median"], r["median"]) and same(wanted["third quartile"], r["upper hinge"])]
    text += " Leaving out one patient was tested: "
    found = []
    if linear:
        found.append(f"without {_join(linear, 'or')} the {n - 1} remaining years give all three printed quartiles "
                     "(linear interpolation, as for the other groups)")
    if hinge:
        found.append(f"without {_join(hinge, 'or')} they give the printed median and, as an upper hinge (the median "
                     "of the upper half), the printed third quartile")
    text += ("; ".join(found) + ".") if found else "no single omission gives the printed median and third quartile."
    p_ok = reproduces(ctx, p_quantity)
    text += (f" The p-value ({_g(printed(p_quantity))}) {'reproduces' if p_ok else 'does not reproduce'} with all "
             f"{n} and {n_without} patients")
    if p_ok and found:
        return text + ", so the descriptive figures were most likely computed on an incomplete list."
    return text + "."


def post_relapse_note(ctx: Context, row: "Row") -> str:
    n = len(survival.endpoint_data(ctx.cases, "post_relapse"))
    return KM + f"; the {n} relapsed patients, time from relapse; event: death from disease"


def deaths_within_two_years_note(ctx: Context, row: "Row") -> str:
    post = survival.endpoint_data(ctx.cases, "post_relapse")
    seen = int((post["event"] & post["duration"].le(24)).sum())
    early = int((~post["event"] & post["duration"].lt(24)).sum())
    return (f"1 - S(24 months) after relapse; agrees when above {_g(row.reported)}%. Only {seen} of the {len(post)} are "
            f"seen to die within 2 years; the estimate is higher because {_count(early, 'patient')} {'was' if early == 1 else 'were'} censored earlier")


def _rows() -> list[Row]:
    c = lambda ctx: ctx.cases  # noqa: E731
    rows = [
        Row("Patients in the series", 18, lambda x: float(len(x.cases)), 0, "Abstract; Methods", "Rows in the data"),
        Row("First year of EBS", 1991, lambda x: float(x.cases["year"].min()), 0, "Abstract; Methods", "Earliest year in Table 2"),
        Row("Last year of EBS", 2015, lambda x: float(x.cases["year"].max()), 0, "Abstract; Methods", "Latest year in Table 2"),
        Row("Median intraoperative blood loss (litres)", 2.4, lambda x: float(c(x)["blood_loss_g"].astype(float).median()) / 1000,
            1, "Discussion", "Median blood loss of Table 2 in grams, read as millilitres (the paper's own conversion)"),
        Row("Patients with improved or preserved Frankel grade", 18,
            lambda x: x.count(c(x)["frankel_post"] >= c(x)["frankel_pre"]), 0, "Results 2",
            "Postoperative grade (Table 2) at least the preoperative grade (Table 1); grades A-E compare as letters"),
        Row("Patients with a negative resection margin", 10, lambda x: x.count(~c(x)["margin_positive"]), 0, "Results 3", TABLE3),
        Row("Patients with a positive resection margin", 8, lambda x: x.count(c(x)["margin_positive"]), 0, "Results 3", TABLE3),
        Row("Patients with intralesional procedures", 8, lambda x: x.count(c(x)["margin_positive"]), 0, "Results 3",
            "Equal to the positive margins of Table 3: the paper classifies an intralesional resection as a positive margin"),
        Row("Positive resection margins (%)", 44.4, lambda x: x.percent(c(x)["margin_positive"]), 1, "Discussion", TABLE3),
        # Local recurrence
        Row("Patients with local recurrence", 5, lambda x: x.count(c(x)["lr_event"]), 0, "Abstract; Results 3", TABLE3),
        Row("Patients with local recurrence (%)", 27.8, lambda x: x.percent(c(x)["lr_event"]), 1, "Abstract; Results 3; Discussion", TABLE3),
        Row("Local recurrences after a positive margin", 4, lambda x: x.count(c(x)["lr_event"] & c(x)["margin_positive"]), 0,
            "Abstract; Results 3", TABLE3),
        Row("Local recurrences after a negative margin", 1, lambda x: x.count(c(x)["lr_event"] & ~c(x)["margin_positive"]), 0,
            "Results 3", TABLE3),
        Row("Local recurrence rate, positive margin (%)", 50, lambda x: x.percent(c(x)["lr_event"], c(x)["margin_positive"]), 0,
            "Results 3; Discussion", "Recurrences / patients within the positive-margin group"),
        Row("Local recurrence rate, negative margin (%)", 10, lambda x: x.percent(c(x)["lr_event"], ~c(x)["margin_positive"]), 0,
            "Results 3; Discussion", "Recurrences / patients within the negative-margin group"),
        Row("p, margin vs local recurrence", 0.12, lambda x: x.fisher("margin_positive", "lr_event"), 2, "Results 3", FISHER_NOTE),
        Row("Median months from EBS to local recurrence", 12.5,
            lambda x: float(c(x).loc[c(x)["lr_event"], "local_recurrence_months"].astype(float).median()), 1,
            "Abstract; Results 3", lr_median_reason),
        Row("Earliest local recurrence (months)", 6,
            lambda x: float(c(x).loc[c(x)["lr_event"], "local_recurrence_months"].min()), 0, "Results 3", TABLE3),
        Row("Latest local recurrence (months)", 53,
            lambda x: float(c(x).loc[c(x)["lr_event"], "local_recurrence_months"].max()), 0, "Results 3", TABLE3),
        Row("Local recurrences treated with revision surgery", 3,
            lambda x: x.count(c(x)["local_recurrence_treatment"].fillna("").str.split("+").map(lambda t: "S" in t)), 0,
            "Results 3", "Recurrence treatments in Table 3 that include surgery (S)"),
        # Distant relapse
        Row("Patients without distant relapse", 5, lambda x: x.count(~c(x)["drfs_event"]), 0, "Results 3", TABLE3),
        *[Row(f"Patients without distant relapse: {site.lower()} primary", n,
              (lambda s: lambda x: x.count(~c(x)["drfs_event"] & c(x)["primary_site"].eq(s)))(site), 0, "Results 3", TABLE3)
          for site, n in [("Kidney", 3), ("Liver", 1), ("Thymoma", 1)]],
        *[Row(f"Distant-relapse-free survival at {label} (%)", value, (lambda m: lambda x: x.rate("drfs", m))(months), dec,
              "Results 3", KM + "; event: distant relapse; deaths without relapse censored")
          for label, months, value, dec in [("1 year", 12, 72.2, 1), ("2 years", 24, 50, 0), ("3 years", 36, 38.9, 1),
                                            ("5 years", 60, 29.2, 1)]],
        Row("Patients with distant relapse", 13, lambda x: x.count(c(x)["drfs_event"]), 0, "Abstract; Results 3", TABLE3),
        Row("Patients with distant relapse (%)", 72.2, lambda x: x.percent(c(x)["drfs_event"]), 1,
            "Abstract; Results 3; Discussion", TABLE3),
        Row("Median months to distant relapse", 21, lambda x: survival.spss_median(x.table("drfs")), 0,
            "Abstract; Results 3; Discussion", MEDIAN_NOTE),
        Row("Median months to distant relapse, 95% CI lower", 0.21, lambda x: survival.spss_median_ci(x.table("drfs"))[0], 2,
            "Results 3", CI_NOTE),
        Row("Median months to distant relapse, 95% CI upper", 41.79, lambda x: survival.spss_median_ci(x.table("drfs"))[1], 2,
            "Results 3", CI_NOTE),
        Row("Distant relapse rate, negative margin (%)", 80, lambda x: x.percent(c(x)["drfs_event"], ~c(x)["margin_positive"]), 0,
            "Results 3", "Relapses / patients within the group"),
        Row("Distant relapse rate, positive margin (%)", 62.5, lambda x: x.percent(c(x)["drfs_event"], c(x)["margin_positive"]), 1,
            "Results 3", "Relapses / patients within the group"),
        Row("p, margin vs distant relapse", 0.61, lambda x: x.fisher("margin_positive", "drfs_event"), 2, "Results 3", FISHER_NOTE),
        Row("p, log-rank, distant-relapse-free survival by margin", 0.62,
            lambda x: float(survival.logrank(x.cases, "drfs", "margin_positive").p_value), 2, "Results 3; Fig. 1B",
            "Log-rank (Mantel-Cox) test, lifelines.statistics.logrank_test; SPSS's default test"),
        Row("Distant relapse rate with systemic adjuvant therapy (%)", 57.1,
            lambda x: x.percent(c(x)["drfs_event"], c(x)["systemic_adjuvant"]), 1, "Results 3",
            "Systemic adjuvant therapy: C or RAI in Table 2 (spinemets.data)"),
        Row("Distant relapse rate without systemic adjuvant therapy (%)", 81.8,
            lambda x: x.percent(c(x)["drfs_event"], ~c(x)["systemic_adjuvant"]), 1, "Results 3",
            "Systemic adjuvant therapy: C or RAI in Table 2 (spinemets.data)"),
        Row("p, systemic adjuvant therapy vs distant relapse", 0.33, lambda x: x.fisher("systemic_adjuvant", "drfs_event"), 2,
            "Results 3", FISHER_NOTE),
        Row("Patients with extraspinal lesions at EBS", 4, lambda x: x.count(c(x)["extraspinal_lesions"]), 0, "Results 3",
            "Vital-organ or extraspinal bone metastasis in Table 1"),
        Row("Distant relapses with extraspinal lesions", 3, lambda x: x.count(c(x)["drfs_event"] & c(x)["extraspinal_lesions"]), 0,
            "Results 3", TABLE3),
        Row("Distant relapse rate with extraspinal lesions (%)", 75,
            lambda x: x.percent(c(x)["drfs_event"], c(x)["extraspinal_lesions"]), 0, "Results 3", "Relapses / patients within the group"),
        Row("Patients without extraspinal lesions at EBS", 14, lambda x: x.count(~c(x)["extraspinal_lesions"]), 0, "Results 3",
            "Neither vital-organ nor extraspinal bone metastasis in Table 1"),
        Row("Distant relapses without extraspinal lesions", 10,
            lambda x: x.count(c(x)["drfs_event"] & ~c(x)["extraspinal_lesions"]), 0, "Results 3", TABLE3),
        Row("Distant relapse rate without extraspinal lesions (%)", 71.4,
            lambda x: x.percent(c(x)["drfs_event"], ~c(x)["extraspinal_lesions"]), 1, "Results 3", "Relapses / patients within the group"),
        Row("p, extraspinal lesions vs distant relapse (printed as p > 0.99)", 0.99,
            lambda x: x.fisher("extraspinal_lesions", "drfs_event"), 2, "Results 3",
            FISHER_NOTE + "; printed as a bound, so it agrees when the p-value exceeds 0.99", comparison="greater"),
        # Survival after distant relapse
        *[Row(f"Survival {label} after distant relapse (%)", value, (lambda m: lambda x: x.rate("post_relapse", m))(months), 1,
              "Results 3", post_relapse_note)
          for label, months, value in [("6 months", 6, 92.3), ("1 year", 12, 67.1), ("2 years", 24, 49.0), ("3 years", 36, 39.2),
                                       ("5 years", 60, 26.1)]],
        Row("Median survival after distant relapse (months)", 20, lambda x: survival.spss_median(x.table("post_relapse")), 0,
            "Abstract; Results 3", MEDIAN_NOTE),
        Row("Median survival after distant relapse, 95% CI lower", 0.71,
            lambda x: survival.spss_median_ci(x.table("post_relapse"))[0], 2, "Abstract; Results 3", post_ci_reason),
        Row("Median survival after distant relapse, 95% CI upper", 39.29,
            lambda x: survival.spss_median_ci(x.table("post_relapse"))[1], 2, "Abstract; Results 3", post_ci_reason),
        Row("Estimated deaths within 2 years of relapse (%, printed as 'more than half')", 50,
            lambda x: 100 - x.rate("post_relapse", 24), 0, "Discussion",
            deaths_within_two_years_note, comparison="greater"),
        Row("Relapsed patients who received treatment for distant relapse (%)", 84.6,
            lambda x: x.percent(c(x)["distant_relapse_treatment"].fillna("BSC").ne("BSC"), c(x)["drfs_event"]), 1,
            "Discussion", treated_reason),
        # Overall survival
        *[Row(f"Overall survival at {label} (%)", value, (lambda m: lambda x: x.rate("os", m))(months), 1,
              "Abstract; Results 3", KM + "; event: death from disease (DOD); the one death from other causes censored")
          for label, months, value in [("2 years", 24, 72.2), ("5 years", 60, 48.8), ("10 years", 120, 27.1)]],
        Row("Median overall survival (months)", 55.2, lambda x: survival.spss_median(x.table("os")), 1, "Results 3",
            os_median_reason),
        Row("Median overall survival, 95% CI lower", 16.57, lambda x: survival.spss_median_ci(x.table("os"))[0], 2, "Results 3",
            CI_NOTE),
        Row("Median overall survival, 95% CI upper", 93.43, lambda x: survival.spss_median_ci(x.table("os"))[1], 2, "Results 3",
            CI_NOTE),
        Row("Median follow-up (months)", 40.5, lambda x: float(c(x)["followup_months"].astype(float).median()), 1, "Discussion",
            "Median of the follow-up column of Table 3"),
    ]
    groups = [("margin_positive", "resection margin", [("positive", True, (2004, 2005, 2012)), ("negative", False, (2002.5, 2008.5, 2013))], 0.96),
              ("lr_event", "local recurrence", [("with", True, (2005, 2010, 2012)), ("without", False, (2001, 2008, 2013))], 0.73),
              ("drfs_event", "distant relapse", [("with", True, (2001, 2008.5, 2011.5)), ("without", False, (2005, 2007, 2013))], 0.69)]
    for column, label, levels, p in groups:
        for level, value, printed in levels:
            group = f"{level} {label}" if level in ("positive", "negative") else f"patients {level} {label}"
            for which, name in enumerate(["first quartile", "median", "third quartile"]):
                reported = printed[which]
                note = QUARTILE_NOTE
                if (column, value, which) == ("margin_positive", True, 1):
                    note = year_pos_median_reason
                elif column == "drfs_event" and value and which in (1, 2):
                    note = year_dr_reason
                rows.append(Row(f"Year of EBS, {group}: {name}", reported,
                                (lambda col, v, w: lambda x: x.year_quartile(col, v, w))(column, value, which),
                                1 if reported % 1 else 0, "Results 3", note))
        rows.append(Row(f"p, year of EBS by {label}", p, (lambda col: lambda x: x.year_p(col))(column), 2, "Results 3", MW_NOTE))
    return rows


ROWS = _rows()
_BY_QUANTITY = {spec.quantity: spec for spec in ROWS}


NOT_CHECKABLE = [
    ("Patients with revision surgery for perioperative complications", "4 (22.2%)", "Results 2",
     "Table 2 lists complications, not which were revised"),
    ("Revisions for surgical site infection / misplaced pedicle screws", "3 / 1", "Results 2", "Not in the tables"),
    ("Patients with revision surgery for instrumentation failure", "5 (27.8%)", "Results 2", "Not in the tables"),
    ("Rod breakage due to pseudarthrosis; uppermost / lowermost vertebral fractures", "4; 1 / 1", "Results 2",
     "Not in the tables"),
    ("Patients walking independently after EBS", "16 (88.9%)", "Results 2",
     "Table 2 gives the Frankel grade, not walking ability"),
    ("Patients needing a cane / a walker", "1 / 1", "Results 2", "Not in the tables"),
    ("Intralesional procedures by step (body dissection, pediculotomy, osteotomy, epidural tumour, fractures)",
     "1, 1, 2, 2, 2", "Results 3", "Table 3 gives only the margin"),
    ("Perioperative mortality", "0%", "Discussion", "Follow-up months cannot show deaths within the perioperative period "
     "precisely (the shortest follow-up, {shortest_followup} months, is consistent with it)"),
    ("Recurrence and follow-up in the systematic review of Cloyd et al.", "37.7%; 16 months", "Discussion",
     "Another study's figures"),
]


def not_checkable(data_dir=None) -> pd.DataFrame:
    """Numbers in the Results and Discussion that the published tables cannot check, and why
    (a reason that quotes the data is filled in from ``data_dir``)."""
    cases = load(data_dir)
    facts = {"shortest_followup": f"{float(cases['followup_months'].astype(float).min()):g}"}
    rows = [(quantity, reported, where, why.format(**facts)) for quantity, reported, where, why in NOT_CHECKABLE]
    return pd.DataFrame(rows, columns=["quantity", "reported", "where", "why not"])


def agrees(reported: float, recomputed: float, decimals: int, comparison: str = "equal") -> bool:
    if comparison == "greater":
        return bool(recomputed > reported)
    return agrees_at_precision(reported, recomputed, decimals)


def audit(data_dir=None) -> pd.DataFrame:
    """One row per reported number: quantity, reported, recomputed, agrees, note (+ decimals, comparison, where)."""
    cases = load(data_dir)
    context = Context(cases)
    described = descriptive.describe(data_dir)
    records = []
    for statistic, (_, row) in zip(descriptive.STATISTICS, described.iterrows()):
        recomputed = float(statistic.compute(cases))
        records.append({"quantity": row["quantity"], "reported": float(row["reported"]), "recomputed": recomputed,
                        "decimals": statistic.decimals, "comparison": "equal", "where": row["where"],
                        "note": row["note"] or "Descriptive statistic of Tables 1-2 (spinemets.descriptive.describe)"})
    for spec in ROWS:
        records.append({"quantity": spec.quantity, "reported": float(spec.reported), "recomputed": float(spec.compute(context)),
                        "decimals": spec.decimals, "comparison": spec.comparison, "where": spec.where,
                        "note": spec.explain(context)})
    frame = pd.DataFrame(records)
    frame.insert(3, "agrees", [agrees(r.reported, r.recomputed, r.decimals, r.comparison) for r in frame.itertuples()])
    return frame


@contextmanager
def edited_copy(changes: dict, data_dir=None):
    """A temporary copy of the data with some cells changed, for "what if" checks: ``changes`` maps
    ``(file, case, column)`` to the new text, e.g. ``{("outcomes.csv", 1, "followup_months"): "30"}``.
    Yields the copy's folder (pass it to ``audit``, ``data.load`` ...); it is deleted afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / resolve(data_dir).name
        shutil.copytree(resolve(data_dir), copy)
        for (file, case, column), value in changes.items():
            table = pd.read_csv(copy / file, dtype=str, keep_default_na=False)
            match = table["case"] == str(case)
            if match.sum() != 1 or column not in table:
                raise KeyError(f"case {case} / column {column} not found once in {file}")
            table.loc[match, column] = str(value)
            table.to_csv(copy / file, index=False)
        yield copy


def summary(table: pd.DataFrame) -> dict:
    """How many numbers were reported, agree and disagree."""
    return {"reported": len(table), "agree": int(table["agrees"].sum()), "disagree": int((~table["agrees"]).sum())}


def conventions(data_dir=None) -> pd.DataFrame:
    """Each SPSS convention the audit uses, beside the library default, for the paper's numbers."""
    cases = load(data_dir)
    rows = []
    medians = {"drfs": "Median months to distant relapse", "post_relapse": "Median survival after distant relapse",
               "os": "Median overall survival"}
    for endpoint, quantity in medians.items():
        reported_median = printed(quantity if endpoint == "drfs" else f"{quantity} (months)")
        reported_ci = (printed(f"{quantity}, 95% CI lower"), printed(f"{quantity}, 95% CI upper"))
        frame = survival.endpoint_data(cases, endpoint)
        table = survival.life_table(frame["duration"], frame["event"])
        kmf = survival.fit(frame["duration"], frame["event"])
        name = survival.ENDPOINTS[endpoint].name
        rows.append({"quantity": f"{name}: median (months)", "reported": _g(reported_median),
                     SPSS: f"{survival.spss_median(table):g}", "library default": f"{survival.lifelines_median(kmf):g} (lifelines)"})
        low, high = survival.spss_median_ci(table)
        lib_low, lib_high = survival.lifelines_median_ci(kmf)
        rows.append({"quantity": f"{name}: 95% CI of the median (months)", "reported": f"{reported_ci[0]:.2f}-{reported_ci[1]:.2f}",
                     SPSS: f"{low:.2f}-{high:.2f}", "library default": f"{lib_low:g}-{lib_high:g} (lifelines, log-log band)"})
    for column, label, audited in [("margin_positive", "margin", "resection margin"),
                                   ("lr_event", "local recurrence", "local recurrence"),
                                   ("drfs_event", "distant relapse", "distant relapse")]:
        p = printed(f"p, year of EBS by {audited}")
        yes = cases.loc[cases[column], "year"].astype(float)
        no = cases.loc[~cases[column], "year"].astype(float)
        rows.append({"quantity": f"Mann-Whitney p, year of EBS by {label}", "reported": f"{p:.2f}",
                     SPSS: f"{survival.mann_whitney_p(yes, no, 'spss'):.2f}",
                     "library default": f"{survival.mann_whitney_p(yes, no, 'scipy'):.2f} (scipy)"})
    negative = cases.loc[~cases["margin_positive"], "year"]
    negative_printed = [printed(f"Year of EBS, negative resection margin: {name}")
                        for name in ("first quartile", "median", "third quartile")]
    rows.append({"quantity": "Year of EBS, negative margin: quartiles", "reported": ", ".join(map(_g, negative_printed)),
                 SPSS: ", ".join(f"{q:g}" for q in survival.quartiles(negative, "weibull")) + " (SPSS Explore, (n+1)p)",
                 "library default": ", ".join(f"{q:g}" for q in survival.quartiles(negative, "linear")) + " (numpy/pandas, (n-1)p)"})
    return pd.DataFrame(rows)


def sensitivity(data_dir=None) -> pd.DataFrame:
    """Headline results under the paper's choices and under the other reasonable ones."""
    cases = load(data_dir)
    relapsed = cases["distant_relapse_event"]
    variants = {
        ("Overall survival", "death from disease is the event (the paper's choice, reproduced)"): ("os_months", cases["os_event"]),
        ("Overall survival", "any death is the event"): ("os_months", cases["death_any"]),
        ("Distant-relapse-free survival", "distant relapse is the event, deaths censored (the paper's definition)"):
            ("drfs_months", cases["drfs_event"]),
        ("Distant-relapse-free survival", "distant relapse or death, whichever first, is the event"):
            ("drfs_months", cases["drfs_event"] | cases["death_any"]),
        ("Survival after distant relapse", "death from disease is the event (the paper's choice, reproduced)"):
            ("post_relapse_months", cases["post_relapse_event"]),
        ("Survival after distant relapse", "any death is the event"): ("post_relapse_months", cases["death_any"].where(relapsed)),
    }
    rows = []
    for (endpoint, choice), (duration, event) in variants.items():
        frame = pd.DataFrame({"duration": cases[duration], "event": event}).dropna()
        table = survival.life_table(frame["duration"], frame["event"].astype(bool))
        row = {"endpoint": endpoint, "choice": choice, "events": int(frame["event"].astype(bool).sum()),
               "median (months, SPSS)": survival.spss_median(table)}
        for years in (1, 2, 5, 10):
            row[f"{years}-year (%)"] = round(100 * survival.survival_at(table, 12 * years), 1)
        rows.append(row)
    return pd.DataFrame(rows)
