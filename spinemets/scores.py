"""Scores and grades surgeons use to select patients with spinal metastases.

Each score is a small function of its published items, returning the total; a companion
function turns a total into the published category. Arguments are plain words (the tables
below), so a call reads like the scoring sheet. Unknown answers raise ``ValueError`` rather than
being scored as zero.

Sources and how far each table was checked (see the chapter *Prognostic scores*):

* Revised Tokuhashi score -- Tokuhashi et al. 2005 (Spine 30:2186). Items, points and the three
  prognostic bands follow the table reproduced with permission in the NICE guideline on
  metastatic spinal cord compression (2008, appendix 3, table 2: "TS 0-8 < 6 months, TS 9-11
  >= 6 months, TS 12-15 >= 1 year"). The treatment attached to each band is the version usually
  attributed to the 2005 paper: conservative or palliative for 0-8, excisional for 12-15, and for
  9-11 palliative surgery or, in selected patients, excisional surgery. The NICE table prints the
  survival criteria only, and neither the paper nor its abstract could be read, so the treatments
  are unchecked; the paper attaches a condition to excision in the 9-11 band, which the book
  therefore does not state.
* Tomita score -- Tomita et al. 2001, "Surgical strategy for spinal metastases" (Spine 26:298-306;
  doi 10.1097/00007632-200102010-00016): growth of the primary tumour (slow / moderate / rapid),
  visceral metastases and bone metastases, a lower total being better, and a treatment goal for
  each total. The points (primary 1/2/4, visceral 0/2/4, bone 1/2), the goal of each total and
  the grouping of primary sites by growth are the version in wide use; none of the sources cited
  in the chapter *Prognostic scores* prints them, and the chapter says so. Its abstract could not
  be read to check them either.
* SINS -- Fisher et al. 2010 (Spine 35:E1221-E1229; doi 10.1097/BRS.0b013e3181e16ae2) built the
  score from six components (location, pain, bone lesion, alignment, vertebral body collapse,
  posterolateral involvement), as its abstract lists. The three bands 0-6, 7-12 and 13-18 are
  those of the reliability study by the same group (Fourney et al. 2011, J Clin Oncol 29:3072-3077;
  doi 10.1200/JCO.2010.34.3897; PMID 21709187), whose abstract names them stable, potentially
  unstable and unstable. The labels used here ("stable", "indeterminate (possible impending)
  instability", "instability") are the wording attributed to Fisher et al. 2010; its abstract
  does not print the bands.
* ESCC (Bilsky) grade -- Bilsky et al. 2010 (J Neurosurg Spine 13:324-328; PMID 20809724) tested a
  six-point scale read on axial T2-weighted MRI; its abstract does not define the grades, whose
  wording here follows the Radiopaedia article on the scale (Knipe, revised 3 May 2024). Grade 1
  is not "dura only": 1b deforms the thecal sac and 1c abuts the spinal cord, without compressing it.
* Frankel grade -- as used by Ohashi et al. 2019. The
  ASIA Impairment Scale, modified from Frankel's grades, replaced it in 1992 (see FRANKEL_NOTE).

This code teaches how the published scores are built. It is not a clinical tool and does not
advise treatment.
"""

from __future__ import annotations

from dataclasses import dataclass


# --- One definition per score --------------------------------------------------------------------
#
# Each score is written once, as data: its items, each item's options with their points, and the
# bands of the total with the text attached to each. The functions below (tokuhashi_revised,
# tomita_score, sins, ...) read these definitions, and so does ``spinemets.calculators``, which
# turns the same definition into the calculator on the chapter's page: no point is typed twice.


@dataclass(frozen=True)
class Option:
    """One answer to an item: its value (the word a function call uses), its points and the words a
    reader sees. ``low``-``high`` is the range of a count or a measurement the answer stands for."""

    value: str
    points: int
    label: str = ""
    low: float | None = None
    high: float | None = None

    @property
    def text(self) -> str:
        return self.label or self.value


@dataclass(frozen=True)
class Item:
    key: str                      # the keyword of the scoring function
    label: str                    # the question as the reader sees it
    options: tuple[Option, ...]

    @property
    def points(self) -> dict[str, int]:
        return {option.value: option.points for option in self.options}

    def option(self, answer) -> Option:
        for option in self.options:
            if option.value == answer:
                return option
        raise ValueError(f"{self.label}: {answer!r} is not one of {[o.value for o in self.options]}")

    def option_for_count(self, count: int) -> Option:
        """The answer whose range (``low``-``high``; no ``high``: and more) holds ``count``."""
        for option in self.options:
            if option.low is not None and option.low <= count and (option.high is None or count <= option.high):
                return option
        raise ValueError(f"{self.label}: {count!r} is outside "
                         f"{self.options[0].low}-{self.options[-1].high if self.options[-1].high is not None else ''}")


