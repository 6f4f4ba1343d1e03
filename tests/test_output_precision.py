"""Committed chapter outputs carry no number at floating-point-noise precision.

A number with 13 or more decimals (0.5000000000000002) differs in its last digits between CPUs
and BLAS builds, so nbval would pass only on the machine that wrote the output. There is no
exemption: even a lesson about floating point shows its point in rounded or whole numbers (the
reproduction audit counts units in the last place).
"""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
NOISE = re.compile(r"(?<![\w.])-?\d+\.\d{13,}")


def output_texts(cell: dict):
    """Every text a cell's outputs carry (all non-image MIME types, streams, errors)."""
    for output in cell.get("outputs", []):
        if "text" in output:
            yield "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
        for mime, value in (output.get("data") or {}).items():
            if mime.startswith("image/") and mime != "image/svg+xml":
                continue
            if isinstance(value, list):
                value = "".join(value)
            yield value if isinstance(value, str) else json.dumps(value)


def noisy_numbers(notebook: dict) -> list[tuple[int, str]]:
    """(cell index, number) for every noise-precision number in a code cell's outputs."""
    found = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        for text in output_texts(cell):
            found.extend((index, number) for number in NOISE.findall(text))
    return found


CHAPTERS = sorted(p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def test_the_book_has_chapters():
    assert CHAPTERS, f"no chapter notebooks found under {BOOK}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: str(p.relative_to(BOOK)))
def test_committed_outputs_carry_no_noise_precision_numbers(chapter):
    found = noisy_numbers(json.loads(chapter.read_text(encoding="utf-8")))
    assert not found, (
        f"{chapter.relative_to(BOOK.parent)}: {len(found)} number(s) at floating-point-noise precision, "
        f"e.g. cell {found[0][0]}: {found[0][1]}. Round where the number leaves the code "
        f"(spinemets.pages.glue, spinemets.charts)."
    )


def notebook_with(source: str, text: str, mime: str = "text/plain") -> dict:
    return {"cells": [{"cell_type": "code", "source": source, "outputs": [{"output_type": "execute_result", "data": {mime: text}}]}]}


def test_the_check_finds_noise_in_any_text_output():
    assert noisy_numbers(notebook_with("x", "S(21) = 0.5000000000000002")) == [(0, "0.5000000000000002")]
    chart = '<script type="application/json">{"p": 0.0026265748713528952}</script>'
    assert noisy_numbers(notebook_with("chart", chart, "text/html")) == [(0, "0.0026265748713528952")]
    record = notebook_with("glue('x', y)", "0.5000000000000001", "application/papermill.record/text/plain")
    assert len(noisy_numbers(record)) == 1


def test_the_check_spares_honest_numbers():
    assert noisy_numbers(notebook_with("x", "p = 0.0026, year 2012.25, id vega-chart-0123456789abcdef")) == []
