# The two commands (see README):  make site   |   make test
# `make serve` builds and serves with live reload.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site serve check test lint benchmark schema clean

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
	@command -v npm >/dev/null || { echo "make test needs npm for axe-core (Debian: apt-get install npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The static checks: style, types, the stage contract (pyproject's [tool.importlinter]) and the browser code.
lint: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check generator tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	npx --no-install eslint --no-error-on-unmatched-pattern docs/javascripts tests/js

# The inner loop (under a minute): the static checks and the tests that need neither a site build nor a browser.
check: lint
	scripts/ensure-shellcheck
	DR_QUICK=1 $(BIN)/python -m pytest -q -m "not site and not browser and not benchmark"

# Everything: the static checks, every test, real MkDocs builds, headless Chromium, the benchmark's smoke run;
# one pytest worker per core (pytest-xdist), each test file's tests on one worker so module fixtures build once.
test: lint
	scripts/ensure-chromium
	scripts/ensure-shellcheck
	$(BIN)/python -m pytest -q -m "" -n auto --dist loadfile

schema: $(STAMP)
	$(BIN)/python -m generator schema --out schema

# make benchmark N=10000   (default: 1,000 then 10,000 companies; see README)
N ?= 1000 10000
benchmark: $(STAMP)
	scripts/ensure-chromium
	$(BIN)/python benchmarks/run.py $(N)

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