@dataclass(frozen=True)
class Band:
    """Totals ``low`` to ``high`` (inclusive), the band's name and what the source attaches to it."""

    low: int
    high: int
    label: str
    proposal: str = ""


@dataclass(frozen=True)
class Score:
    key: str
    name: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    source: str                   # the paper(s) the items, points and bands come from
    band_title: str = "band"
    proposal_title: str = ""
    better: str = "higher"        # which end of the total is the better prognosis
    show_total: bool = True       # False for a grade read directly (ESCC): its "total" is only a rank
    ceiling: int | None = None    # a total above this counts as this (NESMS: 4 points score 3)

    def item(self, key: str) -> Item:
        return next(item for item in self.items if item.key == key)

    def total(self, answers: dict) -> int:
        """Sum of the points of ``answers`` (item key -> option value); every item must be answered."""
        unknown = set(answers) - {item.key for item in self.items}
        if unknown:
            raise ValueError(f"{self.name}: no item called {sorted(unknown)}")
        total = sum(item.option(answers[item.key]).points if item.key in answers
                    else _missing(self.name, item) for item in self.items)
        return total if self.ceiling is None else min(total, self.ceiling)

    def band(self, total: int) -> Band:
        """The band that holds ``total`` (a score without published bands, such as NESMS, has none to give)."""
        if not self.bands:
            raise ValueError(f"the {self.name} has no bands")
        for band_ in self.bands:
            if band_.low <= total <= band_.high:
                return band_
        raise ValueError(f"a {self.name} total runs from {self.bands[0].low} to {self.bands[-1].high}, not {total}")

    @property
    def range(self) -> tuple[int, int]:
        low = sum(min(item.points.values()) for item in self.items)
        high = sum(max(item.points.values()) for item in self.items)
        return (low, high if self.ceiling is None else min(high, self.ceiling))


def _missing(score: str, item: Item):
    raise ValueError(f"{score}: {item.label} is not answered")


def band(bands: list[tuple[int, int, str]], total: int, score: str) -> str:
    """The label of the (low, high, label) band that contains ``total``."""
    for low, high, label in bands:
        if low <= total <= high:
            return label
    raise ValueError(f"a {score} total runs from {bands[0][0]} to {bands[-1][1]}, not {total}")


def lookup(table: dict, answer, item: str):
    try:
        return table[answer]
    except KeyError:
        raise ValueError(f"{item}: {answer!r} is not one of {list(table)}") from None


# --- Revised Tokuhashi score (0-15; higher = longer expected survival) -------------------------

def _sites(points: int, *sites: str) -> list[Option]:
    return [Option(site, points) for site in sites]


TOKUHASHI = Score(
    "tokuhashi", "revised Tokuhashi score",
    items=(
        Item("general_condition", "General condition (Karnofsky performance status)", (
            Option("poor", 0, "poor: Karnofsky 10-40 %", 10, 40),
            Option("moderate", 1, "moderate: Karnofsky 50-70 %", 50, 70),
            Option("good", 2, "good: Karnofsky 80-100 %", 80, 100))),
        Item("extraspinal_bone_metastases", "Extraspinal bone metastatic foci", (
            Option("3 or more", 0, "3 or more", 3, None),
            Option("1-2", 1, "1 or 2", 1, 2),
            Option("0", 2, "none", 0, 0))),
        Item("vertebral_metastases", "Metastases in the vertebral body (number of vertebrae)", (
            Option("3 or more", 0, "3 or more", 3, None),
            Option("2", 1, "2", 2, 2),
            Option("1", 2, "1", 1, 1))),
        Item("organ_metastases", "Metastases to the major internal organs", (
            Option("unremovable", 0), Option("removable", 1), Option("none", 2))),
        Item("primary_site", "Primary site of the cancer", tuple(
            _sites(0, "lung", "osteosarcoma", "stomach", "bladder", "esophagus", "pancreas")
            + _sites(1, "liver", "gallbladder", "unidentified")
            + [Option("other", 2, "other site")]
            + _sites(3, "kidney", "uterus") + _sites(4, "rectum")
            + _sites(5, "thyroid", "breast", "prostate", "carcinoid"))),
        Item("frankel", "Palsy (Frankel grade)", (
            Option("A", 0, "A: complete"), Option("B", 0, "B: sensory only"),
            Option("C", 1, "C: motor useless"), Option("D", 1, "D: motor useful"),
            Option("E", 2, "E: none (normal)"))),
    ),
    # The treatment attributed to Tokuhashi et al. 2005 for each band (unchecked: see the module docstring).
    bands=(Band(0, 8, "< 6 months", "conservative treatment or palliative surgery"),
           Band(9, 11, ">= 6 months", "palliative surgery, or excisional surgery in selected patients"),
           Band(12, 15, ">= 1 year", "excisional surgery")),
    source="Tokuhashi et al. 2005 (Spine 30:2186), items and points as reproduced in the NICE guideline "
           "on metastatic spinal cord compression (2008)",
    band_title="predicted survival", proposal_title="treatment Tokuhashi et al. attach to the band")

