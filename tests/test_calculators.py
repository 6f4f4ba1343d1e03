"""The calculators' Python side: formulas, the case series beside a band, and what the page is built from.

Whether the page computes what the Python functions compute is tests/browser/test_calculators.py.
"""

import html
import json
import re

import pytest

from spinemets import calculators, data, radiation, scores
from spinemets.formula import Formula, fixed


def test_formula_evaluates_like_python_and_refuses_other_code():
    assert Formula("a * (1 + a / n / ab)")(a=24, n=3, ab=10) == 24 * (1 + 24 / 3 / 10)
    assert radiation.bed(24, 3, 10) == 24 * (1 + (24 / 3) / 10)
    for bad in ("a ** 2", "__import__('os')", "a if b else c", "f(a)"):
        with pytest.raises(ValueError, match="only"):
            Formula(bad)
    with pytest.raises(ValueError, match="needs"):
        Formula("a + b")(a=1)


def test_fixed_rounds_a_tie_up_as_javascript_does():
    # 39.25 is exact in binary: Python's format gives 39.2 (half to even), toFixed(1) gives 39.3.
    assert f"{39.25:.1f}" == "39.2" and fixed(39.25, 1) == "39.3"
    assert fixed(0.05, 1) == "0.1" and fixed(36.0, 1) == "36.0"


def test_tomita_items_only_where_the_tables_determine_them():
    cases = data.load()
    items = {case: calculators.tomita_items(row) for case, row in cases.iterrows()}
    assert items[4] is None                                    # salivary gland: no growth group
    assert items[3] is None                                    # T10, 11 without extraspinal bone: one lesion or two?
    assert items[8]["bone_metastases"] == "multiple"           # T4 apart from T8-10
    assert items[13]["bone_metastases"] == "multiple"          # thyroid with a metastasis in the ilium
    assert items[1] == {"primary": "slow", "visceral_metastases": "none", "bone_metastases": "solitary"}
    assert calculators.case_levels("T2, 12, L1") == ["T2", "T12", "L1"]
    with pytest.raises(ValueError, match="cannot read"):
        calculators.case_levels("12, T3")


def test_case_series_beside_each_tokuhashi_band_adds_up_to_the_series():
    texts = calculators.tokuhashi_outcomes()
    counts = [0 if t.startswith("None") else int(re.match(r"\d+", t).group()) for t in texts]
    printed = data.load()["tokuhashi"]
    assert counts == [int(printed.between(b.low, b.high).sum()) for b in scores.TOKUHASHI.bands]
    assert sum(counts) == len(printed) == 18
    assert all("18 patients" in t for t in texts)


def test_page_carries_the_definition_the_functions_read():
    page = calculators.tokuhashi().html
    spec = json.loads(html.unescape(re.search(r"data-calculator='([^']*)'", page).group(1)))
    site = next(item for item in spec["items"] if item["key"] == "primary_site")
    assert {o["value"]: o["points"] for o in site["options"]} == scores.TOKUHASHI_PRIMARY_SITE
    assert [(b["low"], b["high"], b["proposal"]) for b in spec["bands"]] == scores.TOKUHASHI_RECOMMENDATIONS
    assert "Teaching, not clinical use" in page and 'aria-live="polite"' in page


def test_noms_table_holds_every_combination_of_the_facts_the_model_reads():
    table, words = calculators.noms_table()
    leaves = []

    def walk(node, depth):
        if depth == 6:
            leaves.append(node)
        else:
            for child in node.values():
                walk(child, depth + 1)
    walk(table, 0)
    assert len(leaves) == 2 * 6 * 3 * 3 * 2 * 3
    assert all(len(leaf) == 3 and all(0 <= i < len(words) for i in leaf) for leaf in leaves)


def test_calculator_text_for_a_notebook_without_the_page():
    assert repr(calculators.bed_eqd2()).endswith("Biologically effective dose (BED) 43.2 Gy; "
                                                 "Equivalent dose in 2 Gy fractions (EQD2) 36.0 Gy")
    assert "counted as 3" in calculators.nesms().html
