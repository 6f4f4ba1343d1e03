"""The evidence history as data: ``data/evidence/``, validated, recomputed and charted.

Three tables, each documented in the Table Schema of ``data/evidence/datapackage.json``:

``studies``  one row per cited study, keyed by its BibTeX key (``book/references*.bib``);
``trials``   one row per analysis of a randomised trial, with arm-level data as printed;
``groups``   the compared groups of non-randomised studies.

``load(data_dir=None, resource="studies")`` validates the package and returns one table. The
recomputation works from the arm-level counts only:

* :func:`two_by_two` gives risk difference (Wald CI), risk ratio (scipy, Katz log CI), odds ratio
  (scipy ``kind="sample"``, Woolf log CI) and Fisher's exact p (scipy), all at 95 %;
* :func:`counts_for_percent` lists the whole counts out of ``n`` that print as a given percentage,
  so a percentage without its count can be tested against a denominator;
* :func:`fragility_index` is Walsh et al.'s (2014) fragility index;
* :func:`audit` lays every printed number beside its recomputation, with columns ``study,
  quantity, reported, recomputed, agrees, note`` like the case-series audit
  (:func:`spinemets.reproduction.audit`). A disagreement's note comes from general explanation
  tests (:func:`explain_ratio`, :func:`explain_percent`, :func:`explain_p`,
  :func:`explain_bound`) that are run on the data, never from a reason written for one number.

Medical care: the book teaches how the trials were analysed; it does not advise treatment.
"""

from __future__ import annotations

import json
import math
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import contingency

from spinemets import DATA_ROOT, PROJECT_ROOT
from spinemets.charts import PALETTE
from spinemets.descriptive import agrees as agrees_at_precision
from spinemets.validation import DataValidationError, Problem, check, read_descriptor
from spinemets.validation import bibliography_keys as _bibliography_keys

DEFAULT_DATA_DIR = DATA_ROOT / "evidence"
DOI_URL = "https://doi.org/"
Z95 = stats.norm.ppf(0.975)          # two-sided 95 % confidence interval
Z95_ONE_SIDED = stats.norm.ppf(0.95)  # one-sided 95 % bound, the usual non-inferiority convention
# Short axis labels for the steps of the history, so that the timeline fits a 390 px screen.
SHORT_ROLES = {
    "laminectomy era": "laminectomy", "decompression and stabilization": "decompression",
    "selection and prognosis": "selection", "radiotherapy and radiosurgery": "radiotherapy, SRS",
    "separation surgery and radiosurgery": "separation + SRS", "less invasive surgery and operative burden": "less invasive",
    "en bloc resection": "en bloc", "classification and scoring": "scores",
}
QUESTION_SHORT = {"surgery vs radiotherapy": "surgery vs RT", "radiotherapy fractionation": "RT fractionation",
                  "radiosurgery vs conventional radiotherapy": "SRS vs conventional RT", "radiosurgery dose": "SRS dose",
                  "kyphoplasty vs non-surgical management": "kyphoplasty vs none", "embolisation vs no embolisation": "embolisation vs none",
                  "SABR vs standard of care": "SABR vs standard care"}
QUESTIONS = ["surgery vs radiotherapy", "radiotherapy fractionation",
             "radiosurgery vs conventional radiotherapy", "radiosurgery dose",
             # after 2013: less invasive surgery and the oligometastatic setting
             "kyphoplasty vs non-surgical management", "embolisation vs no embolisation", "SABR vs standard of care"]
# The questions of radiotherapy schedules and radiosurgery in the spine (the rest compare surgery with
# radiotherapy, or test a procedure or ablative radiotherapy for oligometastatic cancer).
RADIOTHERAPY_QUESTIONS = ["radiotherapy fractionation", "radiosurgery vs conventional radiotherapy", "radiosurgery dose"]


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


def table(studies: pd.DataFrame, columns: list[str] | None = None, resource: str = "studies") -> pd.DataFrame:
    """A readable table: column titles from the schema, empty cells shown as ''."""
    titles = {f["name"]: f["title"] for f in fields(resource=resource)}
    chosen = columns or ["year", "first_author", "design", "n_patients", "key_result", "doi"]
    shown = studies[chosen].astype(object).where(studies[chosen].notna(), "")
    return shown.rename(columns=titles)


# ---- Effects from a 2 x 2 table -------------------------------------------------------------------