TOKUHASHI_GENERAL_CONDITION = TOKUHASHI.item("general_condition").points  # Karnofsky 10-40 / 50-70 / 80-100 %
TOKUHASHI_ORGAN_METASTASES = TOKUHASHI.item("organ_metastases").points
TOKUHASHI_PRIMARY_SITE = TOKUHASHI.item("primary_site").points
TOKUHASHI_PALSY = TOKUHASHI.item("frankel").points  # Frankel grade -> complete / incomplete / none
TOKUHASHI_BANDS = [(b.low, b.high, b.label) for b in TOKUHASHI.bands]
TOKUHASHI_RECOMMENDATIONS = [(b.low, b.high, b.proposal) for b in TOKUHASHI.bands]


def karnofsky_to_condition(karnofsky: int) -> str:
    """General condition of the Tokuhashi score from a Karnofsky performance status (10-100 %)."""
    if not 10 <= karnofsky <= 100:
        raise ValueError(f"Karnofsky performance status {karnofsky} is outside 10-100")
    # The first band whose upper bound is not below the status (a status between bands, 45 %, takes the higher).
    return next(o.value for o in TOKUHASHI.item("general_condition").options if karnofsky <= o.high)


COUNT_ITEMS = {"extraspinal bone metastases": "extraspinal_bone_metastases",
               "vertebral metastases": "vertebral_metastases"}


def count_points(count: int, item: str) -> int:
    """Extraspinal bone foci (0 / 1-2 / >=3) and vertebral-body metastases (1 / 2 / >=3): 2, 1, 0 points."""
    if count < 0:
        raise ValueError(f"{item}: a count cannot be negative ({count})")
    return TOKUHASHI.item(COUNT_ITEMS[item]).option_for_count(count).points


def tokuhashi_revised(general_condition: str, extraspinal_bone_metastases: int, vertebral_metastases: int,
                      organ_metastases: str, primary_site: str, frankel: str) -> int:
    """Revised Tokuhashi score (Tokuhashi et al. 2005): six items, 0-15 points.

    ``general_condition``: 'poor' | 'moderate' | 'good' (see :func:`karnofsky_to_condition`);
    ``extraspinal_bone_metastases``: number of foci; ``vertebral_metastases``: number of
    vertebral bodies involved (at least 1); ``organ_metastases``: metastases to the major
    internal organs, 'none' | 'removable' | 'unremovable'; ``primary_site``: a key of
    ``TOKUHASHI_PRIMARY_SITE`` ('other' for any site not listed); ``frankel``: grade A-E.
    """
    if vertebral_metastases < 1:
        raise ValueError("vertebral_metastases: a spinal metastasis involves at least one vertebral body")
    return (lookup(TOKUHASHI_GENERAL_CONDITION, general_condition, "general condition")
            + count_points(extraspinal_bone_metastases, "extraspinal bone metastases")
            + count_points(vertebral_metastases, "vertebral metastases")
            + lookup(TOKUHASHI_ORGAN_METASTASES, organ_metastases, "metastases to major internal organs")
            + lookup(TOKUHASHI_PRIMARY_SITE, primary_site, "primary site")
            + lookup(TOKUHASHI_PALSY, frankel, "palsy (Frankel grade)"))


def tokuhashi_band(total: int) -> str:
    """The predicted survival band of a revised Tokuhashi total: '< 6 months', '>= 6 months', '>= 1 year'."""
    return band(TOKUHASHI_BANDS, total, "revised Tokuhashi")


