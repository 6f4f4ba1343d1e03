"""The analysis (``spinemets``) and the site (``spinemets_site``) stay apart.

A reader of the science never opens a Sphinx hook: no module of ``spinemets`` imports the site
package, Sphinx or docutils; every Sphinx extension the book loads lives in ``spinemets_site``;
no chapter imports the site package.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCIENCE = sorted((ROOT / "spinemets").glob("*.py"))
SITE = sorted((ROOT / "spinemets_site").glob("*.py"))
# What only the site build needs. (myst_nb is not in the list: spinemets.pages calls its ``glue``,
# which runs in the chapter's kernel and records a value in the notebook; it is no Sphinx hook.)
SITE_ONLY = ("spinemets_site", "sphinx", "docutils", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_design")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_both_packages_exist():
    assert SCIENCE and SITE, "spinemets/ and spinemets_site/ must both hold modules"


@pytest.mark.parametrize("path", SCIENCE, ids=lambda p: p.name)
def test_the_science_never_imports_the_site(path):
    crossing = sorted(m for m in imported_modules(path) if m.split(".")[0] in SITE_ONLY)
    assert crossing == [], f"spinemets/{path.name} imports site code: {crossing} (it belongs in spinemets_site/)"


def test_no_sphinx_hook_in_the_science():
    hooks = [p.name for p in SCIENCE if p.name.startswith("sphinx_") or "def setup(app" in p.read_text(encoding="utf-8")]
    assert hooks == [], f"Sphinx extensions inside spinemets/: {hooks}"


def test_every_extension_the_book_loads_is_in_the_site_package():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    ours = [e for e in config["sphinx"]["extra_extensions"] if e.startswith("spinemets")]
    assert ours, "no extension of the book's own in _config.yml"
    misplaced = [e for e in ours if not e.startswith("spinemets_site.")]
    assert misplaced == [], f"extensions outside spinemets_site: {misplaced}"
    for extension in ours:
        assert (ROOT / (extension.replace(".", "/") + ".py")).is_file(), f"{extension} does not exist"


def test_no_chapter_imports_the_site():
    offenders = []
    for notebook in sorted((ROOT / "book").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code" and "spinemets_site" in "".join(cell["source"]):
                offenders.append(notebook.relative_to(ROOT).as_posix())
    assert offenders == [], f"chapters importing the site package: {sorted(set(offenders))}"