def two_by_two(events_1: int, n_1: int, events_2: int, n_2: int) -> dict:
    """Arm 1 against arm 2: proportions, RD, RR, OR with 95 % CIs, and Fisher's exact p (two-sided).

    RD: Wald interval (hand formula: scipy has none). RR: scipy ``relative_risk`` (Katz log method).
    OR: scipy ``odds_ratio(kind="sample")`` (Woolf log method). Fisher: scipy ``fisher_exact``.
    Risk difference in percentage points.
    """
    p_1, p_2 = events_1 / n_1, events_2 / n_2
    se_rd = math.sqrt(p_1 * (1 - p_1) / n_1 + p_2 * (1 - p_2) / n_2)
    rd = p_1 - p_2
    rr = contingency.relative_risk(events_1, n_1, events_2, n_2)
    rr_ci = rr.confidence_interval(confidence_level=0.95)
    table_ = [[events_1, n_1 - events_1], [events_2, n_2 - events_2]]
    odds = contingency.odds_ratio(table_, kind="sample")
    or_ci = odds.confidence_interval(confidence_level=0.95)
    return {
        "percent_1": 100 * p_1, "percent_2": 100 * p_2,
        "rd": 100 * rd, "rd_low": 100 * (rd - Z95 * se_rd), "rd_high": 100 * (rd + Z95 * se_rd),
        "rd_se": 100 * se_rd,
        "rr": float(rr.relative_risk), "rr_low": float(rr_ci.low), "rr_high": float(rr_ci.high),
        "or": float(odds.statistic), "or_low": float(or_ci.low), "or_high": float(or_ci.high),
        "fisher_p": float(stats.fisher_exact(table_, alternative="two-sided").pvalue),
    }


def complementary(events_1: int, n_1: int, events_2: int, n_2: int) -> dict:
    """The same measures for the complementary outcome (non-events), arm 2 against arm 1."""
    return two_by_two(n_2 - events_2, n_2, n_1 - events_1, n_1)


def fragility_index(events_1: int, n_1: int, events_2: int, n_2: int, alpha: float = 0.05) -> int | None:
    """Walsh et al. (2014): in the arm with fewer events, turn non-events into events one patient at
    a time until Fisher's two-sided p reaches ``alpha``; the number of patients turned is the index.

    0 when Fisher's p is already >= alpha; None when that arm runs out of non-events first.
    """
    counts = [events_1, events_2]
    sizes = [n_1, n_2]
    arm = 0 if events_1 <= events_2 else 1
    turned = 0
    while stats.fisher_exact([[counts[0], sizes[0] - counts[0]], [counts[1], sizes[1] - counts[1]]]).pvalue < alpha:
        if counts[arm] == sizes[arm]:
            return None
        counts[arm] += 1
        turned += 1
    return turned


def one_sided_lower_bound(events_1: int, n_1: int, events_2: int, n_2: int) -> float:
    """One-sided 95 % lower bound of the risk difference (percentage points), Wald."""
    effect = two_by_two(events_1, n_1, events_2, n_2)
    return effect["rd"] - Z95_ONE_SIDED * effect["rd_se"]


# ---- Rounding and reconstruction ------------------------------------------------------------------

ROUNDINGS = {"half up": ROUND_HALF_UP, "half to even": ROUND_HALF_EVEN, "truncation": ROUND_DOWN}


