# Developer commands; each sets up the virtual environment first.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
SOURCES := bot scheduler tests benchmarks

.PHONY: setup run demo test lint types check format messages migration

$(BIN)/thidua: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/thidua

# The bot for real (needs TELEGRAM_BOT_TOKEN): SQLite under ./data by default, long polling.
run: setup
	$(BIN)/thidua run

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

# mypy --strict over bot, scheduler, tests and benchmarks (pyproject.toml's [tool.mypy]).
types: setup
	$(BIN)/mypy

# Everything a change must pass, cheapest first: lint, then types, then the tests.
check: setup
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory types
	$(MAKE) --no-print-directory test

format: setup
	$(BIN)/ruff format $(SOURCES)
	$(BIN)/ruff check --fix $(SOURCES)

# Add new Vietnamese messages to the English catalogue (then translate the empty msgstr lines).
messages: setup
# Sorted, without line numbers and with a fixed date, so that two branches' catalogues merge.
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o messages.pot bot scheduler
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i messages.pot -d bot/locale -l en
	sed -i 's/^"POT-Creation-Date: .*"$$/"POT-Creation-Date: 2026-01-01 00:00+0000\\n"/' bot/locale/en/LC_MESSAGES/messages.po
	rm messages.pot

# The whole cycle offline, without a token: fake Bot API, real bot, five officers submitting.
demo: setup
	$(BIN)/thidua demo

# After changing bot/storage/models.py: make migration MESSAGE="what changed"
migration: setup
	$(BIN)/python -c 'import sys; from bot.storage.migrate import new_revision; new_revision(sys.argv[1])' "$(MESSAGE)"
	$(BIN)/ruff check --fix --quiet bot/storage/migrations/versions
	$(BIN)/ruff format bot/storage/migrations/versions
