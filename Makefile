# omsbot: `make run` starts the shop, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# constraints.txt pins the whole tree (`make lock` regenerates it); pip installs within it,
# and a dependency not pinned there yet still installs.
LOCK := constraints.txt
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check -c $(LOCK)
HASH := $(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
BASE_STAMP := $(VENV)/.base-$(HASH)
DEV_STAMP := $(VENV)/.dev-$(HASH)

# Message catalogues: templates/locales/<lang>/LC_MESSAGES/omsbot.po, compiled to .mo here
# (the .mo files are build output, not in git; omsbot compiles a missing or stale one in
# memory, so a catalogue edited without `make` still shows).
LOCALES := templates/locales
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/omsbot.po))

# The plain-words reader, trained ahead from our labelled utterances (build output, not in
# git); omsbot checks its fingerprint and trains at start-up instead when it is stale.
READER_DIR := channels/understanding
READER_MODEL := $(READER_DIR)/data/reader.pickle
READER_SOURCES := $(READER_DIR)/data/train.tsv $(addprefix $(READER_DIR)/,text.py classifier.py \
	lexicon.py corpus.py reader.py model.py)

.PHONY: install install-dev lock lock-upgrade run test lint unit bench clean messages

install: $(BASE_STAMP) $(CATALOGUES) $(READER_MODEL)

%.mo: %.po | $(BASE_STAMP)
	@$(BIN)/pybabel -q compile -D omsbot -i $< -o $@

$(READER_MODEL): $(READER_SOURCES) | $(BASE_STAMP)
	@$(BIN)/python -m channels.understanding.model $@

# After changing texts in templates: refresh the .pot and every .po (then translate the new
# empty msgstr entries; `tests/unit/test_catalogues.py` fails until every language has them).
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k NN_:1,2 --no-location --sort-output \
		--project omsbot -o $(LOCALES)/omsbot.pot .
	$(BIN)/pybabel -q update -D omsbot -i $(LOCALES)/omsbot.pot -d $(LOCALES) \
		--no-fuzzy-matching --ignore-obsolete --width 99

$(BASE_STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(PIP) -e .
	@rm -f $(VENV)/.base-* && touch $@

install-dev: $(DEV_STAMP) $(CATALOGUES) $(READER_MODEL)

$(DEV_STAMP): $(BASE_STAMP)
	@$(PIP) -e '.[dev]'
	@rm -f $(VENV)/.dev-* && touch $@

# Pin what pyproject.toml gained (keeping every other pin); lock-upgrade moves all pins.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(PIP) uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --python-version 3.11 -q -o $(LOCK) \
		--custom-compile-command "make lock"

lock-upgrade:
	@test -x $(BIN)/uv || $(PIP) uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --python-version 3.11 -q -o $(LOCK) \
		--custom-compile-command "make lock" --upgrade

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
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/healthz_during_import.py
	$(BIN)/python bench/email.py
	$(BIN)/python bench/telegram.py
	$(BIN)/python bench/slack.py
	$(BIN)/python bench/scans.py
	$(BIN)/python bench/intents.py
	$(BIN)/python bench/fulfilment.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache $(READER_MODEL)
