"""`make binder-check`: build the environment Binder would build, then run every chapter as Binder would.

Binder builds with repo2docker, which (for this repository) reads only these files, from ``binder/``
or ``.binder/`` when such a folder exists, else from the repository root:

* ``runtime.txt``      the Python version (``python-3.11``);
* ``requirements.txt`` installed with ``pip install -r requirements.txt`` from the repository root,
  after the whole repository is copied in, because it holds a local reference (``-e .``);
* ``postBuild``        run after the install, if present;
* ``start``            wraps the Jupyter server, so its environment is every kernel's environment.

Before the repository's own files, repo2docker puts its base notebook environment into the same
Python environment (repo2docker/buildpacks/conda/environment.py-3.11.yml: jupyterlab 4, notebook 7,
jupyter_server 2, ipywidgets 8, jupyter-resource-usage 1, ...); ``BASE`` below installs the PyPI
equivalents, so that a pin of ours that breaks JupyterLab shows up here.

This script copies the files git would check out (tracked and untracked-but-not-ignored: no .venv,
no _build) into a fresh folder, makes a new virtual environment there with that Python, installs
the base and then exactly what repo2docker would, runs ``pip check``, starts JupyterLab through
``start`` and opens a chapter at the URL the launch buttons use, and executes every chapter
notebook with its own folder as the working directory (as JupyterLab does), through ``start``.
Any failure (a conflict, a server that does not answer, a cell error) fails the check.

It uses only the standard library (the notebook runner runs inside the new environment), so it
does not depend on the spinemets package or on the project's .venv.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# repo2docker's base notebook environment (conda-forge there; the PyPI packages of the same names here).
BASE = ["jupyterlab==4.*", "notebook==7.*", "jupyter_server==2.*", "ipywidgets==8.*", "jupyter-resource-usage==1.*"]

# Runs inside the fresh environment: execute one notebook in its own folder, print JSON timing.
RUNNER = r"""
import json, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
path = Path(sys.argv[1]).resolve()
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
NotebookClient(nb, timeout=600, kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
               resources={"metadata": {"path": str(path.parent)}}).execute()
print(json.dumps({"notebook": str(path), "seconds": time.perf_counter() - start}))
"""


def config_dir(repo: Path) -> Path:
    """Where repo2docker looks for its configuration files."""
    for name in ("binder", ".binder"):
        if (repo / name).is_dir():
            return repo / name
    return repo


def checkout_files(repo: Path = ROOT) -> list[str]:
    """The files a fresh clone would have, plus new files not yet committed (git-ignored ones excluded)."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=repo, check=True, capture_output=True,
    ).stdout.decode()
    return sorted(name for name in listing.split("\0") if name and (repo / name).is_file())


def copy_checkout(destination: Path, repo: Path = ROOT) -> Path:
    for name in checkout_files(repo):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, target)
    return destination


def runtime_python(config: Path) -> str:
    """The interpreter runtime.txt asks for (repo2docker's default Python 3 if there is none)."""
    runtime = config / "runtime.txt"
    wanted = runtime.read_text(encoding="utf-8").strip() if runtime.is_file() else ""
    match = re.fullmatch(r"python-(\d+)(?:\.(\d+))?.*", wanted)
    if not match:
        return sys.executable
    name = f"python{match.group(1)}" + (f".{match.group(2)}" if match.group(2) else "")
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"runtime.txt asks for {wanted}, but {name} is not on PATH")
    return found


def run(command: list[str], cwd: Path, env: dict | None = None, quiet: bool = True) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=quiet, text=True)
    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"failed ({result.returncode}): {' '.join(map(str, command))}")


def build_environment(repo_copy: Path, venv: Path, base: bool = False) -> dict:
    """What repo2docker does for a requirements.txt repository; returns the timings in seconds."""
    config = config_dir(repo_copy)
    python = runtime_python(config)
    timings = {}
    start = time.perf_counter()
    run([python, "-m", "venv", str(venv)], cwd=repo_copy)
    bin_dir = venv / "bin"
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], cwd=repo_copy)
    if base:
        run([str(bin_dir / "pip"), "install", "--quiet", *BASE], cwd=repo_copy)
    requirements = config / "requirements.txt"
    if requirements.is_file():
        # repo2docker: '${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "requirements.txt"', from the repo root.
        run([str(bin_dir / "pip"), "install", "--quiet", "-r", str(requirements.relative_to(repo_copy))], cwd=repo_copy)
    timings["install"] = time.perf_counter() - start
    if base:
        run([str(bin_dir / "pip"), "check"], cwd=repo_copy, quiet=False)
    env = environment(venv)
    post_build = config / "postBuild"
    if post_build.is_file():
        run([str(post_build)], cwd=repo_copy, env=env, quiet=False)
    return timings


