"""Reader copies of the chapters: MyST that only the book's Sphinx build resolves, written out as
the site shows it, so a chapter opened in JupyterLab or JupyterLite reads like its page.

JupyterLab and JupyterLite render a chapter's Markdown with the jupyterlab-myst extension
(pinned in requirements.txt): headings, admonitions, figures, dropdowns, tables and maths. What it
cannot resolve needs the whole book, so the copy has it written in at build time:

* ``(label)=`` targets: removed (nothing in a copy links to them);
* ``{footcite:p}`` / ``{footcite:t}`` (and ``{cite}``): author-year text, "(Ohashi et al.,
  2019)" / "Ohashi et al. (2019)", from the book's ``.bib`` files (pybtex); each
  ``{footbibliography}`` becomes the list of the works cited above it, formatted by pybtex;
* ``{term}``: the term in italics (the glossary is a page of the site);
* ``{ref}`` / ``{doc}``: a link to the other chapter's copy (a relative path, which JupyterLab
  opens), or the title as plain text for a target in the same chapter or outside the chapters;
  ``{numref}`` to a figure: "Fig. N", as the site numbers figures (across the book, in _toc.yml order);
* ``{figure}``: the image, with "Fig. N." and the caption under it (jupyterlab-myst 2.4 would
  number each chapter's figures from 1);
* ``{exercise}`` / ``{solution}``: an admonition "Exercise N (title)" and, collapsed under it,
  a dropdown "Solution to Exercise N (title)" (exercises numbered per chapter, as on the site);
* ``{glue:text}``: the value the executed notebook glued, formatted as the book shows it;
* the how-to-run note: replaced by a note about the copy the reader is in.

Anything else written as a role or a directive that jupyterlab-myst does not render stops the
build with the chapter and the construct named, so no raw MyST reaches a reader unnoticed.

``python tools/lite/reader_copy.py binder`` rewrites the chapters in place, keeping their
outputs: the Binder image runs it (``postBuild``), so Binder opens reader copies. ``make lab``
writes reader copies to ``_build/lab`` (``python tools/lite/reader_copy.py lab``).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from a checkout (Binder's postBuild, make lab)

from spinemets_site.toc import toc_chapters  # noqa: E402

# The notes a copy opens with, one per kind of copy (they replace spinemets_site.chapter_notes.HOW_TO_RUN).
NOTES = {
    "lite": (
        "> **You are running this chapter in your browser** (JupyterLite: Python runs inside this tab,\n"
        "> nothing is installed). Choose *Run ▸ Run All Cells*; the first code cell installs what the\n"
        "> chapter needs from the book's website. Your edits stay in this tab only and vanish when it\n"
        "> reloads: use *File ▸ Download* to keep a copy. Numbers in the text are the ones the book\n"
        "> printed; the code cells recompute them."
    ),
    "binder": (
        "> **You are running this chapter on a Binder server** (mybinder.org), in JupyterLab with the\n"
        "> book's exact environment. Choose *Run ▸ Run All Cells*. Your edits last as long as this\n"
        "> session: use *File ▸ Download* to keep a copy. This copy's text is written out for reading\n"
        "> (citations, cross-references and the numbers the book printed); the code cells recompute\n"
        "> the numbers."
    ),
    "lab": (
        "> **You are running a reader's copy of this chapter** in JupyterLab on your machine\n"
        "> (`make lab`, from `_build/lab/`). Choose *Run ▸ Run All Cells*. The text is written out for\n"
        "> reading (citations, cross-references and the numbers the book printed); the code cells\n"
        "> recompute the numbers. `make lab` rewrites this copy when the chapter changes: to change\n"
        "> the chapter itself, edit it under `book/` (`make lab-source` opens those)."
    ),
}
NOTE_START = re.compile(r"^> \*\*How to run this chapter\.\*\*.*(?:\n>.*)*", re.M)

# What jupyterlab-myst renders by itself and the chapters may use as they are.
RENDERED_DIRECTIVES = {"admonition", "note", "tip", "warning", "important", "caution", "attention",
                       "danger", "error", "hint", "seealso", "figure", "image", "math", "dropdown",
                       "code", "code-block", "table", "list-table", "margin", "aside", "epigraph"}
RENDERED_ROLES = {"math", "sub", "sup", "abbr", "kbd", "u", "strike", "del"}

FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[^}]+)\}(?P<argument>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                   re.M | re.S)
ROLE = re.compile(r"\{(?P<name>[a-zA-Z][\w:+-]*)\}`(?P<content>[^`]*)`")
LABEL = re.compile(r"^\((?P<label>[^()\s]+)\)=[ \t]*\n", re.M)
LABEL_RUN = re.compile(r"(?:[ \t]*\n|\([^()\s]+\)=[ \t]*\n)*")
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<title>.+?)[ \t]*$", re.M)
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
GLUE_TEXT = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")


class CopyError(Exception):
    """A construct the copy cannot write out; the message names the chapter and the construct."""


def source_of(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def split_options(body: str) -> tuple[dict[str, str], str]:
    """A directive's ``:key: value`` lines (at its top) and the rest of its body."""
    options, lines = {}, body.split("\n")
    while lines and (match := OPTION.match(lines[0])):
        options[match.group("key")] = match.group("value").strip()
        lines.pop(0)
    return options, "\n".join(lines).strip("\n")


