"""Score functions against worked examples: the published tables, their boundaries and printed scores.

Worked examples from papers: Ohashi et al. 2019 print a revised Tokuhashi score for every patient
(Table 1). For the patients whose items can all be read off that table (one vertebra, no
metastasis to organs or extraspinal bone), a good general condition reproduces the printed total.
"""

import pytest

from spinemets import data, scores


@pytest.mark.parametrize("case, site", [(2, "thyroid"), (12, "thyroid"), (18, "thyroid"), (5, "kidney"), (6, "kidney")])
def test_tokuhashi_reproduces_ohashi_table_1(case, site):
    row = data.load().loc[case]
    assert (row["vital_organ_metastasis"], row["extraspinal_bone_metastasis"]) == ("No", "No")
    assert "," not in row["levels"]  # one vertebra
    total = scores.tokuhashi_revised("good", 0, 1, "none", site, row["frankel_pre"])
    assert total == row["tokuhashi"]


def test_tokuhashi_extremes_and_each_item():
    assert scores.tokuhashi_revised("good", 0, 1, "none", "thyroid", "E") == 15
    assert scores.tokuhashi_revised("poor", 3, 3, "unremovable", "lung", "A") == 0
    base = dict(general_condition="poor", extraspinal_bone_metastases=5, vertebral_metastases=5,
                organ_metastases="unremovable", primary_site="lung", frankel="A")
    assert scores.tokuhashi_revised(**{**base, "general_condition": "moderate"}) == 1
    assert scores.tokuhashi_revised(**{**base, "extraspinal_bone_metastases": 2}) == 1
    assert scores.tokuhashi_revised(**{**base, "extraspinal_bone_metastases": 0}) == 2
    assert scores.tokuhashi_revised(**{**base, "vertebral_metastases": 2}) == 1
    assert scores.tokuhashi_revised(**{**base, "vertebral_metastases": 1}) == 2
    assert scores.tokuhashi_revised(**{**base, "organ_metastases": "removable"}) == 1
    assert scores.tokuhashi_revised(**{**base, "frankel": "D"}) == 1
    assert [scores.tokuhashi_revised(**{**base, "primary_site": s}) for s in
            ["pancreas", "liver", "other", "kidney", "rectum", "prostate"]] == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("total, band", [(0, "< 6 months"), (8, "< 6 months"), (9, ">= 6 months"),
                                         (11, ">= 6 months"), (12, ">= 1 year"), (15, ">= 1 year")])
def test_tokuhashi_bands_at_their_boundaries(total, band):
    assert scores.tokuhashi_band(total) == band


@pytest.mark.parametrize("total, treatment", [
    (8, "conservative treatment or palliative surgery"),
    (9, "palliative surgery, or excisional surgery in selected patients"),
    (11, "palliative surgery, or excisional surgery in selected patients"),
    (12, "excisional surgery")])
def test_tokuhashi_bands_carry_the_2005_treatment(total, treatment):
    assert scores.tokuhashi_recommendation(total) == treatment


def test_tokuhashi_case_series_examples_land_in_the_excisional_band():
    # Cases 2, 12 and 18 of Ohashi et al. 2019 print 14 points: the band Tokuhashi et al. tie to excision.
    for case in (2, 12, 18):
        assert scores.tokuhashi_recommendation(int(data.load().loc[case, "tokuhashi"])) == "excisional surgery"


def test_frankel_note_names_its_successor():
    assert "ASIA Impairment Scale" in scores.FRANKEL_NOTE and "1992" in scores.FRANKEL_NOTE


def test_tokuhashi_rejects_what_it_cannot_score():
    with pytest.raises(ValueError, match="primary site"):
        scores.tokuhashi_revised("good", 0, 1, "none", "spleen", "E")
    with pytest.raises(ValueError):
        scores.tokuhashi_revised("good", 0, 0, "none", "breast", "E")
    with pytest.raises(ValueError):
        scores.tokuhashi_band(16)
    assert [scores.karnofsky_to_condition(k) for k in (40, 50, 70, 80)] == ["poor", "moderate", "moderate", "good"]


def test_tomita_growth_groups_the_primary_sites_slow_moderate_rapid():
    # The grouping in wide use for Tomita et al. 2001 (not printed in any abstract cited): slow (breast, thyroid, prostate), moderate (kidney, uterus),
    # rapid (lung, liver, stomach, colon, primary unknown).
    assert [scores.tomita_growth(s) for s in ("breast", "Thyroid", "prostate")] == ["slow"] * 3
    assert [scores.tomita_growth(s) for s in ("kidney", "uterus")] == ["moderate"] * 2
    assert [scores.tomita_growth(s) for s in ("lung", "liver", "stomach", "colon", "unknown")] == ["rapid"] * 5
    with pytest.raises(ValueError, match="primary site"):
        scores.tomita_growth("spleen")


def test_tomita_score_from_a_primary_site():
    # A solitary breast metastasis without visceral metastases: 1 + 0 + 1 = 2, the best total.
    assert scores.tomita_score("breast", "none", "solitary") == 2
    # Kidney (moderate, 2) + treatable visceral (2) + solitary bone (1) = 5.
    assert scores.tomita_score("kidney", "treatable", "solitary") == 5
    # Lung (rapid, 4) + untreatable visceral (4) + multiple bone (2) = 10, the worst total.
    assert scores.tomita_score("lung", "untreatable", "multiple") == 10
    assert scores.tomita_score("liver", "none", "solitary") == scores.tomita_score("rapid", "none", "solitary")


def test_tomita_score_and_goals():
    assert scores.tomita_score("slow", "none", "solitary") == 2
    assert scores.tomita_score("rapid", "untreatable", "multiple") == 10
    assert scores.tomita_score("moderate", "treatable", "solitary") == 5
    assert [scores.tomita_goal(t).split(":")[0] for t in (3, 4, 7, 8)] == [
        "long-term local control", "middle-term local control", "short-term palliation", "terminal care"]
    with pytest.raises(ValueError):
        scores.tomita_goal(1)


def test_sins_worked_example_and_category_boundaries():
    # A lytic T12 metastasis with mechanical pain, new kyphosis, <50 % collapse, one facet involved.
    result = scores.sins("T12", "mechanical", "lytic", "de novo deformity", "<50% collapse", "unilateral")
    assert result.total == 3 + 3 + 2 + 2 + 2 + 1
    assert scores.sins("S3", "pain-free", "blastic", "normal", "none of the above", "none").total == 0
    assert scores.sins("junctional", "mechanical", "lytic", "subluxation/translation", ">50% collapse", "bilateral").total == 18
    assert (result.total, result.category) == (13, "instability")
    # Bands of Fourney et al. 2011; labels as attributed to Fisher et al. 2010.
    indeterminate = "indeterminate (possible impending) instability"
    assert [scores.sins_category(t) for t in (0, 6, 7, 12, 13, 18)] == [
        "stable", "stable", indeterminate, indeterminate, "instability", "instability"]


def test_sins_locations_cover_every_level_once():
    levels = [lvl for group in scores.SINS_LEVELS.values() for lvl in group]
    assert len(levels) == len(set(levels)) == 11 + 7 + 8 + 4
    assert [scores.sins_location(v) for v in ("C2", "C5", "T7", "L1", "L3", "S4")] == [
        "junctional", "mobile", "semirigid", "junctional", "mobile", "rigid"]


def test_escc_high_grade():
    assert [scores.escc_is_high_grade(g) for g in ("0", "1a", "1b", "1c", "2", "3")] == [False] * 4 + [True] * 2
    with pytest.raises(ValueError):
        scores.escc_is_high_grade("4")
