# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export FLASK_APP := wsgi

.PHONY: run test lint format install translations bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

translations: install
	$(BIN)/flask translate compile

## make run: install, compile translations, migrate, seed when empty, serve web + clock.
run: translations
	$(BIN)/flask db-upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Heed is starting on http://127.0.0.1:$${PORT:-5000} (demo logins are in README.md)"
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make test: lint, then the suite on SQLite, then on PostgreSQL (required when CI=true).
test: lint translations
	$(BIN)/python -m pytest
	$(BIN)/python -m tests.run_postgres

## make bench: the bounded benchmark harness on PostgreSQL and SQLite; see bench/README.md and docs/benchmarks.md.
## Not part of `make test` or CI. BENCH_ARGS="--db sqlite --scale small" for a quick look.
bench: translations
	$(BIN)/python -m bench $(BENCH_ARGS)

## make screenshots: the README tour's PNGs (360 and 1280 px, en and ar) into docs/screenshots/.
screenshots: translations
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
