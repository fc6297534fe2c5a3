# peakplan: `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
             command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
             && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501

.PHONY: run test bench lint sample venv clean

# The environment is rebuilt when pyproject.toml changes or the interpreter is gone.
$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "peakplan needs Python 3.11 or newer on PATH"; exit 1; }
	@$(BIN)/python -c 'import sys' 2>/dev/null || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/peakplan validate
	$(BIN)/peakplan run
	@echo
	@echo "make run: validated the bundled sample, forecast its season and sized the agents"
	@echo "per queue into runs/ (an identical earlier run is reused). The dashboard follows"
	@echo "on http://localhost:$(PORT) (Ctrl+C stops it)."
	$(BIN)/streamlit run dashboard/app.py --server.address localhost --server.port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	@scripts/ensure-browser.sh
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .

sample: $(STAMP)
	$(BIN)/python -m data.make_sample

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
