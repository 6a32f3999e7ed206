# Two commands on a fresh machine: `make generate` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GEN_STAMP := $(VENV)/.installed-generate
NODE_STAMP := node_modules/.installed

.PHONY: generate test fuzz check lint typecheck golden bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Generation needs only the tool and its runtime dependencies; tests need the extras too.
$(GEN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(GEN_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Regenerate output/ from spec/ (creates .venv and installs on first use).
generate: $(GEN_STAMP)
	$(BIN)/sdkforge generate --spec spec/openapi.yaml --config spec/sdkforge.yaml --output output

## Run every test: unit, golden, runtime against a loopback server, Prism contract tests.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## Every property test with 20x the examples, randomized (not part of CI; a failure prints
## a reproduction blob). `HYPOTHESIS_PROFILE=fuzz` does the same for any pytest selection.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -m property $(PYTEST_ARGS)

## Refresh every golden file, then review `git diff` before committing.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

check: $(STAMP)
	$(BIN)/sdkforge generate --check

## mypy sees the package under its import name: build/typecheck/sdkforge links to generator/.
lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	mkdir -p build/typecheck && ln -sfn ../../generator build/typecheck/sdkforge
	cd build/typecheck && ../../$(BIN)/mypy --config-file ../../pyproject.toml -p sdkforge

bench: $(STAMP)
	$(BIN)/python bench/perf.py

clean:
	rm -rf $(VENV) node_modules
