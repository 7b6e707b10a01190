"""Dagster storage on Postgres, chosen by FORECOURT_DAGSTER_PG_URL, on a throw-away cluster.

Every test that needs the cluster is in this file, so a test session starts one cluster.
"""

from __future__ import annotations

import pytest
import yaml

from landing.home import ForecourtHome
from orchestration.instance import PG_URL_VAR, dagster_yaml, prepare_home


def test_without_a_url_the_home_keeps_the_embedded_sqlite_and_its_pooled_event_log(monkeypatch):
    monkeypatch.delenv(PG_URL_VAR, raising=False)
    monkeypatch.delenv("FORECOURT_STOCK_EVENT_LOG", raising=False)
    config = yaml.safe_load(dagster_yaml())
    assert "storage" not in config
    assert config["event_log_storage"]["class"] == "PooledSqliteEventLogStorage"


def test_with_a_url_the_storage_is_postgres_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(PG_URL_VAR, "postgresql+psycopg2://dagster@db:5432/dagster")
    config = yaml.safe_load(dagster_yaml())
    assert config["storage"] == {"postgres": {"postgres_url": {"env": PG_URL_VAR}}}
    assert "event_log_storage" not in config  # the private SQLite hook is off
    assert "dagster@db" not in dagster_yaml()  # the secret stays in the environment


def test_a_url_without_the_psycopg2_driver_is_refused_saying_how_to_write_it(monkeypatch):
    monkeypatch.setenv(PG_URL_VAR, "postgresql://dagster@db/dagster")
    with pytest.raises(ValueError, match=r"postgresql\+psycopg2://user:password@host"):
        dagster_yaml()


def test_a_home_on_postgres_records_its_runs_in_postgres(
    postgres_cluster, forecourt_home, monkeypatch
):
    import dagster as dg
    import sqlalchemy as sa
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage

    url = postgres_cluster.create_database("probe")
    monkeypatch.setenv(PG_URL_VAR, url)
    prepare_home(ForecourtHome.from_env())
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert instance.event_log_storage.supports_global_concurrency_limits
        result = dg.materialize([dg.asset(name="probe")(lambda: 1)], instance=instance)
    assert result.success
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        status = conn.execute(
            sa.text("select status from runs where run_id = :id"), {"id": result.run_id}
        ).scalar()
    engine.dispose()
    assert status == "SUCCESS"
    assert not (forecourt_home / "dagster" / "history").exists()  # nothing went to SQLite


@pytest.mark.e2e
def test_two_soak_days_on_postgres_record_every_run_there_and_alert_once(
    postgres_cluster, forecourt_home, monkeypatch
):
    import sqlalchemy as sa

    from orchestration.cli.soak import SoakSettings, run_soak
    from tests.orchestration.test_soak import (
        SHORT,
        assert_a_healthy_soak,
        isolate_soak_environment,
    )

    url = postgres_cluster.create_database("soak")
    monkeypatch.setenv(PG_URL_VAR, url)
    isolate_soak_environment(monkeypatch)
    report = run_soak(SoakSettings(days=2, **SHORT))
    assert report["storage"] == "postgres"
    assert_a_healthy_soak(report, days=2)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        in_postgres = dict(
            conn.execute(sa.text("select status, count(*) from runs group by status")).all()
        )
    engine.dispose()
    assert sum(in_postgres.values()) == report["runs"]["started"]
    assert in_postgres.get("SUCCESS") == report["runs"]["succeeded"]
    assert not (forecourt_home / "dagster" / "history").exists()  # nothing went to SQLite
