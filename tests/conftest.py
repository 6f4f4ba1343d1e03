"""Shared fixtures: a private, editable copy of the case-series data for each test."""

import csv
import shutil
from pathlib import Path

import pytest

from spinemets.data import DEFAULT_DATA_DIR


class DataCopy:
    """A copy of data/ohashi2019 that a test may break on purpose."""

    def __init__(self, directory: Path):
        self.directory = directory

    def rows(self, file: str) -> tuple[list[str], list[dict[str, str]]]:
        with (self.directory / file).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames), list(reader)

    def write(self, file: str, header: list[str], rows: list[dict[str, str]]) -> None:
        with (self.directory / file).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)

    def set(self, file: str, case: int, column: str, value: str) -> None:
        """Change one cell, as a careless edit would."""
        header, rows = self.rows(file)
        matches = [row for row in rows if row["case"] == str(case)]
        assert len(matches) == 1, f"case {case} not found once in {file}"
        assert column in header, f"{column} not in {file}"
        matches[0][column] = value
        self.write(file, header, rows)


@pytest.fixture
def data_copy(tmp_path: Path) -> DataCopy:
    target = tmp_path / "ohashi2019"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return DataCopy(target)
