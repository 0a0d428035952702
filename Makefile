# The front door. `make demo` and `make test` bootstrap .venv from pyproject on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_MIRROR := data/samples/mirror
ROLE ?= Performance Improvement Director

.PHONY: help demo test test-fast lint format samples bench serve clean chromium

help:
	@echo "make demo    run a full refresh on the embedded sample mirror and print the outlook"
	@echo "make test    run the test suite"
	@echo "make lint    ruff check + format check"
	@echo "make bench   run the benchmarks (see README)"
	@echo "make serve   start a Prefect server and serve the scheduled deployments"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/outlook refresh --mirror $(DEMO_MIRROR) --postings data/samples/postings --profile generic
	$(BIN)/outlook status
	$(BIN)/outlook trends --role "$(ROLE)"
	$(BIN)/outlook skills --role "$(ROLE)"

test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

# headless Chromium for the dashboard browser test (Debian package; a no-op once installed)
chromium:
	@sh scripts/install_chromium.sh

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not flow and not browser and not shared"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py

bench: $(STAMP)
	$(BIN)/outlook bench

serve: $(STAMP)
	$(BIN)/outlook serve

clean:
	rm -rf data/warehouse data/raw data/published .state
