"""Numbers leave the code without floating-point noise: chart specs and glued values."""

import json
import math

import altair as alt
import numpy as np
import pandas as pd

from spinemets import charts
from spinemets.pages import without_noise


def test_chart_specs_are_rounded_before_they_are_serialised():
    spec = {"datasets": {"d": [{"p": 0.0026265748713528952, "year": 2012.25, "n": 3, "ok": True, "s": "a"}]}}
    assert charts.round_floats(spec) == {"datasets": {"d": [{"p": 0.00262657, "year": 2012.25, "n": 3, "ok": True, "s": "a"}]}}
    assert charts.round_floats([0.6999999999999998, -1e-20, 0.0]) == [0.7, -1e-20, 0.0]
    assert math.isnan(charts.round_floats(float("nan")))


def test_the_last_binary_digit_no_longer_changes_a_chart():
    """Two values one ulp apart (as two CPUs may compute them) give byte-identical outputs."""
    value = 0.0026265748713528952
    neighbour = np.nextafter(value, 1.0)
    assert value != neighbour

    def output(p):
        data = pd.DataFrame({"x": [1.0, 2.0], "p": [p, 0.5]})
        chart = charts.finish(alt.Chart(data).mark_line().encode(x="x:Q", y="p:Q"), title="t", description="d")
        return json.dumps(charts.render(chart.to_dict()), sort_keys=True)  # the whole MIME bundle

    assert output(value) == output(float(neighbour))


def test_glued_values_lose_only_their_noise():
    assert without_noise(0.5000000000000001) == 0.5
    assert without_noise(np.float64(1) / 3) == 0.3333333333
    assert without_noise(np.int64(18)) == 18 and without_noise("0.5000000000000001") == "0.5000000000000001"
    assert without_noise({"a": [0.1 + 0.2], "b": (True, None)}) == {"a": [0.3], "b": (True, None)}
    frame = without_noise(pd.DataFrame({"x": [0.1 + 0.2], "n": [1]}))
    assert frame["x"].tolist() == [0.3] and frame["n"].tolist() == [1]
