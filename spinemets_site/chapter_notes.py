"""Text that several chapters share word for word, kept in one place.

``HOW_TO_RUN`` opens a chapter (right under its title). It is plain Markdown, so it reads the
same on the book's site, in JupyterLab and on nbviewer. ``tests/test_chapter_notes.py`` checks
that every chapter that carries it carries this exact text; to change it, change it here and
run ``python -m spinemets_site.chapter_notes`` to print it.
"""

HOW_TO_RUN = """> **How to run this chapter.** This page is a Jupyter notebook saved with its outputs. To run it,
> open the rocket menu at the top of the page: *Run in your browser* opens it in this browser tab
> with nothing to install (the first start downloads the Python runtime from this site, tens of
> megabytes, once), and *Binder* opens it on a mybinder.org server. Or, in a copy of the book's
> repository, `make book` sets everything up and `make lab` opens the chapters in JupyterLab. Then
> choose *Run ▸ Run All Cells*. Each of these opens a copy of the chapter with its numbers,
> citations and cross-references written out."""

if __name__ == "__main__":
    print(HOW_TO_RUN)
