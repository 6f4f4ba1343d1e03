"""Score calculators on the page, built from the same definitions as the Python functions.

A chapter shows a calculator with one call, ``calculators.show(...)``. The calculator is plain
HTML (a form of native radio buttons, drop-down lists and number fields, keyboard operable) with
its definition as JSON in a ``data-calculator`` attribute; the book's one generic script,
``book/_static/spinemets-calculators.js``, reads that JSON and recomputes the result as the reader
changes an answer. No kernel and no request: the page carries everything.

Two kinds of definition feed it, each written once in the package:

* a points score (``spinemets.scores.Score``: items, options, points, bands): the total is the sum
  of the chosen options' points, and the band holding the total gives the band's name and the text
  the source attaches to it. The page can also show, for the band chosen, what happened to the case
  series' patients in that band (computed here from ``data/``);
* formulas (``spinemets.formula.Formula``, such as BED and EQD2 in ``spinemets.radiation``):
  number fields in, numbers out, the formula's tree walked by the same script.

The HTML shows the default answers and their result before any script runs (and when printed,
the answers written out in words), so a page without JavaScript, and the PDF, show a correct
calculator. Teaching, not clinical use: every calculator says so.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
from dataclasses import dataclass

import pandas as pd

from spinemets import data, scores
from spinemets.formula import Formula, fixed

TEACHING = "Teaching, not clinical use: it shows how a published definition works; it does not advise treatment or plan a dose."
CAVEAT = ("18 patients, all chosen for en bloc spondylectomy: too few and too selected to tell how long "
          "patients in this band live.")
RADIO_MAX = 6   # items with more options than this are a drop-down list


def _id(*parts: str) -> str:
    return "calc-" + "-".join(re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") for part in parts)


@dataclass
class Calculator:
    """A calculator ready for a notebook output: HTML for the page, plain text for everything else."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


# --- The case series beside a band -----------------------------------------------------------------

def survival_in(cases: pd.DataFrame, label: str = "scored in this band") -> str:
    """How many of the case series' patients ``cases`` holds and how long they lived, in words."""
    total = len(data.load())
    words = data.field("outcomes", "prognosis")["codes"]
    if cases.empty:
        return f"None of the {total} patients of the case series {label}. {CAVEAT}"
    parts = [f"{len(cases)} of the {total} patients of the case series {label}."]
    for codes, what in ((["DOD"], "Died of the disease"), (["DOC"], "Died of other causes"),
                        (["AWD", "NED"], "Alive at last contact")):
        group = cases[cases["prognosis"].isin(codes)].sort_values("followup_months", kind="stable")
        if group.empty:
            continue
        months = [str(int(m)) for m in group["followup_months"]]
        detail = "; ".join(sorted({words[code] for code in group["prognosis"]})) if len(codes) > 1 else ""
        parts.append(f"{what}: {len(group)}, at {_join(months)} months after surgery"
                     + (f" ({detail})" if detail else "") + ".")
    return " ".join(parts + [CAVEAT])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def tokuhashi_outcomes() -> list[str]:
    """For each revised Tokuhashi band, the case series' patients whose printed score falls in it."""
    cases = data.load()
    return [survival_in(cases[cases["tokuhashi"].between(b.low, b.high)]) for b in scores.TOKUHASHI.bands]


def case_levels(levels: str) -> list[str]:
    """Vertebrae as printed in Table 1 ('T10, 11', 'T2, 12, L1') as full names: ['T10', 'T11']."""
    names, region = [], ""
    for part in (p.strip() for p in levels.split(",")):
        match = re.fullmatch(r"([CTLS]?)(\d+)", part)
        if not match or not (match.group(1) or region):
            raise ValueError(f"levels {levels!r}: cannot read {part!r}")
        region = match.group(1) or region
        names.append(f"{region}{match.group(2)}")
    return names