def rounded(value: float, decimals: int, mode: str = "half up") -> float:
    """``value`` rounded to ``decimals`` with a named convention (exact decimal arithmetic)."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUNDINGS[mode]))


def counts_for_percent(percent: float, decimals: int, n: int) -> list[int]:
    """Every whole count k out of n for which 100 k / n prints as ``percent`` (rounded half up)."""
    return [k for k in range(n + 1) if rounded(100 * k / n, decimals) == round(percent, decimals)]


def implied_counts(trial: pd.Series) -> tuple[int, int] | None:
    """The events per arm behind the printed percentages, when the analysed denominators are known
    and each percentage is reached by exactly one whole count; None otherwise."""
    needed = ["reported_percent_intervention", "reported_percent_control", "n_analysed_intervention",
              "n_analysed_control", "percent_decimals"]
    if any(pd.isna(trial[c]) for c in needed):
        return None
    found = [counts_for_percent(float(trial[f"reported_percent_{arm}"]), int(trial["percent_decimals"]),
                                int(trial[f"n_analysed_{arm}"])) for arm in ("intervention", "control")]
    return (found[0][0], found[1][0]) if all(len(k) == 1 for k in found) else None


def counts(trial: pd.Series) -> tuple[tuple[int, int, int, int], str] | None:
    """(events, n, events, n) of a binary trial row and where the events come from: 'printed', or
    'implied by the printed percentages' (see :func:`implied_counts`); None if neither is possible."""
    if trial["endpoint_type"] != "binary":
        return None
    if pd.notna(trial["events_intervention"]) and pd.notna(trial["events_control"]):
        events = (int(trial["events_intervention"]), int(trial["events_control"]))
        source = "printed"
    else:
        events = implied_counts(trial)
        source = "implied by the printed percentages"
        if events is None:
            return None
    return (events[0], int(trial["n_analysed_intervention"]), events[1], int(trial["n_analysed_control"])), source


def arms_matching(percent_1: float, percent_2: float, lower_limit: float, n_max_1: int, n_max_2: int,
                  decimals: int = 1) -> pd.DataFrame:
    """Every pair of analysed arms that reproduces three printed numbers: the two percentages and the
    one-sided 95 % Wald lower limit of the risk difference (arm 1 minus arm 2, points), all at
    ``decimals`` (rounded half up, as :func:`spinemets.descriptive.agrees` compares them).

    Arm 1 has at most ``n_max_1`` patients (those randomised to it), arm 2 at most ``n_max_2``.
    Returns columns ``events_1, n_1, events_2, n_2, percent_1, percent_2, lower_limit`` (the
    limit unrounded), sorted by arm sizes. Vectorised with numpy: every count of each arm that
    prints as its percentage, then every pair of them at once.
    """
    def arm(percent: float, n_max: int) -> tuple[np.ndarray, np.ndarray]:
        n = np.arange(1, n_max + 1)[:, None]
        events = np.arange(0, n_max + 1)[None, :]
        scale = 10 ** decimals
        # 100 k / n rounded half up at ``decimals``, in exact integer arithmetic: floor((200 scale k + n) / 2n)
        printed = (2 * 100 * scale * events + n) // (2 * n)
        hit = (events <= n) & (printed == round(percent * scale))
        rows, cols = np.nonzero(hit)
        return events[0, cols], n[rows, 0]

    e_1, n_1 = arm(percent_1, n_max_1)
    e_2, n_2 = arm(percent_2, n_max_2)
    p_1, p_2 = (e_1 / n_1)[:, None], (e_2 / n_2)[None, :]
    se = np.sqrt(p_1 * (1 - p_1) / n_1[:, None] + p_2 * (1 - p_2) / n_2[None, :])
    limit = 100 * (p_1 - p_2 - Z95_ONE_SIDED * se)
    scale = 10 ** decimals
    # round half away from zero at ``decimals`` (as the printed-precision comparison does)
    printed_limit = np.sign(limit) * np.floor(np.abs(limit) * scale + 0.5 + 1e-9) / scale
    i, j = np.nonzero(printed_limit == round(lower_limit, decimals))
    found = pd.DataFrame({"events_1": e_1[i], "n_1": n_1[i], "events_2": e_2[j], "n_2": n_2[j],
                          "percent_1": 100 * e_1[i] / n_1[i], "percent_2": 100 * e_2[j] / n_2[j], "lower_limit": limit[i, j]})
    return found.sort_values(["n_1", "n_2"]).reset_index(drop=True)


# ---- Explanation tests: general, run on the data ----------------------------------------------------

def _fmt(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}"


RATIO_CANDIDATES = {
    "odds ratio": ("or", False), "risk ratio": ("rr", False),
    "odds ratio of the complementary outcome (control over intervention)": ("or", True),
    "risk ratio of the complementary outcome (control over intervention)": ("rr", True),
}


def explain_ratio(measure: str, reported: float, decimals: int, cells: tuple[int, int, int, int]) -> str:
    """Which crude measure of the 2 x 2 table, if any, reproduces a printed ratio at its precision."""
    effects = {False: two_by_two(*cells), True: complementary(*cells)}
    matches = [name for name, (statistic, flip) in RATIO_CANDIDATES.items()
               if agrees_at_precision(reported, effects[flip][statistic], decimals)]
    matches = [name for name in matches if name != measure]
    if matches:
        statistic, flip = RATIO_CANDIDATES[matches[0]]
        return (f"The printed {measure} is reproduced by the {matches[0]} "
                f"({_fmt(effects[flip][statistic], decimals + 1)}): the ratio was taken for the other outcome or direction.")
    crude = two_by_two(*cells)
    return (f"No crude measure of the 2 x 2 table reproduces it (odds ratio {_fmt(crude['or'])}, risk ratio {_fmt(crude['rr'])}, "
            "or either for the complementary outcome): the printed value is not a crude estimate, which fits an adjusted "
            "(model-based) estimate; the abstract does not describe the model.")


def explain_percent(reported: float, decimals: int, events: int | None, n_options: dict[str, int]) -> tuple[float, bool, str]:
    """Recompute a printed percentage from its count, or test which denominators can give it.

    Returns (recomputed, agrees, note). With a count: 100 k / n, and a failed match is tested
    against other rounding conventions. Without one: for each candidate denominator, the whole
    counts that print as the percentage.
    """
    if events is not None:
        n = next(iter(n_options.values()))
        exact = 100 * events / n
        if agrees_at_precision(reported, exact, decimals):
            return exact, True, f"{events}/{n}"
        modes = [mode for mode in ROUNDINGS if rounded(exact, decimals, mode) == round(reported, decimals)]
        if modes:
            return exact, False, (f"{events}/{n} = {exact:.3f}%, which rounds half up to {rounded(exact, decimals):g} but prints as "
                                  f"{reported:g} by {' or '.join(modes)}: a rounding convention, not a different count.")
        return exact, False, f"{events}/{n} = {exact:.3f}%: no rounding convention gives the printed value."
    notes, reachable = [], None
    for name, n in n_options.items():
        found = counts_for_percent(reported, decimals, n)
        if found:
            reachable = reachable if reachable is not None else 100 * found[0] / n
            notes.append(f"{' or '.join(str(k) for k in found)} of {n} {name}")
        else:
            nearest = min(range(n + 1), key=lambda k: abs(100 * k / n - reported))
            reachable = reachable if reachable is not None else 100 * nearest / n
            notes.append(f"no whole count of {n} {name} (nearest {nearest}/{n} = {100 * nearest / n:.{decimals + 1}f}%)")
    agrees = any("no whole count" not in note for note in notes)
    tail = ("" if agrees else ": the percentage was taken over other denominators, such as the patients "
            "assessable at the time point or another unit (lesions rather than patients)")
    return reachable, agrees, "Count not printed; the printed percentage fits " + "; ".join(notes) + tail + "."


P_TESTS = {
    "Fisher's exact test, two-sided": lambda t: stats.fisher_exact(t).pvalue,
    "chi-square test without continuity correction": lambda t: stats.chi2_contingency(t, correction=False)[1],
    "chi-square test with Yates' continuity correction": lambda t: stats.chi2_contingency(t, correction=True)[1],
    "Fisher's exact test, one-sided": lambda t: min(stats.fisher_exact(t, alternative="greater").pvalue,
                                                    stats.fisher_exact(t, alternative="less").pvalue),
}


def p_decimals(p: float) -> int:
    """The decimals a p-value is printed with (0.001 -> 3, 0.01 -> 2, 0.0002 -> 4)."""
    return max(1, -Decimal(repr(float(p))).normalize().as_tuple().exponent)


def explain_p(reported: float, cells: tuple[int, int, int, int]) -> tuple[float, bool, str]:
    """Fisher's two-sided p of the 2 x 2 table against the printed p; on a mismatch, which test fits."""
    events_1, n_1, events_2, n_2 = cells
    table_ = [[events_1, n_1 - events_1], [events_2, n_2 - events_2]]
    decimals = p_decimals(reported)
    values = {name: float(test(table_)) for name, test in P_TESTS.items()}
    fisher = values["Fisher's exact test, two-sided"]
    if agrees_at_precision(reported, fisher, decimals):
        return fisher, True, "Fisher's exact test, two-sided (scipy)."
    fits = [name for name, value in values.items() if agrees_at_precision(reported, value, decimals)]
    listed = "; ".join(f"{name} {value:.{decimals + 1}f}" for name, value in values.items())
    if fits:
        return fisher, False, f"Reproduced by the {fits[0]}, not by Fisher's exact test ({listed})."
    return fisher, False, (f"No test of the crude 2 x 2 table gives the printed p ({listed}): it comes from another analysis "
                           "of the trial, such as a model, which the abstract does not describe.")


