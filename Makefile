# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON := .venv/bin/python
export DJANGO_SETTINGS_MODULE ?= ras.settings.local

.PHONY: run test setup lint typecheck importlint pytest bench

run: setup
	$(PYTHON) manage.py migrate --no-input
	$(PYTHON) manage.py load_demo_data
	@echo
	@echo "The service is at http://127.0.0.1:$${RAS_PORT:-8000}/ (Ctrl-C stops web, worker and beat)"
	@echo
	.venv/bin/honcho start --procfile Procfile

setup:
	scripts/setup.sh

test: export DJANGO_SETTINGS_MODULE = ras.settings.test
test:
	scripts/setup.sh --browser
	$(MAKE) lint typecheck importlint pytest

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck:
	.venv/bin/mypy .

importlint:
	.venv/bin/lint-imports

pytest:
	$(PYTHON) -m pytest

bench:
	$(PYTHON) -m bench.engine
