"""The NOMS decision framework as a small, traceable teaching model (not a clinical tool).

NOMS -- neurologic, oncologic, mechanical, systemic -- is the framework of Laufer et al. (2013,
The Oncologist 18:744) for choosing between radiation, surgery and stabilisation for a spinal
metastasis. This module walks one fictional patient through its four assessments and records,
step by step, the inputs it used, what it found, why it branched and the source of the rule, so
that a reader can see the reasoning instead of a verdict. It also checks the inclusion criteria
of the larger of the two randomised trials of surgery, Patchell et al. 2005, to show whom that
evidence applies to (the earlier one, Young et al. 1980, compared laminectomy plus radiotherapy
with radiotherapy alone in 29 patients; see the chapter *The evidence story*).

TEACHING MODEL, NOT A CLINICAL TOOL. It simplifies a published framework for teaching; it does
not advise treatment for any patient. Real decisions are made by a multidisciplinary team that
weighs far more than these inputs.

Where the rules come from (each step of the trace names its source):

* the branches between conventional radiotherapy, radiosurgery and separation surgery, and the
  mechanical and systemic assessments -- the NOMS abstracts: Laufer et al. 2013, and the abstract
  of a 2010 review from the same centre (MSKCC publication record, work 4013): "patients with
  radiosensitive tumors, regardless of the degree of spinal cord compression or severity of
  myelopathy, can be treated with conventional external beam radiation. Radioresistant tumors
  without spinal cord compression are best treated with high-dose stereotactic radiosurgery, and
  radioresistant tumors with high-grade spinal cord compression should be operated followed by
  stereotactic radiosurgery. [...] gross spinal instability requires an open operation while
  axial load pain in the absence of gross instability may be treated with percutaneous cement
  augmentation. All treatment is based on what the patient can tolerate";
* the radiosensitivity class of each histology -- the validated table ``data/radiosensitivity``,
  one row per histology with its source (:func:`classify_histology`). A histology the table does
  not hold is refused (:class:`UnknownHistology`), never given a default class;
* ESCC grade and SINS -- ``spinemets.scores`` (Bilsky et al. 2010; Fisher et al. 2010);
* survival estimate -- the revised Tokuhashi score and its bands, ``spinemets.scores``;
* Patchell criteria -- as summaries of the trial list them (the abstract gives the design and
  results, not the criteria).

Myelopathy is not an input: the one rule the NOMS abstracts give for it is that it does not change
the radiosensitive branch, and they give it no other role.

Three rules are simplifications of this book and are labelled so in the trace: reading SINS
13-18 as the "gross instability" that needs an open operation; what replaces an open operation
the patient cannot tolerate (radiation alone; percutaneous options for instability); and
withdrawing an open operation when the revised Tokuhashi band predicts under six months.

Public API: :func:`radiosensitivity_table`, :func:`classify_histology`, :func:`radiosensitivity`,
:class:`Patient`, :func:`noms` (returns a :class:`PathwayResult` with ``.trace()``),
:func:`patchell_eligibility`, :func:`patchell_verdict`, :data:`VIGNETTES`, :func:`vignette_table`,
the outcome words (:data:`CEBRT`, :data:`SRS`, ...) and :data:`DISCLAIMER`.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from spinemets import DATA_ROOT, PROJECT_ROOT, scores
from spinemets.validation import histology_names, load_package

DISCLAIMER = ("Teaching model of a published framework (NOMS: Laufer et al. 2013, The Oncologist). "
              "Not a clinical tool: it does not advise treatment for any patient.")

RADIOSENSITIVITY_DIR = DATA_ROOT / "radiosensitivity"
RADIOSENSITIVITY_FILE = "data/radiosensitivity/histologies.csv"

# The revised Tokuhashi band with the shortest predicted survival (totals 0-8: under six months).
LOWEST_TOKUHASHI_BAND = scores.tokuhashi_band(0)

# What the pathway can propose, in the words the trace and the vignette table print.
CEBRT = "conventional external beam radiotherapy (cEBRT)"
SRS = "stereotactic radiosurgery (SRS)"
RADIATION_ALONE = "radiation alone (SRS if the cord dose allows it, otherwise cEBRT)"
SEPARATION = "separation surgery"
OPEN_STABILISATION = "open stabilisation"
CEMENT = "percutaneous cement augmentation to be considered"
PERCUTANEOUS = "percutaneous stabilisation or cement augmentation to be considered"
INSTRUMENTATION = "instrumentation as part of separation surgery"

# Very radiosensitive tumours excluded from the Patchell trial (names as the radiosensitivity table holds them).
PATCHELL_EXCLUDED_HISTOLOGIES = ("lymphoma", "leukaemia", "multiple myeloma", "germ-cell tumour")

SOURCES = {
    "noms": "Laufer et al. 2013 (abstract); NOMS review abstract 2010 (MSKCC record 4013)",
    "radiosensitivity": RADIOSENSITIVITY_FILE,
    "escc": "Bilsky et al. 2010 (ESCC scale)",
    "sins": "Fisher et al. 2010 (SINS); bands of Fourney et al. 2011",
    "instrumentation": "Barzilai et al. 2019 (separation surgery technique)",
    "tokuhashi": "Tokuhashi et al. 2005 (revised score)",
    "book": "simplification made for this teaching model",
}


# --- Radiosensitivity: a validated table, never a default -------------------------------------

class UnknownHistology(ValueError):
    """A histology the radiosensitivity table does not hold: the model refuses to guess its class."""


@dataclass(frozen=True)
class HistologyClass:
    """One row of the radiosensitivity table: the class of a histology and the source that puts it there."""

    histology: str          # the table's name for it
    radiosensitivity: str   # 'radiosensitive' or 'radioresistant'
    basis: str              # 'named by the source' or 'extended by the book'
    source: str             # bibliography key
    statement: str          # what the source says
    note: str               # '' where there is nothing to add


@lru_cache(maxsize=4)
def _checked_table(data_dir: Path) -> pd.DataFrame:
    return load_package(data_dir).frame("histologies")


def radiosensitivity_table(data_dir: str | Path = RADIOSENSITIVITY_DIR) -> pd.DataFrame:
    """The checked radiosensitivity table (one row per histology), as ``python -m spinemets check-data`` checks it.

    Raises ``spinemets.validation.DataValidationError`` naming file, row and column if the data are invalid.
    """
    return _checked_table(Path(data_dir)).copy()


def _normalise(name: str) -> str:
    return " ".join(name.strip().lower().split())


def classify_histology(histology: str, data_dir: str | Path = RADIOSENSITIVITY_DIR) -> HistologyClass:
    """The radiosensitivity class of ``histology`` (its table name or an alias, any case) and its source.

    A histology the table does not hold raises :class:`UnknownHistology` (a ``ValueError``) that names
    the input and the file: the model never defaults a class.
    """
    if not isinstance(histology, str) or not histology.strip():
        raise UnknownHistology(f"histology must be named in words, not {histology!r}")
    name = _normalise(histology)
    table = _checked_table(Path(data_dir))
    index = {alias: row for row in table.to_dict("records") for alias in histology_names(row)}
    if name not in index:
        close = difflib.get_close_matches(name, list(index), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownHistology(
            f"histology {histology!r} is not in the radiosensitivity table ({RADIOSENSITIVITY_FILE}), which holds: "
            f"{', '.join(table['histology'])}.{hint} The model does not guess a class: add a row with its source.")
    row = index[name]
    return HistologyClass(row["histology"], row["class"], row["basis"], row["source"], row["statement"],
                          row["note"] or "")


def radiosensitivity(histology: str) -> str:
    """'radiosensitive' or 'radioresistant' for a histology the table holds; :class:`UnknownHistology` otherwise."""
    return classify_histology(histology).radiosensitivity


# --- The patient and the trace -----------------------------------------------------------------

@dataclass(frozen=True)
class Patient:
    """A fictional teaching vignette: every input the pathway reads, in plain words."""

    name: str
    histology: str                  # a name or alias in data/radiosensitivity (any case)
    level: str                      # spinal level of the index lesion, e.g. 'T9'
    escc_grade: str                 # '0', '1a', '1b', '1c', '2', '3'
    sins_items: dict                # pain, bone_lesion, alignment, collapse, posterolateral (scores.sins words)
    tokuhashi_items: dict           # the six items of scores.tokuhashi_revised
    fit_for_surgery: bool           # medically able to tolerate an open operation
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
    """Walk ``patient`` through the four NOMS assessments and return the traced result.

    Bad input is refused with a ``ValueError`` that names it: an ESCC grade, SINS or Tokuhashi answer
    outside its scale, or a histology the radiosensitivity table does not hold.
    """
    steps: list[Step] = []

    # N: neurologic
    high_grade = scores.escc_is_high_grade(patient.escc_grade)
    steps.append(Step(
        "1 Neurologic", f"ESCC grade {patient.escc_grade}",
        f"{'high' if high_grade else 'low'}-grade compression: {scores.ESCC_GRADES[patient.escc_grade]}",
        "grades 2 and 3 compress the spinal cord; 0 to 1c do not (1b deforms the thecal sac, 1c abuts the cord)",
        SOURCES["escc"]))

    # O: oncologic
    found = classify_histology(patient.histology)
    sensitivity = found.radiosensitivity
    steps.append(Step(
        "2 Oncologic", f"histology: {patient.histology}",
        f"{sensitivity} ({found.histology})",
        found.statement + (f" {found.note}" if found.basis == "extended by the book" else ""),
        f"{found.source}, {found.basis} ({SOURCES['radiosensitivity']})"))

    # N + O together choose the radiation and whether to separate tumour from cord first.
    if sensitivity == "radiosensitive":
        radiation, operation = CEBRT, ""
        why = "a radiosensitive tumour is treated with cEBRT whatever the compression grade or myelopathy"
    elif not high_grade:
        radiation, operation = SRS, ""
        why = "a radioresistant tumour without spinal cord compression is best treated with high-dose SRS"
    else:
        radiation, operation = SRS, SEPARATION
        why = ("a radioresistant tumour with high-grade cord compression is operated on first (separation "
               "surgery), then treated with SRS, if the patient can tolerate the operation (step 4)")
    steps.append(Step("Neurologic + oncologic", f"{steps[0].finding.split(':')[0]}; {sensitivity}",
                      f"{operation + ' then ' if operation else ''}{radiation}", why, SOURCES["noms"]))

    # M: mechanical, assessed apart from the radiation decision
    instability = scores.sins(patient.level, **patient.sins_items)
    mechanical_pain = patient.sins_items.get("pain") == "mechanical"
    # Compare with the labels scores.py gives the bands, so that renaming a band cannot change a branch.
    unstable = instability.category == scores.sins_category(13)
    if unstable:
        stabilisation = OPEN_STABILISATION
        why = (f"SINS 13-18, {instability.category}: gross instability requires an open operation, "
               "whatever the histology")
        source = f"{SOURCES['sins']}; {SOURCES['noms']}; SINS 13-18 read as gross instability: {SOURCES['book']}"
    elif mechanical_pain:
        stabilisation = CEMENT
        why = (f"SINS {instability.total}, pain on axial loading without gross instability: percutaneous "
               "cement augmentation may be considered")
        source = f"{SOURCES['sins']}; {SOURCES['noms']}"
    else:
        stabilisation = ""
        why = f"SINS {instability.total}, {instability.category}, without pain on loading: no stabilisation"
        source = f"{SOURCES['sins']}; {SOURCES['noms']}"
    mechanical_plan = stabilisation  # what the mechanical step asks for on its own
    if operation:
        stabilisation = INSTRUMENTATION
        why += "; separation surgery instruments the spine in any case"
        source += f"; {SOURCES['instrumentation']}"
    steps.append(Step("3 Mechanical", f"level {patient.level}; {_items(patient.sins_items)}",
                      f"SINS {instability.total}: {instability.category}", why, source))

    # S: systemic -- what the patient can tolerate
    total = scores.tokuhashi_revised(**patient.tokuhashi_items)
    band = scores.tokuhashi_band(total)
    open_operation = bool(operation) or stabilisation == OPEN_STABILISATION
    short_survival = band == LOWEST_TOKUHASHI_BAND
    if open_operation and (not patient.fit_for_surgery or short_survival):
        reason = " and ".join(r for r in ["cannot tolerate an open operation" if not patient.fit_for_surgery else "",
                                          "a predicted survival under six months" if short_survival else ""] if r)
        why = (f"{reason}: the open operation is withdrawn; the model keeps radiation, and percutaneous "
               "options for instability")
        if operation:
            operation, radiation = "", RADIATION_ALONE
            stabilisation = PERCUTANEOUS if unstable else mechanical_plan
        elif stabilisation == OPEN_STABILISATION:
            stabilisation = PERCUTANEOUS
        source = (f"{SOURCES['tokuhashi']}; {SOURCES['noms']} (treatment follows what the patient can tolerate); "
                  f"what replaces the operation{' and the survival threshold' if short_survival else ''}: {SOURCES['book']}")
    else:
        why = ("the patient can tolerate the open operation and is expected to live long enough to benefit"
               if open_operation else "no open operation is proposed, so nothing to weigh against it")
        source = f"{SOURCES['tokuhashi']}; {SOURCES['noms']}"
    steps.append(Step("4 Systemic",
                      f"fit for surgery {'yes' if patient.fit_for_surgery else 'no'}; revised Tokuhashi "
                      f"{total} ({_items(patient.tokuhashi_items)})",
                      f"predicted survival {band}", why, source))

    return PathwayResult(patient, radiation, operation, stabilisation, steps)


# --- Who the randomised evidence applies to ------------------------------------------------------

def patchell_eligibility(patient: Patient) -> pd.DataFrame:
    """Each Patchell 2005 criterion, whether ``patient`` meets it (yes / no / unclear) and why."""
    band = scores.tokuhashi_band(scores.tokuhashi_revised(**patient.tokuhashi_items))
    histology = classify_histology(patient.histology).histology
    excluded_histology = histology if histology in PATCHELL_EXCLUDED_HISTOLOGIES else None
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
    Patient("A (fictional)", "multiple myeloma", "T9", "3",
            {"pain": "occasional non-mechanical", "bone_lesion": "lytic", "alignment": "normal",
             "collapse": "no collapse, >50% body involved", "posterolateral": "none"},
            _tokuhashi(condition="moderate", frankel="D"), fit_for_surgery=True,
            story="Myeloma with high-grade cord compression and leg weakness; the spine is stable."),
    Patient("B (fictional)", "renal cell carcinoma", "L2", "1a",
            {"pain": "occasional non-mechanical", "bone_lesion": "lytic", "alignment": "normal",
             "collapse": "no collapse, >50% body involved", "posterolateral": "unilateral"},
            _tokuhashi(primary="kidney"), fit_for_surgery=True,
            story="Kidney cancer in the epidural space, not deforming the thecal sac; pain at rest, not on loading."),
    Patient("C (fictional)", "renal cell carcinoma", "T6", "3",
            {"pain": "occasional non-mechanical", "bone_lesion": "lytic", "alignment": "normal",
             "collapse": "<50% collapse", "posterolateral": "bilateral"},
            _tokuhashi(primary="kidney", frankel="D"), fit_for_surgery=True,
            story="Kidney cancer compressing the cord, walking with help, otherwise well."),
    Patient("D (fictional)", "colorectal adenocarcinoma", "T12", "1b",
            {"pain": "mechanical", "bone_lesion": "lytic", "alignment": "de novo deformity",
             "collapse": ">50% collapse", "posterolateral": "bilateral"},
            _tokuhashi(extraspinal=1, primary="other"), fit_for_surgery=True,
            story="Collapsed thoracolumbar vertebra with pain on standing; the cord is not compressed."),
    Patient("E (fictional)", "melanoma", "T4", "2",
            {"pain": "occasional non-mechanical", "bone_lesion": "lytic", "alignment": "normal",
             "collapse": "<50% collapse", "posterolateral": "unilateral"},
            _tokuhashi(condition="poor", extraspinal=3, vertebral=3, organ="unremovable", primary="other",
                       frankel="A"),
            fit_for_surgery=False, paraplegic_hours=72,
            story="Melanoma with widespread disease, bedbound, paraplegic for three days."),
    Patient("F (fictional)", "breast carcinoma", "T8", "3",
            {"pain": "occasional non-mechanical", "bone_lesion": "mixed", "alignment": "normal",
             "collapse": "no collapse, >50% body involved", "posterolateral": "none"},
            _tokuhashi(primary="breast", frankel="D"), fit_for_surgery=True,
            story="Breast cancer compressing the cord, with leg weakness; fit, and the spine is stable."),
]


def vignette_table(vignettes: list[Patient] = VIGNETTES) -> pd.DataFrame:
    """One row per vignette: what the pathway proposes and whether the Patchell trial applies."""
    rows = []
    for patient in vignettes:
        result = noms(patient)
        rows.append({"vignette": patient.name, "histology": patient.histology,
                     "class": radiosensitivity(patient.histology), "ESCC": patient.escc_grade,
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
    "on MRI. Step 2, oncologic: is the tumour radiosensitive, by the book's table of histology classes with "
    "their sources? If yes, conventional external beam radiotherapy whatever the compression grade. If no "
    "(radioresistant), the ESCC grade decides: grade 0 to 1c, stereotactic radiosurgery (SRS) alone; grade 2 "
    "or 3 in a patient fit for an operation, separation surgery, then SRS. Step 3, mechanical, assessed apart "
    "from the radiation: spinal instability score (SINS) 13 to 18, open stabilisation; otherwise, pain on "
    "loading, consider percutaneous cement augmentation, or none. Step 4, systemic: can the patient tolerate "
    "the plan and live long enough to benefit? If not, the model withdraws the open operation and keeps "
    "radiation alone and percutaneous options for instability. A teaching model of the published NOMS "
    "framework, not a clinical tool.")


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
    full(["1  Neurologic", "ESCC grade on MRI"], "assess")
    body.append(_arrow(WIDTH / 2, y, WIDTH / 2, y + 22)); y += 22
    full(["2  Oncologic", "Is the tumour radiosensitive?", "(table of classes, each sourced)"], "assess")
    body.append(_arrow(centre_left, y, centre_left, y + 30, "yes"))
    body.append(_arrow(centre_right, y, centre_right, y + 30, "no")); y += 30
    left_bottom, right_bottom = pair(["Conventional", "radiotherapy (cEBRT),", "any ESCC grade"],
                                     ["Radioresistant:", "which ESCC grade?"], "outcome")
    # the 'no' branch splits again on the compression grade: an elbow from the right box to both columns
    body.append(f"<path d='M{centre_right:g},{right_bottom} L{centre_right:g},{y + 12} L{centre_left:g},{y + 12}' "
                "fill='none' stroke='#333' stroke-width='1.4'/>")
    body.append(_arrow(centre_left, y + 12, centre_left, y + 32))
    body.append(_arrow(centre_right, y + 12, centre_right, y + 32)); y += 32
    grades = pair(["ESCC 0-1c:", "SRS alone"], ["ESCC 2-3, if fit:", "separation", "surgery, then SRS"], "outcome",
                  bold=True)
    # the cEBRT branch skips the grade question: a line down the left margin to the join below
    body.append(f"<path d='M{left_x + 14},{left_bottom} L{left_x + 14},{left_bottom + 8} L4,{left_bottom + 8} "
                f"L4,{y + 12} L{centre_left:g},{y + 12}' fill='none' stroke='#333' stroke-width='1.4'/>")
    join(grades, "all branches")
    full(["3  Mechanical", "Spinal instability (SINS)?"], "assess")
    body.append(_arrow(centre_left, y, centre_left, y + 30, "unstable"))
    body.append(_arrow(centre_right, y, centre_right, y + 30, "not")); y += 30
    join(pair(["SINS 13-18:", "open", "stabilisation"], ["Pain on loading:", "consider cement;", "otherwise none"],
              "outcome"))
    full(["4  Systemic", "Can the patient tolerate the plan", "and live long enough to benefit?",
          "If not: radiation alone; percutaneous", "options for instability."], "systemic")
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
