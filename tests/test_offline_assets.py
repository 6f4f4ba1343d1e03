"""The built site loads nothing from another origin, and its Vega bundle matches the pinned Altair.

A static complement to the browser tests (tests/browser): it reads the HTML and CSS of
``_build/html`` (or ``SPINEMETS_SITE``), so it runs without a browser. Links (``<a href>``) may
point anywhere; only what a page *loads* must come from the site itself.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import altair as alt
import pytest

from spinemets_site import sphinx_vega

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("SPINEMETS_SITE", ROOT / "_build" / "html")).resolve()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# What a page loads when it is read: (tag, attribute), plus <link> of these rel types.
LOADING = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
           ("audio", "src"), ("embed", "src"), ("object", "data"), ("image", "href")}
LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "prefetch", "manifest"}
REMOTE = re.compile(r"^(https?:)?//", re.I)
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        if IN_CI:
            pytest.fail(f"CI=true and no built site at {SITE} (run `make book` first)")
        pytest.skip(f"no built site at {SITE} (run `make book` first)")
    return SITE


class LoadedResources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href", "data"):
            value = attributes.get(name)
            if not value:
                continue
            rels = set((attributes.get("rel") or "").lower().split())
            if (tag, name) in LOADING or (tag == "link" and name == "href" and rels & LOADING_LINK_RELS):
                self.loads.append(value)
        if attributes.get("srcset"):
            self.loads += [part.strip().split()[0] for part in attributes["srcset"].split(",") if part.strip()]
        if attributes.get("style"):
            self.loads += CSS_URL.findall(attributes["style"])


def remote_loads_in_html(page: str) -> list[str]:
    parser = LoadedResources()
    parser.feed(page)
    return [url for url in parser.loads if REMOTE.match(url)]


def test_detector_finds_a_cdn_script():
    """The check below can fail: a page in Altair's default CDN form is caught."""
    page = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q").to_html()
    assert any("cdn.jsdelivr.net" in url for url in remote_loads_in_html(page))
    assert remote_loads_in_html('<a href="https://doi.org/10.1/x">a link is not a load</a>') == []


def test_no_page_loads_anything_from_another_origin(site):
    offenders = {}
    for path in sorted(site.rglob("*.html")):
        remote = remote_loads_in_html(path.read_text(encoding="utf-8"))
        if remote:
            offenders[str(path.relative_to(site))] = remote
    assert offenders == {}, f"pages that would request other origins: {offenders}"


def test_no_stylesheet_imports_from_another_origin(site):
    offenders = {}
    for path in sorted(site.rglob("*.css")):
        remote = [url for url in CSS_URL.findall(path.read_text(encoding="utf-8", errors="replace")) if REMOTE.match(url)]
        if remote:
            offenders[str(path.relative_to(site))] = remote
    assert offenders == {}, f"stylesheets that would request other origins: {offenders}"


def test_every_page_loads_the_sites_own_vega_bundle(site):
    bundle = site / "_static" / sphinx_vega.BUNDLE
    assert bundle.is_file(), f"{bundle} missing"
    for path in sorted(site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        if "spinemets-chart" in page:
            assert sphinx_vega.BUNDLE in page, f"{path} draws charts but does not load {sphinx_vega.BUNDLE}"


def test_served_bundle_is_the_vega_lite_of_the_pinned_altair(site):
    text = (site / "_static" / sphinx_vega.BUNDLE).read_text(encoding="utf-8")
    version = alt.SCHEMA_VERSION.lstrip("v")
    assert f'"{version}"' in text, f"the served bundle does not carry Vega-Lite {version}"
    assert text == sphinx_vega.bundle_source(), "the served bundle is stale: rebuild the book"


def test_chapter_pages_launch_binder_in_jupyterlab_from_the_configured_repository(site):
    """The launch buttons follow the one README setting: repository.url and repository.branch."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    owner_repo = config["repository"]["url"].rstrip("/").removeprefix("https://github.com/")
    branch = config["repository"]["branch"]
    chapters = [path for path in sorted((ROOT / "book").rglob("*.ipynb")) if ".ipynb_checkpoints" not in path.parts]
    built = [path for path in chapters if (site / path.relative_to(ROOT).with_suffix(".html")).is_file()]
    assert built, "no chapter page built"
    for path in built:
        notebook = path.relative_to(ROOT).as_posix()
        page = (site / path.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
        expected = f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{notebook}"
        assert expected in page, f"{notebook}: no Binder (JupyterLab) launch link {expected}"
