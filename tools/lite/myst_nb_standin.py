"""Stand-in for ``myst_nb.glue`` in the reader's browser (installed as ``myst_nb`` there only).

myst-nb itself needs Sphinx and docutils, which the browser does not have; the chapters only use
``glue``. This is myst-nb 1.4's ``glue``: the same display output, so a chapter's outputs in the
browser equal the executed book's.
"""

import IPython
from IPython.display import display as ipy_display

GLUE_PREFIX = "application/papermill.record/"


def glue(name, variable, display=True):
    """Show ``variable`` (``display=True``) and record it under ``name``, as myst-nb does."""
    mimebundle, metadata = IPython.core.formatters.format_display_data(variable)
    mime_prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=mime_prefix)
    ipy_display({mime_prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)