def tokuhashi_recommendation(total: int) -> str:
    """The treatment Tokuhashi et al. 2005 attached to the band of a revised Tokuhashi total."""
    return band(TOKUHASHI_RECOMMENDATIONS, total, "revised Tokuhashi")


# --- Tomita score (2-10; higher = worse prognosis) ---------------------------------------------

# Primary sites grouped by growth rate as in Tomita et al. 2001.
TOMITA_SITE_GROWTH = {
    **dict.fromkeys(["breast", "thyroid", "prostate"], "slow"),
    **dict.fromkeys(["kidney", "uterus"], "moderate"),
    **dict.fromkeys(["lung", "liver", "stomach", "colon", "unknown"], "rapid"),
}


def _growth(value: str, points: int) -> Option:
    sites = ", ".join(site for site, growth in TOMITA_SITE_GROWTH.items() if growth == value)
    return Option(value, points, f"{value} growth ({sites})")


TOMITA = Score(
    "tomita", "Tomita score",
    items=(
        Item("primary", "Growth of the primary tumour", (_growth("slow", 1), _growth("moderate", 2), _growth("rapid", 4))),
        Item("visceral_metastases", "Visceral metastases", (
            Option("none", 0), Option("treatable", 2), Option("untreatable", 4))),
        Item("bone_metastases", "Bone metastases (spine included)", (
            Option("solitary", 1, "solitary or isolated"), Option("multiple", 2))),
    ),
    bands=(Band(2, 3, "long-term local control", "wide or marginal excision"),
           Band(4, 5, "middle-term local control", "marginal or intralesional excision"),
           Band(6, 7, "short-term palliation", "palliative surgery"),
           Band(8, 10, "terminal care", "non-operative supportive care")),
    source="Tomita et al. 2001 (Spine 26:298-306), points, goals and site groups in the version in wide use "
           "(not printed by the sources this book could read)",
    band_title="treatment goal", proposal_title="surgical strategy attached to the goal", better="lower")

TOMITA_PRIMARY_GROWTH = TOMITA.item("primary").points
TOMITA_VISCERAL = TOMITA.item("visceral_metastases").points
TOMITA_BONE = TOMITA.item("bone_metastases").points
TOMITA_GOALS = [(b.low, b.high, f"{b.label}: {b.proposal}") for b in TOMITA.bands]


def tomita_growth(primary_site: str) -> str:
    """Growth rate ('slow', 'moderate', 'rapid') of a primary site as grouped in the Tomita score (Tomita et al. 2001).

    Sites the grouping does not list raise ``ValueError``: the book does not guess a growth rate.
    """
    return lookup(TOMITA_SITE_GROWTH, primary_site.lower(), "primary site (Tomita growth rate)")


def tomita_score(primary: str, visceral_metastases: str, bone_metastases: str) -> int:
    """Tomita score (Tomita et al. 2001): 2-10 points, lower is better.

    ``primary``: a growth rate ('slow' | 'moderate' | 'rapid') or a primary site listed in
    ``TOMITA_SITE_GROWTH`` ('breast', 'kidney', 'lung', ...), mapped by :func:`tomita_growth`;
    ``visceral_metastases``: 'none' | 'treatable' | 'untreatable'; ``bone_metastases``:
    'solitary' | 'multiple'.
    """
    growth = primary if primary in TOMITA_PRIMARY_GROWTH else tomita_growth(primary)
    return (TOMITA_PRIMARY_GROWTH[growth]
            + lookup(TOMITA_VISCERAL, visceral_metastases, "visceral metastases")
            + lookup(TOMITA_BONE, bone_metastases, "bone metastases"))


def tomita_goal(total: int) -> str:
    """Treatment goal attached to a Tomita total."""
    return band(TOMITA_GOALS, total, "Tomita")


# --- Spinal Instability Neoplastic Score (0-18) ------------------------------------------------

# Spinal levels of each SINS location class; the four classes together cover occiput to S5.
SINS_LEVELS = {
    "junctional": ["Occ", "C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"],
    "mobile": ["C3", "C4", "C5", "C6", "L2", "L3", "L4"],
    "semirigid": [f"T{n}" for n in range(3, 11)],
    "rigid": [f"S{n}" for n in range(2, 6)],
}


SPINE = ["Occ"] + [f"C{n}" for n in range(1, 8)] + [f"T{n}" for n in range(1, 13)] + [f"L{n}" for n in range(1, 6)] \
    + [f"S{n}" for n in range(1, 6)]


