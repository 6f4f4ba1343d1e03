"""Chapters' code lines fit the code box on a laptop (tests/browser/test_shell.py measures the box at
1366 px: it holds 85 characters; a line of 83 or more scrolled there in some fonts), so the chapters
are formatted at 82 columns (black -l 82)."""

import json
from pathlib import Path

import pytest

CODE_COLUMNS = 82
CHAPTERS = sorted(Path(__file__).resolve().parent.parent.glob("book/**/*.ipynb"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_code_lines_are_at_most_82_characters(chapter):
    cells = [cell for cell in json.loads(chapter.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"]
    long = [line for cell in cells for line in "".join(cell["source"]).splitlines() if len(line) > CODE_COLUMNS]
    assert CHAPTERS and long == [], f"{chapter.name}: {len(long)} code lines over {CODE_COLUMNS} characters: {long[:3]}"
