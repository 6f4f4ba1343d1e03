"""The reproduction audit of Ohashi et al. 2019: every reported number, recomputed from ``data/``.

``audit(data_dir=None)`` returns one row per number printed in the abstract, Results (and the
few in the Discussion that restate a computable result), with columns

``quantity``   what the number is, in plain words
``reported``   the printed value, in the paper's unit (72.2 for 72.2 %, 0.12 for p = 0.12)
``recomputed`` the value this package computes from the data, in the same unit
``agrees``     equal at the paper's printed precision (``descriptive.agrees``); for a number
               printed as a bound ("p > 0.99"), whether the recomputed value is beyond it; for a
               year quantile, equal to the half year (the precision the paper prints them at)
``note``       how it was computed; for a disagreement, the first general explanation that
               reproduces the printed value (see below)
``decimals``, ``comparison``, ``where``  the printed precision, "equal", "greater" or "half-year",
               and where it is printed.

Disagreements are explained by a few general tests, tried in order (``EXPLANATION_TESTS``): another
quantile definition (Hyndman-Fan's nine, SPSS EXAMINE's five and Tukey's hinges), the rounding of the published
data, the paper's text against its own tables or other numbers, and leaving one patient out. A row
takes part by carrying an ``Evidence``: the sample its number is computed from and how. The
recomputed value stays the conventional one; the note names what reproduces the printed figure.

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
from spinemets.small_sample import NOT_REACHED

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

    @cached_property
    def _fits(self) -> dict:
        return {name: survival.endpoint_fit(self.cases, name) for name in survival.ENDPOINTS}

    def rate(self, endpoint: str, months: float) -> float:
        return 100 * survival.survival_at(self._fits[endpoint], months)

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
        return conventional_quantile(self.year(group, value), QUARTILES[which])

    def year_p(self, group: str) -> float:
        return survival.mann_whitney_p(self.year(group, True), self.year(group, False), convention="spss")


def conventional_quantile(values, probability: float) -> float:
    """The textbook quantile: for the median, the middle observation or the average of the two
    middle ones; for the quartiles, linear interpolation between order statistics (Hyndman-Fan
    type 7, numpy's default), which is the same rule at p = 0.5."""
    return float(np.quantile(np.asarray(values, dtype=float), probability, method="linear"))


QUARTILES = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Evidence:
    """What the general explanation tests need to recompute a number under other assumptions.

    ``sample`` gives the values the number is computed from (a Series, or a frame with a
    ``duration`` column) and ``statistic`` the number from such a sample. ``probability``: the number
    is that quantile of the sample (the quantile-definition test applies). ``rounding``: the largest
    change of one value that the rounding of the published data allows (the rounding test applies).
    ``implied``: what the paper's own other printed numbers imply for this one, with a description
    (the text-versus-table test applies). ``count``: for a percentage, the count the tables give and
    its denominator (the text-versus-table test applies). ``together``: other printed quantities that
    an alternative must reproduce as well (the other bound, the other quartiles). ``keep``: a
    condition an omitted patient's sample must still meet (e.g. the printed range)."""
    sample: Callable[[Context], object] | None = None
    statistic: Callable[[object], float] | None = None
    noun: str = "values"
    probability: float | None = None
    rounding: float | None = None
    implied: Callable[[Context], tuple[float, str]] | None = None
    count: Callable[[Context], tuple[int, int, str]] | None = None
    together: tuple[str, ...] = ()
    keep: Callable[[Context, object], bool] | None = None


@dataclass(frozen=True)
class Row:
    quantity: str
    reported: float
    compute: Callable[[Context], float]
    decimals: int
    where: str
    note: str | Callable[[Context, "Row"], str]   # how it was computed; a function of the data if it quotes it
    comparison: str = "equal"
    evidence: Evidence | None = None

    def explain(self, ctx: Context, recomputed: float | None = None) -> str:
        how = self.note(ctx, self) if callable(self.note) else self.note
        recomputed = float(self.compute(ctx)) if recomputed is None else recomputed
        if agrees(self.reported, recomputed, self.decimals, self.comparison) or self.evidence is None:
            return how
        return explain_disagreement(ctx, self, recomputed) + f" (Computed as: {how}.)"


KM = "Kaplan-Meier estimate S(t) at t months (the step function; an event at t counts)"
MEDIAN_NOTE = ("SPSS median: the smallest event time with S(t) <= 0.5, compared with a tolerance of 1e-9 "
               "(lifelines' default misses a plateau at exactly 0.5 by floating-point error)")
CI_NOTE = ("SPSS interval: median +/- 1.96 SE, SE = Greenwood SE of S at the median / (drop in S between the last "
           "event time with S >= 0.55 and the first with S <= 0.45, per month)")
FISHER_NOTE = "Two-sided Fisher's exact test of the 2x2 table (scipy.stats.fisher_exact; same definition as SPSS)"
MW_NOTE = ("Mann-Whitney U, normal approximation with tie correction and no continuity correction "
           "(SPSS 'Asymp. Sig.'); scipy's default differs")
QUARTILE_NOTE = ("Conventional quartiles: linear interpolation between order statistics (Hyndman-Fan type 7, the "
                 "default of numpy, pandas and R); compared at the paper's precision of half a year")
TABLE3 = "Counted in Table 3"

# ---- Helpers for notes ----------------------------------------------------------------------------

def _g(value: float) -> str:
    return f"{value:g}"


def _limit(value: float) -> str:
    """An interval limit in months, or "not reached" where there is none (NaN, or lifelines' infinity)."""
    return f"{value:g}" if np.isfinite(value) else NOT_REACHED.lower()


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


def _matches(spec: Row, value: float) -> bool:
    return agrees(spec.reported, value, spec.decimals, spec.comparison)


def _together_ok(spec: Row, sample, ctx: Context) -> bool:
    """Whether the printed quantities that must hold together with ``spec`` are reproduced from ``sample``."""
    return all(_matches(_BY_QUANTITY[q], float(_BY_QUANTITY[q].evidence.statistic(sample))) for q in spec.evidence.together)


# ---- The general explanation tests ---------------------------------------------------------------
# Each takes the context and a disagreeing row and returns a sentence if it explains the printed
# value, else None. A disagreement's note is the first test that explains it; the tests that come
# later and would also explain it are named after it. A reader adding a paper reuses them by giving
# each row its Evidence.

TUKEY = "Tukey's hinges"


def spss_explore_rules() -> dict:
    """What SPSS Explore (EXAMINE) can print for a quartile: its five PERCENTILES keywords (weighted
    average at (n + 1)p, HAVERAGE, by default) and, in the same Percentiles table, Tukey's hinges.
    {name: function(values, probability)}."""
    rules = {keyword: (lambda k: lambda values, p: survival.spss_examine_percentile(values, p, k))(keyword)
             for keyword in survival.SPSS_EXAMINE}
    rules[TUKEY] = survival.tukey_hinge
    return rules


def quantile_definitions_test(ctx: Context, row: Row) -> str | None:
    """Does another of the nine Hyndman-Fan sample-quantile definitions, or one of SPSS Explore's
    (its five percentile keywords and Tukey's hinges), give the printed value?"""
    ev = row.evidence
    if ev.probability is None:
        return None
    values = ev.sample(ctx)
    types = survival.quantile_definitions(values, [ev.probability])[ev.probability]
    hits = [kind for kind, value in types.items() if _matches(row, float(value))]
    spss = [key for key, rule in spss_explore_rules().items() if _matches(row, rule(values, ev.probability))]
    if not hits and not spss:
        return None
    text = (f"Hyndman-Fan type{'s' if len(hits) > 1 else ''} {_join(hits)} "
            f"({_join(survival.HYNDMAN_FAN[k] for k in hits)} in numpy) reproduce{'' if len(hits) > 1 else 's'} "
            f"the printed {_g(row.reported)}" if hits else f"No Hyndman-Fan type gives {_g(row.reported)}")
    text += (f"; so do SPSS Explore's {_join(spss)}" if spss else "; no SPSS Explore definition does") + "."
    siblings = [_BY_QUANTITY[q] for q in ev.together]
    if siblings:
        both = [k for k in hits if all(_matches(s, float(np.quantile(values, s.evidence.probability,
                                                                       method=survival.HYNDMAN_FAN[k]))) for s in siblings)]
        text += (f" Type{'s' if len(both) > 1 else ''} {_join(both)} also reproduce{'' if len(both) > 1 else 's'} "
                 f"the group's other printed quartiles." if both else
                 " None of these types also reproduces the group's other printed quartiles.")
    return text


def rounding_test(ctx: Context, row: Row) -> str | None:
    """Does moving one value by the rounding the published data allow give the printed value (and
    the values that must hold with it)?"""
    ev = row.evidence
    if ev.rounding is None:
        return None
    sample = ev.sample(ctx)
    column = sample["duration"] if isinstance(sample, pd.DataFrame) else sample
    found = []
    for case in column.index:
        for shift in (-ev.rounding, ev.rounding):
            moved = sample.copy()
            if isinstance(moved, pd.DataFrame):
                moved.loc[case, "duration"] = column[case] + shift
            else:
                moved[case] = column[case] + shift
            if _matches(row, float(ev.statistic(moved))) and _together_ok(row, moved, ctx):
                found.append(f"case {case} at {_g(column[case] + shift)} instead of {_g(column[case])}")
    if not found:
        return None
    return (f"Moving one of the {ev.noun} by {_g(ev.rounding)}, within the rounding of the published whole-month "
            f"data, reproduces the printed {_g(row.reported)}" + (" and the values printed with it" if ev.together else "")
            + f": {_join(found, 'or')}.")


def text_versus_table_test(ctx: Context, row: Row) -> str | None:
    """Do the paper's own other numbers contradict the printed value (a typing or counting slip)?"""
    ev = row.evidence
    if ev.implied is not None:
        value, description = ev.implied(ctx)
        recomputed = float(row.compute(ctx))
        if agrees(value, recomputed, row.decimals) and not _matches(row, value):
            return (f"The paper's {description} implies {_g(round(value, row.decimals))}, which the data reproduce; the "
                    f"printed {_g(row.reported)} contradicts the paper's own numbers and is most likely a typing error.")
    if ev.count is not None:
        table_count, n, what = ev.count(ctx)
        matching = [k for k in range(n + 1) if _matches(row, 100 * k / n)]
        if matching and matching[0] != table_count:
            k = matching[0]
            return (f"{what}; the printed {_g(row.reported)}% is {k} of {n}: the text and the tables disagree by "
                    f"{_count(abs(k - table_count), 'patient')} ({'treatment missing from the table' if k > table_count else 'a patient counted as untreated'}, or a miscount).")
    return None


def leave_one_out_test(ctx: Context, row: Row) -> str | None:
    """Does leaving one patient out give the printed value (and the values that must hold with it)?"""
    ev = row.evidence
    if ev.sample is None or ev.statistic is None:
        return None
    sample = ev.sample(ctx)
    found = []
    for case in sample.index:
        rest = sample.drop(case)
        if (_matches(row, float(ev.statistic(rest))) and _together_ok(row, rest, ctx)
                and (ev.keep is None or ev.keep(ctx, rest))):
            value = sample.loc[case, "duration"] if isinstance(sample, pd.DataFrame) else sample[case]
            found.append(f"case {case} ({_g(value)})")
    if not found:
        return None
    return (f"Leaving out {_join(found, 'or')} gives the printed {_g(row.reported)}"
            + (" together with the values printed with it" if ev.together else "")
            + f" from the remaining {len(sample) - 1} {ev.noun}: the figure may have been computed on an incomplete list.")


EXPLANATION_TESTS = (("quantile definitions", quantile_definitions_test), ("rounding", rounding_test),
                     ("text versus table", text_versus_table_test), ("leave-one-out", leave_one_out_test))


def explanations(ctx: Context, row: Row) -> dict:
    """Every general explanation test's verdict on a row: {test name: sentence or None}."""
    return {name: test(ctx, row) for name, test in EXPLANATION_TESTS}


def explain_disagreement(ctx: Context, row: Row, recomputed: float) -> str:
    ev = row.evidence
    text = f"Disagrees: printed {_g(row.reported)}, recomputed {recomputed:.{max(row.decimals, 2)}f}."
    if ev.sample is not None and ev.probability is not None:
        values = ev.sample(ctx)
        what = "median" if ev.probability == 0.5 else f"{'first' if ev.probability < 0.5 else 'third'} quartile"
        text = (f"Disagrees: the {len(values)} {ev.noun} are {_join(_g(v) for v in sorted(values))}, whose {what} is "
                f"{_g(recomputed)} by the conventional definition.")
    verdicts = explanations(ctx, row)
    found = [name for name, sentence in verdicts.items() if sentence]
    if not found:
        return text + (" None of the general explanations (" + _join(verdicts, "or") + ") reproduces the printed value.")
    text += " " + verdicts[found[0]]
    if len(found) > 1:
        text += f" Also consistent with it: {_join(found[1:])} (tested later)."
    return text


def year_omissions(cases: pd.DataFrame, group: str = "drfs_event", value: bool = True) -> pd.DataFrame:
    """The year-of-EBS quartiles (conventional definition) of a group with each patient left out in turn."""
    years = cases.loc[cases[group] == value, "year"].astype(float)
    rows = []
    for case in years.index:
        rest = years.drop(case)
        rows.append({"case": case, "year": years[case],
                     **{name: conventional_quantile(rest, p) for name, p in zip(QUARTILE_NAMES, QUARTILES)}})
    return pd.DataFrame(rows).set_index("case")


QUARTILE_NAMES = ("first quartile", "median", "third quartile")


def post_relapse_note(ctx: Context, row: "Row") -> str:
    n = len(survival.endpoint_data(ctx.cases, "post_relapse"))
    return KM + f"; the {n} relapsed patients, time from relapse; event: death from disease"


def deaths_within_two_years_note(ctx: Context, row: "Row") -> str:
    post = survival.endpoint_data(ctx.cases, "post_relapse")
    seen = int((post["event"] & post["duration"].le(24)).sum())
    early = int((~post["event"] & post["duration"].lt(24)).sum())
    return (f"1 - S(24 months) after relapse; agrees when above {_g(row.reported)}%. Only {seen} of the {len(post)} are "
            f"seen to die within 2 years; the estimate is higher because {_count(early, 'patient')} {'was' if early == 1 else 'were'} censored earlier")


def follow_up_note(ctx: Context, row: "Row") -> str:
    follow = survival.follow_up(ctx.cases)
    return ("Crude median of the follow-up column of Table 3 (observation times, deaths included); the reverse "
            f"Kaplan-Meier median is {_g(follow['reverse KM median'])} months with the disease-specific status reversed "
            f"and {_g(follow['reverse KM median, every death censored'])} with every death censored")


def spss_ci_note(endpoint: str):
    """The SPSS interval rule, with the standard error it gives on these data and the one the
    printed bounds imply (so a disagreement shows its size)."""
    def note(ctx: Context, row: "Row") -> str:
        stem = row.quantity.rsplit(",", 1)[0]
        implied = (printed(f"{stem}, 95% CI upper") - printed(f"{stem}, 95% CI lower")) / (2 * survival.Z95)
        return CI_NOTE + f"; SE {survival.spss_median_se(ctx.table(endpoint)):.2f} here, {implied:.2f} implied by the printed bounds"
    return note


def _sample_post_relapse(ctx: Context) -> pd.DataFrame:
    return survival.endpoint_data(ctx.cases, "post_relapse")


def _sample_dss(ctx: Context) -> pd.DataFrame:
    return survival.endpoint_data(ctx.cases, "dss")


def _sample_drfs(ctx: Context) -> pd.DataFrame:
    return survival.endpoint_data(ctx.cases, "drfs")


def _ci_bound(which: int):
    return lambda frame: survival.spss_median_ci(survival.life_table(frame["duration"], frame["event"]))[which]


def _ci_evidence(sample, quantity: str, which: int) -> Evidence:
    other = f"{quantity}, 95% CI {'upper' if which == 0 else 'lower'}"
    return Evidence(sample=sample, statistic=_ci_bound(which), noun="survival times", rounding=1.0, together=(other,))


def _recurrence_months(ctx: Context) -> pd.Series:
    cases = ctx.cases
    return cases.loc[cases["lr_event"], "local_recurrence_months"].astype(float)


def _keeps_printed_range(ctx: Context, rest) -> bool:
    return (rest.min(), rest.max()) == (printed("Earliest local recurrence (months)"), printed("Latest local recurrence (months)"))


def _treated_count(ctx: Context) -> tuple[int, int, str]:
    relapsed = ctx.cases[ctx.cases["drfs_event"]]
    is_bsc = relapsed["distant_relapse_treatment"].fillna("BSC").eq("BSC")
    treated, n = int((~is_bsc).sum()), len(relapsed)
    return treated, n, (f"Table 3 lists best supportive care (BSC) as the only treatment of distant relapse for "
                        f"{_cases(relapsed.index[is_bsc])}, so {treated} of {n} ({100 * treated / n:.1f}%) received treatment")


def _dss_interval_centre(ctx: Context) -> tuple[float, str]:
    low, high = printed("Median disease-specific survival, 95% CI lower"), printed("Median disease-specific survival, 95% CI upper")
    return (low + high) / 2, f"own interval, {low:.2f}-{high:.2f} (SPSS's interval is symmetric about its median),"


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
            lambda x: conventional_quantile(_recurrence_months(x), 0.5), 1, "Abstract; Results 3",
            "Conventional median of the recurrence months of Table 3 (the middle one of an odd number)",
            evidence=Evidence(sample=_recurrence_months, statistic=lambda v: conventional_quantile(v, 0.5),
                              noun="recurrence months", probability=0.5, rounding=0.5, keep=_keeps_printed_range)),
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
            "Results 3", spss_ci_note("drfs"), evidence=_ci_evidence(_sample_drfs, "Median months to distant relapse", 0)),
        Row("Median months to distant relapse, 95% CI upper", 41.79, lambda x: survival.spss_median_ci(x.table("drfs"))[1], 2,
            "Results 3", spss_ci_note("drfs"), evidence=_ci_evidence(_sample_drfs, "Median months to distant relapse", 1)),
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
            lambda x: survival.spss_median_ci(x.table("post_relapse"))[0], 2, "Abstract; Results 3",
            spss_ci_note("post_relapse"), evidence=_ci_evidence(_sample_post_relapse, "Median survival after distant relapse", 0)),
        Row("Median survival after distant relapse, 95% CI upper", 39.29,
            lambda x: survival.spss_median_ci(x.table("post_relapse"))[1], 2, "Abstract; Results 3",
            spss_ci_note("post_relapse"), evidence=_ci_evidence(_sample_post_relapse, "Median survival after distant relapse", 1)),
        Row("Estimated deaths within 2 years of relapse (%, printed as 'more than half')", 50,
            lambda x: 100 - x.rate("post_relapse", 24), 0, "Discussion",
            deaths_within_two_years_note, comparison="greater"),
        Row("Relapsed patients who received treatment for distant relapse (%)", 84.6,
            lambda x: x.percent(c(x)["distant_relapse_treatment"].fillna("BSC").ne("BSC"), c(x)["drfs_event"]), 1,
            "Discussion", "Relapsed patients whose treatment of distant relapse in Table 3 is not best supportive care (BSC) only",
            evidence=Evidence(count=_treated_count)),
        # Disease-specific survival (the paper's "overall survival": only deaths from disease are events)
        *[Row(f"Disease-specific survival at {label} (%)", value, (lambda m: lambda x: x.rate("dss", m))(months), 1,
              "Abstract; Results 3", KM + "; event: death from disease (DOD); the one death from other causes censored; "
              "printed as 'overall survival'")
          for label, months, value in [("2 years", 24, 72.2), ("5 years", 60, 48.8), ("10 years", 120, 27.1)]],
        Row("Median disease-specific survival (months)", 55.2, lambda x: survival.spss_median(x.table("dss")), 1, "Results 3",
            MEDIAN_NOTE + "; printed as median 'overall survival'",
            evidence=Evidence(sample=_sample_dss, statistic=lambda f: survival.spss_median(survival.life_table(f["duration"], f["event"])),
                              noun="survival times", rounding=0.5, implied=_dss_interval_centre)),
        Row("Median disease-specific survival, 95% CI lower", 16.57, lambda x: survival.spss_median_ci(x.table("dss"))[0], 2,
            "Results 3", spss_ci_note("dss")),
        Row("Median disease-specific survival, 95% CI upper", 93.43, lambda x: survival.spss_median_ci(x.table("dss"))[1], 2,
            "Results 3", spss_ci_note("dss")),
        Row("Median follow-up (months)", 40.5, lambda x: float(c(x)["followup_months"].astype(float).median()), 1, "Discussion",
            follow_up_note),
    ]
    groups = [("margin_positive", "resection margin", [("positive", True, (2004, 2005, 2012)), ("negative", False, (2002.5, 2008.5, 2013))], 0.96),
              ("lr_event", "local recurrence", [("with", True, (2005, 2010, 2012)), ("without", False, (2001, 2008, 2013))], 0.73),
              ("drfs_event", "distant relapse", [("with", True, (2001, 2008.5, 2011.5)), ("without", False, (2005, 2007, 2013))], 0.69)]
    for column, label, levels, p in groups:
        for level, value, printed_values in levels:
            group = f"{level} {label}" if level in ("positive", "negative") else f"patients {level} {label}"
            names = [f"Year of EBS, {group}: {name}" for name in QUARTILE_NAMES]
            sample = (lambda col, v: lambda x: x.year(col, v))(column, value)
            for which, (quantity, probability) in enumerate(zip(names, QUARTILES)):
                evidence = Evidence(sample=sample, statistic=(lambda q: lambda v: conventional_quantile(v, q))(probability),
                                    noun="years of EBS", probability=probability,
                                    together=tuple(n for n in names if n != quantity))
                rows.append(Row(quantity, printed_values[which],
                                (lambda col, v, q: lambda x: conventional_quantile(x.year(col, v), q))(column, value, probability),
                                1, "Results 3", QUARTILE_NOTE, comparison="half-year", evidence=evidence))
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
    """Equal at the printed precision; ``greater`` for a number printed as a bound; ``half-year`` for
    the year quantiles, which the paper prints to the half year (2008.5), so 2012.25 is not 2012."""
    if comparison == "greater":
        return bool(recomputed > reported)
    if comparison == "half-year":
        return bool(abs(recomputed - reported) < 0.25 - 1e-9)
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
        recomputed = float(spec.compute(context))
        records.append({"quantity": spec.quantity, "reported": float(spec.reported), "recomputed": recomputed,
                        "decimals": spec.decimals, "comparison": spec.comparison, "where": spec.where,
                        "note": spec.explain(context, recomputed)})
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
               "dss": "Median disease-specific survival"}
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
                     SPSS: f"{low:.2f}-{high:.2f}",
                     "library default": f"{_limit(lib_low)}-{_limit(lib_high)} (lifelines, log-log band)"})
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
        ("Disease-specific survival", "death from disease is the event (the paper's choice, reproduced)"):
            ("dss_months", cases["dss_event"]),
        ("Disease-specific survival", "any death is the event (overall survival)"): ("dss_months", cases["death_any"]),
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
        events = frame["event"].astype(bool)
        kmf = survival.fit(frame["duration"], events)
        row = {"endpoint": endpoint, "choice": choice, "events": int(events.sum()),
               "median (months, SPSS)": survival.spss_median(survival.life_table(frame["duration"], events))}
        for years in (1, 2, 5, 10):
            # Past the longest follow-up nobody is observed: NaN, not the last value of the step function.
            followed = 12 * years <= float(frame["duration"].max())
            row[f"{years}-year (%)"] = round(100 * survival.survival_at(kmf, 12 * years), 1) if followed else float("nan")
        row["longest follow-up (months)"] = float(frame["duration"].max())
        rows.append(row)
    return pd.DataFrame(rows)
