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


def r_output(script: Path, folder: Path, timeout: int = 300) -> dict:
    """Write the case series to ``folder``, run ``script`` over it and return its key -> value rows.
    A missing R package skips the test with the reason, except in CI (CI=true), where it fails."""
    program = rscript()
    data.load().to_csv(folder / "cases.csv")
    result = subprocess.run([program, str(script), str(folder / "cases.csv"), str(folder / "out.csv")],
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        if "there is no package called" in result.stderr and os.environ.get("CI", "").lower() != "true":
            pytest.skip(f"an R package is missing (Debian: r-cran-survival, r-cran-cmprsk): {result.stderr.strip()}")
        pytest.fail(f"{script.name} failed:\n{result.stderr}")
    frame = pd.read_csv(folder / "out.csv")
    return dict(zip(frame["key"], frame["value"].astype(float)))
