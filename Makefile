# ektp — make run (the whole platform, demo data) and make test (every test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PACKAGES := -e protos -e libs/servicekit -e libs/ektp-cli -e services/enrolment -e services/inventory -e services/documents -e services/reporting
STAMP := $(VENV)/.installed

.PHONY: install protos run test test-fast lint deploy-check bench load clean

$(STAMP): requirements.txt requirements-dev.txt protos/pyproject.toml libs/servicekit/pyproject.toml libs/ektp-cli/pyproject.toml services/*/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check --upgrade pip==25.3
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	$(PIP) install -q --disable-pip-version-check --no-build-isolation --no-deps $(PACKAGES)
	touch $(STAMP)

install: $(STAMP)

protos: $(STAMP)
	$(PY) tools/gen_protos.py

run: install protos
	$(PY) -m tools.platform run

test: install lint deploy-check
	$(PY) -m pytest

deploy-check: install
	$(PY) -m tools.deploy_check

lint: install
	$(VENV)/bin/ruff check .

test-fast: install
	$(PY) -m pytest -x -q -m "not e2e"

bench: install
	$(PY) -m bench

load: install
	$(PY) -m bench --only load

clean:
	rm -rf $(VENV) var .pytest_cache
