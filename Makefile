# `make run` serves the app with its scheduler on 127.0.0.1:5000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run install install-test install-bench migrate demo translations messages lint test test-postgres browser report-tools docs-report bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations browser report-tools node_modules/.package-lock.json

install-bench: $(VENV)/.installed-bench translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d webapp/translations

# Every message marked in code and templates (_, _l, N_) into the catalogues; then translate the new
# English entries (tests/test_catalogue.py fails while one is empty).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k N_ -k _l -o webapp/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i webapp/translations/messages.pot -d webapp/translations

# ruff's rules and layout, as pyproject.toml sets them.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# axe-core (npm, pinned in package.json) checks accessibility inside the browser tests.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

# Debian's Chromium drives the browser tests (no browser download at test time).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Cài Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

# LibreOffice prints the DOCX reports to PDF and poppler reads them back: the report tests check the
# page and its blocks that way, and docs-report renders the sample pages.
report-tools:
	@command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends libreoffice-writer poppler-utils fonts-liberation >/dev/null; \
		else echo "Cài LibreOffice: sudo apt-get install libreoffice-writer poppler-utils fonts-liberation" >&2; exit 1; fi; }

# docs/bao-cao-tuan-mau-*.png: the demo week's DOCX report as printed.
docs-report: install report-tools
	$(BIN)/python docs/render_report_sample.py

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load

run: demo
	@echo "Mở http://$(HOST):$(PORT)/ — tài khoản mẫu trong README.md"
	$(BIN)/python -m webapp.serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Every benchmark, at low priority (the cores are shared): each on SQLite and on the PostgreSQL server
# BENCH_POSTGRES names (in a fresh database of its own), then the Locust load test on PostgreSQL.
# Each prints its figure last; this fails when any goal is missed.
BENCH_POSTGRES ?= postgresql://postgres@127.0.0.1:5432/test
BENCHES ?= bench/submit.py bench/summary.py bench/export.py bench/tagging.py
bench: install-bench
	@status=0; for bench in $(BENCHES); do \
		echo "== $$bench (SQLite)"; nice -n 10 $(BIN)/python $$bench || status=1; \
		echo "== $$bench (PostgreSQL)"; DATABASE_URL=$(BENCH_POSTGRES) nice -n 10 $(BIN)/python $$bench || status=1; \
	done; \
	echo "== bench/load.py (PostgreSQL)"; DATABASE_URL=$(BENCH_POSTGRES) nice -n 10 $(BIN)/python bench/load.py || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) instance .pytest_cache
