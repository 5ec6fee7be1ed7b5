# The two commands (see README):  make site   |   make test
# `make serve` builds and serves with live reload.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site serve test lint benchmark schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve

# Test-only JavaScript (axe-core for tests/test_a11y.py), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

test: $(STAMP) $(NODE_STAMP)
	scripts/ensure-chromium
	$(BIN)/ruff check generator tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

schema: $(STAMP)
	$(BIN)/python -m generator schema --out schema

# make benchmark N=10000   (default: 1,000 then 10,000 companies; see README)
N ?= 1000 10000
benchmark: $(STAMP)
	scripts/ensure-chromium
	$(BIN)/python benchmarks/run.py $(N)

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
