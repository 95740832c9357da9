# Developer commands. `make test` and `make run` set up the virtual environment first.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup run test lint format messages

$(BIN)/thidua: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/thidua

# The main job on the embedded default: SQLite under ./data, the example cluster, long polling.
run: setup
	$(BIN)/thidua import examples/cluster.yaml
	$(BIN)/thidua run

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check bot scheduler tests benchmarks
	$(BIN)/ruff format --check bot scheduler tests benchmarks
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format bot scheduler tests benchmarks
	$(BIN)/ruff check --fix bot scheduler tests benchmarks

# Add new Vietnamese messages to the English catalogue (then translate the empty msgstr lines).
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -o messages.pot bot scheduler
	$(BIN)/pybabel update --no-fuzzy-matching -i messages.pot -d bot/locale -l en
	rm messages.pot