def tomita_items(case: pd.Series) -> dict | None:
    """The three Tomita items of a case-series patient when Tables 1-3 determine all three, else None.

    Growth: the site's group in ``scores.TOMITA_SITE_GROWTH`` (sites outside it: undetermined).
    Visceral: none when Table 1 prints none (a printed organ: whether it was treatable is not
    recorded). Bone: multiple with an extraspinal bone metastasis or vertebrae that are not
    contiguous; solitary with one vertebra and none outside the spine; contiguous vertebrae alone
    are left undetermined (one lesion or several).
    """
    growth = scores.TOMITA_SITE_GROWTH.get(case["primary_site"].lower())
    visceral = "none" if case["vital_organ_metastasis"] == "No" else None
    positions = sorted(scores.SPINE.index(level) for level in case_levels(case["levels"]))
    contiguous = all(b - a == 1 for a, b in zip(positions, positions[1:]))
    if case["extraspinal_bone_metastasis"] != "No" or not contiguous:
        bone = "multiple"
    else:
        bone = "solitary" if len(positions) == 1 else None
    if None in (growth, visceral, bone):
        return None
    return {"primary": growth, "visceral_metastases": visceral, "bone_metastases": bone}


def tomita_outcomes() -> list[str]:
    """For each Tomita band, the case series' patients whose Tomita total the tables determine."""
    cases = data.load()
    items = cases.apply(tomita_items, axis=1)
    known = cases[items.notna()].assign(tomita=[scores.tomita_score(**i) for i in items.dropna()])
    unknown = len(cases) - len(known)
    note = (f" The tables determine the Tomita score of {len(known)} of the {len(cases)} patients: for {unknown}, "
            "the growth group of the primary site, whether organ metastases were treatable, or whether contiguous "
            "vertebrae were one lesion is not recorded.")
    return [survival_in(known[known["tomita"].between(b.low, b.high)]) + note for b in scores.TOMITA.bands]


# --- HTML ----------------------------------------------------------------------------------------------

def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _item_html(score_key: str, item: scores.Item, chosen: str, points: bool = True) -> str:
    """A drop-down list for a long list of options, else a group of radio buttons; the points beside each answer."""
    name = _id(score_key, item.key)
    if len(item.options) > RADIO_MAX:
        options = "".join(f'<option value="{_e(o.value)}"{" selected" if o.value == chosen else ""}>'
                          f'{_e(o.text)}{f" ({o.points})" if points else ""}</option>' for o in item.options)
        return (f'<div class="spinemets-calc-item"><label for="{name}">{_e(item.label)}</label>'
                f'<select id="{name}" name="{_e(item.key)}">{options}</select></div>')
    radios = "".join(
        f'<label><input type="radio" name="{_e(item.key)}" value="{_e(o.value)}"{" checked" if o.value == chosen else ""}>'
        f' <span>{_e(o.text)}</span>'
        + (f' <span class="spinemets-calc-points">{o.points} point{"" if o.points == 1 else "s"}</span>' if points else "")
        + "</label>"
        for o in item.options)
    return f'<fieldset class="spinemets-calc-item"><legend>{_e(item.label)}</legend>{radios}</fieldset>'


