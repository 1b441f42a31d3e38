# omsbot: `make run` starts the shop, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
BASE_STAMP := $(VENV)/.base-$(HASH)
DEV_STAMP := $(VENV)/.dev-$(HASH)

.PHONY: install install-dev run test lint unit bench clean

install: $(BASE_STAMP)

$(BASE_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	@rm -f $(VENV)/.base-* && touch $@

install-dev: $(DEV_STAMP)

$(DEV_STAMP): $(BASE_STAMP)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.dev-* && touch $@

run: install
	@$(BIN)/omsbot db upgrade >/dev/null
	@$(BIN)/omsbot seed demo --if-empty
	@$(BIN)/omsbot run

lint: install-dev
	$(BIN)/ruff check bot domain channels storage tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

unit: install-dev
	$(BIN)/python -m pytest -q tests/unit

# Each script prints its figures; slack and scans build a 1,000,000-order shop first (minutes).
bench: install-dev
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/email.py
	$(BIN)/python bench/telegram.py
	$(BIN)/python bench/slack.py
	$(BIN)/python bench/scans.py
	$(BIN)/python bench/fulfilment.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