# ---------------------------------------------------------------- the book's targets
@dataclass
class Target:
    document: Path  # relative to ROOT, e.g. book/survival/kaplan_meier_by_hand.ipynb
    title: str


@dataclass
class Book:
    """Everything a copy resolves against: every label, exercise and figure of every document in
    _toc.yml, and the bibliography."""

    documents: list[Path]
    targets: dict[str, Target] = field(default_factory=dict)
    exercises: dict[Path, dict[str, tuple[int, str]]] = field(default_factory=dict)
    figures: dict[Path, list[int]] = field(default_factory=dict)  # each chapter's figure numbers, in order
    bibliography: dict = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path = ROOT) -> Book:
        documents = [path.relative_to(root) for path in toc_documents(root)]
        book = cls(documents=documents)
        figure_count = 0
        for document in documents:
            text = markdown_of(root / document)
            for match in LABEL.finditer(text):
                after = LABEL_RUN.match(text, match.end()).end()  # labels stacked on one heading
                heading = HEADING.match(text, after)
                title = heading.group("title") if heading else match.group("label")
                book.targets[match.group("label")] = Target(document, strip_roles(title))
            exercises, figures = {}, []
            for match in FENCE.finditer(text):
                name = match.group("name").strip()
                options, _ = split_options(match.group("body"))
                if name == "exercise":
                    number = len(exercises) + 1
                    label = options.get("label", f"{document}-exercise-{number}")
                    exercises[label] = (number, match.group("argument").strip())
                    book.targets.setdefault(label, Target(document, f"Exercise {number}"))
                elif name == "figure":  # numbered across the book, as Sphinx does without section numbers
                    figure_count += 1
                    figures.append(figure_count)
                    if "name" in options:
                        book.targets.setdefault(options["name"], Target(document, f"Fig. {figure_count}"))
            book.exercises[document], book.figures[document] = exercises, figures
        book.bibliography = load_bibliography(root)
        return book


