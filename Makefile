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

.PHONY: book test check-data execute clean help

help:
	@echo "make book        set up .venv, execute every chapter, build the HTML into _build/html (zero warnings)"
	@echo "make test        set up .venv, build the book, run every test (pytest, nbval over every chapter)"
	@echo "make check-data  validate data/ohashi2019 against its schema and cross-table rules"
	@echo "make execute     re-execute the chapter notebooks in place (refresh their committed outputs)"
	@echo "make clean       remove _build"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module with ensurepip is missing; on Debian: apt-get install python3-venv"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (spinemets)" >/dev/null
	touch $@

# A change to the data or the package invalidates every cached chapter execution.
_build/.chapter-inputs-stamp: $(CHAPTER_INPUTS)
	rm -rf $(JB_CACHE)
	mkdir -p _build && touch $@

book: $(STAMP) _build/.chapter-inputs-stamp
	$(BIN)/jupyter-book build . --builder html -n -W --keep-going

test: book
	$(BIN)/python -m pytest tests book --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE)

check-data: $(STAMP)
	$(BIN)/python -m spinemets check-data data/ohashi2019

execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 $(CHAPTERS)

clean:
	rm -rf _build
