"""The book's site, apart from its analysis: what only the Jupyter Book build and its tools need.

``spinemets`` is the science the chapters import (data and validation, descriptive statistics,
survival, evidence, scores, radiation, the pathway, charts and schematics). This package is the
shell around it: the Sphinx extensions (``sphinx_*``: the offline Vega bundle and chart figures,
page repairs, icons, footer, exercises, "Run in your browser", the how-to-run disclosure), the
chapters' shared how-to-run text (``chapter_notes``) and the table of contents as the tools read
it (``toc``). It imports ``spinemets``; ``spinemets`` never imports it, and no chapter does
(tests/test_package_boundary.py).
"""
