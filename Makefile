# Handouts: run `make` to list the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.DEFAULT_GOAL := help
.PHONY: help install pdfs test lint format readme bench fuzz clean

help: ## Show the targets and what they do
	@echo "Handouts: make TARGET"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Handouts needs Python 3.10 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install Handouts with its test and dev tools

pdfs: $(STAMP) ## Build every PDF into out/ (each language, standard and large print)
	$(BIN)/handouts build --out $(OUT) --lang all --large-print

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest

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
	rm -rf $(OUT) $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info
