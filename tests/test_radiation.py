"""spinemets.radiation against published worked values, with the arithmetic written out."""

import math

import pytest

from spinemets import radiation


@pytest.mark.parametrize("fractions, dose_per_fraction, published_eqd2", [
    # EQD2 values (alpha/beta = 10 Gy) printed in a 2024 preprint on radiotherapy for spinal cord
    # compression (preprints.org 202403.0108, v1; bibliography key preprint2024mescc):
    (10, 3.0, 32.5),   # BED = 30 * (1 + 3/10) = 39.0;    EQD2 = 39.0 / 1.2 = 32.5
    (15, 2.5, 39.1),   # BED = 37.5 * (1 + 2.5/10) = 46.875; EQD2 = 46.875 / 1.2 = 39.06 -> 39.1
    (20, 2.0, 40.0),   # BED = 40 * (1 + 2/10) = 48.0;    EQD2 = 48.0 / 1.2 = 40.0
])
def test_eqd2_reproduces_published_values(fractions, dose_per_fraction, published_eqd2):
    total = fractions * dose_per_fraction
    assert round(radiation.eqd2(total, fractions, 10), 1) == published_eqd2


def test_bed_by_hand():
    # 8 Gy x 1 for a tumour: BED = 8 * (1 + 8/10) = 14.4 Gy; for the cord: 8 * (1 + 8/2) = 40 Gy.
    assert radiation.bed(8, 1, 10) == pytest.approx(14.4)
    assert radiation.bed(8, 1, 2) == pytest.approx(40.0)
    # 2 Gy fractions are the reference: EQD2 equals the physical dose whatever alpha/beta is.
    assert radiation.eqd2(50, 25, 10) == pytest.approx(50)
    assert radiation.eqd2(50, 25, 2) == pytest.approx(50)


def test_sahgal_cord_limits_are_one_bed_at_alpha_beta_two():
    # Sahgal et al. 2013 give thecal-sac point-maximum limits (risk of myelopathy 5% or less) for
    # 1 to 5 fractions, computed on 2 Gy-equivalent doses with alpha/beta = 2 Gy. If the LQ
    # arithmetic here matches theirs, every limit maps to (nearly) the same EQD2:
    # 12.4 Gy x 1: BED = 12.4 * (1 + 12.4/2) = 89.28; EQD2 = 89.28 / 2 = 44.6 Gy.
    values = [radiation.eqd2(dose, n, 2) for n, dose in radiation.THECAL_SAC_LIMITS_SAHGAL_2013.items()]
    assert max(values) - min(values) < 0.2
    assert round(values[0], 1) == 44.6


def test_more_fractions_spare_the_cord_more_than_the_tumour():
    # The same 24 Gy in 2 fractions instead of 1: the tumour BED falls by about a third, the cord BED by almost half.
    tumour = radiation.bed(24, 2, 10) / radiation.bed(24, 1, 10)
    cord = radiation.bed(24, 2, 2) / radiation.bed(24, 1, 2)
    assert cord < tumour < 1


@pytest.mark.parametrize("args, error, words", [
    ((0, 1, 10), ValueError, "total_dose_gy"),
    ((-8, 1, 10), ValueError, "total_dose_gy"),
    ((8, 0, 10), ValueError, "fractions"),
    ((8, 1.5, 10), TypeError, "fractions"),
    ((8, 1, 0), ValueError, "alpha_beta"),
    ((8, 1, math.nan), ValueError, "alpha_beta"),
    (("8", 1, 10), TypeError, "total_dose_gy"),
    ((8, True, 10), TypeError, "fractions"),
])
def test_bad_input_is_refused_with_a_clear_message(args, error, words):
    with pytest.raises(error, match=words):
        radiation.bed(*args)
    with pytest.raises(error, match=words):
        radiation.eqd2(*args)


