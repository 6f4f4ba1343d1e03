"""The NOMS teaching pathway on its fictional vignettes, the Patchell criteria and the flowchart."""

import xml.etree.ElementTree as ET

import pytest

from spinemets import pathway

SVG = "{http://www.w3.org/2000/svg}"
BY_NAME = {patient.name[0]: patient for patient in pathway.VIGNETTES}


@pytest.mark.parametrize("letter, operation, radiation, stabilisation", [
    ("A", "", "conventional external beam radiotherapy (cEBRT)", ""),          # radiosensitive: any ESCC
    ("B", "", "stereotactic radiosurgery (SRS)", ""),                          # radioresistant, low grade
    ("C", "separation surgery", "stereotactic radiosurgery (SRS)", "instrumentation as part of separation surgery"),
    ("D", "", "stereotactic radiosurgery (SRS)", "stabilisation (open or percutaneous)"),   # SINS unstable
    ("E", "", "radiation alone (SRS if the cord dose allows it, otherwise cEBRT)", ""),     # systemic override
])
def test_each_vignette_takes_its_branch(letter, operation, radiation, stabilisation):
    result = pathway.noms(BY_NAME[letter])
    assert (result.operation, result.radiation, result.stabilisation) == (operation, radiation, stabilisation)


def test_the_trace_shows_every_step_with_inputs_reason_and_source():
    trace = pathway.noms(BY_NAME["C"]).trace()
    assert list(trace.index) == ["1 Neurologic", "2 Oncologic", "Neurologic + oncologic", "3 Mechanical", "4 Systemic"]
    assert list(trace.columns) == ["inputs", "finding", "why", "source"]
    assert (trace != "").all().all()
    assert "ESCC grade 3" in trace.loc["1 Neurologic", "inputs"]
    assert "SINS 9" in trace.loc["3 Mechanical", "finding"]
    assert "Tokuhashi 12" in trace.loc["4 Systemic", "inputs"]


def test_the_override_of_the_systemic_step_says_it_is_the_books_simplification():
    trace = pathway.noms(BY_NAME["E"]).trace()
    assert "withdraws the open operation" in trace.loc["4 Systemic", "why"]
    assert pathway.SOURCES["book"] in trace.loc["4 Systemic", "source"]
    # without the systemic step, E would have had separation surgery
    assert "separation surgery" in trace.loc["Neurologic + oncologic", "finding"]


def test_every_result_carries_the_disclaimer():
    for patient in pathway.VIGNETTES:
        result = pathway.noms(patient)
        assert "Not a clinical tool" in repr(result) and result.disclaimer == pathway.DISCLAIMER
    assert "NOT A CLINICAL TOOL" in pathway.__doc__


@pytest.mark.parametrize("histology, expected", [
    ("multiple myeloma", "radiosensitive"), ("Hodgkin lymphoma", "radiosensitive"), ("seminoma", "radiosensitive"),
    ("renal cell carcinoma", "radioresistant"), ("melanoma", "radioresistant"), ("colorectal adenocarcinoma", "radioresistant"),
    ("breast carcinoma", "intermediate"),
])
def test_radiosensitivity_classes(histology, expected):
    assert pathway.radiosensitivity(histology) == expected


@pytest.mark.parametrize("bad", ["", "   ", None, 3])
def test_radiosensitivity_refuses_a_missing_histology(bad):
    with pytest.raises(ValueError, match="histology"):
        pathway.radiosensitivity(bad)


def test_bad_escc_grade_is_named():
    patient = pathway.VIGNETTES[1]
    from dataclasses import replace
    with pytest.raises(ValueError, match="ESCC grade"):
        pathway.noms(replace(patient, escc_grade="4"))


@pytest.mark.parametrize("letter, verdict, failing", [
    ("A", "outside the trial's criteria", ["not a very radiosensitive tumour (lymphoma, leukaemia, myeloma, germ-cell)"]),
    ("B", "outside the trial's criteria", ["MRI: spinal cord displaced by metastasis"]),
    ("C", "within the trial's criteria", []),
    ("E", "outside the trial's criteria", ["not paraplegic for more than 48 hours"]),
])
def test_patchell_criteria(letter, verdict, failing):
    patient = BY_NAME[letter]
    table = pathway.patchell_eligibility(patient)
    assert pathway.patchell_verdict(patient) == verdict
    assert list(table.loc[table["met"] == "no", "criterion"]) == failing


def test_short_survival_band_leaves_the_three_month_criterion_unclear():
    table = pathway.patchell_eligibility(BY_NAME["E"]).set_index("criterion")
    assert table.loc["expected survival of at least 3 months", "met"] == "unclear"


def test_vignette_table_has_a_row_per_vignette():
    table = pathway.vignette_table()
    assert len(table) == len(pathway.VIGNETTES) >= 4
    assert all("fictional" in name for name in table.index)


def test_committed_flowchart_is_what_the_code_draws():
    for name, draw in pathway.FIGURES.items():
        committed = (pathway.IMAGES / name).read_text(encoding="utf-8")
        assert committed == draw(), f"{name} is stale: run python -m spinemets.pathway"


def test_flowchart_is_accessible_and_legible_on_a_phone():
    root = ET.fromstring(pathway.flowchart())
    assert root.get("role") == "img"
    assert len(root.find(SVG + "title").text) > 10 and len(root.find(SVG + "desc").text) > 200
    # drawn 340 units wide, shown at most 340 CSS px wide and scaled down no further than a 390 px
    # phone's text column (about 340 px): every label is at least 12 CSS px.
    assert int(root.get("width")) == 340
    sizes = [float(text.get("font-size")) for text in root.iter(SVG + "text")]
    assert min(sizes) >= 12