def environment(venv: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SPINEMETS_", "PYTHON", "VIRTUAL_ENV", "JUPYTER"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    # Jupyter's runtime and config files stay in the temporary folder, not in the home directory.
    env["JUPYTER_RUNTIME_DIR"] = str(venv.parent / "jupyter-runtime")
    env["JUPYTER_CONFIG_DIR"] = str(venv.parent / "jupyter-config")
    return env


def jupyterlab_serves(repo_copy: Path, venv: Path, notebook: Path) -> None:
    """Start JupyterLab as Binder does (through ``start``) and open a chapter at its launch-button URL."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "binder-check"
    command = [str(venv / "bin" / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={repo_copy}"]
    if os.geteuid() == 0:  # Binder runs as an ordinary user; a check run as root must say so
        command.append("--allow-root")
    start_script = config_dir(repo_copy) / "start"
    if start_script.is_file():
        command = [str(start_script), *command]
    log = (repo_copy.parent / "jupyterlab.log").open("w")
    server = subprocess.Popen(command, cwd=repo_copy, env=environment(venv), stdout=log, stderr=subprocess.STDOUT)
    urlpath = f"lab/tree/{notebook.relative_to(repo_copy).as_posix()}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                for path in ("api/status", urlpath, "api/kernelspecs"):
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}?token={token}", timeout=10) as response:
                        if response.status != 200:
                            raise OSError(f"{path}: HTTP {response.status}")
                return
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    sys.stderr.write((repo_copy.parent / "jupyterlab.log").read_text()[-4000:])
                    raise SystemExit(f"binder-check: JupyterLab did not serve /{urlpath}")
                time.sleep(1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def chapter_notebooks(repo: Path) -> list[Path]:
    return sorted(path for path in (repo / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)


def execute_notebook(repo_copy: Path, venv: Path, notebook: Path) -> float:
    """Run one notebook through ``start`` (if any) with its own folder as the working directory."""
    start_script = config_dir(repo_copy) / "start"
    command = [str(venv / "bin" / "python"), "-c", RUNNER, str(notebook)]
    if start_script.is_file():
        command = [str(start_script), *command]
    result = subprocess.run(command, cwd=notebook.parent, env=environment(venv), capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-6000:] + result.stderr[-6000:])
        raise SystemExit(f"FAILED: {notebook.relative_to(repo_copy)}")
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary checkout and environment")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="binder-check-"))
    try:
        repo_copy = copy_checkout(workdir / "repo")
        config = config_dir(repo_copy)
        print(f"binder-check: repo2docker would read {config.relative_to(workdir) if config != repo_copy else 'the repository root'}: "
              + ", ".join(name for name in ("runtime.txt", "requirements.txt", "postBuild", "start") if (config / name).exists()))
        timings = build_environment(repo_copy, workdir / "venv", base=True)
        print(f"binder-check: fresh environment (repo2docker's base + requirements.txt) installed in {timings['install']:.0f} s; pip check passed")
        notebooks = chapter_notebooks(repo_copy)
        if not notebooks:
            raise SystemExit("binder-check: no chapter notebooks under book/")
        jupyterlab_serves(repo_copy, workdir / "venv", notebooks[0])
        print(f"binder-check: JupyterLab started through ./start and served /lab/tree/{notebooks[0].relative_to(repo_copy).as_posix()}")
        for notebook in notebooks:
            seconds = execute_notebook(repo_copy, workdir / "venv", notebook)
            print(f"binder-check: ran {notebook.relative_to(repo_copy)} from its folder in {seconds:.1f} s")
        print(f"binder-check: OK, {len(notebooks)} notebooks ran without error")
    finally:
        if args.keep:
            print(f"binder-check: kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