def level_ranges(levels: list[str]) -> str:
    """Spinal levels written as runs: ['Occ', 'C1', 'C2', 'C7', 'T1'] -> 'Occ-C2, C7-T1'."""
    positions = sorted(SPINE.index(level) for level in levels)
    runs: list[list[int]] = []
    for position in positions:
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    return ", ".join(SPINE[run[0]] if len(run) == 1 else f"{SPINE[run[0]]}-{SPINE[run[-1]]}" for run in runs)


def _location(value: str, points: int) -> Option:
    return Option(value, points, f"{value} ({level_ranges(SINS_LEVELS[value])})")


SINS_SCORE = Score(
    "sins", "Spinal Instability Neoplastic Score (SINS)",
    items=(
        Item("location", "Location", (
            _location("junctional", 3), _location("mobile", 2), _location("semirigid", 1), _location("rigid", 0))),
        Item("pain", "Pain", (
            Option("mechanical", 3, "mechanical (on movement or loading)"),
            Option("occasional non-mechanical", 1), Option("pain-free", 0))),
        Item("bone_lesion", "Bone lesion", (Option("lytic", 2), Option("mixed", 1, "mixed lytic/blastic"), Option("blastic", 0))),
        Item("alignment", "Radiographic spinal alignment", (
            Option("subluxation/translation", 4, "subluxation or translation"),
            Option("de novo deformity", 2, "de novo deformity (kyphosis or scoliosis)"), Option("normal", 0))),
        Item("collapse", "Vertebral body collapse", (
            Option(">50% collapse", 3, "more than 50 % collapse"), Option("<50% collapse", 2, "less than 50 % collapse"),
            Option("no collapse, >50% body involved", 1, "no collapse, more than 50 % of the body involved"),
            Option("none of the above", 0))),
        Item("posterolateral", "Posterolateral involvement of spinal elements", (
            Option("bilateral", 3), Option("unilateral", 1), Option("none", 0))),
    ),
    # Bands 0-6 / 7-12 / 13-18 (Fourney et al. 2011: stable / potentially unstable / unstable); the labels
    # are the wording attributed to Fisher et al. 2010.
    bands=(Band(0, 6, "stable"), Band(7, 12, "indeterminate (possible impending) instability"),
           Band(13, 18, "instability")),
    source="Fisher et al. 2010 (Spine 35:E1221) for the six components; bands of Fourney et al. 2011 "
           "(J Clin Oncol 29:3072)",
    band_title="category")

SINS_LOCATION = SINS_SCORE.item("location").points
SINS_PAIN = SINS_SCORE.item("pain").points
SINS_BONE_LESION = SINS_SCORE.item("bone_lesion").points
SINS_ALIGNMENT = SINS_SCORE.item("alignment").points
SINS_COLLAPSE = SINS_SCORE.item("collapse").points
SINS_POSTEROLATERAL = SINS_SCORE.item("posterolateral").points
SINS_CATEGORIES = [(b.low, b.high, b.label) for b in SINS_SCORE.bands]


def sins_location(level: str) -> str:
    """The SINS location class of a spinal level such as 'T12' or 'L3'."""
    for location, levels in SINS_LEVELS.items():
        if level in levels:
            return location
    raise ValueError(f"{level!r} is not a spinal level from Occ to S5")


@dataclass(frozen=True)
class SINS:
    total: int
    category: str


def sins(location: str, pain: str, bone_lesion: str, alignment: str, collapse: str, posterolateral: str) -> SINS:
    """Spinal Instability Neoplastic Score (Fisher et al. 2010): six components, 0-18, and its category.

    ``location`` may be a class ('junctional', ...) or a level ('T12'), converted by :func:`sins_location`.
    """
    location_class = location if location in SINS_LOCATION else sins_location(location)
    total = (SINS_LOCATION[location_class]
             + lookup(SINS_PAIN, pain, "pain")
             + lookup(SINS_BONE_LESION, bone_lesion, "bone lesion")
             + lookup(SINS_ALIGNMENT, alignment, "radiographic alignment")
             + lookup(SINS_COLLAPSE, collapse, "vertebral body collapse")
             + lookup(SINS_POSTEROLATERAL, posterolateral, "posterolateral involvement"))
    return SINS(total, sins_category(total))


