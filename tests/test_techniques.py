"""The case-series burden by approach (issue 9's corrected numbers) and the complication helpers."""

import pytest

from spinemets import data, techniques


@pytest.fixture(scope="module")
def surgery():
    return techniques.surgery_table(data.load())


def test_burden_by_approach_matches_table_2(surgery):
    burden = techniques.burden_by(surgery, "approach_name")
    # Table 2 of Ohashi et al. 2019: posterior 2, combined 4, simultaneous 12 patients, in order of first use.
    assert list(burden.index) == ["combined anterior and posterior approach", "posterior approach",
                                  "simultaneous anterior and posterior approach"]
    assert list(burden["patients"]) == [4, 2, 12]
    assert list(burden["median time (min)"]) == [714.0, 757.0, 781.5]
    assert list(burden["median blood loss (g)"]) == [3052, 795, 2670]
    assert list(burden["time range (min)"]) == ["680-1073", "447-1067", "609-1110"]


def test_burden_by_era_covers_every_patient(surgery):
    assert techniques.burden_by(surgery, "era")["patients"].sum() == len(surgery) == 18


def test_great_vessel_injuries_are_the_aorta_and_vena_cava_tears(surgery):
    assert list(techniques.great_vessel_injuries(surgery)) == [13, 18]


def test_unknown_approach_code_is_named(surgery):
    cases = data.load()
    cases.loc[1, "approach"] = "XX"
    with pytest.raises(ValueError, match="surgery.csv, column approach.*case 1: 'XX'"):
        techniques.surgery_table(cases)
