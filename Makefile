# The two commands: `make run` (dashboard on the bundled sample) and `make test` (whole suite).
# Both create .venv on first use and reinstall only when a requirements file changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test lint format bench sample screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-run: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-run requirements-dev.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

run: $(VENV)/.stamp-run
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.stamp-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.stamp-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.stamp-dev
	$(BIN)/python benchmarks/run_all.py

# Refresh the README's docs/screenshot.png, evaluator.png, moderation.png and performance.png (the
# test suite itself writes only to temp folders).
screenshots: $(VENV)/.stamp-dev
	VENDOR_EVAL_SCREENSHOT=$(CURDIR)/docs/screenshot.png $(BIN)/python -m pytest -q \
		tests/ui/test_browser.py -k test_sample_upload_and_excel_export
	VENDOR_EVAL_SCREENSHOT_DIR=$(CURDIR)/docs $(BIN)/python -m pytest -q \
		tests/ui/test_browser_team.py
	VENDOR_EVAL_SCREENSHOT_DIR=$(CURDIR)/docs $(BIN)/python -m pytest -q \
		tests/ui/test_browser_performance.py -k black_and_white

sample: $(VENV)/.stamp-run
	$(BIN)/python data/make_sample.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
