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

.PHONY: install postgres manifest demo test test-fast ui lint docs dashboard clean demo-car-sales demo-mintclassics bench bench-small bench-spark soak

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --compile-bytecode --python $(PY) -e '.[dev,spark]' || $(BIN)/pip install -q -e '.[dev,spark]'
	touch $@

install: $(VENV)/.installed postgres

# Debian's PostgreSQL, for the tests that run Dagster on Postgres storage (a throw-away cluster
# per test session). Installed with apt when missing and we are root; else those tests skip,
# saying why.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	       && apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; } \
	  || echo "PostgreSQL not installed: the Postgres storage tests will be skipped" >&2

# The dbt manifest is built here, never while Dagster loads the definitions.
manifest: install
	$(PY) -c "from orchestration.instance import ensure_manifest; ensure_manifest()"

demo: manifest
	$(BIN)/forecourt demo

# Real data sets from ../shared/data, each in its own home (data/<source>, or FORECOURT_HOME when
# it is given on the command line or in the environment).
SHARED_DATA ?= $(CURDIR)/../shared/data
source_home = $(if $(filter environment command,$(origin FORECOURT_HOME)),$(FORECOURT_HOME),$(CURDIR)/data/$(1))

demo-car-sales: manifest
	FORECOURT_HOME=$(call source_home,car-sales) $(BIN)/forecourt demo --source car-sales $(SHARED_DATA)/car_sales/car_sales.csv

demo-mintclassics: manifest
	FORECOURT_HOME=$(call source_home,mintclassics) $(BIN)/forecourt demo --source mintclassics $(SHARED_DATA)/mintclassics

# One run of every tier (the fast tests fill the gaps while the end-to-end homes build), and
# the fast tier alone: no whole-home test (tests/e2e/, marker e2e) and no Spark session (marker
# spark, about 90 s of JVM work); target under two minutes.
test: manifest
	$(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

test-fast: manifest
	$(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder -m "not e2e and not spark"

ui: manifest
	$(BIN)/forecourt ui

# Benchmarks against baselines (not part of `make test`): the full profile writes
# bench/results.json and results.md, the small one bench/results_small.json and .md.
# bench-small takes about 7 minutes on a quiet 2-core machine, plus a few for the Spark forecast
# comparison (400 series; skipped without Java); bench (1M/10M rows, 1/2/5 years) takes hours.
# bench-spark: only that comparison, into bench/results_spark.json and .md.
bench-small: manifest
	$(PY) -m bench.run --profile small --out bench/results_small.json

bench-spark: manifest
	$(PY) -m bench.run --profile small --only forecast_spark --out bench/results_spark.json

bench: manifest
	$(PY) -m bench.run --profile full

# The soak: webserver and daemon on a fresh home, SOAK_DAYS simulated days (one landed per tick),
# the daemon killed and restarted once; the report goes to $(SOAK_HOME)/soak/report.json.
# Bounded: SOAK_MINUTES stops landing new days. With FORECOURT_DAGSTER_PG_URL set it runs on
# Postgres storage.
SOAK_DAYS ?= 14
SOAK_MINUTES ?= 120
SOAK_HOME ?= $(CURDIR)/data/soak-$(shell date +%Y%m%d-%H%M%S)
soak: manifest
	FORECOURT_HOME=$(SOAK_HOME) $(PY) -m orchestration.cli.soak --days $(SOAK_DAYS) --dealers 2 \
	  --max-minutes $(SOAK_MINUTES)

lint: install
	$(BIN)/ruff check orchestration landing serving ml expectations tests bench
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests

# The catalog (column types, row counts) comes from the warehouse of FORECOURT_HOME; without one
# the site still builds, from the manifest alone. The site goes to its own target path, so the
# manifest Dagster reads is never rewritten; static_index.html is one file that works offline.
docs: manifest
	@W="$${FORECOURT_WAREHOUSE:-$(FORECOURT_HOME)/warehouse.duckdb}"; EMPTY=""; SCRATCH=""; \
	if [ ! -f "$$W" ]; then \
	  echo "No warehouse at $$W (make demo first): building the docs without the catalog."; \
	  SCRATCH="$$(mktemp -d)"; W="$$SCRATCH/warehouse.duckdb"; EMPTY="--empty-catalog"; fi; \
	cd dbt_project && FORECOURT_WAREHOUSE="$$W" ../$(BIN)/dbt docs generate --static $$EMPTY \
	  --target-path target/docs --profiles-dir . --project-dir .; STATUS=$$?; \
	if [ -n "$$SCRATCH" ]; then rm -rf "$$SCRATCH"; fi; \
	[ $$STATUS -eq 0 ] && echo "Docs: dbt_project/target/docs/index.html, static_index.html"

# Rebuild the serving copies and the KPI dashboard from the current warehouse, then screenshot
# it into docs/dashboard.png (needs chromium: apt-get install chromium).
dashboard: manifest
	$(BIN)/forecourt publish
	$(PY) -m serving.dashboard.browser $(FORECOURT_HOME)/dashboard/index.html docs/dashboard.png --ready document.body.dataset.ready

clean:
	rm -rf data dbt_project/target dbt_project/logs
