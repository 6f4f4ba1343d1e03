# Two commands for readers: `make book` and `make test`. Both set up the same pinned environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHAPTERS := $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)
# Anything a chapter's output depends on besides its own code: the cache must not outlive it.
CHAPTER_INPUTS := $(shell find data spinemets -type f -not -path '*/__pycache__/*' | sort)
JB_CACHE := _build/.jupyter_cache
SANITIZE := tests/nbval_sanitize.cfg

.PHONY: book test test-single-thread check-data execute clean help lab lab-source
# The browser-test pieces (browser-setup etc.) are defined at the end of this file.

help:
	@echo "make book        set up .venv, execute every chapter, build the HTML into _build/html (zero warnings)"
	@echo "make test        set up .venv, build the book and its PDF, run every test (pytest, nbval over every chapter)"
	@echo "make test-single-thread  re-execute every chapter with one BLAS/OpenMP thread and compare with nbval"
	@echo "make check-data  validate every data package under data/ against the book's schemas and cross-table rules"
	@echo "make execute     re-execute the chapter notebooks in place (refresh their committed outputs)"
	@echo "make clean       remove _build"
	@echo "make lab         open reader copies of the chapters in a local JupyterLab (the same pinned environment)"
	@echo "make lab-source  open the chapters themselves (book/) in JupyterLab, to write them"
	@echo "make browser-test  only the browser tests of the built site (Chromium, other origins blocked, axe-core)"
	@echo "make binder-check  a fresh environment from what Binder reads; run every chapter from its own folder"
	@echo "make bench         time install, build, rebuild and chapters; weigh every chapter page; check budgets"
	@echo "make pdf           the whole book as one PDF (_build/pdf/spinemets-book.pdf), printed by Chromium; no TeX"
	@echo "make serve         serve _build/html on http://127.0.0.1:8000 (PORT=... to change)"

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module with ensurepip is missing; on Debian: apt-get install python3-venv"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt  # test-only (frictionless-py)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (spinemets)" >/dev/null
	touch $@

# Every kernel started from .venv reads this (it drops ipykernel's "eavesdropping" notice; see the file).
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.py
$(KERNEL_CONFIG): tools/ipython_kernel_config.py $(STAMP)
	install -D -m 644 $< $@

# JupyterLab renders Markdown with jupyterlab-myst (requirements.txt); its renderer for text/markdown
# *outputs* would show a chart's text summary instead of the chart, so it is disabled (as in
# JupyterLite, tools/lite/build.py, and on Binder, postBuild).
LAB_CONFIG := $(VENV)/etc/jupyter/labconfig/page_config.json
$(LAB_CONFIG): $(STAMP)
	$(BIN)/jupyter labextension disable --level=sys_prefix jupyterlab-myst:mime-renderer >/dev/null 2>&1 \
	  || { echo "lab: could not disable jupyterlab-myst:mime-renderer"; exit 1; }
	touch $@

# A change to the data or the package invalidates every cached chapter execution.
_build/.chapter-inputs-stamp: $(CHAPTER_INPUTS)
	rm -rf $(JB_CACHE)
	mkdir -p _build && touch $@

book: $(STAMP) $(KERNEL_CONFIG) $(LAB_CONFIG) _build/.chapter-inputs-stamp
	$(BIN)/jupyter-book build . --builder html -n -W --keep-going
	@$(MAKE) --no-print-directory lite-site

# The PDF costs about 20 s on top of the HTML build, so the tests print it whenever Chromium is here.
test: book browser-setup
	@if command -v chromium >/dev/null; then $(MAKE) --no-print-directory pdf; \
	else echo "test: WARNING chromium is missing, so no PDF is printed and its tests are SKIPPED"; fi
	$(BIN)/python -m pytest tests book --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE)

# A second numeric environment, cheaply: one BLAS/OpenMP thread changes the order of floating-point
# sums, so a committed output that carries noise-level digits fails here as it would on another CPU.
test-single-thread: book
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
	  $(BIN)/python -m pytest book --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE)

check-data: $(STAMP)
	$(BIN)/python -m spinemets check-data

execute: $(STAMP) $(KERNEL_CONFIG)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 $(CHAPTERS)

clean:
	rm -rf _build

