# One-command set-up: `make run` serves the demo workshops, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Every interface: phones on the venue's Wi-Fi reach the laptop (HOST=127.0.0.1 keeps it to this computer).
HOST ?= 0.0.0.0
PORT ?= 5000
PYTEST_ARGS ?=
JOBS ?= 2

.PHONY: run test test-fast lint setup translations clean

setup: $(VENV)/.installed node_modules/.installed translations

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres,redis]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --directory workshop/translations --statistics

run: setup
	$(VENV)/bin/workshop serve --demo --host $(HOST) --port $(PORT)

# Unit, integration and browser tests in parallel (pytest-xdist, a file per worker: its fixtures
# stay together; each browser file serves its own workshop on a free port, SQLite in a temp folder);
# then the system tests (kill -9, several processes on PostgreSQL and Redis), a file per worker
# too (each server on a free port, each scale-out run its own schema and queue channel), apart
# from the rest so that their servers are not starved by browsers.
# A filter in PYTEST_ARGS that leaves one half empty is fine (pytest's exit 5: no test selected).
test: setup
	$(PY) -m pytest -n $(JOBS) --dist loadfile $(PYTEST_ARGS) tests/unit tests/integration tests/browser || [ $$? -eq 5 ]
	$(PY) -m pytest -n $(JOBS) --dist loadfile $(PYTEST_ARGS) tests/system || [ $$? -eq 5 ]

# The linters and type checks, and the scripts' own tests: ruff (Python), eslint and tsc --checkJs
# (the page scripts, against the shapes of static/js/shapes.js), node --test (their pure functions).
lint: setup
	$(VENV)/bin/ruff check workshop tests bench scripts
	$(VENV)/bin/ruff format --check workshop tests bench scripts
	npx --no-install eslint static/js tests/js
	npx --no-install tsc -p .
	node --test tests/js/

# Unit and integration tests on SQLite only, no browser, no server: the quick loop while coding.
test-fast: setup
	WORKSHOP_TEST_DATABASES=sqlite $(PY) -m pytest -n $(JOBS) --dist loadfile -q $(PYTEST_ARGS) tests/unit tests/integration

clean:
	rm -rf $(VENV) node_modules .pytest_cache