def _json_attribute(spec: dict) -> str:
    """JSON for a single-quoted attribute: its many double quotes stay as they are (a lighter page)."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")


def _frame(key: str, title: str, kind: str, spec: dict, controls: str, answers: list[tuple[str, str]],
           result: str, extra: str, source: str) -> str:
    answers_html = "".join(f"<dt>{_e(q)}</dt><dd>{_e(a)}</dd>" for q, a in answers)
    return (
        f'<form class="spinemets-calc" id="{_id(key)}" data-kind="{kind}" aria-labelledby="{_id(key, "title")}" '
        f"data-calculator='{_json_attribute(spec)}'>"
        f'<p class="spinemets-calc-title" id="{_id(key, "title")}">Calculator: {_e(title)}</p>'
        f'<div class="spinemets-calc-controls">{controls}</div>'
        f'<dl class="spinemets-calc-answers">{answers_html}</dl>'
        f'<div class="spinemets-calc-result" role="status" aria-live="polite">{result}</div>'
        f"{extra}"
        f'<p class="spinemets-calc-source">Source: {_e(source)}. {_e(TEACHING)}</p>'
        "</form>")


def score_spec(score: scores.Score, outcomes: list[str] | None = None) -> dict:
    """The JSON the page script reads: items with their options and points, bands with their texts."""
    return {
        "name": score.name, "band_title": score.band_title, "proposal_title": score.proposal_title, "better": score.better,
        "show_total": score.show_total, "range": list(score.range), "ceiling": score.ceiling,
        "items": [{"key": i.key, "label": i.label,
                   "options": [{"value": o.value, "text": o.text, "points": o.points} for o in i.options]}
                  for i in score.items],
        "bands": [{"low": b.low, "high": b.high, "label": b.label, "proposal": b.proposal,
                   **({"outcome": outcomes[n]} if outcomes else {})} for n, b in enumerate(score.bands)],
    }


def score_result(score: scores.Score, answers: dict) -> str:
    """The result's words for ``answers``: the same sentences the page script writes (one template each)."""
    total = score.total(answers)
    low, high = score.range
    parts = []
    if not score.show_total:   # a grade: say which one was chosen
        parts += [f'<p>{_e(item.label)}: <strong class="calc-choice">{_e(item.option(answers[item.key]).text)}</strong></p>'
                  for item in score.items]
    if score.show_total:
        added = sum(item.option(answers[item.key]).points for item in score.items)
        capped = f"; the points add up to {added}, counted as {total}" if added != total else ""
        parts.append(f'<p>Total <strong class="calc-total">{total}</strong> (of {low}-{high}; '
                     f'{"higher" if score.better == "higher" else "lower"} is better{capped})</p>')
    if not score.bands:
        return "".join(parts)
    band = score.band(total)
    parts.append(f'<p>{_e(_first_upper(score.band_title))}: <strong class="calc-band">{_e(band.label)}</strong></p>')
    if band.proposal:
        parts.append(f'<p>{_e(_first_upper(score.proposal_title))}: <span class="calc-proposal">{_e(band.proposal)}</span></p>')
    return "".join(parts)


def score_calculator(score: scores.Score, answers: dict, outcomes: list[str] | None = None) -> Calculator:
    """The calculator of ``score``, showing ``answers`` (item key -> option value) until the reader changes them."""
    total = score.total(answers)
    controls = "".join(_item_html(score.key, item, answers[item.key], score.show_total) for item in score.items)
    chosen = [(item.label, f"{item.option(answers[item.key]).text} ({item.option(answers[item.key]).points})"
               if score.show_total else item.option(answers[item.key]).text) for item in score.items]
    extra = ""
    if outcomes:
        extra = ('<div class="spinemets-calc-outcome" aria-live="polite"><p class="spinemets-calc-outcome-title">'
                 'The case series in this band (Ohashi et al. 2019)</p>'
                 f'<p class="calc-outcome">{_e(outcomes[score.bands.index(score.band(total))])}</p></div>')
    page = _frame(score.key, score.name, "points", score_spec(score, outcomes), controls, chosen,
                  score_result(score, answers), extra, score.source)
    text = (f"{score.name}: " + "; ".join(f"{q} = {a}" for q, a in chosen)
            + (f" -> total {total}" if score.show_total else "")
            + (f", {score.band_title} {score.band(total).label}" if score.bands else ""))
    return Calculator(page, text)


# --- Formulas ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NumberInput:
    key: str
    label: str
    low: float
    high: float
    step: float
    default: float
    whole: bool = False


@dataclass(frozen=True)
class Output:
    key: str
    label: str
    formula: Formula
    decimals: int
    unit: str = "Gy"


def formula_calculator(key: str, title: str, inputs: list[NumberInput], outputs: list[Output], source: str,
                       note: str = "") -> Calculator:
    values = {i.key: (int(i.default) if i.whole else float(i.default)) for i in inputs}
    controls = "".join(
        f'<div class="spinemets-calc-item"><label for="{_id(key, i.key)}">{_e(i.label)}</label>'
        f'<input type="number" id="{_id(key, i.key)}" name="{_e(i.key)}" min="{i.low:g}" max="{i.high:g}" '
        f'step="{i.step:g}" value="{i.default:g}" inputmode="decimal" required></div>' for i in inputs)
    results = []
    for output in outputs:
        values[output.key] = output.formula(**values)
        results.append(f'<p>{_e(output.label)}: <strong class="calc-{output.key}">{fixed(values[output.key], output.decimals)}'
                       f'</strong> {_e(output.unit)}</p>')
    spec = {"inputs": [vars(i) for i in inputs],
            "outputs": [{"key": o.key, "label": o.label, "tree": o.formula.tree, "decimals": o.decimals, "unit": o.unit}
                        for o in outputs]}
    extra = f'<p class="spinemets-calc-note">{_e(note)}</p>' if note else ""
    answers = [(i.label, f"{i.default:g}") for i in inputs]
    page = _frame(key, title, "formula", spec, controls, answers, "".join(results), extra, source)
    text = f"{title}: " + "; ".join(f"{q} = {a}" for q, a in answers) + " -> " + "; ".join(
        f"{o.label} {fixed(values[o.key], o.decimals)} {o.unit}" for o in outputs)
    return Calculator(page, text)


