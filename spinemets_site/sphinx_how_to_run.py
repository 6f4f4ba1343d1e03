"""Sphinx extension: on the site, each chapter's how-to-run note is one line that opens.

Every chapter notebook opens with the shared note ``spinemets_site.chapter_notes.HOW_TO_RUN`` (one
text, checked word for word by tests/test_chapter_notes.py), which JupyterLab, Binder and nbviewer
show as written. On a phone the note filled most of the first screen, before the chapter's
question. On the site it becomes a closed disclosure, "How to run this chapter", placed at the end
of the chapter's Overview (after the clinical question and the learning goals), or where it stands
when a chapter has no Overview. No notebook changes: the note is found by its bold lead. The
single-page build that ``make pdf`` prints keeps the note open, as a quotation.
"""

from __future__ import annotations

import re

from docutils import nodes

from spinemets_site.chapter_notes import HOW_TO_RUN

# "How to run this chapter." : the note's bold lead, read from the shared text.
LEAD = re.match(r">\s*\*\*(.+?)\*\*", HOW_TO_RUN).group(1)
SUMMARY = LEAD.rstrip(".")


class how_to_run(nodes.General, nodes.Element):  # noqa: N801 - docutils names nodes in lower case
    """The note's body, shown under a one-line summary."""


def visit_html(self, node) -> None:
    self.body.append(f'<details class="spinemets-how-to-run"><summary>{SUMMARY}</summary>\n')


def depart_html(self, node) -> None:
    self.body.append("</details>\n")


def visit_paper(self, node) -> None:  # singlehtml, printed by make pdf: nothing to open on paper
    self.body.append(f'<blockquote class="spinemets-how-to-run"><p><strong>{LEAD}</strong></p>\n')


def depart_paper(self, node) -> None:
    self.body.append("</blockquote>\n")


def visit_plain(self, node) -> None:  # other builders: the note's text as it was
    pass


def depart_plain(self, node) -> None:
    pass


def lead(quote: nodes.block_quote) -> nodes.strong | None:
    """The note's bold lead, if ``quote`` is the note (myst-nb may put an empty text node first)."""
    first = quote.children[0] if quote.children else None
    if not isinstance(first, nodes.paragraph):
        return None
    opening = next((child for child in first.children if not (isinstance(child, nodes.Text) and not child.strip())), None)
    return opening if isinstance(opening, nodes.strong) and opening.astext() == LEAD else None


def collapse_note(app, doctree, docname) -> None:
    for quote in list(doctree.findall(nodes.block_quote)):
        bold = lead(quote)
        if bold is None:
            continue
        paragraph = quote.children[0]
        while paragraph.children and paragraph[0] is not bold:
            paragraph.remove(paragraph[0])
        paragraph.remove(bold)
        if paragraph.children and isinstance(paragraph[0], nodes.Text):
            paragraph.replace(paragraph[0], nodes.Text(paragraph[0].astext().lstrip()))
        box = how_to_run()
        box.extend(list(quote.children))
        overview = next((s for s in doctree.findall(nodes.section) if "overview" in s["ids"]), None)
        if overview is not None:
            quote.parent.remove(quote)
            overview.append(box)
        else:
            quote.replace_self(box)


def setup(app):
    plain = (visit_plain, depart_plain)
    app.add_node(how_to_run, html=(visit_html, depart_html), singlehtml=(visit_paper, depart_paper),
                 latex=plain, text=plain, man=plain, texinfo=plain)
    app.connect("doctree-resolved", collapse_note)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