def sins_category(total: int) -> str:
    """The SINS category of a total (Fisher et al. 2010): 'stable', 'indeterminate (possible impending) instability', 'instability'."""
    return band(SINS_CATEGORIES, total, "SINS")


# --- Grades that are described, not computed ---------------------------------------------------

# A grade read on MRI, not a sum: the "points" are only the grades' order, and the two bands are
# the split the NOMS framework uses (high grade: the cord is compressed).
ESCC = Score(
    "escc", "ESCC (Bilsky) grade",
    items=(Item("grade", "Epidural compression on axial T2-weighted MRI", (
        Option("0", 0, "0: bone-only disease"),
        Option("1a", 1, "1a: epidural impingement without deformation of the thecal sac"),
        Option("1b", 2, "1b: deformation of the thecal sac without spinal cord abutment"),
        Option("1c", 3, "1c: deformation of the thecal sac with spinal cord abutment, without compression"),
        Option("2", 4, "2: spinal cord compression with cerebrospinal fluid visible around the cord"),
        Option("3", 5, "3: spinal cord compression without cerebrospinal fluid visible around the cord"))),),
    bands=(Band(0, 3, "low grade", "the cord is not compressed; a radioresistant tumour can go to radiosurgery "
                                   "directly"),
           Band(4, 5, "high grade", "the cord is compressed; separation surgery before radiosurgery for a "
                                    "radioresistant tumour in a patient fit for the operation; a radiosensitive "
                                    "tumour is irradiated whatever the grade")),
    source="Bilsky et al. 2010 (J Neurosurg Spine 13:324) for the scale; wording of the grades after Knipe 2024 "
           "(Radiopaedia); high grade 2-3 as in NOMS (Laufer et al. 2013)",
    band_title="compression", proposal_title="in NOMS", show_total=False)

ESCC_GRADES = {option.value: option.label.split(": ", 1)[1] for option in ESCC.items[0].options}
ESCC_HIGH_GRADE = {option.value for option in ESCC.items[0].options if ESCC.band(option.points) == ESCC.bands[-1]}

FRANKEL_GRADES = {
    "A": "complete: no motor or sensory function below the lesion",
    "B": "sensory only: some sensation preserved, no motor function",
    "C": "motor useless: some motor function, of no practical use",
    "D": "motor useful: useful motor function below the lesion",
    "E": "recovery: normal motor and sensory function",
}


FRANKEL_NOTE = ("The Frankel grade (1969) has been replaced in spinal cord injury care by the ASIA Impairment "
                "Scale (AIS, 1992), which keeps the letters A-E but defines a complete injury by the absence of "
                "sacral sparing; the case series and the Tokuhashi score still use Frankel's grades.")


def escc_is_high_grade(grade: str) -> bool:
    """High-grade epidural spinal cord compression (ESCC 2 or 3).

    In NOMS it leads to separation surgery only for a radioresistant tumour in a patient fit for the
    operation; a radiosensitive tumour is irradiated whatever the grade (see ``spinemets.pathway``).
    """
    lookup(ESCC_GRADES, grade, "ESCC grade")
    return grade in ESCC_HIGH_GRADE


# =================================================================================================
# --- Scores of the systemic-therapy era (after 2013) ---------------------------------------------
# =================================================================================================
#
# Sources and how far each definition was checked (see the chapter *After 2013*):
#
# * Modified Bauer score -- Leithner et al. 2008 (Eur Spine J 17:1488-1495; doi
#   10.1007/s00586-008-0763-1; PMID 18787846) compared "a modified Bauer score without scoring for
#   pathologic fracture" with six other scores; their abstract names the modification but does not
#   list the items. The four items below (one point each: no visceral metastases, not a lung cancer,
#   a breast, kidney, lymphoma or myeloma primary, a solitary skeletal metastasis) are the original
#   Bauer items without the fracture item as the score is usually given; no abstract read prints them.
# * New England Spinal Metastasis Score (NESMS) -- the composite of Ghori et al. (Spine J 2015) of a
#   modified Bauer score, preoperative serum albumin and ambulatory status (Goodwin et al. 2016,
#   Spine J 16:1102-1108, doi 10.1016/j.spinee.2016.04.008, abstract), scored 0-3 (Schoenfeld et al.
#   2016, Spine J 16:482-490, doi 10.1016/j.spinee.2015.09.043, abstract: "an NESMS score (0-3)").
#   The weights (2 points for a modified Bauer score of 3 or more, 1 for independent ambulation, 1
#   for albumin of at least 3.5 g/dL, the sum capped at a ceiling of 3) are those of secondary summaries of Ghori et al. 2015 and
#   Schoenfeld et al. 2016, so the weights and cut-offs are unverified against the primary source,
#   and the chapter says so.
#   Primary sources tried for the weights, none of which printed them in what could be read: the
#   paper of Ghori et al. (Spine J 2015; neither its text nor its abstract could be found); the
#   abstracts of Goodwin et al. 2016 (the three components) and Schoenfeld et al. 2016 (PMID
#   26409416; the 0-3 range), neither giving the points; the abstract of Schoenfeld et al. 2020 (Spine J
#   21:28-36, doi 10.1016/j.spinee.2020.02.009), which reports odds ratios by score, not its
#   definition; and Schoenfeld et al. 2022 (PMC8443703), of which only the abstract could be read.
#   Leithner et al. 2008 (PMID 18787846): only the abstract, which does not list the items.
#
# This code teaches how the published scores are built. It is not a clinical tool and does not
# advise treatment.

