"""CITATION.cff is valid Citation File Format 1.2.0 and agrees with the rest of the repository.

The schema, tests/cff_schema_1.2.0.json, is the Citation File Format project's own, taken
unchanged from github.com/citation-file-format/citation-file-format at tag 1.2.0 (commit
396f738fb025b1d8acdb02a56ffc923f95dc8999), where it is published under CC BY 4.0.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]


def citation() -> dict:
    # CFF dates and versions are strings: load YAML without turning them into other types.
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_file_matches_the_cff_schema():
    schema = json.loads((ROOT / "tests" / "cff_schema_1.2.0.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(citation()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors)


def test_citation_agrees_with_the_repository():
    cff = citation()
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["title"] == config["title"]
    assert cff["repository-code"] == config["repository"]["url"]
    assert cff["version"] == project["version"]
    assert project["license"] in cff["license"]
    assert (ROOT / "LICENSE").is_file()