def toc_documents(root: Path) -> list[Path]:
    """Every document of _toc.yml (chapters, the landing page, the back matter), as files."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]
    for part in toc.get("parts", []):
        names += [chapter["file"] for chapter in part.get("chapters", [])]
    found = []
    for name in names:
        for suffix in (".ipynb", ".md"):
            if (root / f"{name}{suffix}").is_file():
                found.append(root / f"{name}{suffix}")
                break
    return found


def markdown_of(path: Path) -> str:
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join(source_of(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown")


def strip_roles(text: str) -> str:
    return ROLE.sub(lambda match: EXPLICIT.match(match.group("content")).group("text")
                    if EXPLICIT.match(match.group("content")) else match.group("content"), text)


# ---------------------------------------------------------------- citations
def load_bibliography(root: Path) -> dict:
    from pybtex.database import parse_file

    config = (root / "_config.yml").read_text(encoding="utf-8")
    entries = {}
    for name in re.findall(r"^\s*-\s*(book/\S+\.bib)\s*$", config, re.M):
        for key, entry in parse_file(str(root / name), bib_format="bibtex").entries.items():
            entries[key] = entry
    return entries


def last_names(entry) -> list[str]:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = []
    for person in people:
        if str(person).strip().lower() == "others":
            names.append("others")
        else:
            names.append(" ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", ""))
    return names


def authors_short(entry) -> str:
    names = last_names(entry)
    if not names:
        return entry.fields.get("organization", entry.fields.get("title", "?"))
    if len(names) == 1:
        return names[0]
    if len(names) == 2 and names[1] != "others":
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def cite(keys: list[str], textual: bool, bibliography: dict, where: str) -> str:
    parts = []
    for key in keys:
        entry = bibliography.get(key)
        if entry is None:
            raise CopyError(f"{where}: citation key {key!r} is in no .bib file of _config.yml")
        year = entry.fields.get("year", "n.d.")
        parts.append(f"{authors_short(entry)} ({year})" if textual else f"{authors_short(entry)}, {year}")
    return ", ".join(parts) if textual else "(" + "; ".join(parts) + ")"


def reference_list(keys: list[str], bibliography: dict) -> str:
    """The works, alphabetically by first author and year, formatted by pybtex as Markdown."""
    from pybtex.plugin import find_plugin

    style = find_plugin("pybtex.style.formatting", "unsrt")()
    backend = find_plugin("pybtex.backends", "markdown")()
    ordered = sorted(dict.fromkeys(keys), key=lambda key: (authors_short(bibliography[key]).lower(),
                                                          bibliography[key].fields.get("year", ""), key))
    lines = []
    for key in ordered:
        formatted = next(iter(style.format_entries([bibliography[key]])))
        text = " ".join(formatted.text.render(backend).split())
        lines.append(f"- {text}")
    return "\n".join(lines)


# ---------------------------------------------------------------- one chapter
def relative_link(source: Path, target: Path) -> str:
    import os

    return Path(os.path.relpath(target, source.parent)).as_posix()


class Chapter:
    def __init__(self, document: Path, book: Book, kind: str, glued: dict[str, str]):
        self.document, self.book, self.kind, self.glued = document, book, kind, glued
        self.cited: list[str] = []  # since the last {footbibliography}
        self.exercise_count = self.figure_count = 0

    def where(self) -> str:
        return str(self.document)

    def link(self, target: Target, text: str) -> str:
        if target.document == self.document or target.document.suffix != ".ipynb":
            return text  # the same chapter, or a page that is not a chapter (glossary, landing page)
        return f"[{text}]({relative_link(self.document, target.document)})"

    def role(self, match: re.Match) -> str:
        name, content = match.group("name"), match.group("content")
        explicit = EXPLICIT.match(content)
        text, target = (explicit.group("text"), explicit.group("target")) if explicit else (None, content)
        if name in {"footcite", "footcite:p", "footcite:t", "cite", "cite:p", "cite:t", "footcite:ps", "footcite:ts",
                    "cite:ps", "cite:ts"}:
            keys = [key.strip() for key in content.split(",") if key.strip()]
            self.cited += keys
            return cite(keys, textual=name.split(":")[-1].startswith("t"), bibliography=self.book.bibliography,
                        where=self.where())
        if name == "term":
            return f"*{text or target}*"
        if name in {"ref", "numref"}:
            found = self.book.targets.get(target)
            if found is None:
                raise CopyError(f"{self.where()}: {{{name}}}`{content}` names no label of the book")
            if name == "numref" and text:
                text = text.replace("%s", found.title.split()[-1]).replace("{number}", found.title.split()[-1])
            return self.link(found, text or found.title)
        if name == "doc":
            path = (ROOT / self.document).parent / target
            for suffix in (".ipynb", ".md"):
                candidate = path.with_suffix(suffix).resolve()
                if candidate.is_file():
                    document = candidate.relative_to(ROOT)
                    title = text or first_heading(candidate)
                    return self.link(Target(document, title), title)
            raise CopyError(f"{self.where()}: {{doc}}`{content}` names no document")
        if name == "glue:text":
            return match.group(0)  # written in by GLUE_TEXT, with its format
        if name in RENDERED_ROLES:
            return match.group(0)
        raise CopyError(f"{self.where()}: the role {{{name}}} has no reader's form (tools/lite/reader_copy.py)")

    def directive(self, match: re.Match) -> str:
        fence, name = match.group("fence"), match.group("name").strip()
        argument = match.group("argument").strip()
        options, body = split_options(match.group("body"))
        body = self.text(body)  # nested roles and directives
        colons = ":" * max(3, len(fence) if fence.startswith(":") else 3)
        if name == "exercise":
            self.exercise_count += 1
            number, title = self.exercise_count, argument
            heading = f"Exercise {number}" + (f" ({self.text(title)})" if title else "")
            return f"{colons}{{admonition}} {heading}\n:class: tip\n{body}\n{colons}"
        if name == "solution":
            exercises = self.book.exercises[self.document]
            if argument not in exercises:
                raise CopyError(f"{self.where()}: a solution names {argument!r}, no exercise of this chapter")
            number, title = exercises[argument]
            heading = f"Solution to Exercise {number}" + (f" ({self.text(title)})" if title else "")
            if "dropdown" not in options.get("class", ""):
                return f"{colons}{{admonition}} {heading}\n{body}\n{colons}"
            return f"{colons}{{dropdown}} {heading}\n{body}\n{colons}"
        if name in {"footbibliography", "bibliography"}:
            keys, self.cited = self.cited, []
            if not keys:
                return ""
            return reference_list(keys, self.book.bibliography)
        if name == "figure":
            # An image with its caption under it, numbered as on the site: jupyterlab-myst 2.4 would
            # number the figures of each chapter from 1, and the text says "Fig. 7".
            number = self.book.figures[self.document][self.figure_count]
            self.figure_count += 1
            image = {key: value for key, value in options.items() if key in {"alt", "width", "height", "scale", "class"}}
            lines = [f"{fence}{{image}} {argument}", *(f":{key}: {value}" for key, value in image.items()),
                     ":align: center", fence]
            return "\n".join(lines) + f"\n\n**Fig. {number}.** {body}" if body else "\n".join(lines)
        if name in RENDERED_DIRECTIVES:
            lines = [f"{fence}{{{name}}}" + (f" {self.text(argument)}" if argument else "")]
            lines += [f":{key}: {value}" for key, value in options.items()]
            return "\n".join(lines + [body, fence])
        raise CopyError(f"{self.where()}: the directive {{{name}}} has no reader's form (tools/lite/reader_copy.py)")

    def glue(self, match: re.Match) -> str:
        from myst_nb.core.variables import format_plain_text  # the book's own formatting of glued text

        name, spec = match.group(1), match.group(2) or ""
        if name not in self.glued:
            raise CopyError(f"{self.where()}: {{glue:text}}`{name}` has no glued value in the executed notebook")
        return format_plain_text(self.glued[name], spec)

    def text(self, markdown: str) -> str:
        """One cell's (or one directive body's) Markdown, written out."""
        markdown = GLUE_TEXT.sub(self.glue, LABEL.sub("", markdown))
        written, position = [], 0
        for match in FENCE.finditer(markdown):  # in reading order: citations fill the next reference list
            written += [ROLE.sub(self.role, markdown[position:match.start()]), self.directive(match)]
            position = match.end()
        return "".join(written) + ROLE.sub(self.role, markdown[position:])

    def note(self, markdown: str) -> str:
        from spinemets_site.chapter_notes import HOW_TO_RUN

        if HOW_TO_RUN in markdown:
            return markdown.replace(HOW_TO_RUN, NOTES[self.kind])
        return NOTE_START.sub(NOTES[self.kind], markdown)


def first_heading(path: Path) -> str:
    heading = HEADING.search(markdown_of(path))
    return strip_roles(heading.group("title")) if heading else path.stem


def glued_values(notebook: dict) -> dict[str, str]:
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if scrap:
                plain = output["data"].get(scrap.get("mime_prefix", "") + "text/plain")
                if plain is not None:
                    values[scrap["name"]] = "".join(plain) if isinstance(plain, list) else plain
    return values


def reader_notebook(path: Path, book: Book, kind: str) -> dict:
    """The chapter at ``path`` (an executed notebook) with its Markdown written out for ``kind``
    ("lite", "binder" or "lab"); code cells and outputs unchanged."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    chapter = Chapter(path.resolve().relative_to(ROOT), book, kind, glued_values(notebook))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = chapter.note(chapter.text(source_of(cell)))
    if chapter.cited:
        raise CopyError(f"{chapter.where()}: citations after the last {{footbibliography}}: {chapter.cited}")
    return notebook


def write_copies(target: Path, kind: str) -> list[Path]:
    """Reader copies of every chapter of _toc.yml under ``target`` (same relative paths as in the
    repository), with book/images beside them for the figures."""
    book = Book.load()
    written = []
    for chapter in toc_chapters(ROOT):
        relative = chapter.relative_to(ROOT)
        notebook = reader_notebook(chapter, book, kind)
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(out)
    if target.resolve() != ROOT:
        images = target / "book" / "images"
        shutil.rmtree(images, ignore_errors=True)
        shutil.copytree(ROOT / "book" / "images", images)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in {"binder", "lab"}:
        sys.exit("usage: reader_copy.py binder|lab  (binder: rewrite the chapters in place; lab: into _build/lab)")
    try:
        where = ROOT if sys.argv[1] == "binder" else ROOT / "_build" / "lab"
        copies = write_copies(where, sys.argv[1])
    except CopyError as error:
        sys.exit(f"tools/lite/reader_copy.py: {error}")
    print(f"reader_copy: {len(copies)} reader copies ({sys.argv[1]}) in {where}")
