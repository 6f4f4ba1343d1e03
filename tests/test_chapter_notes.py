"""Shared chapter notes are the same text everywhere (spinemets_site.chapter_notes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinemets_site.chapter_notes import HOW_TO_RUN

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
# Every chapter opens with the note.
WITH_NOTE = {path.name for path in CHAPTERS}


def opening(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(cells[0]["source"]) if cells and cells[0]["cell_type"] == "markdown" else ""


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: str(p.relative_to(BOOK)))
def test_how_to_run_note_is_the_shared_text(path):
    text = opening(path)
    if path.name in WITH_NOTE:
        assert HOW_TO_RUN in text, f"{path}: the opening cell lacks the shared how-to-run note (spinemets_site.chapter_notes)"
    if "How to run this chapter" in text:
        assert HOW_TO_RUN in text, f"{path}: its how-to-run note differs from spinemets_site.chapter_notes.HOW_TO_RUN"