# Reader copies of the chapters (tools/lite/reader_copy.py): the text written out as the site shows
# it, outputs kept; rewritten only when a chapter or what the copy reads changes.
LAB_COPIES := _build/lab/.copies-stamp
$(LAB_COPIES): $(CHAPTERS) $(wildcard book/*.bib) $(wildcard book/images/*) _toc.yml _config.yml tools/lite/reader_copy.py spinemets/chapter_notes.py $(STAMP)
	$(BIN)/python tools/lite/reader_copy.py lab
	touch $@

# Run a chapter locally: JupyterLab from the pinned environment, started as Binder starts it (./start).
# make lab opens the reader copies in _build/lab/book; make lab-source opens the chapters themselves
# (book/), for writing them.
LAB_START = ./start $(BIN)/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)
lab: $(STAMP) $(KERNEL_CONFIG) $(LAB_CONFIG) $(LAB_COPIES)
	$(LAB_START) --ServerApp.root_dir=_build/lab/book

lab-source: $(STAMP) $(KERNEL_CONFIG) $(LAB_CONFIG)
	$(LAB_START) --ServerApp.root_dir=book

# ---- The reader's experience: browser tests, Binder check, speed (tools/, tests/browser/) ----
# The browser tests (tests/browser, run by `make test` through pytest) need Debian's chromium and
# axe-core from the npm registry, pinned in tests/browser/package-lock.json and installed into the
# git-ignored tests/browser/node_modules. Outside CI a missing piece skips them loudly; with CI=true
# it fails.
BROWSER_DIR := tests/browser
AXE_JS := $(BROWSER_DIR)/node_modules/axe-core/axe.min.js

.PHONY: browser-setup browser-test binder-check bench pdf serve

$(AXE_JS): $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json
	@if command -v npm >/dev/null; then \
	  cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/axe.min.js; \
	elif [ "$${CI:-}" = true ]; then echo "browser-setup: npm is missing (Debian: apt-get install -y npm)"; exit 1; \
	else echo "browser-setup: WARNING npm is missing, so the browser tests will be SKIPPED (Debian: apt-get install -y npm)"; fi

browser-setup: $(STAMP) $(AXE_JS)
	@command -v chromium >/dev/null || { \
	  if [ "$${CI:-}" = true ]; then echo "browser-setup: chromium is missing (Debian: apt-get install -y chromium)"; exit 1; fi; \
	  echo "browser-setup: WARNING chromium is missing, so the browser tests will be SKIPPED (Debian: apt-get install -y chromium)"; }

browser-test: book browser-setup pdf
	$(BIN)/python -m pytest tests/browser tests/test_offline_assets.py

binder-check:
	$(PYTHON) tools/binder_check.py

bench: $(STAMP) browser-setup
	$(BIN)/python tools/bench.py

# ---- Run in your browser: JupyterLite with the Pyodide kernel, in _build/html/run (tools/lite/) ----
# LITE_PYODIDE_URL is the one setting for where the reader's browser loads Pyodide from. Empty (the
# default): the site serves its own copy, fetched from the registries and verified at setup time
# (requirements-lite.txt). Set it to the pyodide.js URL of another copy of the official Pyodide
# 0.27.7 release (e.g. one a hospital hosts) and the site ships no Pyodide files of its own.
LITE_PYODIDE_URL ?=
export LITE_PYODIDE_URL
LITE_CACHE := .cache/lite
LITE_SUPPLY := $(LITE_CACHE)/.supply-stamp
LITE_SITE := _build/html/run/.built-stamp
LITE_SETTING := _build/.lite-pyodide-url

.PHONY: lite-site FORCE

# Downloads and checks (tens of MB): redone only when the pins or the fetching code change.
$(LITE_SUPPLY): requirements-lite.txt tools/lite/build.py | $(STAMP)
	$(BIN)/python tools/lite/build.py supply
	touch $@

# Rebuilt when the setting's value changes, not on every run.
$(LITE_SETTING): FORCE
	@mkdir -p _build
	@echo '$(LITE_PYODIDE_URL)' | cmp -s - $@ || echo '$(LITE_PYODIDE_URL)' > $@

$(LITE_SITE): $(LITE_SUPPLY) $(LITE_SETTING) $(CHAPTERS) $(CHAPTER_INPUTS) $(wildcard book/*.bib) _toc.yml $(wildcard tools/lite/*.py) $(STAMP)
	$(BIN)/python tools/lite/build.py site
	touch $@

lite-site: $(LITE_SITE)

# The whole book as one PDF: Jupyter Book's single-page HTML, printed by headless Chromium
# (tools/pdf.py: other origins blocked, waits for every chart, refuses a chart cut by the page).
pdf: book browser-setup
	$(BIN)/jupyter-book build . --builder singlehtml -n -W --keep-going --quiet
	$(BIN)/python tools/pdf.py

PORT ?= 8000
serve:
	@test -f _build/html/index.html || { echo "serve: no built site; run make book first"; exit 1; }
	@echo "Serving _build/html at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html