# --- The book's calculators ----------------------------------------------------------------------------

def sins(**answers) -> Calculator:
    default = {"location": "junctional", "pain": "mechanical", "bone_lesion": "lytic", "alignment": "de novo deformity",
               "collapse": "<50% collapse", "posterolateral": "unilateral"}
    return score_calculator(scores.SINS_SCORE, {**default, **answers})


def tokuhashi(**answers) -> Calculator:
    default = {"general_condition": "good", "extraspinal_bone_metastases": "0", "vertebral_metastases": "1",
               "organ_metastases": "none", "primary_site": "thyroid", "frankel": "D"}
    return score_calculator(scores.TOKUHASHI, {**default, **answers}, tokuhashi_outcomes())


def tomita(**answers) -> Calculator:
    default = {"primary": "moderate", "visceral_metastases": "treatable", "bone_metastases": "solitary"}
    return score_calculator(scores.TOMITA, {**default, **answers}, tomita_outcomes())


def modified_bauer(**answers) -> Calculator:
    default = {"visceral_metastases": "none", "primary": "favourable", "skeletal_metastases": "solitary"}
    return score_calculator(scores.MODIFIED_BAUER, {**default, **answers})


def nesms(**answers) -> Calculator:
    default = {"modified_bauer": "3-4", "ambulatory": "independent", "albumin": "3.5 g/dL or more"}
    return score_calculator(scores.NESMS, {**default, **answers})


def escc(grade: str = "2") -> Calculator:
    return score_calculator(scores.ESCC, {"grade": grade})


def bed_eqd2(total_dose_gy: float = 24, fractions: int = 3, alpha_beta: float = 10) -> Calculator:
    from spinemets import radiation
    return formula_calculator(
        "bed-eqd2", "BED and EQD2 of a regimen",
        [NumberInput("total_dose_gy", "Total dose (Gy)", 1, 80, 0.1, total_dose_gy),
         NumberInput("fractions", "Number of fractions", 1, 40, 1, fractions, whole=True),
         NumberInput("alpha_beta", "α/β of the tissue (Gy)", 0.5, 20, 0.1, alpha_beta)],
        [Output("bed", "Biologically effective dose (BED)", radiation.BED_FORMULA, 1),
         Output("eqd2", "Equivalent dose in 2 Gy fractions (EQD2)", radiation.EQD2_FORMULA, 1)],
        source="the linear-quadratic model, BED = D (1 + d / (α/β)), EQD2 = BED / (1 + 2 / (α/β)); "
               "spinemets.radiation",
        note="Usual teaching values: α/β = 10 Gy for tumour, 2 Gy for the spinal cord. The model is contested "
             "at the doses per fraction of radiosurgery (see the text).")


# --- The NOMS pathway as this book models it ----------------------------------------------------------
#
# spinemets.pathway.noms walks a fictional patient through NOMS. Its branches read six facts: the
# histology's radiosensitivity class (data/radiosensitivity), the ESCC grade, the SINS band, the
# SINS pain answer, fitness for an open operation and the revised Tokuhashi band. The calculator asks
# for the full SINS and Tokuhashi items (their definitions, as in the score calculators), computes
# the two bands on the page, and looks up what noms() proposes for those six facts in a table that
# noms() itself filled here, one run per combination of facts. The browser test then runs noms() on
# thousands of whole patients and compares: if noms() ever read anything else, the table would miss it.

NOMS_OUTPUTS = (("radiation", "Radiation"), ("operation", "Operation"), ("stabilisation", "Stabilisation"))
FIT = (("yes", "yes"), ("no", "no: cannot tolerate an open operation"))


