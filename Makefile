# The two entry points of SalesRelay. Both create (or reuse) .venv themselves.
#   make demo [PORT=8000]   install, migrate, load the demo company if empty, serve (and run
#                           the background worker beside the server)
#   make test               install with test extras, run the whole suite
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

# The worker (background jobs: the web import) runs beside the server and stops with it.
demo: $(VENV)/.installed
	$(BIN)/salesrelay migrate --no-input
	$(BIN)/salesrelay demo --if-empty
	$(BIN)/salesrelay worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/salesrelay serve --dev --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check salesrelay tests bench conftest.py
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest
