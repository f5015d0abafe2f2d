# Two commands: `make run` serves the demo shop, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install install-dev run serve test lint format worker beat migrations-check bench bench-checkout bench-mechanisms clean

help:
	@echo "make run               install, migrate, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test              install and run the whole test suite"
	@echo "make lint              ruff check and format check"
	@echo "make worker / beat     Celery worker / scheduler (needs REDIS_URL)"
	@echo "make migrations-check  fail when models and migrations disagree"
	@echo "make bench             catalog benchmark, then the checkout flow (see bench/README.md)"
	@echo "make bench-checkout    checkout flow only: 50 buyers over HTTP, orders/s, p95, oversold"
	@echo "make bench-mechanisms  each speed mechanism switched off in turn: what it buys of each aim"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	.ci/with-services $(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A shop worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A shop beat --loglevel=INFO

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

bench: install-dev
	.ci/with-services sh -c '$(PY) bench/catalog_bench.py $(BENCH_ARGS) && $(PY) bench/checkout_flow_bench.py $(CHECKOUT_ARGS)'

bench-checkout: install-dev
	.ci/with-services $(PY) bench/checkout_flow_bench.py $(CHECKOUT_ARGS)

bench-mechanisms: install-dev
	.ci/with-services $(PY) bench/mechanisms_bench.py $(MECHANISMS_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media staticfiles
