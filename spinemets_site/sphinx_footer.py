"""Sphinx extension: what every page says about itself in its footer, so a reader can trust it.

* **Last updated**: the date of the last commit that changed the page's source file
  (``git log -1 --format=%cs -- FILE``), not the date of the build; it works in any clone with
  history. A file git does not know (new, or no git at all) gets no date rather than a wrong one.
* **Licences**: the code (MIT, ``LICENSE``), the text (CC BY 4.0) and each data package's own
  licence, read from ``data/*/datapackage.json`` so the footer cannot drift from the data.
* **Report an error** and **Edit this page**: links built from the one repository setting,
  ``repository.url`` and ``repository.branch`` in ``_config.yml`` (Jupyter Book passes them to the
  theme as ``repository_url``, ``repository_branch`` and ``path_to_docs``); a fork changes those
  two lines and its footers point at the fork.

The footer text goes into the theme's ``extra-footer`` slot, page by page.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

CODE_LICENCE = ("MIT", "LICENSE")  # name, file in the repository
TEXT_LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
DATE_FORMAT = "%Y-%m-%d"  # ISO 8601: one reading in every country


@lru_cache(maxsize=None)
def git_date(path: Path) -> dt.date | None:
    """Date of the last commit touching ``path``; None when git or the file's history is absent."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", path.name], cwd=path.parent,
                             capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return dt.date.fromisoformat(out) if out else None


def data_licences(root: Path) -> list[tuple[str, str, str]]:
    """(data package folder, licence name, licence URL) for every data package, as each declares it."""
    found = []
    for package in sorted(root.glob("data/*/datapackage.json")):
        for licence in json.loads(package.read_text(encoding="utf-8")).get("licenses", []):
            found.append((package.parent.relative_to(root).as_posix(), licence.get("name", "?"), licence.get("path", "")))
    return found


def repository(app) -> tuple[str, str, str]:
    options = app.config.html_theme_options or {}
    return (str(options.get("repository_url", "")).rstrip("/"), str(options.get("repository_branch", "") or "main"),
            str(options.get("path_to_docs", "") or "").strip("/"))


def link(url: str, text: str) -> str:
    return f'<a class="reference external" href="{html.escape(url)}">{html.escape(text)}</a>'


def footer_html(app, source: str | None, title: str) -> str:
    repo, branch, docs = repository(app)
    root = Path(app.srcdir)
    parts = []
    if repo and source:
        in_repo = f"{docs}/{source}" if docs else source
        issue = urlencode({"title": f"Error in “{title}”",
                           "body": f"Page: {in_repo}\n\nWhat is wrong, and where on the page:\n\nWhat it should say (with a source if you have one):\n"},
                          quote_via=quote)
        parts.append('<p class="spinemets-page-links">'
                     + link(f"{repo}/issues/new?{issue}", "Report an error on this page") + " · "
                     + link(f"{repo}/edit/{branch}/{in_repo}", "Edit this page") + " · "
                     + link(f"{repo}/commits/{branch}/{in_repo}", "History") + "</p>")
    code = link(f"{repo}/blob/{branch}/{CODE_LICENCE[1]}", CODE_LICENCE[0]) if repo else html.escape(CODE_LICENCE[0])
    data = "; ".join(f"<code>{html.escape(folder)}</code> " + (link(url, name) if url else html.escape(name))
                     for folder, name, url in data_licences(root))
    parts.append(f'<p class="spinemets-licence">Licences: code {code}; text {link(TEXT_LICENCE[1], TEXT_LICENCE[0])}; '
                 f"data as each data package states: {data}. Teaching material, not medical advice.</p>")
    return "\n".join(parts)


def set_date_format(app, config) -> None:
    if config.html_last_updated_fmt is None:
        config.html_last_updated_fmt = DATE_FORMAT


def page_footer(app, pagename, templatename, context, doctree) -> None:
    if app.builder.name == "singlehtml":
        sources = [Path(app.env.doc2path(doc)) for doc in app.env.found_docs]
        dates = [d for d in (git_date(path) for path in sources) if d]
        source, date = None, max(dates) if dates else None
    elif pagename in app.env.found_docs:
        path = Path(app.env.doc2path(pagename))
        source, date = path.relative_to(app.srcdir).as_posix(), git_date(path)
    else:  # genindex, search: no source, no date
        source, date = None, None
    context["last_updated"] = date.strftime(app.config.html_last_updated_fmt) if date else None
    title = html.unescape(re.sub(r"<[^>]+>", "", str(context.get("title") or pagename)))
    context["theme_extra_footer"] = footer_html(app, source, title)


def setup(app):
    app.connect("config-inited", set_date_format)
    app.connect("html-page-context", page_footer)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