@functools.lru_cache(maxsize=None)
def _reaching(score: scores.Score, fixed_answers: tuple, band: scores.Band) -> dict:
    """The first answers (in the definition's order) whose total falls in ``band``, with ``fixed_answers`` kept."""
    fixed_answers = dict(fixed_answers)
    free = [item for item in score.items if item.key not in fixed_answers]
    for values in itertools.product(*[[o.value for o in item.options] for item in free]):
        answers = {**fixed_answers, **dict(zip([item.key for item in free], values))}
        if band.low <= score.total(answers) <= band.high:
            return answers
    raise ValueError(f"{score.name}: no answers with {fixed_answers} reach {band.label}")


def patient_from(histology: str, escc_grade: str, sins_answers: dict, tokuhashi_answers: dict, fit: str):
    """A pathway.Patient from calculator answers (the Tokuhashi counts as the lowest count each answer covers)."""
    from spinemets import pathway
    counts = {key: scores.TOKUHASHI.item(key).option(value).low if key in scores.COUNT_ITEMS.values() else value
              for key, value in tokuhashi_answers.items()}
    items = dict(sins_answers)
    level = scores.SINS_LEVELS[items.pop("location")][0]
    return pathway.Patient("calculator", histology, level, escc_grade, items, counts, fit_for_surgery=fit == "yes")


def noms_table() -> tuple[dict, list[str]]:
    """What pathway.noms proposes for each combination of the facts it reads, as a tree of the facts
    (class -> ESCC grade -> SINS band -> pain -> fit -> Tokuhashi band) whose leaves index ``words``."""
    from spinemets import pathway
    table = pathway.radiosensitivity_table()
    by_class = {cls: names.iloc[0] for cls, names in table.groupby("class", sort=False)["histology"]}
    words: list[str] = []
    decisions = {}
    pains = [o.value for o in scores.SINS_SCORE.item("pain").options]
    for cls, grade, sins_band, pain, (fit, _), band in itertools.product(
            by_class, [o.value for o in scores.ESCC.items[0].options], scores.SINS_SCORE.bands, pains, FIT,
            scores.TOKUHASHI.bands):
        patient = patient_from(by_class[cls], grade, _reaching(scores.SINS_SCORE, (("pain", pain),), sins_band),
                               _reaching(scores.TOKUHASHI, (), band), fit)
        result = pathway.noms(patient)
        indices = []
        for key, _ in NOMS_OUTPUTS:
            word = getattr(result, key) or "none"
            if word not in words:
                words.append(word)
            indices.append(words.index(word))
        node = decisions
        for part in [cls, grade, sins_band.label, pain, fit][:-1]:
            node = node.setdefault(part, {})
        node.setdefault(fit, {})[band.label] = indices
    return decisions, words


def _noms_result(sub_results: list[tuple[str, int, str, str]], proposal: list[str]) -> str:
    parts = [f'<p>{_e(name)}: <strong class="calc-{key}-total">{total}</strong>, <span class="calc-{key}-band">{_e(band)}</span></p>'
             for key, total, band, name in sub_results]
    parts += [f'<p>{label}: <strong class="calc-{key}">{_e(word)}</strong></p>' for (key, label), word in zip(NOMS_OUTPUTS, proposal)]
    return "".join(parts)


