"""The schematics under book/images/: drawn by spinemets.anatomy, accessible, and not stale."""

import xml.etree.ElementTree as ET

import pytest

from spinemets import anatomy

SVG = "{http://www.w3.org/2000/svg}"


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


def test_every_anatomical_label_is_drawn():
    drawing = anatomy.axial_anatomy()
    for label in ["Vertebral body", "Pedicle", "Lamina", "Spinous process", "Transverse process",
                  "Spinal canal", "Dura (thecal sac)", "Spinal cord", "Tumour (metastasis)", "Epidural tumour"]:
        assert f">{label}<" in drawing


def test_tomita_types_follow_the_data_package_codes():
    from spinemets import data
    codes = data.field("patients", "tomita_type")["codes"]
    drawing = anatomy.tomita_classification()
    for number, label in codes.items():
        assert f">Type {number}<" in drawing and f">{label}<" in drawing


def test_write_all_writes_every_figure(tmp_path):
    paths = anatomy.write_all(tmp_path)
    assert sorted(p.name for p in paths) == sorted(anatomy.FIGURES)
