"""Sphinx extension: the theme's icons as inline SVG, so no page loads the Font Awesome webfont.

pydata-sphinx-theme draws its icons (menu, search, "on this page", colour mode, launch and
download menus, admonition titles) with Font Awesome's solid webfont: 156 kB for the dozen icons
this book shows. After the build this extension writes each icon element of every page
(``<i class="fa-solid fa-bars">``) as the same glyph in inline SVG, and replaces the few icons the
theme's stylesheets draw with the font (admonition titles, the exercise pencil, outside-link and
download marks, the "on this page" arrow) by CSS masks of the same glyphs. The glyphs come from
the theme's own copy of Font Awesome Free (``fontawesome.js``, icons CC BY 4.0), so they look as
before; nothing is left that asks for the font, and the browser never downloads it.
``tests/browser/test_site.py`` checks both: every icon drawn, no webfont requested.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pydata_sphinx_theme

FONTAWESOME_JS = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
                  / "scripts" / "fontawesome.js")
# One icon of fontawesome.js: name: [width, height, [aliases], "unicode", "path"].
ICON_ENTRY = re.compile(r'[{,](?:"([\w-]+)"|([A-Za-z_$][\w$]*)):\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]+)","([^"]*)"\]')
# The solid set is the last icon set of the file; it starts with the digit glyphs.
SOLID_SET_START = "var p={0:["
ICON_ELEMENT = re.compile(r'<(i|span) class="([^"]*\bfa-[^"]*)"([^>]*)>\s*</\1>')
FA_CLASSES = {"fa", "fas", "far", "fab", "fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-fw"}
STYLESHEET = "spinemets-icons.css"
# The theme's stylesheet carries Font Awesome's ~1,900 ".fa-name:before{content:...}" glyph rules
# (about 20 kB of its 65 kB gzip); with every icon inline they match nothing, so they are dropped.
THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"
GLYPH_RULES = re.compile(r'(?:\.fa-[\w-]+:before,?)+\{content:"[^"]*"\}')


@lru_cache(maxsize=1)
def solid_icons() -> dict[str, tuple[int, int, str]]:
    """Every solid icon, by name, alias and unicode code point: (width, height, SVG path)."""
    source = FONTAWESOME_JS.read_text(encoding="utf-8")
    start = source.find(SOLID_SET_START)
    if start < 0:
        raise RuntimeError(f"{FONTAWESOME_JS}: no solid icon set found (has the theme changed Font Awesome?)")
    icons: dict[str, tuple[int, int, str]] = {}
    for match in ICON_ENTRY.finditer(source, start - 1):
        name = match.group(1) or match.group(2)
        glyph = (int(match.group(3)), int(match.group(4)), match.group(7))
        for key in [name, match.group(6), *re.findall(r'"([\w-]+)"', match.group(5))]:
            icons.setdefault(key, glyph)
    return icons


def svg(name: str) -> str:
    width, height, path = solid_icons()[name]
    return (f'<svg class="spinemets-icon" viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">'
            f'<path d="{html.escape(path)}"/></svg>')


def inline_icons(page: str) -> str:
    def replace(match: re.Match) -> str:
        classes = match.group(2).split()
        names = [c.removeprefix("fa-") for c in classes if c.startswith("fa-") and c not in FA_CLASSES]
        icon = next((n for n in names if n in solid_icons()), None)
        if icon is None:
            return match.group(0)  # not a solid icon: left to the font (the browser tests would fail)
        kept = [c for c in classes if not c.startswith("fa-") and c not in FA_CLASSES]
        kept.append("spinemets-icon-box" + (" spinemets-icon-lg" if "fa-lg" in classes else ""))
        return f'<{match.group(1)} class="{" ".join(kept)}"{match.group(3)}>{svg(icon)}</{match.group(1)}>'

    return ICON_ELEMENT.sub(replace, page)


def mask(code: str) -> str:
    width, height, path = solid_icons()[code]
    image = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"><path d="{path}"/></svg>'
    return f'url("data:image/svg+xml,{quote(image)}")'


# What the theme's stylesheets draw with the font: selector -> the glyph's code point there.
ADMONITION = ".admonition>.admonition-title:after, div.admonition>.admonition-title:after"
CSS_ICONS = {
    ADMONITION: "f0f3",  # bell, the default
    **{f".admonition.{kind}>.admonition-title:after, div.admonition.{kind}>.admonition-title:after": code
       for kind, code in {"attention": "f06a", "important": "f06a", "caution": "f071", "warning": "f071",
                          "danger": "f071", "error": "f057", "hint": "f0eb", "tip": "f0eb", "note": "f05a",
                          "seealso": "f064", "admonition-todo": "f303"}.items()},
    "div.exercise p.admonition-title::after": "f303",  # sphinx-exercise's pencil
    "a.reference.download:before": "f019",
    ".nav-link.nav-external:after, nav.bd-links li>a.reference.external:after": "f35d",
    "ul.bd-breadcrumbs li.breadcrumb-item:not(.breadcrumb-home):before": "f105",
    ".bd-sidebar-secondary.hide:not(:hover) .onthispage:after": "f107",
    "span.versionmodified:before": "f06a",
    "div#searchbox p.highlight-link a:before": "f010",
}


def stylesheet() -> str:
    rules = ["/* Written by spinemets_site.sphinx_icons: Font Awesome's glyphs as inline SVG and CSS masks, no webfont. */",
             ".spinemets-icon-box { display: inline-flex; align-items: center; justify-content: center; }",
             "svg.spinemets-icon { height: 1em; width: auto; max-width: 1.25em; fill: currentColor; overflow: visible; }",
             ".spinemets-icon-lg svg.spinemets-icon { height: 1.25em; }",
             # The masked glyph replaces the font's character: same box, drawn in the rule's colour.
             ", ".join(CSS_ICONS) + " { content: \"\" !important; font: inherit !important; display: inline-block;"
             " width: 1em; height: 1em; background-color: currentColor; -webkit-mask: var(--spinemets-glyph) center / contain no-repeat;"
             " mask: var(--spinemets-glyph) center / contain no-repeat; vertical-align: -0.125em; }",
             f"{ADMONITION} {{ top: calc(.4rem + .25rem); }}"]
    rules += [f"{selector} {{ --spinemets-glyph: {mask(code)}; }}" for selector, code in CSS_ICONS.items()]
    return "\n".join(rules) + "\n"


def write_icons(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / STYLESHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    css = stylesheet()
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")
    theme_css = Path(app.outdir) / THEME_CSS
    if theme_css.is_file():
        text = theme_css.read_text(encoding="utf-8")
        trimmed = GLYPH_RULES.sub("", text)
        if trimmed != text:
            theme_css.write_text(trimmed, encoding="utf-8")
    for path in Path(app.outdir).rglob("*.html"):
        if "run" in path.relative_to(app.outdir).parts[:1]:
            continue  # JupyterLite's own pages
        page = path.read_text(encoding="utf-8")
        drawn = inline_icons(page)
        if drawn != page:
            path.write_text(drawn, encoding="utf-8")


def setup(app):
    app.add_css_file(STYLESHEET, priority=901)
    app.connect("build-finished", write_icons)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