MODIFIED_BAUER_ITEMS = (
    "no visceral metastases",
    "primary tumour is not lung cancer",
    "primary tumour is breast, kidney, lymphoma or multiple myeloma",
    "solitary skeletal metastasis",
)
MODIFIED_BAUER_FAVOURABLE_PRIMARIES = {"breast", "kidney", "lymphoma", "myeloma"}

# The four items as a definition the calculator can show: the two items about the primary tumour
# become one question (a favourable primary is not a lung cancer either, so it scores both points).
MODIFIED_BAUER = Score(
    "modified-bauer", "modified Bauer score",
    items=(
        Item("visceral_metastases", "Visceral metastases", (
            Option("none", 1), Option("present", 0))),
        Item("primary", "Primary tumour", (
            Option("favourable", 2, ", ".join(sorted(MODIFIED_BAUER_FAVOURABLE_PRIMARIES)) + " (favourable, not lung)"),
            Option("other", 1, "another site, not lung"),
            Option("lung", 0, "lung cancer"))),
        Item("skeletal_metastases", "Skeletal metastases", (
            Option("solitary", 1, MODIFIED_BAUER_ITEMS[3], 1, 1), Option("multiple", 0, "more than one", 2, None))),
    ),
    # The two groups NESMS reads (0-2 and 3-4); NESMS's points for each are in its own definition.
    bands=(Band(0, 2, "0-2"), Band(3, 4, "3-4")),
    source="Leithner et al. 2008 (Eur Spine J 17:1488) name the modification (no fracture item); the items as "
           "the score is usually given, printed by no abstract read",
    band_title="group NESMS reads")


def modified_bauer(visceral_metastases: bool, primary_site: str, skeletal_metastases: int) -> int:
    """Modified Bauer score (0-4; higher is better): one point for each favourable item.

    ``visceral_metastases``: whether any are present; ``primary_site``: a lower-case site such as
    'lung', 'breast', 'kidney', 'lymphoma', 'myeloma', 'prostate'; ``skeletal_metastases``: the
    number of skeletal metastases (at least 1). See ``MODIFIED_BAUER_ITEMS`` for the items.
    """
    if not isinstance(visceral_metastases, bool):
        raise ValueError(f"visceral metastases: {visceral_metastases!r} is not True or False")
    if not isinstance(primary_site, str) or not primary_site.strip():
        raise ValueError(f"primary site: {primary_site!r} is not a site name")
    if isinstance(skeletal_metastases, bool) or not isinstance(skeletal_metastases, int) or skeletal_metastases < 1:
        raise ValueError(f"skeletal metastases: a spinal metastasis counts, so the number is at least 1, not {skeletal_metastases!r}")
    site = primary_site.strip().lower()
    return MODIFIED_BAUER.total({
        "visceral_metastases": "present" if visceral_metastases else "none",
        "primary": "favourable" if site in MODIFIED_BAUER_FAVOURABLE_PRIMARIES else "lung" if site == "lung" else "other",
        "skeletal_metastases": MODIFIED_BAUER.item("skeletal_metastases").option_for_count(skeletal_metastases).value})


_ALBUMIN_G_DL = 3.5   # the NESMS cut-off: at or above it, 1 point

