"""Sphinx extension: small repairs so that every page of the book reads cleanly in a browser.

Each repair answers one failure that the browser tests (tests/browser) found in the themed site,
with no change to the book's content:

* pydata-sphinx-theme logs "Got invalid theme mode" as a console error on a reader's first visit
  unless ``html_context['default_mode']`` is set;
* sphinx-thebe's inline configuration (``const THEBE_JS_URL``) is registered twice under
  Sphinx 7.4, and the second copy is a SyntaxError in every page;
* axe-core finds WCAG failures in the theme: buttons whose
  ``aria-label`` does not contain their visible text (WCAG 2.5.3, label in name); the bibliography's ``role="list"`` whose children carry
  the deprecated ``doc-biblioentry`` role instead of ``listitem``; and the light theme's link colour
  #176de8, which reaches only 4.3:1 on the tinted background of exercises and admonitions
  (WCAG 1.4.3 asks 4.5:1);
* myst-nb's "Show code cell source" toggle of ``hide-input`` cells carries
  ``aria-label="Toggle hidden content"``, which does not contain its visible text (WCAG 2.5.3).
* the theme loads Font Awesome's JavaScript (0.54 MB gzip, the heaviest file of every page) only to
  swap its icons for inline SVG, while its stylesheet already draws every icon the theme uses from
  the Font Awesome webfonts; without the script a chapter page weighs about 0.65 MB instead of
  1.2 MB (`make bench`), and the browser tests check that every icon still shows;
* the head's scripts (Sphinx's, the theme's, copy button, toggle button, tabs, search and its
  index) load without ``defer``, so on a slow network the page's text waited for every one of them
  (``make bench``: Largest Contentful Paint on slow 4G). Each of them acts on the parsed page, so
  ``defer`` (which keeps their order and runs them before DOMContentLoaded) changes nothing but
  the wait; documentation_options.js stays as it is, because inline scripts right after it extend
  the object it defines. The theme's ``<link rel="preload">`` of bootstrap.js and its own script
  is dropped too: both are loaded (deferred) at the end of the body anyway, and the early preload
  only took bandwidth from the stylesheets the text waits for. For the same reason the smallest
  stylesheets (under 2 kB, with no ``url()`` or ``@import`` that would resolve differently) are
  copied into the page as ``<style>``: each was a request the first paint waited for;
* the menu and "on this page" buttons did nothing (pydata-sphinx-theme issue #2451): see
  ``one_set_of_toggles``; and below 992 px a link followed in either dialog left the dialog open
  over the page (book/_static/spinemets-navigation.js closes it);
* only the search page loads Sphinx's search scripts and the book's search index (the search box
  sends its query there); the landing page's tab title no longer repeats the book's title.
"""

from __future__ import annotations

import re
from pathlib import Path

