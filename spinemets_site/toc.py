"""The book's documents in reading order, read from ``_toc.yml`` (tools and tests share this)."""

from __future__ import annotations

from pathlib import Path

import yaml

from spinemets import PROJECT_ROOT


def toc_documents(root: Path = PROJECT_ROOT) -> list[str]:
    """Every document of ``_toc.yml`` (root first), as paths without suffix relative to ``root``."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))

    def files(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            for key in ("parts", "chapters", "sections"):
                yield from files(entry.get(key, []))

    return [toc["root"], *files(toc.get("parts", []) + toc.get("chapters", []))]


def toc_chapters(root: Path = PROJECT_ROOT) -> list[Path]:
    """The chapter notebooks of ``_toc.yml``, in reading order."""
    root = Path(root)
    return [root / f"{name}.ipynb" for name in toc_documents(root) if (root / f"{name}.ipynb").is_file()]
