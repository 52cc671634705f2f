# ThreatCanvas: `make run` opens the app on an example, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE ?= templates/examples/credit-scoring.tc.yaml

.PHONY: run test lint venv clean bench dist

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/threatcanvas $(EXAMPLE)

lint: $(STAMP)
	$(BIN)/ruff check app tests benchmarks
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

dist: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	$(BIN)/pyinstaller packaging/threatcanvas.spec --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller
	@du -sh dist/threatcanvas

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
