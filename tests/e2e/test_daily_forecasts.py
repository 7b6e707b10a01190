"""Daily forecasts on the shared demo home: the daily mart, the forecast reconciled to the
weekly one, the backtest against the baselines, and the stock-out outlook."""

import duckdb
import pandas as pd
import pytest

pytestmark = pytest.mark.e2e


def frame(home, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).df()


def test_the_daily_mart_has_every_day_of_every_series_with_its_weekday(demo_home):
    spans = frame(demo_home, """
        select unique_id, count(*) as n_rows, min(ds) as first_day, max(ds) as last_day,
               count(*) filter (where day_of_week <> isodow(ds)) as wrong_weekdays
        from marts.demand_daily group by unique_id""")
    (last_data_date,), = frame(demo_home, "select max(last_data_date) "
                                          "from intermediate.int_data_dates").itertuples(
        index=False)
    assert set(spans["last_day"]) == {last_data_date}
    days = (pd.to_datetime(spans["last_day"]) - pd.to_datetime(spans["first_day"])).dt.days + 1
    assert (spans["n_rows"] == days).all()  # zero-filled: no missing day inside a span
    assert spans["wrong_weekdays"].sum() == 0
    zeros = frame(demo_home, "select count(*) as n from marts.demand_daily where y = 0")
    assert zeros.loc[0, "n"] > 0


def test_each_reconciled_week_of_the_daily_forecast_sums_to_the_weekly_forecast(demo_home):
    weeks = frame(demo_home, """
        with daily as (
            select unique_id, date_trunc('week', date) as week_start,
                   sum(units_forecast) as daily_sum, count(*) as days
            from ml.demand_forecast_daily where reconciled group by all
        )
        select d.*, w.units_forecast from daily d
        join ml.demand_forecast w using (unique_id, week_start) where d.days = 7""")
    assert len(weeks) > 0
    assert (weeks["daily_sum"] - weeks["units_forecast"]).abs().max() < 1e-6
    counts = frame(demo_home, "select unique_id, count(*) as n from ml.demand_forecast_daily "
                              "group by all")
    assert set(counts["n"]) == {14}


def test_the_published_daily_forecast_is_never_worse_than_seasonal_naive(demo_home):
    table = frame(demo_home, "select * from ml.daily_backtest").set_index("level")
    assert {"total", "region", "dealer", "make", "model"} <= set(table.index)
    assert (table["mase_published"] <= table["mase_seasonal_naive_7"]).all()
    assert table.loc[["total", "region"], "published_beats_seasonal_naive"].all()


def test_the_stockout_outlook_covers_the_stocking_plan(demo_home):
    counts = frame(demo_home, """
        select (select count(*) from ml.stocking_plan) as plan_rows,
               (select count(*) from ml.stockout_outlook) as outlook_rows,
               (select count(*) from ml.stockout_outlook
                where status = 'stockout_before_delivery' and stockout_date is null) as bad""")
    assert counts.loc[0, "outlook_rows"] == counts.loc[0, "plan_rows"] > 0
    assert counts.loc[0, "bad"] == 0


def test_a_redelivered_day_rebuilds_the_daily_mart_from_that_day_without_duplicates(demo_home):
    from orchestration.cli import main

    day = frame(demo_home, "select max(sale_date) - 10 as d from marts.fct_sales").loc[0, "d"]
    day = pd.Timestamp(day).date().isoformat()
    path = demo_home / "landing" / "sales" / f"{day}.csv"
    lines = path.read_text().splitlines(keepends=True)
    assert len(lines) > 2, f"{path} has no sale to remove"
    before = frame(demo_home, "select count(*) as n, sum(y) as units from marts.demand_daily "
                              "where unique_id = 'total'")
    path.write_text("".join([lines[0], *lines[2:]]))  # the re-delivery drops one sale
    # two runs: in one subset Dagster does not see raw/sales -> staging -> fct_sales (staging
    # unselected) and may build the marts before the load
    assert main(["materialize", "--select", "key:raw/sales", "--partition", day]) == 0
    assert main(["materialize", "--select", "key:marts/fct_sales or key:marts/demand_daily"]) == 0
    after = frame(demo_home, "select count(*) as n, sum(y) as units from marts.demand_daily "
                             "where unique_id = 'total'")
    assert after.loc[0, "n"] == before.loc[0, "n"]  # every day once, none added
    assert after.loc[0, "units"] == before.loc[0, "units"] - 1
    check = frame(demo_home, f"""
        select d.y, (select count(*) from marts.fct_sales where sale_date = '{day}') as sold,
               (select count(*) from marts.demand_daily where ds < '{day}'
                and sales_loaded_at = (select max(sales_loaded_at) from marts.demand_daily))
                   as rebuilt_before
        from marts.demand_daily d where d.unique_id = 'total' and d.ds = '{day}'""")
    assert check.loc[0, "y"] == check.loc[0, "sold"]
    assert check.loc[0, "rebuilt_before"] == 0  # days before the re-delivery were kept
