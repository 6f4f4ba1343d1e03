"""Labelled schematics of a vertebra, drawn as SVG by code and committed under ``book/images/``.

Stylised, not to scale: an axial (transverse) view with anterior at the top, as on an axial CT
or MRI slice, and a sagittal (side) view with anterior to the left and the head at the top.
Every drawing has a ``<title>`` and a ``<desc>`` for screen readers, and the chapters add alt
text in their figure directives. ``python -m spinemets.anatomy`` rewrites the files; the tests
check the committed files are exactly what this module draws.

Colours (Okabe-Ito, colour-blind safe): bone grey, tumour purple, dura light blue, cord yellow,
removed tissue orange with a hatch pattern so it is visible without colour.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from spinemets import PROJECT_ROOT

IMAGES = PROJECT_ROOT / "book" / "images"
BONE, BONE_EDGE = "#d9d4c7", "#6b6457"
TUMOUR = "#CC79A7"
DURA, CORD = "#a6d8f0", "#F0E442"
REMOVED = "#E69F00"
FONT = "font-family='system-ui, Segoe UI, Roboto, sans-serif'"

DEFS = f"""<defs>
<pattern id="removed" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
<rect width="8" height="8" fill="{REMOVED}" fill-opacity="0.55"/><line x1="0" y1="0" x2="0" y2="8" stroke="#8a5a00" stroke-width="2"/>
</pattern>
</defs>"""


def svg(width: int, height: int, title: str, desc: str, body: str) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
            f"role='img' aria-labelledby='title desc' {FONT}>\n<title id='title'>{html.escape(title)}</title>\n"
            f"<desc id='desc'>{html.escape(desc)}</desc>\n{DEFS}\n<rect width='{width}' height='{height}' fill='white'/>\n{body}\n</svg>\n")


def text(x: float, y: float, label: str, size: int = 11, anchor: str = "middle", weight: str = "normal") -> str:
    return f"<text x='{x}' y='{y}' font-size='{size}' text-anchor='{anchor}' font-weight='{weight}' fill='#222'>{html.escape(label)}</text>"


def leader(x1: float, y1: float, x2: float, y2: float, label: str, anchor: str = "start") -> str:
    """A label with a thin line pointing at the structure it names."""
    dx = 3 if anchor == "start" else -3
    return (f"<line x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}' stroke='#444' stroke-width='0.8'/>"
            + text(x1 + dx, y1 + 4, label, 11, anchor))


# --- Axial view --------------------------------------------------------------------------------

AXIAL_PARTS = {
    # name: SVG element drawing that part of a vertebra in a 300 x 300 box (anterior at top)
    "body": "<ellipse cx='150' cy='95' rx='72' ry='56' {style}/>",
    "left pedicle": "<rect x='93' y='138' width='22' height='42' rx='4' {style}/>",
    "right pedicle": "<rect x='185' y='138' width='22' height='42' rx='4' {style}/>",
    "left transverse process": "<rect x='38' y='168' width='62' height='17' rx='6' {style}/>",
    "right transverse process": "<rect x='200' y='168' width='62' height='17' rx='6' {style}/>",
    "left lamina": "<polygon points='95,176 113,176 156,222 150,238 144,232' {style}/>",
    "right lamina": "<polygon points='205,176 187,176 144,222 150,238 156,232' {style}/>",
    "spinous process": "<polygon points='142,228 158,228 156,290 144,290' {style}/>",
}
POSTERIOR_ELEMENTS = ["left lamina", "right lamina", "spinous process", "left transverse process", "right transverse process"]
BONE_STYLE = f"fill='{BONE}' stroke='{BONE_EDGE}' stroke-width='1.5'"
REMOVED_STYLE = "fill='url(#removed)' stroke='#8a5a00' stroke-width='1.5' stroke-dasharray='4 2'"

# Tumour shapes (axial) used by the techniques and the Tomita types.
TUMOUR_SHAPES = {
    "body": "<path d='M118,78 C128,58 172,56 184,76 C196,96 178,124 150,126 C124,128 108,98 118,78 Z'/>",
    "left pedicle": "<path d='M96,140 L113,140 L113,176 L96,176 Z'/>",
    "left lamina": "<polygon points='98,178 112,178 140,208 132,214'/>",
    "epidural": "<path d='M126,152 C136,144 164,144 174,152 C170,162 130,162 126,152 Z'/>",
    "paravertebral": "<path d='M82,70 C64,80 62,118 84,130 C94,118 92,84 82,70 Z'/>",
}


def axial_bone(removed: set[str] = frozenset(), fragments: bool = False) -> str:
    parts = []
    for name, element in AXIAL_PARTS.items():
        style = REMOVED_STYLE if name in removed else BONE_STYLE
        parts.append(element.format(style=style))
    if fragments:  # piecemeal removal: the removed bone drawn broken into pieces
        parts += [f"<line x1='{x}' y1='{y1}' x2='{x + 14}' y2='{y2}' stroke='#8a5a00' stroke-width='2'/>"
                  for x, y1, y2 in [(100, 60, 80), (140, 45, 70), (175, 70, 100), (120, 110, 135), (160, 118, 145)]]
    return "\n".join(parts)


def axial_neural(epidural_removed: bool = False) -> str:
    return (f"<circle cx='150' cy='183' r='27' fill='{DURA}' stroke='#3b7ea1' stroke-width='1.2'/>"
            f"<ellipse cx='150' cy='185' rx='14' ry='11' fill='{CORD}' stroke='#8a7d00' stroke-width='1'/>")


def axial_tumour(regions: list[str], removed: bool = False) -> str:
    """Tumour in purple; removed tumour keeps its colour under the hatch of removed tissue."""
    style = f"fill='{TUMOUR}' fill-opacity='0.85' stroke='#7a2d5c' stroke-width='1.2'"
    hatch = "fill='url(#removed)' stroke='#7a2d5c' stroke-width='1.2' stroke-dasharray='3 2'"
    return "\n".join(f"<g {style}>{TUMOUR_SHAPES[r]}</g>" + (f"<g {hatch}>{TUMOUR_SHAPES[r]}</g>" if removed else "")
                     for r in regions)


def axial_anatomy() -> str:
    """A labelled axial vertebra (thoracic-style) with a metastasis in the body reaching the canal."""
    body = "\n".join([
        "<g transform='translate(140,30)'>", axial_bone(), axial_neural(), axial_tumour(["body", "epidural"]),
        leader(240, 40, 172, 78, "Tumour (metastasis)"),
        leader(240, 70, 205, 80, "Vertebral body"),
        leader(275, 150, 252, 172, "Transverse process"),
        leader(240, 212, 172, 190, "Dura (thecal sac)"),
        leader(240, 232, 158, 188, "Spinal cord"),
        leader(240, 272, 156, 262, "Spinous process"),
        leader(-20, 150, 96, 150, "Pedicle", "end"),
        leader(-20, 130, 140, 152, "Epidural tumour", "end"),
        leader(-20, 205, 125, 196, "Spinal canal", "end"),
        leader(-20, 228, 118, 200, "Lamina", "end"),
        "</g>",
        text(280, 18, "Axial view, anterior at the top", 12, weight="bold"),
        text(280, 342, "anterior = toward the chest and abdomen; posterior = toward the back", 10),
    ])
    # 560 wide: the longest right-hand label, "Transverse process", needs the room.
    return svg(560, 352, "Axial view of a vertebra with a metastasis",
               "Cross-section of a vertebra seen from above, anterior at the top. The oval vertebral body lies in front; "
               "two pedicles join it to the posterior arch formed by the two laminae and the spinous process, with a "
               "transverse process on each side. The arch and the back of the body enclose the spinal canal, which "
               "holds the dura (thecal sac) around the spinal cord. A metastasis (purple) fills much of the body and "
               "bulges backwards into the canal as epidural tumour.", body)


@dataclass(frozen=True)
class Technique:
    name: str
    removed: set[str]
    tumour_removed: bool
    epidural_removed: bool
    fragments: bool
    caption: str


TECHNIQUES = [
    Technique("En bloc spondylectomy", set(AXIAL_PARTS), True, True, False,
              "whole vertebra out in one or two blocks (TES: posterior arch, then body), tumour entered only where the pedicles are cut"),
    Technique("Posterior vertebral column resection", set(AXIAL_PARTS), True, True, True,
              "whole vertebra removed piecemeal from behind, mainly to correct deformity"),
    Technique("Separation surgery", {"left lamina", "right lamina", "spinous process", "left pedicle"}, False, True, False,
              "posterior decompression; epidural tumour peeled off the dura, body tumour left for SRS"),
]


def technique_panel(technique: Technique, dx: float) -> str:
    tumour = (axial_tumour(["body"], removed=technique.tumour_removed)
              + axial_tumour(["epidural"], removed=technique.epidural_removed))
    gap = ("<path d='M122,150 C134,140 166,140 178,150' fill='none' stroke='#0072B2' stroke-width='2' stroke-dasharray='2 2'/>"
           if technique.name == "Separation surgery" else "")
    words = technique.caption.split(" ")
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 32:
            lines.append(line)
            line = ""
        line += ("" if not line else " ") + word
    lines.append(line)
    caption = "".join(text(150, 322 + 17 * i, part, 13) for i, part in enumerate(lines))
    return (f"<g transform='translate({dx},30)'>" + text(150, -8, technique.name, 16, weight="bold")
            + axial_bone(technique.removed, technique.fragments) + axial_neural() + tumour + gap + caption + "</g>")


def legend(x: float, y: float) -> str:
    items = [(BONE, "bone left in place"), ("url(#removed)", "removed"), (TUMOUR, "tumour"), (DURA, "dura"), (CORD, "spinal cord")]
    out = []
    for fill, label in items:
        out.append(f"<rect x='{x}' y='{y}' width='18' height='14' fill='{fill}' stroke='#444'/>"
                   + text(x + 24, y + 12, label, 13, "start"))
        x += 50 + 7.5 * len(label)
    return "".join(out)


def techniques_axial() -> str:
    body = "\n".join([technique_panel(t, 300 * i) for i, t in enumerate(TECHNIQUES)] + [legend(150, 420)])
    return svg(900, 445, "What each vertebral resection technique removes, axial view",
               "Three axial views of the same vertebra with a metastasis in the body reaching the canal. "
               "En bloc spondylectomy: every part of the vertebra (body, pedicles, laminae, transverse and spinous "
               "processes) is hatched as removed, together with the tumour, in whole pieces; only the dura and cord "
               "stay. Posterior vertebral column resection: the same parts are removed, but broken into pieces "
               "(piecemeal). Separation surgery: only the laminae, the spinous process and one pedicle are removed, "
               "and the epidural tumour is cleared off the dura, leaving a gap between tumour and cord; the tumour "
               "in the vertebral body stays and is treated by stereotactic radiosurgery.", body)


# --- Sagittal view -----------------------------------------------------------------------------

def sagittal_vertebra(y: float, removed: bool = False, tumour: bool = False, posterior_removed: bool = False,
                      fragments: bool = False) -> str:
    """One vertebra in side view at height y: body on the left, posterior arch on the right."""
    bone = REMOVED_STYLE if removed else BONE_STYLE
    arch = REMOVED_STYLE if (removed or posterior_removed) else BONE_STYLE
    out = [f"<rect x='20' y='{y}' width='80' height='60' rx='6' {bone}/>",
           f"<rect x='100' y='{y + 8}' width='26' height='16' {arch}/>",  # pedicle
           f"<polygon points='150,{y + 4} 170,{y + 4} 205,{y + 40} 196,{y + 54} 150,{y + 40}' {arch}/>"]  # lamina + spinous process
    if tumour:
        out.append(f"<ellipse cx='62' cy='{y + 32}' rx='30' ry='22' fill='{TUMOUR}' fill-opacity='0.85' stroke='#7a2d5c'/>")
    if fragments:
        out += [f"<line x1='{x}' y1='{y + 6}' x2='{x + 12}' y2='{y + 54}' stroke='#8a5a00' stroke-width='2'/>" for x in (40, 68)]
    return "".join(out)


def sagittal_column(levels: list[dict], title: str) -> str:
    out = [text(110, -10, title, 15, weight="bold")]
    for i, level in enumerate(levels):
        y = 10 + 80 * i
        out.append(sagittal_vertebra(y, **level))
        if i < len(levels) - 1:
            disc_removed = level.get("removed") or levels[i + 1].get("removed")
            style = REMOVED_STYLE if disc_removed else "fill='white' stroke='#777'"
            out.append(f"<rect x='22' y='{y + 62}' width='76' height='16' rx='4' {style}/>")
    out.append(f"<rect x='128' y='0' width='22' height='{80 * len(levels)}' fill='{DURA}' stroke='#3b7ea1'/>"
               f"<rect x='134' y='0' width='10' height='{80 * len(levels)}' fill='{CORD}' stroke='#8a7d00'/>")
    return "".join(out)


def techniques_sagittal() -> str:
    normal = {}
    panels = [
        ("En bloc spondylectomy", [normal, {"removed": True, "tumour": True}, normal]),
        ("Posterior VCR", [normal, {"removed": True, "tumour": True, "fragments": True}, normal]),
        ("Separation surgery", [normal, {"tumour": True, "posterior_removed": True}, normal]),
    ]
    body = "".join(f"<g transform='translate({30 + 250 * i},40)'>" + sagittal_column(levels, name) + "</g>"
                   for i, (name, levels) in enumerate(panels))
    body += (text(390, 304, "Side view, head at the top: vertebral bodies (left), discs (white) between them;", 13)
             + text(390, 322, "pedicle, lamina and spinous process (right); cord (yellow) in the dura (blue)", 13)
             + legend(90, 340))
    return svg(780, 365, "What each technique removes, sagittal view",
               "Three side views of three stacked vertebrae with the spinal cord and dura running behind the "
               "bodies. En bloc spondylectomy: the whole middle vertebra, body and posterior arch, and the discs "
               "above and below it are hatched as removed, with the tumour inside the body. Posterior vertebral "
               "column resection: the same parts are removed, drawn broken into pieces. Separation surgery: only "
               "the posterior arch of the middle vertebra is removed; the body and its tumour stay in place.", body)


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
    for i, (number, (label, regions)) in enumerate(TOMITA_TYPES.items()):
        x, y = 20 + 230 * (i % 4), 30 + 330 * (i // 4)
        panels.append(f"<g transform='translate({x},{y}) scale(0.72)'>" + axial_bone() + axial_neural()
                      + axial_tumour(regions) + "</g>"
                      + text(x + 108, y + 230, f"Type {number}", 15, weight="bold") + text(x + 108, y + 248, label, 14))
    for j, (number, label, tumours) in enumerate([(6, "adjacent vertebral extension", [True, True, False]),
                                                  (7, "multiple skip lesions", [True, False, True])]):
        x, y = 20 + 230 * (1 + j), 370
        levels = [{"tumour": t} for t in tumours]
        panels.append(f"<g transform='translate({x + 20},{y}) scale(0.8)'>" + sagittal_column(levels, "") + "</g>"
                      + text(x + 108, y + 230, f"Type {number}", 15, weight="bold") + text(x + 108, y + 248, label, 14))
    body = "".join(panels) + text(470, 640, "Types 1-5: axial views (anterior at top); types 6-7: side views of three vertebrae", 14)
    return svg(940, 655, "The Tomita surgical classification of spinal tumours, types 1 to 7",
               "Seven small drawings. Types 1 to 5 are axial views of one vertebra: type 1, tumour confined to the "
               "vertebral body; type 2, body and one pedicle; type 3, body, pedicle and lamina; type 4, tumour "
               "reaching into the spinal canal (epidural space); type 5, tumour also outside the vertebra beside it "
               "(paravertebral). Types 6 and 7 are side views of three vertebrae: type 6, tumour in two adjacent "
               "vertebrae; type 7, tumour in the top and bottom vertebrae with a normal one between (skip lesions).", body)


# --- NOMS decision framework ---------------------------------------------------------------------

def box(x: float, y: float, w: float, h: float, lines: list[str], fill: str = "#f4f4f4", bold: bool = False) -> str:
    out = f"<rect x='{x}' y='{y}' width='{w}' height='{h}' rx='8' fill='{fill}' stroke='#555'/>"
    for i, line in enumerate(lines):
        out += text(x + w / 2, y + 18 + 15 * i, line, 11, weight="bold" if bold and i == 0 else "normal")
    return out


def arrow(x1: float, y1: float, x2: float, y2: float, label: str = "") -> str:
    out = (f"<line x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}' stroke='#333' stroke-width='1.4' marker-end='url(#arrow)'/>")
    if label:
        out += text((x1 + x2) / 2 + 4, (y1 + y2) / 2 - 4, label, 10, "start")
    return out


def noms_diagram() -> str:
    marker = ("<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' orient='auto'>"
              "<path d='M0,0 L10,5 L0,10 z' fill='#333'/></marker></defs>")
    body = marker + "".join([
        box(20, 20, 320, 52, ["N - Neurologic", "ESCC grade on MRI, myelopathy"], "#e8f1fa", True),
        box(360, 20, 320, 52, ["O - Oncologic", "radiosensitivity of the histology"], "#e8f1fa", True),
        box(710, 20, 200, 52, ["M - Mechanical", "instability (SINS), movement pain"], "#e8f1fa", True),
        "<path d='M180,72 L180,92 M520,72 L520,92 M120,92 L580,92' fill='none' stroke='#333' stroke-width='1.4'/>",
        arrow(120, 92, 120, 128), arrow(350, 92, 350, 128), arrow(580, 92, 580, 128), arrow(810, 72, 810, 128),
        box(20, 130, 200, 52, ["Radiosensitive tumour", "any ESCC grade"]),
        box(250, 130, 200, 52, ["Radioresistant tumour,", "low-grade ESCC (0-1)"]),
        box(480, 130, 200, 52, ["Radioresistant tumour,", "high-grade ESCC (2-3)"]),
        box(710, 130, 200, 52, ["Mechanically unstable", "(any histology)"]),
        box(20, 240, 200, 52, ["Conventional external", "beam radiotherapy"], "#fdf0d5"),
        box(250, 240, 200, 52, ["Stereotactic radiosurgery", "(SRS)"], "#fdf0d5"),
        box(480, 240, 200, 52, ["Separation surgery", "followed by SRS"], "#fdf0d5"),
        box(710, 240, 200, 52, ["Stabilisation: open or", "percutaneous, cement"], "#fdf0d5"),
        arrow(120, 182, 120, 238), arrow(350, 182, 350, 238), arrow(580, 182, 580, 238), arrow(810, 182, 810, 238),
        box(20, 320, 890, 44, ["S - Systemic: applies to every branch. Can the patient tolerate the treatment,",
                               "and is the expected survival long enough to benefit?"], "#eef7ee", True),
    ])
    return svg(930, 380, "The NOMS decision framework for spinal metastases",
               "Flow diagram. Three assessments across the top: Neurologic (grade of epidural spinal cord compression, "
               "myelopathy), Oncologic (how radiosensitive the tumour is) and Mechanical (spinal instability); the "
               "fourth, Systemic (fitness and expected survival), is a bar beneath all branches. Neurologic and oncologic assessments together lead to "
               "three branches: a radiosensitive tumour with any compression grade goes to conventional external beam "
               "radiotherapy; a radioresistant tumour with low-grade compression goes to stereotactic radiosurgery; a "
               "radioresistant tumour with high-grade compression goes to separation surgery followed by radiosurgery. "
               "Mechanical instability, whatever the histology, leads to stabilisation, open or percutaneous, or "
               "cement augmentation. The systemic bar asks whether the patient can tolerate the treatment and will live long enough to benefit.", body)


FIGURES = {
    "vertebra_axial.svg": axial_anatomy,
    "techniques_axial.svg": techniques_axial,
    "techniques_sagittal.svg": techniques_sagittal,
    "tomita_classification.svg": tomita_classification,
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
