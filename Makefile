# The two commands of the README: `make site` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: site serve test lint check demo demo-data clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

site: $(VENV)/.installed
	$(PY) build.py build --content content --out site

serve: $(VENV)/.installed
	$(PY) build.py serve --content content --port $(PORT)

check: $(VENV)/.installed
	$(PY) build.py check --content content

test: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check portal build.py
	$(PY) -m pytest -q

demo-data: $(VENV)/.installed
	$(PY) examples/make_demo.py

demo: $(VENV)/.installed
	$(PY) build.py build --content examples/demo --out build/demo
	$(PY) build.py serve --content examples/demo --port $(PORT)

clean:
	rm -rf site build .cache