def explain_bound(trial: pd.Series, cells: tuple[int, int, int, int]) -> tuple[float, bool, str] | None:
    """A printed lower confidence limit of a risk difference, recomputed from the counts the trial
    analysed; tested as a one-sided and a two-sided 95 % Wald limit. On a mismatch, how many patients
    per arm the printed limit would need (the denominator test), never an imputed outcome."""
    if trial["reported_measure"] != "risk difference" or pd.isna(trial["reported_ci_low"]):
        return None
    events_1, n_1, events_2, n_2 = cells
    effect = two_by_two(*cells)
    reported = float(trial["reported_ci_low"])
    bounds = {"one-sided": effect["rd"] - Z95_ONE_SIDED * effect["rd_se"], "two-sided": effect["rd_low"]}
    digits = int(trial["estimate_decimals"]) if pd.notna(trial["estimate_decimals"]) else 1
    counted = f"{events_1}/{n_1} vs {events_2}/{n_2}, the patients analysed"
    fits = [side for side, value in bounds.items() if agrees_at_precision(reported, value, digits)]
    if fits:
        return bounds[fits[0]], True, f"{fits[0].capitalize()} 95% Wald limit of the risk difference ({counted})."
    implied = {}
    for side, z in (("one-sided", Z95_ONE_SIDED), ("two-sided", Z95)):
        share = (effect["rd_se"] / ((effect["rd"] - reported) / z)) ** 2
        implied[side] = (round(share * n_1), round(share * n_2))
    text = "; ".join(f"{side} 95%: {_fmt(bounds[side], 1)}, and a limit of {reported:g} would need about {a} and {b} patients"
                     for side, (a, b) in implied.items())
    return bounds["one-sided"], False, (f"No Wald limit of the counts analysed ({counted}) gives the printed limit: {text}. "
                                        "The printed limit comes from another interval method or other denominators.")


