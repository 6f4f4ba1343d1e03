"""Reader copies (tools/lite/reader_copy.py): the chapters' text as JupyterLite, Binder and
`make lab` show it, with the MyST only the book's Sphinx resolves written out."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "lite"))

import reader_copy  # noqa: E402

from spinemets_site.chapter_notes import HOW_TO_RUN  # noqa: E402
from spinemets_site.toc import toc_chapters  # noqa: E402

CHAPTERS = toc_chapters(ROOT)
# What a reader would see as raw MyST if it reached jupyterlab-myst unresolved.
UNRESOLVED = re.compile(r"\{(?!math\}|sub\}|sup\}|abbr\}|kbd\})[a-z][\w:+-]*\}`|^\([^()\s]+\)=\s*$", re.M)
DIRECTIVE = re.compile(r"^(?:`{3,}|:{3,})\{([^}]+)\}", re.M)


@pytest.fixture(scope="module")
def book():
    return reader_copy.Book.load(ROOT)


def markdown(notebook: dict) -> list[str]:
    return [reader_copy.source_of(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]


@pytest.mark.parametrize("kind", sorted(reader_copy.NOTES))
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_copy_has_no_unresolved_myst(chapter, kind, book):
    original = json.loads(chapter.read_text(encoding="utf-8"))
    copy = reader_copy.reader_notebook(chapter, book, kind)
    text = "\n\n".join(markdown(copy))
    assert UNRESOLVED.findall(text) == [], f"{chapter}: unresolved MyST in the {kind} copy"
    directives = set(DIRECTIVE.findall(text))
    assert directives <= reader_copy.RENDERED_DIRECTIVES, f"{chapter}: {directives - reader_copy.RENDERED_DIRECTIVES}"
    # The note speaks of this copy, never of the site's rocket menu.
    assert reader_copy.NOTES[kind] in text and HOW_TO_RUN not in text and "rocket" not in text.lower()
    # Code and outputs are the chapter's own.
    code = [cell for cell in original["cells"] if cell["cell_type"] == "code"]
    assert [cell for cell in copy["cells"] if cell["cell_type"] == "code"] == code


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_exercises_and_references(chapter, book):
    original = "\n\n".join(markdown(json.loads(chapter.read_text(encoding="utf-8"))))
    text = "\n\n".join(markdown(reader_copy.reader_notebook(chapter, book, "lite")))
    exercises = len(re.findall(r"^`{3,}\{exercise\}", original, re.M))
    assert len(re.findall(r"^:{3,}\{admonition\} Exercise \d+", text, re.M)) == exercises
    # Every solution collapsed, under the number of its exercise.
    solutions = re.findall(r"^:{3,}\{dropdown\} Solution to Exercise (\d+)", text, re.M)
    assert sorted(map(int, solutions)) == list(range(1, exercises + 1))
    # Every cited work is listed, with its DOI where the .bib has one.
    keys = {key.strip() for match in re.finditer(r"\{(?:foot)?cite(?::\w+)?\}`([^`]+)`", original)
            for key in match.group(1).split(",")}
    for key in keys:
        entry = book.bibliography[key]
        doi = entry.fields.get("doi")
        if doi:
            assert f"(https://doi.org/{doi})" in text, f"{chapter}: {key} is cited but not in its references"
        assert reader_copy.authors_short(entry) in text


def test_citation_forms(book):
    assert reader_copy.cite(["ohashi2019"], textual=False, bibliography=book.bibliography, where="t") == "(Ohashi et al., 2019)"
    assert reader_copy.cite(["ohashi2019"], textual=True, bibliography=book.bibliography, where="t") == "Ohashi et al. (2019)"
    with pytest.raises(reader_copy.CopyError, match="no-such-key"):
        reader_copy.cite(["no-such-key"], textual=False, bibliography=book.bibliography, where="t")


def test_cross_references(book):
    chapter = reader_copy.Chapter(Path("book/survival/kaplan_meier_by_hand.ipynb"), book, "lite", {})
    # Another chapter: a link to its copy, titled as on the site.
    linked = chapter.text("See {ref}`survival-audit`.")
    target = book.targets["survival-audit"]
    assert linked == f"See [{target.title}](reproduction_audit.ipynb)."
    assert chapter.text("{ref}`the audit <survival-audit>`") == "[the audit](reproduction_audit.ipynb)"
    assert chapter.text("{term}`censored <Censoring>`") == "*censored*"
    assert chapter.text("(a-label)=\n# Title") == "# Title"
    with pytest.raises(reader_copy.CopyError, match="no-such-label"):
        chapter.text("{ref}`no-such-label`")
    with pytest.raises(reader_copy.CopyError, match="unknown-role"):
        chapter.text("{unknown-role}`x`")
    with pytest.raises(reader_copy.CopyError, match="tabs"):
        chapter.text("```{tabs}\nx\n```")


def test_figures_carry_the_books_numbers(book):
    """Figures are numbered across the book in _toc.yml order, as Sphinx numbers them."""
    numbers = [number for document in book.documents for number in book.figures[document]]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    first = next(document for document in book.documents if book.figures[document])
    chapter = reader_copy.Chapter(first, book, "lite", {})
    assert chapter.text("```{figure} x.svg\n:name: f\n:width: 9px\nCaption\n```") == (
        "```{image} x.svg\n:width: 9px\n:align: center\n```\n\n**Fig. 1.** Caption")
