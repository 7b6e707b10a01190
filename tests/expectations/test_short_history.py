"""A new home has no history: the drift monitors say so and pass, they never crash."""

from __future__ import annotations

import datetime as dt

import pytest

from expectations import drift
from landing.ingestion import load_feed
from orchestration.checks import _drift_result
from tests.landing_files import DAY, vehicle, write_feed


def _deliver(conn, landing, days: int, one_load: bool) -> None:
    """The first ``days`` of a home's vehicles: a daily run each, or one backfill of them all."""
    number = 0
    for offset in range(days):
        day = DAY + dt.timedelta(days=offset)
        batch = []
        for _ in range(8):
            number += 1
            batch.append(vehicle(number, acquired_date=day.isoformat()))
        write_feed(landing, "vehicles", batch, day)
        if not one_load:
            load_feed(conn, "vehicles", landing, [day])
    if one_load:
        load_feed(conn, "vehicles", landing, [DAY + dt.timedelta(days=i) for i in range(days)])


@pytest.mark.parametrize("one_load", [False, True], ids=["daily_runs", "one_backfill"])
@pytest.mark.parametrize("days", [1, 2, 6])
@pytest.mark.parametrize("kind", ["volume_drift", "price_drift"])
def test_the_first_days_of_a_home_pass_as_not_enough_history(conn, landing, days, kind, one_load):
    _deliver(conn, landing, days, one_load)
    judged = getattr(drift, kind)(conn, "vehicles")
    assert not judged["flagged"].any() and not judged["judged"].any()
    result = _drift_result("vehicles", kind, judged)
    assert result.passed
    assert "not enough history" in result.description
    assert result.metadata["reason"].value.startswith("not enough history")


def test_the_monitor_of_a_one_day_home_runs_its_drift_checks_without_failing(
    tmp_path, monkeypatch, landing
):
    import dagster as dg

    from orchestration.assets.ingestion import raw_assets
    from orchestration.checks import feed_monitor
    from orchestration.resources import WarehouseResource

    monkeypatch.setenv("FORECOURT_HOME", str(landing.parent))
    write_feed(landing, "vehicles", [vehicle(1), vehicle(2)])
    selected = [a for a in raw_assets if a.key.path[-1] in ("dealers", "vehicles")]
    warehouse = WarehouseResource(path=str(tmp_path / "home.duckdb"))
    dg.materialize(selected[:1], resources={"warehouse": warehouse})
    result = dg.materialize(
        [*selected[1:], feed_monitor("vehicles")],
        partition_key=DAY.isoformat(),
        resources={"warehouse": warehouse},
        selection=[dg.AssetKey(["raw", "vehicles"])],
        raise_on_error=False,
    )
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    for name in ("volume_drift_vehicles", "price_drift_vehicles"):
        assert evaluations[name].passed, evaluations[name].description
        assert evaluations[name].metadata["reason"].value.startswith("not enough history")
