#!/bin/sh
# Prepare FORECOURT_HOME (folders; dagster.yaml on Postgres when FORECOURT_DAGSTER_PG_URL is set,
# refused unless it is postgresql+psycopg2://), then run the container's command.
set -e
python -c "from orchestration.instance import prepare_home; prepare_home()"
exec "$@"