NESMS = Score(
    "nesms", "New England Spinal Metastasis Score (NESMS)",
    items=(
        Item("modified_bauer", "Modified Bauer score", tuple(
            Option(group.label, points, group.label, group.low, group.high)
            for group, points in zip(MODIFIED_BAUER.bands, (0, 2)))),
        Item("ambulatory", "Ambulatory status", (
            Option("independent", 1), Option("assisted", 0), Option("non-ambulatory", 0))),
        Item("albumin", "Preoperative serum albumin", (
            Option(f"below {_ALBUMIN_G_DL:g} g/dL", 0, "", 0, _ALBUMIN_G_DL),
            Option(f"{_ALBUMIN_G_DL:g} g/dL or more", 1, "", _ALBUMIN_G_DL, None))),
    ),
    bands=(),
    source="Ghori et al. 2015 and Schoenfeld et al. 2016 (Spine J), weights as secondary summaries give them: "
           "neither paper nor its abstract could be read to verify them",
    ceiling=3)

NESMS_BAUER_POINTS = [(o.low, o.high, o.points) for o in NESMS.item("modified_bauer").options]  # Bauer total -> points
NESMS_ALBUMIN_CUTOFF_G_DL = NESMS.item("albumin").options[-1].low  # serum albumin at or above this scores 1 point
NESMS_AMBULATORY = NESMS.item("ambulatory").points
NESMS_TOTAL_RANGE = NESMS.range
NESMS_CEILING = NESMS.ceiling  # the points can add up to 4; the score is capped at 3


def nesms(modified_bauer_total: int, ambulatory: str, albumin_g_dl: float) -> int:
    """New England Spinal Metastasis Score (0-3; higher = longer expected survival).

    ``modified_bauer_total``: 0-4 (see :func:`modified_bauer`); ``ambulatory``: 'independent',
    'assisted' or 'non-ambulatory'; ``albumin_g_dl``: preoperative serum albumin in g/dL (a value
    in g/L, such as 35, is refused rather than converted). The points (2 + 1 + 1) are capped at 3.
    The weights are unverified against the primary source (see the notes above).
    """
    if isinstance(modified_bauer_total, bool) or not isinstance(modified_bauer_total, int):
        raise ValueError(f"modified Bauer score: {modified_bauer_total!r} is not a whole number")
    bauer = band(NESMS_BAUER_POINTS, modified_bauer_total, "modified Bauer")
    if isinstance(albumin_g_dl, bool) or not isinstance(albumin_g_dl, (int, float)) or albumin_g_dl != albumin_g_dl:
        raise ValueError(f"serum albumin: {albumin_g_dl!r} is not a number of g/dL")
    if not 0.5 <= albumin_g_dl <= 7.0:
        raise ValueError(f"serum albumin {albumin_g_dl} g/dL is outside 0.5-7.0 g/dL (a value in g/L must be divided by 10)")
    below, at_or_above = NESMS.item("albumin").options
    albumin = (at_or_above if albumin_g_dl >= NESMS_ALBUMIN_CUTOFF_G_DL else below).value
    lookup(NESMS_AMBULATORY, ambulatory, "ambulatory status")
    return NESMS.total({"modified_bauer": next(o.value for o in NESMS.item("modified_bauer").options if o.points == bauer),
                        "ambulatory": ambulatory, "albumin": albumin})


# Published discrimination at 1 year (c-statistic for survival; for SORG the AUC for mortality, the same
# ranking read the other way), each row from the abstract named in ``source``, printed to two decimals.
PUBLISHED_DISCRIMINATION = [
    {"score": "NESMS", "c_statistic": 0.79, "outcome": "1-year survival", "patients": 202,
     "cohort": "prospective, 2017-2019, operative and non-operative", "source": "schoenfeld2022"},
    {"score": "Tomita", "c_statistic": 0.69, "outcome": "1-year survival", "patients": 202,
     "cohort": "prospective, 2017-2019, operative and non-operative", "source": "schoenfeld2022"},
    {"score": "revised Tokuhashi", "c_statistic": 0.67, "outcome": "1-year survival", "patients": 202,
     "cohort": "prospective, 2017-2019, operative and non-operative", "source": "schoenfeld2022"},
    {"score": "SINS", "c_statistic": 0.54, "outcome": "1-year survival", "patients": 202,
     "cohort": "prospective, 2017-2019, operative and non-operative", "source": "schoenfeld2022"},
    {"score": "SORG machine learning", "c_statistic": 0.78, "outcome": "1-year mortality (AUC)", "patients": 415,
     "cohort": "radiotherapy without surgery, complete cases", "source": "fenn2024"},
]
