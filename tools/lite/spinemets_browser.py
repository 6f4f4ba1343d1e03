"""Set up a chapter in the reader's browser (JupyterLite): the site's own chart library.

The book's chart renderer (spinemets.charts.render) emits HTML whose script calls
``window.vegaEmbed``. On a book page the site loads its Vega bundle in the page head; in
JupyterLite nothing does, so ``setup()`` shows an output whose script loads that same bundle from
the site (never from elsewhere). Until it has loaded, ``window.vegaEmbed`` is a stand-in that
waits for it, so a chart drawn right after this cell still draws.
"""

from IPython.display import HTML, display

# Written by tools/lite/build.py: the bundle's path from the site root (spinemets.sphinx_vega.BUNDLE).
VEGA_BUNDLE = "_static/__BUNDLE__"

# JupyterLite's pages live at <site>/run/<app>/index.html, so the site root is two levels up.
LOADER = """<script>
(function () {
  if (window.vegaEmbed) { return; }
  var src = new URL("../../%s", window.location.href).href;
  var ready = new Promise(function (resolve, reject) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () { resolve(window.vegaEmbed); };
    script.onerror = function () { reject(new Error("could not load " + src)); };
    document.head.appendChild(script);
  });
  window.vegaEmbed = function (el, spec, options) {
    return ready.then(function (embed) { return embed(el, spec, options); });
  };
})();
</script>"""


def setup() -> None:
    display(HTML(LOADER % VEGA_BUNDLE))
