# Forecourt: the README's commands. `make demo` and `make test` work from a clean clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

export FORECOURT_HOME ?= $(CURDIR)/data
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := true
export DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS := true
export DO_NOT_TRACK := 1

.PHONY: install manifest demo test ui lint docs clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --python $(PY) -e '.[dev]' || $(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The dbt manifest is built here, never while Dagster loads the definitions.
manifest: install
	$(PY) -c "from orchestration.instance import ensure_manifest; ensure_manifest()"

demo: manifest
	$(BIN)/forecourt demo

test: manifest
	$(PY) -m pytest -q -n 2 --dist loadfile

ui: manifest
	$(BIN)/forecourt ui

lint: install
	$(BIN)/ruff check orchestration ml expectations tests bench

docs: manifest
	cd dbt_project && ../$(BIN)/dbt docs generate --profiles-dir . --project-dir .

clean:
	rm -rf data dbt_project/target dbt_project/logs