# The search field shows "Search" and the shortcut "Ctrl+K"; its aria-label says only "Search".
# Without the aria-label, its accessible name is its visible text.
SEARCH_FIELD = re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"')
# The colour-mode button shows one of three icons titled Light, Dark and System Settings.
THEME_SWITCH = re.compile(r'(<button class="[^"]*theme-switch-button[^"]*"[^>]*?) aria-label="Color mode"')
THEME_SWITCH_LABEL = ' aria-label="Color mode: Light, Dark or System Settings"'
BIBLIOENTRY = ' role="doc-biblioentry"'
# Without the aria-label, the toggle's accessible name is its visible "Show/Hide code cell ..." text.
HIDDEN_CELL_TOGGLE = '<summary aria-label="Toggle hidden content">'
# An external script with no async/defer; documentation_options.js is left blocking (see above).
BLOCKING_SCRIPT = re.compile(r'<script((?: data-[\w-]+="[^"]*")*) src="(?![^"]*documentation_options\.js)([^"]+)"></script>')
SCRIPT_PRELOAD = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*_static/scripts/(?:bootstrap|pydata-sphinx-theme)\.js[^"]*" />')
# Sphinx's search (searchtools.js, its language data and the whole-book index) serves only the
# search page: the theme's search box sends the query there (search-as-you-type is off), so every
# other page loading them paid for an index it never used.
# The landing page's title is the book's: its tab read "Title — Title" (Sphinx adds the book's title).
DOUBLED_TITLE = re.compile(r"<title>(.+?) &#8212; \1</title>")
SEARCH_SCRIPTS = re.compile(r'\s*<script defer src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)[^"]*"></script>')
FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
STYLESHEET = "spinemets-site.css"
# book/_static: a link followed in the chapter list or "on this page" closes its dialog.
NAVIGATION_SCRIPT = "spinemets-navigation.js"
# #1461d0: 5.8:1 on white and 5.1:1 on the 8 % tint of itself that admonitions use.
CSS = """/* Written by spinemets_site.sphinx_site: contrast repairs the browser tests' axe-core scan asked for. */
html[data-theme="light"] { --pst-color-primary: #1461d0; }
"""


def quiet_console(app, config) -> None:
    config.html_context.setdefault("default_mode", "auto")


def one_set_of_toggles(app, config) -> None:
    """No top navbar: the article header's menu, "on this page" and search buttons are the only ones.

    The cause of the dead menu buttons (pydata-sphinx-theme issue #2451, open): since 0.17.0
    pydata-sphinx-theme sets ``navbar_persistent`` to the search field unless the book sets it, so
    the top navbar is rendered, and with it a second, hidden ``.primary-toggle`` and
    ``.secondary-toggle`` before sphinx-book-theme's visible ones in the article header. Both
    themes bind their listeners with ``document.querySelector``, i.e. to the hidden buttons, so the
    visible ones did nothing at any width; the navbar also showed a second search field at 1366 px.
    Setting the option (to what sphinx-book-theme's theme.conf already asks: nothing) removes the
    navbar, so there is one button of each kind and it is the one bound. Chosen over pinning an
    older theme (the pinned sphinx-book-theme 1.3.0 requires exactly pydata-sphinx-theme 0.17.1,
    so both would go back, and the 0.15-0.16 releases had their own toggle regressions, issues
    #1875 and #2067) and over a script that rebinds the listeners (it would have to undo the
    themes' handlers and follow their internals). tests/browser/test_navigation.py
    opens the chapter list, "on this page" and search at 390, 768 and 1366 px.
    """
    config.html_theme_options.setdefault("navbar_persistent", [])


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    if "script_files" not in context:
        return
    seen, unique = set(), []
    for script in context["script_files"]:
        # An inline script's filename is None from one registration and '' from the other.
        filename = str(getattr(script, "filename", script) or "")
        key = (filename, tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique  # in place: it is the builder's list, shared by every page


def repair_markup(page: str, search_page: bool = False) -> str:
    page = FONTAWESOME_JS.sub("", page)
    page = SCRIPT_PRELOAD.sub("", page)
    head, sep, body = page.partition("</head>")
    head = BLOCKING_SCRIPT.sub(r'<script\1 defer src="\2"></script>', head)
    page = (head if search_page else SEARCH_SCRIPTS.sub("", head)) + sep + body
    page = DOUBLED_TITLE.sub(r"<title>\1</title>", page)
    page = SEARCH_FIELD.sub(r"\1", page)
    page = THEME_SWITCH.sub(lambda match: match.group(1) + THEME_SWITCH_LABEL, page)
    page = page.replace(HIDDEN_CELL_TOGGLE, "<summary>")
    if 'role="list" class="citation-list"' in page:
        page = page.replace(BIBLIOENTRY, ' role="listitem"')
    return page


STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" type="text/css" href="([^"?]+)(?:\?[^"]*)?" />')
INLINE_CSS_MAX_BYTES = 2048


def inline_small_stylesheets(page: str, page_path: Path) -> str:
    head, sep, body = page.partition("</head>")

    def inline(match: re.Match) -> str:
        css_file = (page_path.parent / match.group(1)).resolve()
        if not css_file.is_file() or css_file.stat().st_size > INLINE_CSS_MAX_BYTES:
            return match.group(0)
        css = css_file.read_text(encoding="utf-8")
        if "url(" in css or "@import" in css or "</" in css:
            return match.group(0)
        return f"<style>/* {css_file.name} */\n{css.strip()}\n</style>"

    return STYLESHEET_LINK.sub(inline, head) + sep + body


def repair_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    stylesheet = Path(app.outdir) / "_static" / STYLESHEET
    stylesheet.parent.mkdir(parents=True, exist_ok=True)
    if not stylesheet.exists() or stylesheet.read_text(encoding="utf-8") != CSS:
        stylesheet.write_text(CSS, encoding="utf-8")
    for path in Path(app.outdir).rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        search_page = path == Path(app.outdir) / "search.html"
        repaired = inline_small_stylesheets(repair_markup(page, search_page), path)
        if repaired != page:
            path.write_text(repaired, encoding="utf-8")


def singlehtml_handles_hidden_code(app) -> None:
    """Let the single-page builder (``make pdf``) write myst-nb's "Show code" toggles.

    myst-nb registers the toggle's node for the ``html`` format only, and Sphinx looks up a
    translator's handlers by builder name first: once any extension registers a handler under
    ``singlehtml``, the ``html`` ones are not consulted there, and a ``hide-input`` cell then
    fails the single-page build ("unknown node type: HideCodeCellNode").
    """
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput

    app.add_node(HideCodeCellNode, override=True, html=(visit_HideCellInput, depart_HideCellInput),
                 singlehtml=(visit_HideCellInput, depart_HideCellInput))


def setup(app):
    singlehtml_handles_hidden_code(app)
    app.add_css_file(STYLESHEET, priority=900)  # after the theme's own stylesheets
    app.add_js_file(NAVIGATION_SCRIPT)
    app.connect("config-inited", quiet_console)
    app.connect("config-inited", one_set_of_toggles)
    # Early: 'html-page-context' stops at the first handler that returns a template name.
    app.connect("html-page-context", dedupe_scripts, priority=100)
    app.connect("build-finished", repair_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