def test_regimen_table_is_rounded_and_complete():
    table = radiation.regimen_table()
    assert len(table) == 2 * len(radiation.REGIMENS)
    assert set(table["alpha_beta_gy"]) == {10.0, 2.0}
    for column in ["bed_gy", "eqd2_gy"]:
        assert (table[column] == table[column].round(1)).all()
    row = table[(table["regimen"] == "24 Gy / 2") & (table["alpha_beta_gy"] == 10.0)].iloc[0]
    assert (row["bed_gy"], row["eqd2_gy"]) == (52.8, 44.0)  # 24 * (1 + 12/10) = 52.8; / 1.2 = 44.0


def test_zelefsky_arms_as_the_abstract_gives_them():
    # Zelefsky et al. 2021 (abstract): 24 Gy single dose against 3 x 9 Gy.
    assert [(r.total_dose_gy, r.fractions, r.dose_per_fraction_gy) for r in radiation.ZELEFSKY_2021] == [(24, 1, 24), (27, 3, 9)]
    assert {r.source for r in radiation.ZELEFSKY_2021} == {"zelefsky2021"}


def test_zelefsky_arms_by_hand():
    table = radiation.dose_by_tissue(radiation.ZELEFSKY_2021).set_index(["regimen", "tissue"])
    # tumour, alpha/beta 10: 24 x (1 + 24/10) = 81.6, / 1.2 = 68.0; 27 x (1 + 9/10) = 51.3, / 1.2 = 42.75
    assert table.loc[("24 Gy x 1", "tumour, conventional value"), ["bed_gy", "eqd2_gy"]].tolist() == [81.6, 68.0]
    assert table.loc[("27 Gy / 3", "tumour, conventional value"), "bed_gy"] == 51.3
    # melanoma, alpha/beta 2.5: 24 x (1 + 24/2.5) = 254.4; 27 x (1 + 9/2.5) = 124.2
    assert table.loc[("24 Gy x 1", "melanoma"), "bed_gy"] == 254.4
    assert table.loc[("27 Gy / 3", "melanoma"), "bed_gy"] == 124.2
    # The single dose gains more over 3 x 9 Gy the lower the alpha/beta: the ratio of BEDs grows.
    ratio = {t: table.loc[("24 Gy x 1", t), "bed_gy"] / table.loc[("27 Gy / 3", t), "bed_gy"]
             for t in ["tumour, conventional value", "melanoma", "prostate carcinoma"]}
    assert ratio["tumour, conventional value"] < ratio["melanoma"] < ratio["prostate carcinoma"]


def test_every_alpha_beta_has_a_source_or_says_none_was_verified():
    for a in radiation.ALPHA_BETAS:
        if a.value_gy is None:
            assert a.source == "" and "could be verified" in a.evidence
        else:
            assert a.source and a.value_gy > 0
    table = radiation.alpha_beta_table()
    assert table.loc["renal cell carcinoma", "source"] == "none verified"
    assert table.loc["melanoma", "alpha_beta_gy"] == 2.5 and table.loc["prostate carcinoma", "alpha_beta_gy"] == 1.12


def test_alpha_beta_sources_resolve_in_the_bibliography():
    from spinemets.validation import bibliography_keys
    keys, problems = bibliography_keys()
    assert problems == []
    for a in radiation.ALPHA_BETAS:
        assert not a.source or a.source in keys, a.source


def test_dose_by_tissue_leaves_out_tissues_without_a_verified_value():
    table = radiation.dose_by_tissue(radiation.REGIMENS)
    assert "renal cell carcinoma" not in set(table["tissue"]) and "sarcoma" not in set(table["tissue"])
    assert len(table) == len(radiation.REGIMENS) * sum(a.value_gy is not None for a in radiation.ALPHA_BETAS)


def test_the_sahgal_limits_are_thecal_sac_limits():
    assert radiation.CORD_LIMITS_SAHGAL_2013 is radiation.THECAL_SAC_LIMITS_SAHGAL_2013
