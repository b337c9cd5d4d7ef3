# tiepdan: `make run` sets everything up and starts it; `make test` sets up and runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
# Rasa 3.6 supports Python <= 3.10; override with RASA_PYTHON=/path/to/python3.10.
RASA_PYTHON ?= $(shell p="$$(pyenv root 2>/dev/null)/versions/3.10.13/bin/python"; \
	if [ -x "$$p" ]; then echo "$$p"; else command -v python3.10 2>/dev/null; fi)
RASA_VERSION := 3.6.21

VENV := .venv
RASA_VENV := .venv-rasa
APP_STAMP := $(VENV)/.installed
RASA_STAMP := $(RASA_VENV)/.installed
TIEPDAN := $(VENV)/bin/tiepdan

.PHONY: help setup run test lint unit e2e chromium check-rasa-python rasa-freeze clean

help:
	@echo "make run    set up (venvs, model, database) and start the bot with the sandbox chat page"
	@echo "make test   set up and run every test (lint, unit, e2e)"
	@echo "make lint   ruff and mypy"

check-rasa-python:
	@if [ -z "$(RASA_PYTHON)" ] || ! "$(RASA_PYTHON)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
		echo "error: Rasa $(RASA_VERSION) needs Python 3.10, none found: install it (e.g. 'pyenv install 3.10.13') or set RASA_PYTHON=/path/to/python3.10" >&2; \
		exit 1; \
	fi

$(RASA_STAMP): nlu/rasa-constraints.txt
	@$(MAKE) --no-print-directory check-rasa-python
	@echo "Installing Rasa $(RASA_VERSION) into $(RASA_VENV) (about 2.7 GB, a few minutes)…"
	rm -rf $(RASA_VENV)
	"$(RASA_PYTHON)" -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check "rasa==$(RASA_VERSION)" -c nlu/rasa-constraints.txt
	touch $@

$(APP_STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# Rasa first: a missing Python 3.10 fails at once, before anything else is installed.
setup: $(RASA_STAMP) $(APP_STAMP)

run: setup
	$(TIEPDAN) run

lint: $(APP_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The console's browser tests drive Debian's Chromium: Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" != 0 ]; then \
			echo "error: the browser tests need Chromium (/usr/bin/chromium): run 'sudo apt-get install chromium', or run make as root" >&2; \
			exit 1; \
		fi; \
		echo "Installing Chromium for the console's browser tests…"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	}

# Unit tests on both cores (pytest-xdist), then the end-to-end tests one at a time: each
# starts real processes (a Rasa server needs a core and 1.2 GB of its own).
test: setup lint chromium
	$(TIEPDAN) nlu train
	$(VENV)/bin/pytest -m "not e2e" -n 2
	$(VENV)/bin/pytest -m e2e

unit: $(APP_STAMP)
	$(VENV)/bin/pytest -m "not e2e" -n 2

e2e: setup chromium
	$(TIEPDAN) nlu train
	$(VENV)/bin/pytest -m e2e

# Re-resolve the Rasa environment and freeze it (needs the package index).
rasa-freeze: check-rasa-python
	rm -rf /tmp/tiepdan-rasa-freeze && "$(RASA_PYTHON)" -m venv /tmp/tiepdan-rasa-freeze
	/tmp/tiepdan-rasa-freeze/bin/pip install --quiet "rasa==$(RASA_VERSION)"
	{ echo "# Frozen resolution of rasa==$(RASA_VERSION) on CPython 3.10 (pip freeze). Regenerate: make rasa-freeze"; \
	  /tmp/tiepdan-rasa-freeze/bin/pip freeze; } > nlu/rasa-constraints.txt

clean:
	rm -rf $(VENV) $(RASA_VENV) models var .mypy_cache .ruff_cache .pytest_cache
