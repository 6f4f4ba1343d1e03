"""Scores of the systemic-therapy era: the modified Bauer score and the NESMS.

No paper read for the book prints a worked example of either score, so the tests check the
definitions item by item, at every boundary, over the whole range of answers, and the refusal of
impossible input. The published c-statistics are checked against the abstracts' ordering.
"""

import itertools

import pytest

from spinemets import scores


def test_modified_bauer_extremes_and_each_item():
    assert scores.modified_bauer(False, "breast", 1) == 4
    assert scores.modified_bauer(True, "lung", 5) == 0
    base = dict(visceral_metastases=True, primary_site="lung", skeletal_metastases=5)
    assert scores.modified_bauer(**{**base, "visceral_metastases": False}) == 1
    assert scores.modified_bauer(**{**base, "primary_site": "prostate"}) == 1  # not lung, not favourable
    assert scores.modified_bauer(**{**base, "primary_site": "kidney"}) == 2    # not lung and favourable
    assert scores.modified_bauer(**{**base, "skeletal_metastases": 1}) == 1
    assert scores.modified_bauer(**{**base, "skeletal_metastases": 2}) == 0


@pytest.mark.parametrize("site", sorted(scores.MODIFIED_BAUER_FAVOURABLE_PRIMARIES))
def test_modified_bauer_favourable_primaries_score_two_site_points(site):
    assert scores.modified_bauer(True, site, 3) == 2
    assert scores.modified_bauer(True, site.upper(), 3) == 2  # case does not matter


def test_modified_bauer_has_four_items():
    assert len(scores.MODIFIED_BAUER_ITEMS) == 4
    totals = {scores.modified_bauer(v, s, n) for v in (True, False) for s in ("lung", "colon", "breast") for n in (1, 2)}
    assert totals == {0, 1, 2, 3, 4}


@pytest.mark.parametrize("bad", [dict(skeletal_metastases=0), dict(skeletal_metastases=-1), dict(skeletal_metastases=1.5),
                                 dict(skeletal_metastases=True), dict(visceral_metastases="no"), dict(primary_site=""),
                                 dict(primary_site=None)])
def test_modified_bauer_refuses_impossible_input(bad):
    with pytest.raises(ValueError):
        scores.modified_bauer(**{**dict(visceral_metastases=False, primary_site="breast", skeletal_metastases=1), **bad})


def test_nesms_extremes_and_each_item():
    assert scores.nesms(4, "independent", 4.0) == 3   # 2 + 1 + 1 points, capped at the ceiling
    assert scores.nesms(3, "independent", 2.0) == 3
    assert scores.nesms(3, "assisted", 4.0) == 3
    assert scores.nesms(0, "non-ambulatory", 2.0) == 0
    assert scores.nesms(3, "non-ambulatory", 2.0) == 2
    assert scores.nesms(2, "independent", 2.0) == 1
    assert scores.nesms(2, "assisted", 3.5) == 1


def test_nesms_boundaries():
    assert scores.nesms(2, "assisted", 3.0) == 0 and scores.nesms(3, "assisted", 3.0) == 2  # modified Bauer cut-off
    assert scores.nesms(0, "assisted", 3.49) == 0 and scores.nesms(0, "assisted", 3.5) == 1  # albumin cut-off


def test_nesms_covers_zero_to_three_and_never_more():
    answers = itertools.product(range(5), scores.NESMS_AMBULATORY, (2.5, 3.5, 4.5))
    totals = {scores.nesms(b, a, alb) for b, a, alb in answers}
    assert totals == set(range(scores.NESMS_TOTAL_RANGE[0], scores.NESMS_TOTAL_RANGE[1] + 1))


def test_nesms_from_items():
    bauer = scores.modified_bauer(False, "kidney", 1)
    assert bauer == 4
    assert scores.nesms(bauer, "independent", 3.9) == 3


@pytest.mark.parametrize("args, message", [
    ((5, "independent", 4.0), "modified Bauer"),
    ((-1, "independent", 4.0), "modified Bauer"),
    ((2.0, "independent", 4.0), "modified Bauer"),
    ((2, "walks", 4.0), "ambulatory status"),
    ((2, "independent", 35), "g/L"),
    ((2, "independent", float("nan")), "serum albumin"),
    ((2, "independent", "4.0"), "serum albumin"),
])
def test_nesms_refuses_impossible_input(args, message):
    with pytest.raises(ValueError, match=message):
        scores.nesms(*args)


def test_published_discrimination_matches_the_abstracts_order():
    rows = [r for r in scores.PUBLISHED_DISCRIMINATION if r["source"] == "schoenfeld2022"]
    ranked = [r["score"] for r in sorted(rows, key=lambda r: -r["c_statistic"])]
    assert ranked == ["NESMS", "Tomita", "revised Tokuhashi", "SINS"]
    assert all(0.5 <= r["c_statistic"] <= 1 for r in scores.PUBLISHED_DISCRIMINATION)
    assert {r["patients"] for r in rows} == {202}
