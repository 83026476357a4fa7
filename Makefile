# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv/ at the repo root from the lock file on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo demo-check test test-all check lock bench clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# --no-deps: the lock is complete, and it deliberately leaves out opencv-python (which
	# rapidocr names) in favour of opencv-python-headless (the desktop build needs libGL).
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
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

# Re-pin after changing pyproject.toml's dependencies (installs uv into .venv). The `ocr`
# extra is installed by default so that the tests cover scanned reports.
lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra ocr --no-emit-package opencv-python \
		--python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache gongkai-data
