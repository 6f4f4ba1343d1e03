"""The NOMS decision framework as a small, traceable teaching model (not a clinical tool).

NOMS -- neurologic, oncologic, mechanical, systemic -- is the framework of Laufer et al. (2013,
The Oncologist 18:744) for choosing between radiation, surgery and stabilisation for a spinal
metastasis. This module walks one fictional patient through its four assessments and records,
step by step, the inputs it used, what it found and why it branched, so that a reader can see
the reasoning instead of a verdict. It also checks the inclusion criteria of the one randomised
trial of surgery (Patchell et al. 2005), to show whom that evidence applies to.

TEACHING MODEL, NOT A CLINICAL TOOL. It simplifies a published framework for teaching; it does
not advise treatment for any patient. Real decisions are made by a multidisciplinary team that
weighs far more than these inputs.

Where the rules come from (each step of the trace names its source):

* the branch between conventional radiotherapy, radiosurgery and separation surgery, and the
  instability and systemic assessments -- the NOMS abstracts (Laufer et al. 2013; the abstract of
  a 2010 MSKCC review in MSKCC's Synapse publication record, work 4013);
* radiosensitivity classes -- the AO Surgery Reference's classification by histology
  (radiosensitive: lymphoma, myeloma, seminoma; radioresistant: renal cell, melanoma, thyroid,
  colorectal; other histologies are "intermediate" there, and the same page notes that many of
  them benefit from radiosurgery);
* ESCC grade and SINS -- ``spinemets.scores`` (Bilsky et al. 2010; Fisher et al. 2010);
* survival estimate -- the revised Tokuhashi score and its bands, ``spinemets.scores``;
* Patchell criteria -- as listed by published summaries of the trial (the abstract gives the
  design and results, not the criteria).

Two rules are simplifications of this book and are labelled so in the trace: how the systemic
step overrides an operation, and which SINS categories lead to stabilisation.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from spinemets import PROJECT_ROOT, scores

DISCLAIMER = ("Teaching model of a published framework (NOMS: Laufer et al. 2013, The Oncologist). "
              "Not a clinical tool: it does not advise treatment for any patient.")

# The revised Tokuhashi band with the shortest predicted survival (totals 0-8: under six months).
LOWEST_TOKUHASHI_BAND = scores.tokuhashi_band(0)

RADIOSENSITIVE = ("lymphoma", "myeloma", "seminoma")
RADIORESISTANT = ("renal cell", "melanoma", "thyroid", "colorectal")
# Very radiosensitive tumours excluded from the Patchell trial.
PATCHELL_EXCLUDED_HISTOLOGIES = ("lymphoma", "leukaemia", "myeloma", "germ-cell")

SOURCES = {
    "noms": "Laufer et al. 2013; MSKCC review abstract 2010",
    "radiosensitivity": "AO Surgery Reference, classification of tumour radiosensitivity",
    "escc": "Bilsky et al. 2010 (ESCC scale)",
    "sins": "Fisher et al. 2010 (SINS)",
    "tokuhashi": "Tokuhashi et al. 2005 (revised score)",
    "book": "simplification made for this teaching model",
}


def radiosensitivity(histology: str) -> str:
    """'radiosensitive', 'radioresistant' or 'intermediate' for a histology named in plain words."""
    if not isinstance(histology, str) or not histology.strip():
        raise ValueError(f"histology must be named in words, not {histology!r}")
    name = histology.strip().lower()
    if any(word in name for word in RADIOSENSITIVE):
        return "radiosensitive"
    if any(word in name for word in RADIORESISTANT):
        return "radioresistant"
    return "intermediate"


@dataclass(frozen=True)
class Patient:
    """A fictional teaching vignette: every input the pathway reads, in plain words."""

    name: str
    histology: str
    level: str                      # spinal level of the index lesion, e.g. 'T9'
    escc_grade: str                 # '0', '1a', '1b', '1c', '2', '3'
    myelopathy: bool
    sins_items: dict                # pain, bone_lesion, alignment, collapse, posterolateral (scores.sins words)
    tokuhashi_items: dict           # the six items of scores.tokuhashi_revised
    fit_for_surgery: bool           # medical fitness for an open operation (comorbidity)
    story: str = ""
    # Inputs only the Patchell criteria need:
    tissue_proven: bool = True
    neurological_sign_or_pain: bool = True
    single_compression_area: bool = True
    paraplegic_hours: float | None = None   # None: not paraplegic
    compression_of: str = "cord"            # 'cord' or 'cauda equina or roots only'
    prior_radiation_precludes_30_gy: bool = False


@dataclass
class Step:
    step: str
    inputs: str
    finding: str
    why: str
    source: str


@dataclass
class PathwayResult:
    patient: Patient
    radiation: str
    operation: str
    stabilisation: str
    steps: list[Step] = field(default_factory=list)
    disclaimer: str = DISCLAIMER

    def trace(self) -> pd.DataFrame:
        """The step-by-step trace as a table: inputs, finding, why it branched, source."""
        return pd.DataFrame([vars(step) for step in self.steps]).set_index("step")

    @property
    def summary(self) -> str:
        parts = [self.operation, self.radiation, self.stabilisation]
        return "; ".join(part for part in parts if part)

    def __repr__(self) -> str:
        return f"PathwayResult({self.patient.name}: {self.summary}. {self.disclaimer})"


def _items(mapping: dict) -> str:
    return ", ".join(f"{key.replace('_', ' ')} = {value}" for key, value in mapping.items())


def noms(patient: Patient) -> PathwayResult:
    """Walk ``patient`` through the four NOMS assessments and return the traced result."""
    steps: list[Step] = []

    # N: neurologic
    high_grade = scores.escc_is_high_grade(patient.escc_grade)
    steps.append(Step(
        "1 Neurologic",
        f"ESCC grade {patient.escc_grade}; myelopathy {'yes' if patient.myelopathy else 'no'}",
        f"{'high' if high_grade else 'low'}-grade compression: {scores.ESCC_GRADES[patient.escc_grade]}",
        "grades 2 and 3 compress the cord; 0 to 1c do not",
        SOURCES["escc"]))

    # O: oncologic
    sensitivity = radiosensitivity(patient.histology)
    steps.append(Step(
        "2 Oncologic", f"histology: {patient.histology}", sensitivity,
        {"radiosensitive": "listed among the radiosensitive histologies",
         "radioresistant": "listed among the radioresistant histologies",
         "intermediate": "not listed at either extreme; many such tumours benefit from radiosurgery, "
                         "so the model treats them like radioresistant ones"}[sensitivity],
        SOURCES["radiosensitivity"]))

    # N + O together choose the radiation and whether to separate tumour from cord first.
    if sensitivity == "radiosensitive":
        radiation, operation = "conventional external beam radiotherapy (cEBRT)", ""
        why = "a radiosensitive tumour is treated with cEBRT whatever the compression grade or myelopathy"
    elif not high_grade:
        radiation, operation = "stereotactic radiosurgery (SRS)", ""
        why = "a radioresistant tumour without high-grade compression can receive SRS directly"
    else:
        radiation, operation = "stereotactic radiosurgery (SRS)", "separation surgery"
        why = ("a radioresistant tumour compressing the cord cannot receive a tumoricidal dose next to it: "
               "separation surgery first, then SRS")
    steps.append(Step("Neurologic + oncologic", f"{steps[0].finding.split(':')[0]}; {sensitivity}",
                      f"{operation + ' then ' if operation else ''}{radiation}", why, SOURCES["noms"]))

    # M: mechanical
    instability = scores.sins(patient.level, **patient.sins_items)
    mechanical_pain = patient.sins_items.get("pain") == "mechanical"
    # Compare with the labels scores.py gives the bands, so that renaming a band cannot change a branch.
    unstable, middle = scores.sins_category(13), scores.sins_category(7)
    if instability.category == unstable:
        stabilisation = "stabilisation (open or percutaneous)"
        why = f"SINS 13-18, {unstable}: gross instability is treated by stabilisation whatever the histology"
    elif instability.category == middle and mechanical_pain:
        stabilisation = "stabilisation or cement augmentation to be considered"
        why = "SINS 7-12 with pain on loading: the model asks for a surgical opinion on stabilisation"
    else:
        stabilisation = ""
        why = (f"SINS {instability.total}, {instability.category}"
               + ("" if instability.category == scores.sins_category(0) else ", without mechanical pain")
               + ": no stabilisation in this model")
    if operation:
        # Separation surgery always instruments the spine (Barzilai et al. 2018), whatever the SINS.
        stabilisation = "instrumentation as part of separation surgery"
        why += "; separation surgery instruments the spine in any case"
    steps.append(Step("3 Mechanical", f"level {patient.level}; {_items(patient.sins_items)}",
                      f"SINS {instability.total}: {instability.category}", why,
                      f"{SOURCES['sins']}; {SOURCES['noms']}; thresholds for action: {SOURCES['book']}"))

    # S: systemic
    total = scores.tokuhashi_revised(**patient.tokuhashi_items)
    band = scores.tokuhashi_band(total)
    wants_operation = bool(operation) or stabilisation.startswith("stabilisation (open")
    short_survival = band == LOWEST_TOKUHASHI_BAND
    if wants_operation and (not patient.fit_for_surgery or short_survival):
        reason = " and ".join(r for r in ["not fit for an open operation" if not patient.fit_for_surgery else "",
                                          "a predicted survival under six months" if short_survival else ""] if r)
        why = (f"{reason}: the model withdraws the open operation and keeps the non-operative part "
               "(radiation; percutaneous options for instability)")
        if operation:
            operation, stabilisation = "", ""
            if radiation.startswith("stereotactic"):
                radiation = "radiation alone (SRS if the cord dose allows it, otherwise cEBRT)"
        if stabilisation.startswith("stabilisation (open"):
            stabilisation = "percutaneous stabilisation or cement augmentation to be considered"
        source = f"{SOURCES['noms']}; override rule: {SOURCES['book']}"
    else:
        why = ("the patient can tolerate the plan and is expected to live long enough to benefit"
               if wants_operation else "no open operation is proposed, so nothing to weigh against it")
        source = SOURCES["noms"]
    steps.append(Step("4 Systemic",
                      f"fit for surgery {'yes' if patient.fit_for_surgery else 'no'}; revised Tokuhashi "
                      f"{total} ({_items(patient.tokuhashi_items)})",
                      f"predicted survival {band}", why, f"{SOURCES['tokuhashi']}; {source}"))

    return PathwayResult(patient, radiation, operation, stabilisation, steps)


# --- Who the randomised evidence applies to ------------------------------------------------------

def patchell_eligibility(patient: Patient) -> pd.DataFrame:
    """Each Patchell 2005 criterion, whether ``patient`` meets it (yes / no / unclear) and why."""
    band = scores.tokuhashi_band(scores.tokuhashi_revised(**patient.tokuhashi_items))
    name = patient.histology.lower()
    excluded_histology = next((h for h in PATCHELL_EXCLUDED_HISTOLOGIES if h in name), None)
    displaced = scores.escc_is_high_grade(patient.escc_grade)
    paraplegic_too_long = patient.paraplegic_hours is not None and patient.paraplegic_hours > 48
    rows = [
        ("tissue-proven cancer, not of CNS or spinal-column origin", patient.tissue_proven, patient.histology),
        ("MRI: spinal cord displaced by metastasis", displaced,
         f"ESCC {patient.escc_grade} (the model reads grades 2-3 as displacement)"),
        ("at least one neurological sign or symptom, pain included", patient.neurological_sign_or_pain, ""),
        ("a single area of compression (contiguous levels count as one)", patient.single_compression_area, ""),
        ("expected survival of at least 3 months",
         True if band != LOWEST_TOKUHASHI_BAND else None,
         f"Tokuhashi band {band}" + (": the band cannot tell 3 months from 6" if band == LOWEST_TOKUHASHI_BAND else "")),
        ("not a very radiosensitive tumour (lymphoma, leukaemia, myeloma, germ-cell)",
         excluded_histology is None, excluded_histology or ""),
        ("not paraplegic for more than 48 hours", not paraplegic_too_long,
         "not paraplegic" if patient.paraplegic_hours is None else f"paraplegic {patient.paraplegic_hours:g} h"),
        ("the cord compressed, not only the cauda equina or roots", patient.compression_of == "cord",
         patient.compression_of),
        ("no earlier radiotherapy that rules out 30 Gy in 10 fractions", not patient.prior_radiation_precludes_30_gy, ""),
    ]
    table = pd.DataFrame(rows, columns=["criterion", "met", "note"])
    table["met"] = table["met"].map({True: "yes", False: "no", None: "unclear"})
    return table


def patchell_verdict(patient: Patient) -> str:
    met = patchell_eligibility(patient)["met"]
    if (met == "no").any():
        return "outside the trial's criteria"
    return "within the trial's criteria" if (met == "yes").all() else "unclear"


# --- Fictional teaching vignettes ----------------------------------------------------------------

def _tokuhashi(condition="good", extraspinal=0, vertebral=1, organ="none", primary="other", frankel="E") -> dict:
    return {"general_condition": condition, "extraspinal_bone_metastases": extraspinal,
            "vertebral_metastases": vertebral, "organ_metastases": organ, "primary_site": primary, "frankel": frankel}


VIGNETTES = [
    Patient("A (fictional)", "multiple myeloma", "T9", "3", True,
            {"pain": "occasional non-mechanical", "bone_lesion": "lytic", "alignment": "normal",
             "collapse": "no collapse, >50% body involved", "posterolateral": "none"},
            _tokuhashi(condition="moderate", frankel="D"), fit_for_surgery=True,
            story="Myeloma with high-grade cord compression and leg weakness; the spine is stable."),
    Patient("B (fictional)", "renal cell carcinoma", "L2", "1a", False,
            {"pain": "occasional non-mechanical", "bone_lesion": "lytic", "alignment": "normal",
             "collapse": "no collapse, >50% body involved", "posterolateral": "unilateral"},
            _tokuhashi(primary="kidney"), fit_for_surgery=True,
            story="Kidney cancer touching the thecal sac only; pain at rest, not on loading."),
    Patient("C (fictional)", "renal cell carcinoma", "T6", "3", True,
            {"pain": "occasional non-mechanical", "bone_lesion": "lytic", "alignment": "normal",
             "collapse": "<50% collapse", "posterolateral": "bilateral"},
            _tokuhashi(primary="kidney", frankel="D"), fit_for_surgery=True,
            story="Kidney cancer compressing the cord, walking with help, otherwise well."),
    Patient("D (fictional)", "colorectal adenocarcinoma", "T12", "1b", False,
            {"pain": "mechanical", "bone_lesion": "lytic", "alignment": "de novo deformity",
             "collapse": ">50% collapse", "posterolateral": "bilateral"},
            _tokuhashi(extraspinal=1, primary="other"), fit_for_surgery=True,
            story="Collapsed thoracolumbar vertebra with pain on standing; the cord is not compressed."),
    Patient("E (fictional)", "melanoma", "T4", "2", True,
            {"pain": "occasional non-mechanical", "bone_lesion": "lytic", "alignment": "normal",
             "collapse": "<50% collapse", "posterolateral": "unilateral"},
            _tokuhashi(condition="poor", extraspinal=3, vertebral=3, organ="unremovable", primary="other",
                       frankel="A"),
            fit_for_surgery=False, paraplegic_hours=72,
            story="Melanoma with widespread disease, bedbound, paraplegic for three days."),
]


def vignette_table(vignettes: list[Patient] = VIGNETTES) -> pd.DataFrame:
    """One row per vignette: what the pathway proposes and whether the Patchell trial applies."""
    rows = []
    for patient in vignettes:
        result = noms(patient)
        rows.append({"vignette": patient.name, "histology": patient.histology, "ESCC": patient.escc_grade,
                     "operation": result.operation or "none", "radiation": result.radiation,
                     "stabilisation": result.stabilisation or "none",
                     "Patchell trial": patchell_verdict(patient)})
    return pd.DataFrame(rows).set_index("vignette")


# --- Flowchart (SVG drawn for a phone: one column, 13 px text at 340 px wide) -------------------

IMAGES = PROJECT_ROOT / "book" / "images"
WIDTH = 340
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
FILLS = {"assess": "#e8f1fa", "question": "#f4f4f4", "outcome": "#fdf0d5", "systemic": "#eef7ee"}


def _box(x, y, w, lines, kind, bold_first=True) -> tuple[str, int]:
    height = 12 + 17 * len(lines)
    parts = [f"<rect x='{x}' y='{y}' width='{w}' height='{height}' rx='7' fill='{FILLS[kind]}' stroke='#555'/>"]
    for i, line in enumerate(lines):
        weight = "bold" if (i == 0 and bold_first) else "normal"
        parts.append(f"<text x='{x + w / 2:g}' y='{y + 20 + 17 * i}' font-size='13' text-anchor='middle' "
                     f"font-weight='{weight}' fill='#222'>{html.escape(line)}</text>")
    return "".join(parts), height


def _arrow(x1, y1, x2, y2, label: str = "") -> str:
    out = (f"<line x1='{x1:g}' y1='{y1}' x2='{x2:g}' y2='{y2 - 2}' stroke='#333' stroke-width='1.4' "
           "marker-end='url(#arrow)'/>")
    if label:
        out += (f"<text x='{x2 + 6:g}' y='{(y1 + y2) / 2 + 4:g}' font-size='13' fill='#222' "
                f"font-style='italic'>{html.escape(label)}</text>")
    return out


FLOWCHART_TITLE = "Choosing an operation: the NOMS pathway as this book's teaching model"
FLOWCHART_DESC = (
    "Flowchart read from top to bottom. Step 1, neurologic: grade the epidural spinal cord compression (ESCC) "
    "on MRI and look for myelopathy. Step 2, oncologic: is the tumour radiosensitive? If yes, conventional "
    "external beam radiotherapy whatever the compression grade. If no, the ESCC grade decides: grade 0 to 1c, "
    "stereotactic radiosurgery (SRS) alone; grade 2 or 3, separation surgery, then SRS. Step 3, mechanical: "
    "score spinal instability (SINS); if unstable, add stabilisation, open or percutaneous; if stable, none. "
    "Step 4, systemic: can the patient tolerate the plan and live long enough to benefit? If not, the model "
    "withdraws the open operation and keeps the non-operative options. A teaching model of the published "
    "NOMS framework, not a clinical tool.")


def flowchart() -> str:
    """The pathway as a vertical flowchart (SVG string)."""
    half = (WIDTH - 30) // 2
    left_x, right_x, full_x, full_w = 10, 20 + half, 10, WIDTH - 20
    body, y = [], 10
    centre_left, centre_right = left_x + half / 2, right_x + half / 2

    def full(lines, kind):
        nonlocal y
        svg, h = _box(full_x, y, full_w, lines, kind)
        body.append(svg)
        top = y
        y += h
        return top, h

    def pair(left_lines, right_lines, kind, bold=False):
        nonlocal y
        a, ha = _box(left_x, y, half, left_lines, kind, bold)
        b, hb = _box(right_x, y, half, right_lines, kind, bold)
        body.extend([a, b])
        bottoms = (y + ha, y + hb)
        y += max(ha, hb)
        return bottoms

    def join(bottoms: tuple[int, int], label: str = "") -> None:
        """Lines down from both columns' boxes, joined, then one arrow to the next full-width box."""
        nonlocal y
        body.append(f"<path d='M{centre_left:g},{bottoms[0]} L{centre_left:g},{y + 12} L{centre_right:g},{y + 12} "
                    f"L{centre_right:g},{bottoms[1]}' fill='none' stroke='#333' stroke-width='1.4'/>")
        body.append(_arrow(WIDTH / 2, y + 12, WIDTH / 2, y + 34))
        if label:
            body.append(f"<text x='{WIDTH / 2 + 8:g}' y='{y + 29}' font-size='12' fill='#444' "
                        f"font-style='italic'>{html.escape(label)}</text>")
        y += 34

    centre_left, centre_right = left_x + half / 2, right_x + half / 2
    full(["1  Neurologic", "ESCC grade on MRI; myelopathy?"], "assess")
    body.append(_arrow(WIDTH / 2, y, WIDTH / 2, y + 22)); y += 22
    full(["2  Oncologic", "Is the tumour radiosensitive?"], "assess")
    body.append(_arrow(centre_left, y, centre_left, y + 30, "yes"))
    body.append(_arrow(centre_right, y, centre_right, y + 30, "no")); y += 30
    _, right_bottom = pair(["Conventional", "radiotherapy (cEBRT),", "any ESCC grade"],
                           ["Radioresistant:", "which ESCC grade?"], "outcome")
    # the 'no' branch splits again on the compression grade: an elbow from the right box to both columns
    body.append(f"<path d='M{centre_right:g},{right_bottom} L{centre_right:g},{y + 12} L{centre_left:g},{y + 12}' "
                "fill='none' stroke='#333' stroke-width='1.4'/>")
    body.append(_arrow(centre_left, y + 12, centre_left, y + 32))
    body.append(_arrow(centre_right, y + 12, centre_right, y + 32)); y += 32
    join(pair(["ESCC 0-1c:", "SRS alone"], ["ESCC 2-3:", "separation", "surgery, then SRS"], "outcome", bold=True),
         "all branches")
    full(["3  Mechanical", "Spinal instability (SINS)?"], "assess")
    body.append(_arrow(centre_left, y, centre_left, y + 30, "unstable"))
    body.append(_arrow(centre_right, y, centre_right, y + 30, "stable")); y += 30
    join(pair(["Add stabilisation:", "open or", "percutaneous"], ["No stabilisation"], "outcome"))
    full(["4  Systemic", "Can the patient tolerate the plan", "and live long enough to benefit?",
          "If not: keep the non-operative options."], "systemic")
    y += 10
    body.append(f"<text x='{WIDTH / 2:g}' y='{y + 8}' font-size='12' text-anchor='middle' fill='#444'>"
                "Teaching model of NOMS, not a clinical tool</text>")
    height = y + 18
    return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} {height}' width='{WIDTH}' "
            f"height='{height}' role='img' aria-labelledby='title desc' font-family=\"{FONT}\">\n"
            f"<title id='title'>{html.escape(FLOWCHART_TITLE)}</title>\n"
            f"<desc id='desc'>{html.escape(FLOWCHART_DESC)}</desc>\n"
            "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' "
            "orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='#333'/></marker></defs>\n"
            f"<rect width='{WIDTH}' height='{height}' fill='white'/>\n" + "".join(body) + "\n</svg>\n")


FIGURES = {"choosing_pathway.svg": flowchart}


def write_figures() -> None:
    for name, draw in FIGURES.items():
        (IMAGES / name).write_text(draw(), encoding="utf-8")


if __name__ == "__main__":
    write_figures()
    print(DISCLAIMER)
