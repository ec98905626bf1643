# Handouts: run `make` to list the targets.
PYTHON ?= python3
#: The oldest Python Handouts supports, for `make test-oldest`.
PYTHON_OLDEST ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) python3.10)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.DEFAULT_GOAL := help
.PHONY: help install browser pdfs test test-oldest lint format readme bench fuzz clean

help: ## Show the targets and what they do
	@echo "Handouts: make TARGET"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Handouts needs Python 3.10 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# Quiet: setuptools explains editable installs at length on every install.
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[test,dev,desk]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install Handouts with its test and dev tools

pdfs: $(STAMP) ## Build every PDF into out/ (each language, standard and large print) and its download page
	$(BIN)/handouts build --out $(OUT) --lang all --large-print --site

browser: ## Install Chromium for the browser tests (Debian's package; needs root)
	@command -v chromium >/dev/null 2>&1 || { \
		if command -v google-chrome >/dev/null 2>&1; then :; \
		elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
			sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "No chromium and no way to install it here: the browser tests will be skipped."; \
		fi; }

test: $(STAMP) browser ## Run the test suite (browser tests need chromium: make browser)
	$(BIN)/python -m pytest

test-oldest: ## Run the document tests and the install test on the oldest supported Python (3.10)
	$(PYTHON_OLDEST) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else "need Python 3.10 for test-oldest")'
	$(PYTHON_OLDEST) -m venv .venv-oldest
	.venv-oldest/bin/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore .venv-oldest/bin/python -m pip install --quiet -e '.[test,desk]'
	.venv-oldest/bin/python -m pytest -q tests/test_sheet.py tests/test_booklet.py tests/test_program.py \
		tests/test_large_print.py tests/test_languages.py tests/test_install.py tests/test_schema.py \
		tests/test_records.py

lint: $(STAMP) ## Check code style (ruff check and ruff format --check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

readme: $(STAMP) ## Regenerate the README's command reference from --help
	$(BIN)/python scripts/readme_cli.py --write

bench: $(STAMP) ## Measure speed and sizes and print a table
	$(BIN)/python bench/bench.py

fuzz: $(STAMP) ## Run the property-based tests with a long profile
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/test_properties.py

clean: ## Remove built PDFs, caches and the virtualenv
	rm -rf $(OUT) $(VENV) .venv-oldest build dist .pytest_cache .ruff_cache .hypothesis *.egg-info
