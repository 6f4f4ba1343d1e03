"""Feeding numbers to a chapter's prose: ``glue`` with the floating-point noise removed.

``myst_nb.glue`` stores a value's ``repr`` in the notebook. A float computed on another CPU or
BLAS build can differ in its last binary digit (0.5000000000000001 against 0.5), and nbval then
fails there although nothing meaningful changed. Every chapter therefore glues through this
module: floats, numpy floats and floats inside lists, tuples, dicts and pandas objects are rounded
to ``GLUE_SIGNIFICANT_DIGITS`` before gluing. That only removes noise: the prose still formats each
number to the precision it is meaningful at (``{glue:text}`name:.1f```).
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from myst_nb import glue as myst_glue

GLUE_SIGNIFICANT_DIGITS = 10


def _round_float(value: float, significant: int) -> float:
    if not math.isfinite(value) or value == 0:
        return float(value)
    return float(f"{value:.{significant}g}")


def without_noise(value, significant: int = GLUE_SIGNIFICANT_DIGITS):
    """``value`` with every float in it rounded to ``significant`` significant digits."""
    if isinstance(value, (bool, np.bool_, str)) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return value
    if isinstance(value, numbers.Real):
        return _round_float(float(value), significant)
    if isinstance(value, pd.DataFrame):
        rounded = value.copy()
        for column in rounded.columns:
            if pd.api.types.is_float_dtype(rounded[column]):
                rounded[column] = rounded[column].map(lambda x: _round_float(x, significant))
        return rounded
    if isinstance(value, pd.Series):
        if pd.api.types.is_float_dtype(value):
            return value.map(lambda x: _round_float(x, significant))
        return value
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating):
        return np.array([without_noise(item, significant) for item in value.tolist()])
    if isinstance(value, dict):
        return {key: without_noise(item, significant) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(without_noise(item, significant) for item in value)
    return value


def glue(name: str, value, display: bool = True) -> None:
    """``myst_nb.glue`` without floating-point noise (same arguments, so it replaces it one for one)."""
    myst_glue(name, without_noise(value), display=display)


def glue_all(values: dict, display: bool = False) -> None:
    """Glue several named values at once, so that a cell feeding the prose stays one call."""
    for name, value in values.items():
        glue(name, value, display=display)