def noms(vignette: int = 2) -> Calculator:
    """The NOMS teaching model on the page, starting from ``pathway.VIGNETTES[vignette]``."""
    from spinemets import pathway
    start = pathway.VIGNETTES[vignette]
    table = pathway.radiosensitivity_table()
    histology = pathway.classify_histology(start.histology).histology
    sins_answers = {"location": scores.sins_location(start.level), **start.sins_items}
    tokuhashi_answers = {key: (scores.TOKUHASHI.item(key).option_for_count(value).value
                               if key in scores.COUNT_ITEMS.values() else value)
                         for key, value in start.tokuhashi_items.items()}
    fit = "yes" if start.fit_for_surgery else "no"
    decisions, words = noms_table()

    histology_select = "".join(f'<option value="{_e(row["histology"])}" data-class="{_e(row["class"])}"'
                               f'{" selected" if row["histology"] == histology else ""}>{_e(row["histology"])} '
                               f'({_e(row["class"])})</option>' for row in table.to_dict("records"))
    controls = (f'<div class="spinemets-calc-item"><label for="{_id("noms", "histology")}">Histology '
                f'(radiosensitivity class)</label><select id="{_id("noms", "histology")}" name="histology">'
                f'{histology_select}</select></div>'
                + _item_html("noms", scores.ESCC.items[0], start.escc_grade, points=False).replace(
                    'name="grade"', 'name="escc"')
                + "".join(_item_html("noms-sins", item, sins_answers[item.key]).replace(
                    f'name="{item.key}"', f'name="sins.{item.key}"').replace(
                    f"<legend>{_e(item.label)}", f"<legend>SINS: {_e(item.label)}") for item in scores.SINS_SCORE.items)
                + "".join(_item_html("noms-tokuhashi", item, tokuhashi_answers[item.key]).replace(
                    f'name="{item.key}"', f'name="tokuhashi.{item.key}"').replace(
                    f"<legend>{_e(item.label)}", f"<legend>Tokuhashi: {_e(item.label)}").replace(
                    f'>{_e(item.label)}</label>', f'>Tokuhashi: {_e(item.label)}</label>') for item in scores.TOKUHASHI.items)
                + '<fieldset class="spinemets-calc-item"><legend>Fit for an open operation</legend>'
                + "".join(f'<label><input type="radio" name="fit" value="{v}"{" checked" if v == fit else ""}> '
                          f'<span>{_e(t)}</span></label>' for v, t in FIT) + "</fieldset>")
    sins_total = scores.SINS_SCORE.total(sins_answers)
    tokuhashi_total = scores.TOKUHASHI.total(tokuhashi_answers)
    sins_band, tokuhashi_band = scores.SINS_SCORE.band(sins_total).label, scores.TOKUHASHI.band(tokuhashi_total).label
    cls = table.set_index("histology").loc[histology, "class"]
    leaf = decisions
    for part in (cls, start.escc_grade, sins_band, sins_answers["pain"], fit, tokuhashi_band):
        leaf = leaf[part]
    proposal = [words[i] for i in leaf]
    subs = [("sins", sins_total, sins_band, "SINS"), ("tokuhashi", tokuhashi_total, tokuhashi_band, "Revised Tokuhashi")]
    spec = {
        "scores": [{**score_spec(scores.SINS_SCORE), "key": "sins", "name": "SINS"},
                   {**score_spec(scores.TOKUHASHI), "key": "tokuhashi", "name": "Revised Tokuhashi"}],
        "key": [{"input": "histology", "attribute": "class"}, {"input": "escc"}, {"band": "sins"},
                {"input": "sins.pain"}, {"input": "fit"}, {"band": "tokuhashi"}],
        "outputs": [{"key": key, "label": label} for key, label in NOMS_OUTPUTS],
        "table": decisions, "words": words,
    }
    def written(item, value):   # as the page script writes an answer out: the words on the radio or list entry
        option = item.option(value)
        return f"{option.text} ({option.points})" if len(item.options) > RADIO_MAX else option.text

    answers = ([("Histology (radiosensitivity class)", f"{histology} ({cls})"),
                (scores.ESCC.items[0].label, scores.ESCC.items[0].option(start.escc_grade).text)]
               + [(f"SINS: {item.label}", written(item, sins_answers[item.key])) for item in scores.SINS_SCORE.items]
               + [(f"Tokuhashi: {item.label}", written(item, tokuhashi_answers[item.key])) for item in scores.TOKUHASHI.items]
               + [("Fit for an open operation", dict(FIT)[fit])])
    page = _frame("noms", "the NOMS pathway as this book models it", "pathway", spec, controls, answers,
                  _noms_result(subs, proposal), "", pathway.DISCLAIMER.rstrip(".") + "; spinemets.pathway.noms")
    text = (f"NOMS teaching model, starting from vignette {start.name}: " + "; ".join(f"{q} = {a}" for q, a in answers)
            + " -> " + "; ".join(f"{label} {word}" for (_, label), word in zip(NOMS_OUTPUTS, proposal)))
    return Calculator(page, text)