# ---- The audit --------------------------------------------------------------------------------------

def _row(records: list, study: str, quantity: str, reported: float, recomputed: float, agrees: bool, note: str, decimals: int):
    records.append({"study": study, "quantity": quantity, "reported": float(reported), "recomputed": float(recomputed),
                    "agrees": bool(agrees), "note": note, "decimals": decimals})


def audit(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every printed number of the trials that arm-level data can check, beside its recomputation.

    Columns ``study, quantity, reported, recomputed, agrees, note`` (as the case-series audit),
    plus ``decimals`` (the printed precision the comparison uses).
    """
    trials = load(data_dir, "trials")
    records: list[dict] = []
    for _, trial in trials.iterrows():
        study, binary = trial["label"], trial["endpoint_type"] == "binary"
        decimals = int(trial["percent_decimals"]) if pd.notna(trial["percent_decimals"]) else 0
        for arm in ("intervention", "control"):
            printed = trial[f"reported_percent_{arm}"]
            if pd.isna(printed) or not binary:
                continue
            events = trial[f"events_{arm}"]
            options = {name: int(trial[f"n_{what}_{arm}"]) for name, what in (("analysed", "analysed"), ("randomised", "randomised"))
                       if pd.notna(trial[f"n_{what}_{arm}"])}
            if not options:
                continue
            value, agrees, note = explain_percent(float(printed), decimals, None if pd.isna(events) else int(events), options)
            _row(records, study, f"% with the event, {arm} arm", printed, value, agrees, note, decimals)
        found = counts(trial)
        if found is None:
            continue
        cells, source = found
        if pd.isna(trial["reported_estimate"]):
            bound = explain_bound(trial, cells)
            if bound is not None:
                value, agrees, note = bound
                _row(records, study, "lower confidence limit of the risk difference (points)", trial["reported_ci_low"],
                     value, agrees, note + f" Events {source}.", int(trial["estimate_decimals"]))
        effect = two_by_two(*cells)
        measure = trial["reported_measure"]
        statistic = {"odds ratio": "or", "risk ratio": "rr", "risk difference": "rd"}.get(measure)
        if statistic and pd.notna(trial["reported_estimate"]):
            digits = int(trial["estimate_decimals"])
            for part, column in (("", "reported_estimate"), ("_low", "reported_ci_low"), ("_high", "reported_ci_high")):
                if pd.isna(trial[column]):
                    continue
                printed = float(trial[column])
                value = effect[statistic + part]
                agrees = agrees_at_precision(printed, value, digits)
                what = {"": measure, "_low": f"{measure}, lower 95% limit", "_high": f"{measure}, upper 95% limit"}[part]
                if agrees:
                    note = f"Crude {measure} of the 2 x 2 table (events {source})."
                else:
                    note = explain_ratio(measure, printed, digits, cells) if part == "" else _limit_note(measure, printed, digits, cells, part)
                _row(records, study, what, printed, value, agrees, note, digits)
        if pd.notna(trial["reported_p"]):
            value, agrees, note = explain_p(float(trial["reported_p"]), cells)
            _row(records, study, "p-value", trial["reported_p"], value, agrees, note + f" Events {source}.", p_decimals(float(trial["reported_p"])))
    return pd.DataFrame(records, columns=["study", "quantity", "reported", "recomputed", "agrees", "note", "decimals"])


def _limit_note(measure: str, printed: float, digits: int, cells, part: str) -> str:
    """A confidence limit that disagrees: tested against the same limit of the other candidate measures."""
    effects = {False: two_by_two(*cells), True: complementary(*cells)}
    for name, (statistic, flip) in RATIO_CANDIDATES.items():
        if name != measure and agrees_at_precision(printed, effects[flip][statistic + part], digits):
            method = "Katz log interval" if statistic == "rr" else "Woolf log interval"
            return f"Reproduced by the same limit of the {name} ({method})."
    return "No crude interval of the 2 x 2 table reproduces it: it belongs to a model-based estimate."


def summary(table: pd.DataFrame) -> dict:
    """How many printed numbers were checked, agree and disagree."""
    return {"checked": len(table), "agree": int(table["agrees"].sum()), "disagree": int((~table["agrees"]).sum())}


def not_checkable(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The trial rows whose printed result no arm-level count can check, and why (from the data)."""
    trials = load(data_dir, "trials")
    checked = set(audit(data_dir)["study"])
    rows = []
    for _, trial in trials.iterrows():
        if trial["label"] in checked:
            continue
        no_result = all(pd.isna(trial[c]) for c in ("events_intervention", "reported_percent_intervention",
                                                      "reported_estimate", "reported_ci_low", "reported_p"))
        if trial["source_read"] == "none" or trial["endpoint"] == "Not read" or (no_result and trial["endpoint_type"] == "binary"):
            why = "no results in the sources cited"
        elif trial["endpoint_type"] == "time-to-event":
            why = "time-to-event endpoint: cumulative incidences, not counts"
        elif trial["endpoint_type"] == "continuous":
            why = "continuous endpoint without arm-level means in the sources cited"
        elif trial["endpoint_type"] == "not stated":
            why = "no counts or endpoint definition in the sources cited"
        else:
            why = "percentages printed without the denominators they were taken over"
        rows.append({"study": trial["label"], "year": int(trial["year"]), "why not checkable": why})
    return pd.DataFrame(rows)


# ---- Derived tables for the chapters ------------------------------------------------------------

def effects(data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per binary trial analysis: risk difference (points) with 95 % CI where counts allow it.

    From printed or implied counts: Wald CI. From printed percentages alone: the point estimate,
    with the printed lower limit where the source gives one (one-sided), else no interval.
    """
    trials = load(data_dir, "trials")
    rows = []
    for _, trial in trials.iterrows():
        if trial["endpoint_type"] != "binary" or pd.isna(trial["reported_percent_intervention"]) and pd.isna(trial["events_intervention"]):
            continue
        found = counts(trial)
        row = {"trial": trial["trial"], "label": trial["label"], "year": int(trial["year"]), "question": trial["question"],
               "analysis": trial["analysis"], "hypothesis": trial["hypothesis"],
               "ni_margin": float(trial["ni_margin"]) if pd.notna(trial["ni_margin"]) else np.nan}
        if found:
            cells, source = found
            effect = two_by_two(*cells)
            row.update(rd=effect["rd"], ci_low=effect["rd_low"], ci_high=effect["rd_high"], fisher_p=effect["fisher_p"],
                       interval=f"95% Wald CI from counts {source}")
        else:
            rd = float(trial["reported_percent_intervention"] - trial["reported_percent_control"])
            one_sided = trial["reported_measure"] == "risk difference" and pd.notna(trial["reported_ci_low"])
            row.update(rd=rd, ci_low=float(trial["reported_ci_low"]) if one_sided else np.nan, ci_high=np.nan, fisher_p=np.nan,
                       interval="printed lower limit only" if one_sided else "no interval: no counts per arm of the patients analysed")
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["question_order"] = frame["question"].map(QUESTIONS.index)
    return frame.sort_values(["question_order", "year", "trial"]).drop(columns="question_order").reset_index(drop=True)


def fragility(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Fragility index (Walsh 2014) of every binary trial analysis with counts, printed or implied."""
    trials = load(data_dir, "trials")
    rows = []
    for _, trial in trials.iterrows():
        found = counts(trial)
        if not found:
            continue
        cells, source = found
        index = fragility_index(*cells)
        p = two_by_two(*cells)["fisher_p"]
        total = cells[1] + cells[3]
        rows.append({"study": trial["label"], "events": f"{cells[0]}/{cells[1]} vs {cells[2]}/{cells[3]}", "counts": source,
                     "fisher_p": p, "significant": p < 0.05, "fragility_index": index,
                     "fragility_quotient": (index / total) if index is not None else np.nan,
                     "fewer_events_arm": "intervention" if cells[0] <= cells[2] else "control"})
    return pd.DataFrame(rows)


def non_inferiority(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Each non-inferiority trial: margin, printed lower limit, whether it clears the margin, and the
    one-sided 95 % limit recomputed from the counts the trial analysed (where they are printed)."""
    trials = load(data_dir, "trials")
    rows = []
    for _, trial in trials[trials["hypothesis"] == "non-inferiority"].iterrows():
        found = counts(trial)
        recomputed = (one_sided_lower_bound(*found[0]) if found and trial["reported_measure"] == "risk difference" else np.nan)
        rows.append({"study": trial["label"], "measure": trial["reported_measure"], "margin": float(trial["ni_margin"]),
                     "printed lower limit": float(trial["reported_ci_low"]),
                     "clears the margin": bool(trial["reported_ci_low"] > trial["ni_margin"]),
                     "recomputed lower limit (one-sided, analysed)": recomputed,
                     "analysed of randomised (%)": (100 * trial["n_analysed_total"] / trial["n_randomised_total"]
                                                    if pd.notna(trial["n_analysed_total"]) else np.nan)})
    return pd.DataFrame(rows)


# ---- Charts ---------------------------------------------------------------------------------------

def wrapped_labels(labels, width: int = 32) -> str:
    """A Vega expression that draws every legend or axis label longer than ``width`` characters on
    two lines (split at the last space that fits), so that a 390 px screen shows it whole."""
    pairs = []
    for label in labels:
        if len(label) > width:
            cut = label.rfind(" ", 0, width)
            pairs.append(f"{json.dumps(label)}: {json.dumps([label[:cut], label[cut + 1:]])}")
    return f"({{{', '.join(pairs)}}})[datum.label] || datum.label" if pairs else "datum.label"


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
        result_text=studies["key_result"].fillna("not given in the record read"),
        step=studies["role_in_history"].map(lambda role: SHORT_ROLES.get(role, role)),
    )[["key", "year", "first_author", "journal", "design", "role_in_history", "step", "size", "sized", "n_text", "doi_text", "result_text"]]
    roles = list(dict.fromkeys(frame.sort_values("year", kind="stable")["step"]))
    designs = sorted(frame["design"].unique())
    palette = PALETTE + ["#999999", "#666666"]
    tooltip = [
        alt.Tooltip("first_author:N", title="First author"),
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("journal:N", title="Journal"),
        alt.Tooltip("design:N", title="Design"),
        alt.Tooltip("role_in_history:N", title="Step of the history"),
        alt.Tooltip("n_text:N", title="Patients"),
        alt.Tooltip("result_text:N", title="Key result"),
        alt.Tooltip("doi_text:N", title="DOI"),
    ]
    return alt.Chart(frame).mark_point(filled=True, opacity=0.85, stroke="black", strokeWidth=0.5).encode(
        x=alt.X("year:Q", title="Year of publication", scale=alt.Scale(domain=[1965, 2030]), axis=alt.Axis(format="d", tickCount=5)),
        y=alt.Y("step:N", title=None, sort=roles, axis=alt.Axis(labelLimit=120)),
        color=alt.Color("design:N", title="Study design", legend=alt.Legend(orient="bottom", columns=1, labelLimit=0, titleLimit=0,
                                          labelExpr=wrapped_labels(designs)),
                        scale=alt.Scale(domain=designs, range=palette[: len(designs)])),
        # Size and shape are explained in the subtitle: one legend only keeps the chart 390 px wide.
        size=alt.Size("size:Q", title="Patients analysed", scale=alt.Scale(range=[30, 700], zero=True), legend=None),
        shape=alt.Shape("sized:N", title="Sample size", scale=alt.Scale(domain=["reported", "not reported"], range=["circle", "diamond"]),
                        legend=None),
        tooltip=tooltip,
    ).properties(height=300)  # the width follows the page column (spinemets.charts)


def forest(frame: pd.DataFrame) -> alt.LayerChart:
    """Forest plot of risk differences (intervention minus control, points; positive favours the
    intervention for these desirable outcomes), rows grouped by question and ordered by year."""
    frame = frame.assign(**{column: pd.to_numeric(frame[column], errors="coerce").astype("float64").round(2)
                            for column in ("rd", "ci_low", "ci_high", "ni_margin")})
    frame = frame.drop(columns=["fisher_p"], errors="ignore")
    data = frame.assign(
        ci_low_text=frame["ci_low"].map(lambda v: "not printed" if pd.isna(v) else f"{v:.1f}"),
        ci_high_text=frame["ci_high"].map(lambda v: "not printed" if pd.isna(v) else f"{v:.1f}"),
        rd_text=frame["rd"].map(lambda v: f"{v:.1f}"),
        ci_end=frame["ci_high"].fillna(frame["rd"]),
        comparison=frame["question"].map(QUESTION_SHORT),
    )
    order = list(data["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=150))
    tooltip = [alt.Tooltip("label:N", title="Trial"), alt.Tooltip("question:N", title="Question"),
               alt.Tooltip("rd_text:N", title="Risk difference (points)"), alt.Tooltip("ci_low_text:N", title="Lower limit"),
               alt.Tooltip("ci_high_text:N", title="Upper limit"), alt.Tooltip("interval:N", title="Interval")]
    base = alt.Chart(data)
    # Only the questions that have a row here get a legend entry (each entry must have a mark), in
    # the book's order and with the colour each question has in every chart.
    present = [q for q in QUESTIONS if q in set(data["question"])]
    colour = alt.Color("comparison:N", title="Question (RT: radiotherapy)",
                       scale=alt.Scale(domain=[QUESTION_SHORT[q] for q in present],
                                       range=[PALETTE[QUESTIONS.index(q)] for q in present]),
                       legend=alt.Legend(orient="bottom", columns=1, labelLimit=0, titleLimit=0, symbolType="square"))
    # The axis runs a margin past every estimate, limit and margin tick, so no mark sits on its edge.
    values = pd.concat([data[c] for c in ("rd", "ci_low", "ci_high", "ni_margin")]).dropna()
    pad = 0.08 * (values.max() - values.min()) + 2
    x_scale = alt.Scale(domain=[math.floor((min(values.min(), 0) - pad) / 5) * 5, math.ceil((max(values.max(), 0) + pad) / 5) * 5], nice=False)
    x = alt.X("rd:Q", title="Risk difference (points)", scale=x_scale)
    bars = base.transform_filter("isValid(datum.ci_low)").mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", title="Risk difference (points)", scale=x_scale), x2="ci_end:Q", y=y, color=colour, tooltip=tooltip)
    points = base.mark_point(filled=True, size=70, shape="square", opacity=1).encode(x=x, y=y, color=colour, tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#555", strokeDash=[4, 3]).encode(x=alt.X("x:Q", scale=x_scale))
    margins = base.transform_filter("isValid(datum.ni_margin)").mark_tick(color=PALETTE[3], thickness=2, size=18).encode(
        x=alt.X("ni_margin:Q", scale=x_scale), y=y, tooltip=[alt.Tooltip("ni_margin:Q", title="Non-inferiority margin (points)")])
    return alt.layer(zero, bars, points, margins).properties(height=alt.Step(34))  # width follows the column
