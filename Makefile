# One-command set-up: `make run` serves the demo workshops, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Every interface: phones on the venue's Wi-Fi reach the laptop (HOST=127.0.0.1 keeps it to this computer).
HOST ?= 0.0.0.0
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test setup translations clean

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

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules .pytest_cache
