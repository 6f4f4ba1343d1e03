"""Running the R cross-check scripts of tests/r/ (shared by the R test files)."""

import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from spinemets import data


def rscript() -> str:
    found = shutil.which("Rscript")
    if found:
        return found
    message = "Rscript is not installed (Debian: apt-get install r-cran-survival r-cran-cmprsk); the R cross-check needs it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def run_r(script: Path, folder: Path, outputs: tuple[str, ...] = ("out.csv",), timeout: int = 300) -> None:
    """Write the case series to ``folder``/cases.csv and run ``script`` with it and the ``outputs``
    (file names in ``folder``) as arguments. A missing R package skips the test with the reason,
    except in CI (CI=true), where it fails."""
    program = rscript()
    data.load().to_csv(folder / "cases.csv")
    result = subprocess.run([program, str(script), str(folder / "cases.csv"), *(str(folder / name) for name in outputs)],
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        if "there is no package called" in result.stderr and os.environ.get("CI", "").lower() != "true":
            pytest.skip(f"an R package is missing (Debian: r-cran-survival, r-cran-cmprsk, r-cran-coin): {result.stderr.strip()}")
        pytest.fail(f"{script.name} failed:\n{result.stderr}")


def key_values(path: Path) -> dict:
    """An R script's key,value CSV as a dict of floats."""
    frame = pd.read_csv(path)
    return dict(zip(frame["key"], frame["value"].astype(float)))


def r_output(script: Path, folder: Path, timeout: int = 300) -> dict:
    """Run ``script`` over the case series (``run_r``) and return its key -> value rows."""
    run_r(script, folder, timeout=timeout)
    return key_values(folder / "out.csv")
