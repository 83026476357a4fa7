# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv/ at the repo root from the lock file on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo demo-check test test-all check lock bench clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The web application with its demo data (accounts printed on start; Ctrl-C stops it).
demo: $(BIN)/.installed
	$(BIN)/gongkai serve --demo

# The checker over the five bundled seed reports (real published reports, with their real
# inconsistencies). Exit 1 only means "error findings", which is the demo's point, not a failure.
demo-check: $(BIN)/.installed
	@$(BIN)/gongkai check tests/corpus/*.txt; test $$? -le 1

test: $(BIN)/.installed
	$(BIN)/python -m pytest -n 2 -q

test-all: $(BIN)/.installed
	$(BIN)/python -m pytest -n 2 -q --run-slow

check: $(BIN)/.installed
	scripts/check

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/parse.py

# Re-pin after changing pyproject.toml's dependencies (needs uv: pip install uv).
lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache gongkai-data
