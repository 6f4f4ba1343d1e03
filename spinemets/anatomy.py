"""Labelled schematics of a vertebra, drawn as SVG by code and committed under ``book/images/``.

Drawn for a phone first: every figure is at most ``PHONE_WIDTH`` units wide and every label at
least ``MIN_FONT`` units high, so that shown 390 CSS px wide no label is smaller than 12 px
(the tests check it). Several panels are stacked one under another rather than shrunk side by
side. Stylised, not to scale: an axial (transverse) view with anterior at the top, as on an
axial CT or MRI slice, and a sagittal (side) view with anterior to the left and the head at the
top. Every drawing has a ``<title>`` and a ``<desc>`` for screen readers, and the chapters add
alt text in their figure directives. ``python -m spinemets.anatomy`` rewrites the files; the
tests check the committed files are exactly what this module draws.

Colours (Okabe-Ito, colour-blind safe): bone grey, tumour purple, dura light blue, cord yellow,
removed tissue orange with a hatch pattern so it is visible without colour.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

from spinemets import PROJECT_ROOT

IMAGES = PROJECT_ROOT / "book" / "images"
PHONE_WIDTH = 380  # viewBox width of every figure: shown at 390 px, 1 unit is about 1 px
MIN_FONT = 14      # smallest label: 14 x 390 / 380 = 14.4 px at 390 px, still 12.9 px at 350 px
BONE, BONE_EDGE = "#d9d4c7", "#6b6457"
TUMOUR = "#CC79A7"
DURA, CORD = "#a6d8f0", "#F0E442"
REMOVED = "#E69F00"
FONT = "font-family='system-ui, Segoe UI, Roboto, sans-serif'"

DEFS = f"""<defs>
<pattern id="removed" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
<rect width="8" height="8" fill="{REMOVED}" fill-opacity="0.55"/><line x1="0" y1="0" x2="0" y2="8" stroke="#8a5a00" stroke-width="2"/>
</pattern>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>
</defs>"""


def svg(width: int, height: int, title: str, desc: str, body: str) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
            f"role='img' aria-labelledby='title desc' {FONT}>\n<title id='title'>{html.escape(title)}</title>\n"
            f"<desc id='desc'>{html.escape(desc)}</desc>\n{DEFS}\n<rect width='{width}' height='{height}' fill='white'/>\n{body}\n</svg>\n")


def text(x: float, y: float, label: str, size: int = MIN_FONT, anchor: str = "middle", weight: str = "normal") -> str:
    return (f"<text x='{x:g}' y='{y:g}' font-size='{size}' text-anchor='{anchor}' font-weight='{weight}' "
            f"fill='#222'>{html.escape(label)}</text>")


def lines(x: float, y: float, words: str, width_chars: int, size: int = MIN_FONT, anchor: str = "middle",
          weight: str = "normal") -> tuple[str, float]:
    """Wrap ``words`` at ``width_chars`` characters; return the text elements and the y below them."""
    rows, row = [], ""
    for word in words.split(" "):
        if row and len(row) + 1 + len(word) > width_chars:
            rows.append(row)
            row = ""
        row += ("" if not row else " ") + word
    rows.append(row)
    step = size + 4
    return "".join(text(x, y + step * i, r, size, anchor, weight) for i, r in enumerate(rows)), y + step * len(rows)


def callout(x: float, y: float, number: int) -> str:
    """A numbered marker on the drawing; the key under the figure names it."""
    return (f"<circle cx='{x:g}' cy='{y:g}' r='10' fill='white' stroke='#222' stroke-width='1.2'/>"
            + text(x, y + 5, str(number), MIN_FONT, weight="bold"))


# --- Axial view --------------------------------------------------------------------------------

AXIAL_PARTS = {
    # name: SVG element drawing that part of a vertebra in a 300 x 300 box (anterior at top)
    "body": "<ellipse cx='150' cy='95' rx='72' ry='56' {style}/>",
    "left pedicle": "<rect x='93' y='138' width='22' height='42' rx='4' {style}/>",
    "right pedicle": "<rect x='185' y='138' width='22' height='42' rx='4' {style}/>",
    "left transverse process": "<rect x='38' y='168' width='62' height='17' rx='6' {style}/>",
    "right transverse process": "<rect x='200' y='168' width='62' height='17' rx='6' {style}/>",
    "left facet": "<ellipse cx='100' cy='198' rx='14' ry='11' {style}/>",
    "right facet": "<ellipse cx='200' cy='198' rx='14' ry='11' {style}/>",
    "left lamina": "<polygon points='95,186 113,178 156,222 150,238 144,232' {style}/>",
    "right lamina": "<polygon points='205,186 187,178 144,222 150,238 156,232' {style}/>",
    "spinous process": "<polygon points='142,228 158,228 156,290 144,290' {style}/>",
}
ARCH = ["left lamina", "right lamina", "spinous process", "left facet", "right facet",
        "left transverse process", "right transverse process"]
BONE_STYLE = f"fill='{BONE}' stroke='{BONE_EDGE}' stroke-width='1.5'"
REMOVED_STYLE = "fill='url(#removed)' stroke='#8a5a00' stroke-width='1.5' stroke-dasharray='4 2'"
CANAL_CENTRE = (150, 183)

# Tumour shapes (axial) used by the techniques and the Tomita types.
TUMOUR_SHAPES = {
    "body": "<path d='M118,78 C128,58 172,56 184,76 C196,96 178,124 150,126 C124,128 108,98 118,78 Z'/>",
    "left pedicle": "<path d='M96,140 L113,140 L113,176 L96,176 Z'/>",
    "left lamina": "<polygon points='100,188 112,182 140,210 132,216'/>",
    "epidural": "<path d='M124,152 C134,146 166,146 176,152 C170,163 130,163 124,152 Z'/>",
    "paravertebral": "<path d='M82,70 C64,80 62,118 84,130 C94,118 92,84 82,70 Z'/>",
}
PLL = "<path d='M122,149 Q150,143 178,149' fill='none' stroke='#3d3a33' stroke-width='3'/>"
PLL_REMOVED = "<path d='M122,149 Q150,143 178,149' fill='none' stroke='#8a5a00' stroke-width='3' stroke-dasharray='3 3'/>"


def axial_bone(removed: set[str] = frozenset(), fragments: bool = False) -> str:
    parts = [element.format(style=REMOVED_STYLE if name in removed else BONE_STYLE)
             for name, element in AXIAL_PARTS.items()]
    if fragments:  # piecemeal removal: the removed bone drawn broken into pieces
        parts += [f"<line x1='{x}' y1='{y1}' x2='{x + 14}' y2='{y2}' stroke='#8a5a00' stroke-width='2'/>"
                  for x, y1, y2 in [(100, 60, 80), (140, 45, 70), (175, 70, 100), (120, 110, 135), (160, 118, 145)]]
    return "\n".join(parts)


def axial_neural() -> str:
    return (f"<circle cx='150' cy='183' r='27' fill='{DURA}' stroke='#3b7ea1' stroke-width='1.2'/>"
            f"<ellipse cx='150' cy='185' rx='14' ry='11' fill='{CORD}' stroke='#8a7d00' stroke-width='1'/>")


def axial_tumour(regions: list[str], removed: bool = False) -> str:
    """Tumour in purple; removed tumour keeps its colour under the hatch of removed tissue."""
    style = f"fill='{TUMOUR}' fill-opacity='0.85' stroke='#7a2d5c' stroke-width='1.2'"
    hatch = "fill='url(#removed)' stroke='#7a2d5c' stroke-width='1.2' stroke-dasharray='3 2'"
    return "\n".join(f"<g {style}>{TUMOUR_SHAPES[r]}</g>" + (f"<g {hatch}>{TUMOUR_SHAPES[r]}</g>" if removed else "")
                     for r in regions)


def key(x: float, y: float, entries: list[str], columns: int = 1, width: float = 360) -> tuple[str, float]:
    """The numbered key under a figure; returns the elements and the y below them."""
    out, rows = [], math.ceil(len(entries) / columns)
    for i, entry in enumerate(entries):
        col, row = divmod(i, rows)
        cx, cy = x + col * width / columns, y + row * 26
        out.append(callout(cx + 10, cy, i + 1) + text(cx + 26, cy + 5, entry, MIN_FONT, "start"))
    return "".join(out), y + rows * 26


ANATOMY_KEY = ["Vertebral body", "Tumour (metastasis)", "Epidural tumour", "Posterior longitudinal ligament (PLL)",
               "Pedicle", "Transverse process", "Facet joint", "Lamina", "Spinous process", "Spinal canal",
               "Dura (thecal sac)", "Spinal cord"]
ANATOMY_MARKS = [(150, 58), (165, 95), (150, 156), (190, 145), (104, 158), (52, 176), (88, 212), (125, 212),
                 (150, 268), (126, 172), (174, 170), (150, 186)]


def axial_anatomy() -> str:
    """A labelled axial vertebra (thoracic-style) with a metastasis in the body reaching the canal."""
    marks = "".join(callout(x, y, i + 1) for i, (x, y) in enumerate(ANATOMY_MARKS))
    legend, bottom = key(10, 360, ANATOMY_KEY, 1)
    body = "\n".join([
        text(190, 22, "Axial view, anterior at the top", 16, weight="bold"),
        "<g transform='translate(40,40)'>", axial_bone(), PLL, axial_neural(), axial_tumour(["body", "epidural"]),
        marks, "</g>", legend,
    ])
    return svg(PHONE_WIDTH, int(bottom) + 4, "Axial view of a vertebra with a metastasis",
               "Cross-section of a vertebra seen from above, anterior at the top, with twelve numbered structures. "
               "The oval vertebral body lies in front; a metastasis (purple) fills much of it and bulges backwards "
               "into the canal as epidural tumour, behind the posterior longitudinal ligament that lines the back of "
               "the body. Two pedicles join the body to the posterior arch: on each side a transverse process and a "
               "facet joint, then the two laminae meeting at the spinous process. The arch and the back of the body "
               "enclose the spinal canal, which holds the dura (thecal sac) around the spinal cord. A numbered key "
               "under the drawing names each structure.", body)


@dataclass(frozen=True)
class Technique:
    name: str
    removed: set[str]
    tumour: tuple[str, ...]
    tumour_removed: tuple[str, ...]
    pll_removed: bool
    fragments: bool
    caption: str


EVERY_PART = frozenset(AXIAL_PARTS)
TECHNIQUES = [
    Technique("En bloc spondylectomy (TES)", set(EVERY_PART), ("body", "epidural"), ("body", "epidural"), True, False,
              "Whole vertebra out in two blocks: the posterior arch after cutting both pedicles with a T-saw, then the "
              "body with its tumour, without entering the tumour except at the pedicle cuts."),
    Technique("Total piecemeal spondylectomy", set(EVERY_PART), ("body", "epidural"), ("body", "epidural"), True, True,
              "Whole vertebra removed in fragments: the tumour is entered (intralesional)."),
    Technique("Posterior corpectomy", EVERY_PART - {"left transverse process", "right transverse process"},
              ("body", "epidural"), ("body", "epidural"), True, True,
              "Transpedicular or costotransversectomy route: arch, facets, pedicles, PLL and most of the body removed "
              "piecemeal (intralesional), then a cage or cement."),
    Technique("Separation surgery", {"left lamina", "right lamina", "spinous process", "left facet", "right facet",
                                     "left pedicle", "right pedicle"},
              ("body", "epidural"), ("epidural",), True, False,
              "Laminae, both facets and pedicles, PLL and the epidural tumour removed; body tumour left for "
              "radiosurgery across the gap (dotted)."),
    Technique("Posterior VCR (pVCR)", set(EVERY_PART), (), (), True, True,
              "A deformity operation: a whole segment removed piecemeal from behind to correct a rigid curve; no "
              "tumour is the target."),
]


def technique_panel(technique: Technique, y: float) -> tuple[str, float]:
    """One technique: title, the vertebra scaled to 0.8 and a wrapped caption; returns elements and next y."""
    tumour = "".join(axial_tumour([r], removed=r in technique.tumour_removed) for r in technique.tumour)
    gap = ("<path d='M122,158 C134,150 166,150 178,158' fill='none' stroke='#0072B2' stroke-width='2.5' stroke-dasharray='3 3'/>"
           if technique.name == "Separation surgery" else "")
    title = text(190, y + 20, technique.name, 16, weight="bold")
    drawing = (f"<g transform='translate({190 - 120},{y + 30}) scale(0.8)'>" + axial_bone(technique.removed, technique.fragments)
               + (PLL_REMOVED if technique.pll_removed else PLL) + axial_neural() + tumour + gap + "</g>")
    caption, bottom = lines(190, y + 30 + 240 + 16, technique.caption, 44)
    return title + drawing + caption, bottom + 12


def legend(x: float, y: float) -> tuple[str, float]:
    """Colour legend in two columns (fits the phone width)."""
    items = [(BONE, "bone left in place"), ("url(#removed)", "removed"), (TUMOUR, "tumour"),
             (DURA, "dura"), (CORD, "spinal cord")]
    out = []
    for i, (fill, label) in enumerate(items):
        cx, cy = x + (i % 2) * 180, y + (i // 2) * 24
        out.append(f"<rect x='{cx}' y='{cy}' width='18' height='14' fill='{fill}' stroke='#444'/>"
                   + text(cx + 24, cy + 12, label, MIN_FONT, "start"))
    return "".join(out), y + 24 * math.ceil(len(items) / 2)


def techniques_axial() -> str:
    parts, y = [], 0.0
    for technique in TECHNIQUES:
        panel, y = technique_panel(technique, y)
        parts.append(panel)
    key_elements, bottom = legend(20, y + 4)
    return svg(PHONE_WIDTH, int(bottom) + 6, "What each vertebral operation removes, axial view",
               "Five axial views of the same vertebra, stacked. En bloc spondylectomy (TES): every part of the vertebra "
               "and the tumour are hatched as removed, in two whole blocks, the posterior arch and the body. Total "
               "piecemeal spondylectomy: the same parts removed but drawn broken into fragments, cutting through the "
               "tumour. Posterior corpectomy: the laminae, spinous process, both facets and pedicles, the posterior "
               "longitudinal ligament and most of the body with its tumour are removed in pieces; the transverse "
               "processes stay. Separation surgery: the laminae, spinous process, both facets and both pedicles, the "
               "posterior longitudinal ligament and the epidural tumour are removed, leaving a gap in front of the dura; "
               "the tumour in the body stays for radiosurgery. Posterior vertebral column resection: the whole vertebra "
               "removed in pieces, drawn without a tumour because it is a deformity operation.", "".join(parts) + key_elements)


# --- Sagittal view -----------------------------------------------------------------------------

def sagittal_vertebra(y: float, removed: bool = False, tumour: bool = False, posterior_removed: bool = False,
                      fragments: bool = False, height: float = 60) -> str:
    """One vertebra in side view at height y: body on the left, posterior arch on the right."""
    bone = REMOVED_STYLE if removed else BONE_STYLE
    arch = REMOVED_STYLE if (removed or posterior_removed) else BONE_STYLE
    h = height
    out = [f"<rect x='20' y='{y:g}' width='80' height='{h:g}' rx='6' {bone}/>",
           f"<rect x='100' y='{y + h * 0.13:g}' width='26' height='{h * 0.27:g}' {arch}/>",  # pedicle
           f"<polygon points='150,{y + h * 0.07:g} 170,{y + h * 0.07:g} 205,{y + h * 0.67:g} 196,{y + h * 0.9:g} 150,{y + h * 0.67:g}' {arch}/>"]
    if tumour:
        out.append(f"<ellipse cx='62' cy='{y + h * 0.53:g}' rx='30' ry='{h * 0.37:g}' fill='{TUMOUR}' fill-opacity='0.85' stroke='#7a2d5c'/>")
        if removed:
            out.append(f"<ellipse cx='62' cy='{y + h * 0.53:g}' rx='30' ry='{h * 0.37:g}' fill='url(#removed)' stroke='#7a2d5c'/>")
    if fragments:
        out += [f"<line x1='{x}' y1='{y + 6:g}' x2='{x + 12}' y2='{y + h - 6:g}' stroke='#8a5a00' stroke-width='2'/>" for x in (40, 68)]
    return "".join(out)


def sagittal_column(levels: list[dict], title: str, height: float = 60, gap: float = 20, rods: tuple[int, int] | None = None) -> str:
    """Stacked vertebrae with discs between, the dura and cord behind the bodies, optional rods and screws."""
    step = height + gap
    out = [text(110, -10, title, 15, weight="bold")] if title else []
    for i, level in enumerate(levels):
        y = 10 + step * i
        out.append(sagittal_vertebra(y, height=height, **level))
        if i < len(levels) - 1:
            disc_removed = level.get("removed") or levels[i + 1].get("removed")
            style = REMOVED_STYLE if disc_removed else "fill='white' stroke='#777'"
            out.append(f"<rect x='22' y='{y + height + 2:g}' width='76' height='{gap - 4:g}' rx='4' {style}/>")
    out.append(f"<rect x='128' y='0' width='22' height='{step * len(levels):g}' fill='{DURA}' stroke='#3b7ea1'/>"
               f"<rect x='134' y='0' width='10' height='{step * len(levels):g}' fill='{CORD}' stroke='#8a7d00'/>")
    if rods is not None:  # screws through the pedicles into the bodies, joined by a rod behind the arch
        first, last = rods
        ys = [10 + step * i + height * 0.27 for i in range(first, last + 1) if not levels[i]]
        out += [f"<line x1='60' y1='{yy:g}' x2='215' y2='{yy:g}' stroke='#1f4e79' stroke-width='4'/>" for yy in ys]
        out.append(f"<line x1='215' y1='{ys[0]:g}' x2='215' y2='{ys[-1]:g}' stroke='#1f4e79' stroke-width='6'/>")
    return "".join(out)


SAGITTAL_PANELS = [
    ("En bloc (TES)", {"removed": True, "tumour": True}),
    ("Total piecemeal", {"removed": True, "tumour": True, "fragments": True}),
    ("Posterior corpectomy", {"removed": True, "tumour": True, "fragments": True}),
    ("Separation surgery", {"tumour": True, "posterior_removed": True}),
    ("Posterior VCR", {"removed": True, "fragments": True}),
]


def techniques_sagittal() -> str:
    panels = []
    for i, (name, index_level) in enumerate(SAGITTAL_PANELS):
        column, row = i % 2, i // 2
        levels = [{}, {}, index_level, {}, {}]
        panels.append(f"<g transform='translate({column * 190 + 8},{40 + row * 300}) scale(0.78)'>"
                      + sagittal_column(levels, "", height=40, gap=14, rods=(0, 4)) + "</g>"
                      + text(column * 190 + 95, 24 + row * 300, name, MIN_FONT, weight="bold"))
    last_y = 40 + 3 * 300 - 60
    note, y = lines(190, last_y, "Side view, head at the top: bodies on the left, discs (white) between them; "
                    "pedicle, lamina and spinous process on the right; cord (yellow) in the dura (blue); "
                    "dark blue: screws and rods, here two levels above and two below.", 44)
    key_elements, bottom = legend(20, y + 6)
    return svg(PHONE_WIDTH, int(bottom) + 6, "What each operation removes, side view",
               "Five side views of five stacked vertebrae, two per row, with the spinal cord and dura behind the "
               "bodies and screws and rods fixing two levels above and two below the middle vertebra. En bloc "
               "spondylectomy, piecemeal spondylectomy and posterior corpectomy remove the middle vertebra with its "
               "tumour and the discs above and below it, the last two drawn broken into pieces. Separation surgery "
               "removes only the posterior arch of the middle vertebra; its body and tumour stay. Posterior vertebral "
               "column resection removes the middle vertebra in pieces, with no tumour.", "".join(panels) + note + key_elements)


# --- Tomita surgical classification --------------------------------------------------------------

TOMITA_TYPES = {  # as printed by Ohashi et al. 2019 (the data package codes)
    1: ("vertebral body", ["body"]),
    2: ("pedicle extension", ["body", "left pedicle"]),
    3: ("body-lamina extension", ["body", "left pedicle", "left lamina"]),
    4: ("spinal canal extension", ["body", "left pedicle", "epidural"]),
    5: ("paravertebral extension", ["body", "epidural", "paravertebral"]),
}


def tomita_classification() -> str:
    panels = []
    cell_w, cell_h = 190, 250
    for i, (number, (label, regions)) in enumerate(TOMITA_TYPES.items()):
        x, y = cell_w * (i % 2), cell_h * (i // 2)
        caption, _ = lines(x + 95, y + 210, label, 22)
        panels.append(f"<g transform='translate({x + 5},{y + 5}) scale(0.6)'>" + axial_bone() + axial_neural()
                      + axial_tumour(regions) + "</g>" + text(x + 95, y + 192, f"Type {number}", 16, weight="bold") + caption)
    for j, (number, label, tumours) in enumerate([(6, "adjacent vertebral extension", [True, True, False]),
                                                  (7, "multiple skip lesions", [True, False, True])]):
        i = 5 + j
        x, y = cell_w * (i % 2), cell_h * (i // 2)
        levels = [{"tumour": t} for t in tumours]
        caption, _ = lines(x + 95, y + 210, label, 22)
        panels.append(f"<g transform='translate({x + 20},{y + 5}) scale(0.7)'>" + sagittal_column(levels, "", height=50, gap=14) + "</g>"
                      + text(x + 95, y + 192, f"Type {number}", 16, weight="bold") + caption)
    note, bottom = lines(190, cell_h * 4 + 10, "Types 1-5: axial views, anterior at the top; types 6-7: side views of "
                         "three vertebrae.", 44)
    return svg(PHONE_WIDTH, int(bottom) + 4, "The Tomita surgical classification of spinal tumours, types 1 to 7",
               "Seven small drawings in two columns. Types 1 to 5 are axial views of one vertebra: type 1, tumour "
               "confined to the vertebral body; type 2, body and one pedicle; type 3, body, pedicle and lamina; type 4, "
               "tumour reaching into the spinal canal (epidural space); type 5, tumour also outside the vertebra beside "
               "it (paravertebral). Types 6 and 7 are side views of three vertebrae: type 6, tumour in two adjacent "
               "vertebrae; type 7, tumour in the top and bottom vertebrae with a normal one between (skip lesions).",
               "".join(panels) + note)


# --- ESCC grades (Bilsky et al. 2010) ------------------------------------------------------------

ESCC_PANELS = [  # grade, short label, tumour depth into the sac (0 = none), cord shift, cord squash, fills the sac
    ("0", "bone only", None, 0, 1.0, False),
    ("1a", "epidural, sac not deformed", 0, 0, 1.0, False),
    ("1b", "sac deformed, cord not touched", 16, 0, 1.0, False),
    ("1c", "sac deformed, cord touched, not compressed", 30, 0, 1.0, False),
    ("2", "cord compressed, CSF still visible", 46, 14, 0.7, False),
    ("3", "cord compressed, no CSF visible", 58, 20, 0.55, True),
]


def escc_panel(grade: str, label: str, depth: float | None, shift: float, squash: float, fills: bool, x: float, y: float) -> str:
    """A close-up of the canal in axial view: the back of the body at the top, the thecal sac and cord below."""
    cx, sac_top, r = x + 95, y + 62, 46
    out = [f"<rect x='{x + 15}' y='{y + 14}' width='160' height='34' rx='6' {BONE_STYLE}/>",
           f"<circle cx='{cx}' cy='{sac_top + r}' r='{r}' fill='{DURA}' stroke='#3b7ea1' stroke-width='1.2'/>"]
    cord_cy = sac_top + r + shift
    rx, ry = (34 if fills else 18) / squash ** 0.3, 16 * squash
    out.append(f"<ellipse cx='{cx}' cy='{cord_cy:g}' rx='{rx:g}' ry='{ry:g}' fill='{CORD}' stroke='#8a7d00'/>")
    tumour = f"fill='{TUMOUR}' fill-opacity='0.9' stroke='#7a2d5c' stroke-width='1.2'"
    if depth is None:
        out.append(f"<ellipse cx='{cx}' cy='{y + 31}' rx='40' ry='11' {tumour}/>")
    else:  # epidural tumour bulging back from the body into (and indenting) the sac
        deepest = sac_top + depth  # the curve's lowest point; its control point lies twice as far from the chord
        width = min(44 + depth * 0.8, 74)
        out.append(f"<path d='M{cx - width:g},{y + 46} Q{cx:g},{2 * deepest - (y + 46):g} {cx + width:g},{y + 46} Z' {tumour}/>")
    out.append(text(cx, y + 176, f"Grade {grade}", 16, weight="bold"))
    caption, _ = lines(cx, y + 196, label, 22)
    return "".join(out) + caption


def escc_grades() -> str:
    panels = "".join(escc_panel(*panel, x=190 * (i % 2), y=250 * (i // 2)) for i, panel in enumerate(ESCC_PANELS))
    note, bottom = lines(190, 250 * 3 + 10, "Axial T2-weighted MRI view, anterior at the top: the back of the vertebral "
                         "body (grey), epidural tumour (purple), thecal sac with cerebrospinal fluid (blue) and cord (yellow).", 44)
    return svg(PHONE_WIDTH, int(bottom) + 4, "The epidural spinal cord compression (ESCC) grades 0 to 3",
               "Six close-ups of the spinal canal in axial view, two per row. Grade 0: tumour only in the bone of the "
               "vertebral body. Grade 1a: tumour in the epidural space touching the thecal sac without deforming it. "
               "Grade 1b: the tumour indents the sac but does not reach the cord. Grade 1c: the indented sac is pushed "
               "against the cord, which is touched but not compressed. Grade 2: the cord is compressed and flattened, "
               "with cerebrospinal fluid still visible around it. Grade 3: the cord is compressed with no "
               "cerebrospinal fluid visible around it.", panels + note)


# --- WBB staging (Boriani et al. 1997) ------------------------------------------------------------

WBB_LAYERS = [("A", "extraosseous soft tissues"), ("B", "intraosseous, superficial"), ("C", "intraosseous, deep"),
              ("D", "extraosseous, extradural (epidural)"), ("E", "extraosseous, intradural")]
WBB_LAYER_MARKS = {"A": (262, 60), "B": (210, 70), "C": (150, 95), "D": (122, 168), "E": (150, 196)}


def wbb_staging() -> str:
    cx, cy = CANAL_CENTRE
    sectors = []
    for zone in range(12):
        # zone 1 starts at the spinous process (straight down on the page) and the numbers run clockwise as drawn
        angle = math.radians(90 + 30 * zone)
        sectors.append(f"<line x1='{cx}' y1='{cy}' x2='{cx + 145 * math.cos(angle):.1f}' y2='{cy + 145 * math.sin(angle):.1f}' "
                       "stroke='#0072B2' stroke-width='1.5' stroke-dasharray='5 3'/>")
        mid = math.radians(90 + 30 * zone + 15)
        lx, ly = cx + 128 * math.cos(mid), cy + 128 * math.sin(mid)
        sectors.append(f"<circle cx='{lx:.1f}' cy='{ly:.1f}' r='11' fill='#e8f1fa' stroke='#0072B2'/>"
                       + text(round(lx, 1), round(ly + 5, 1), str(zone + 1), MIN_FONT, weight="bold"))
    layer_marks = "".join(f"<circle cx='{x}' cy='{y}' r='10' fill='white' stroke='#222'/>" + text(x, y + 5, letter, MIN_FONT, weight="bold")
                          for letter, (x, y) in WBB_LAYER_MARKS.items())
    drawing = ("<g transform='translate(40,10)'>" + axial_bone() + axial_neural() + "".join(sectors) + layer_marks + "</g>")
    out = [drawing]
    y = 360
    for letter, meaning in WBB_LAYERS:
        out.append(f"<circle cx='20' cy='{y}' r='10' fill='white' stroke='#222'/>" + text(20, y + 5, letter, MIN_FONT, weight="bold")
                   + text(38, y + 5, meaning, MIN_FONT, "start"))
        y += 26
    note, bottom = lines(190, y + 10, "Zones 1-12 (blue) radiate from the spinal canal and are numbered clockwise as "
                         "drawn, starting at the spinous process; layers A-E run from outside the bone to inside the dura.", 44)
    return svg(PHONE_WIDTH, int(bottom) + 4, "WBB surgical staging of a vertebral tumour: 12 zones and 5 layers",
               "Axial view of a vertebra, anterior at the top, divided by twelve dashed lines radiating from the spinal "
               "canal into twelve numbered zones, running clockwise from the spinous process round the posterior arch, "
               "the pedicles and the body. Five lettered layers are marked: A, the soft tissues outside the bone; B, "
               "the superficial bone; C, the deep bone of the body; D, the epidural space in the canal; E, inside the "
               "dura. A key lists the layers.", "".join(out) + note)


# --- NOMS decision framework ---------------------------------------------------------------------

def box(x: float, y: float, w: float, h: float, rows: list[str], fill: str = "#f4f4f4", bold: bool = False,
        size: int = MIN_FONT) -> str:
    out = f"<rect x='{x:g}' y='{y:g}' width='{w:g}' height='{h:g}' rx='8' fill='{fill}' stroke='#555'/>"
    for i, row in enumerate(rows):
        out += text(x + w / 2, y + size + 6 + (size + 4) * i, row, size, weight="bold" if bold and i == 0 else "normal")
    return out


def arrow(x1: float, y1: float, x2: float, y2: float, label: str = "") -> str:
    out = f"<line x1='{x1:g}' y1='{y1:g}' x2='{x2:g}' y2='{y2:g}' stroke='#333' stroke-width='1.4' marker-end='url(#arrow)'/>"
    if label:
        out += text((x1 + x2) / 2 + 6, (y1 + y2) / 2 + 5, label, MIN_FONT, "start")
    return out


def noms_diagram() -> str:
    """NOMS drawn as one column: the assessments, then each branch as a row 'finding -> treatment'."""
    parts = [box(10, 10, 360, 46, ["N - Neurologic", "ESCC grade on MRI, myelopathy"], "#e8f1fa", True),
             box(10, 64, 360, 46, ["O - Oncologic", "radiosensitivity of the histology"], "#e8f1fa", True),
             box(10, 118, 360, 46, ["M - Mechanical", "instability (SINS), movement pain"], "#e8f1fa", True)]
    branches = [
        (["Radiosensitive tumour,", "any ESCC grade"], ["Conventional", "radiotherapy"]),
        (["Radioresistant tumour,", "low-grade ESCC (0-1c)"], ["Stereotactic", "radiosurgery (SRS)"]),
        (["Radioresistant tumour,", "high-grade ESCC (2-3)"], ["Separation surgery", "then SRS, if fit"]),
        (["Mechanically unstable", "(any histology)"], ["Stabilisation,", "or cement"]),
    ]
    y = 184
    for finding, treatment in branches:
        parts.append(box(10, y, 190, 52, finding) + arrow(202, y + 26, 222, y + 26) + box(224, y, 146, 52, treatment, "#fdf0d5"))
        y += 62
    parts.append(box(10, y + 4, 360, 66, ["S - Systemic: for every branch,", "can the patient tolerate it and live",
                                          "long enough to benefit?"], "#eef7ee", True))
    return svg(PHONE_WIDTH, int(y + 78), "The NOMS decision framework for spinal metastases",
               "Flow diagram in one column. Three assessments: Neurologic (grade of epidural spinal cord compression, "
               "myelopathy), Oncologic (how radiosensitive the tumour is) and Mechanical (spinal instability). Then four "
               "branches, each a finding and its treatment: a radiosensitive tumour with any compression grade goes to "
               "conventional external beam radiotherapy; a radioresistant tumour with low-grade compression goes to "
               "stereotactic radiosurgery; a radioresistant tumour with high-grade compression, in a patient fit for an "
               "operation, goes to separation surgery followed by radiosurgery; mechanical instability, whatever the histology, leads to stabilisation or "
               "cement augmentation. A final Systemic box applies to every branch: can the patient tolerate the "
               "treatment and live long enough to benefit?", "".join(parts))


FIGURES = {
    "vertebra_axial.svg": axial_anatomy,
    "techniques_axial.svg": techniques_axial,
    "techniques_sagittal.svg": techniques_sagittal,
    "tomita_classification.svg": tomita_classification,
    "escc_grades.svg": escc_grades,
    "wbb_staging.svg": wbb_staging,
    "noms_framework.svg": noms_diagram,
}


def write_all(directory: str | Path | None = None) -> list[Path]:
    """Write every figure as an SVG file (``book/images/`` by default) and return the paths."""
    target = IMAGES if directory is None else Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw in FIGURES.items():
        path = target / name
        path.write_text(draw(), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all():
        print(written)
