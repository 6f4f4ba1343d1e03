"""The schematics under book/images/: drawn by spinemets.anatomy, accessible, legible on a phone, and not stale."""

import xml.etree.ElementTree as ET

import pytest

from spinemets import anatomy

SVG = "{http://www.w3.org/2000/svg}"
PHONE_CSS_PX = 390  # the width the book promises every schematic is legible at
SMALLEST_LEGIBLE_PX = 12


def all_text(drawing: str) -> str:
    root = ET.fromstring(drawing)
    return " ".join("".join(node.itertext()) for node in root.iter(SVG + "text"))


@pytest.mark.parametrize("name", sorted(anatomy.FIGURES))
def test_committed_figure_is_what_the_code_draws(name):
    committed = (anatomy.IMAGES / name).read_text(encoding="utf-8")
    assert committed == anatomy.FIGURES[name](), f"{name} is stale: run python -m spinemets.anatomy"


@pytest.mark.parametrize("name", sorted(anatomy.FIGURES))
def test_figure_is_valid_svg_with_title_and_description(name):
    root = ET.fromstring(anatomy.FIGURES[name]())
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title is not None and len(title.text) > 10
    assert desc is not None and len(desc.text) > 100


@pytest.mark.parametrize("name", sorted(anatomy.FIGURES))
def test_every_label_is_at_least_12_px_on_a_390_px_screen(name):
    root = ET.fromstring(anatomy.FIGURES[name]())
    view_width = float(root.get("viewBox").split()[2])
    scale = PHONE_CSS_PX / view_width  # the figure shown 390 px wide
    sizes = [float(node.get("font-size")) for node in root.iter(SVG + "text")]
    assert sizes, f"{name} has no labels"
    assert min(sizes) * scale >= SMALLEST_LEGIBLE_PX, f"{name}: smallest label {min(sizes) * scale:.1f} px at 390 px"
    # Scaled groups shrink text too: no text may sit inside a scale() transform.
    for group in root.iter(SVG + "g"):
        if "scale" in (group.get("transform") or ""):
            assert group.find(f".//{SVG}text") is None, f"{name}: a label inside a scaled group"


def test_every_anatomical_label_is_in_the_key():
    words = all_text(anatomy.axial_anatomy())
    for label in ["Vertebral body", "Pedicle", "Lamina", "Spinous process", "Transverse process", "Facet joint",
                  "Spinal canal", "Dura (thecal sac)", "Spinal cord", "Tumour (metastasis)", "Epidural tumour",
                  "Posterior longitudinal ligament (PLL)"]:
        assert label in words
    assert len(anatomy.ANATOMY_MARKS) == len(anatomy.ANATOMY_KEY)


def test_separation_surgery_removes_the_posterior_decompression_of_the_technique_papers():
    # Laminae, both facets and both pedicles, the PLL and the epidural tumour; the body and its tumour stay.
    separation = next(t for t in anatomy.TECHNIQUES if t.name == "Separation surgery")
    assert {"left lamina", "right lamina", "left facet", "right facet", "left pedicle", "right pedicle"} <= separation.removed
    assert "body" not in separation.removed
    assert separation.pll_removed and separation.tumour_removed == ("epidural",)


def test_pvcr_is_drawn_as_a_deformity_operation_without_tumour():
    pvcr = next(t for t in anatomy.TECHNIQUES if t.name.startswith("Posterior VCR"))
    assert pvcr.tumour == () and pvcr.fragments


def test_tomita_types_follow_the_data_package_codes():
    from spinemets import data
    codes = data.field("patients", "tomita_type")["codes"]
    words = all_text(anatomy.tomita_classification())
    for number, label in codes.items():
        assert f"Type {number}" in words and label in words


def test_escc_drawing_has_the_six_grades_of_bilsky_2010():
    from spinemets import scores
    words = all_text(anatomy.escc_grades())
    assert [panel[0] for panel in anatomy.ESCC_PANELS] == list(scores.ESCC_GRADES)
    for grade in scores.ESCC_GRADES:
        assert f"Grade {grade}" in words


def test_wbb_drawing_has_twelve_zones_and_five_layers():
    words = all_text(anatomy.wbb_staging()).split()
    assert all(str(zone) in words for zone in range(1, 13))
    assert [letter for letter, _ in anatomy.WBB_LAYERS] == list("ABCDE")


def test_write_all_writes_every_figure(tmp_path):
    paths = anatomy.write_all(tmp_path)
    assert sorted(p.name for p in paths) == sorted(anatomy.FIGURES)
