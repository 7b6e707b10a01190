"""What `forecourt demo` prints at the end: tables, forecast accuracy, alerts, and more."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from landing.home import ForecourtHome

SUMMARY_SCHEMAS = ("marts", "ml", "ops")
FORECASTS = ("ml.demand_forecast", "ml.demand_forecast_daily")

SECTIONS = {
    "Forecast accuracy by level (MASE, ours vs seasonal naive)": """
        select level, n_series, round(mase_forecourt, 3) as mase_ours,
               round(mase_seasonal_naive, 3) as mase_seasonal_naive,
               round(mase_ratio, 3) as ratio,
               round(share_beats_seasonal_naive, 2) as share_beating_naive
        from ml.forecast_accuracy_by_level""",
    "Daily forecast backtest by level (MASE: ours vs seasonal naive lag 7 vs weekly split; "
    "published = each fold by the method chosen on older folds)": """
        select level, n_series, scored_folds, round(mase_daily_profile, 3) as ours,
               round(mase_seasonal_naive_7, 3) as seasonal_naive_7,
               round(mase_weekly_split, 3) as weekly_split,
               round(mase_published, 3) as published, chosen_method as publishes_next,
               round(mase_ratio_to_seasonal_naive, 3) as published_ratio_to_naive
        from ml.daily_backtest""",
    "Stocking plan status": """
        select status, count(*) as groups, sum(recommended_units) as units_to_buy
        from ml.stocking_plan group by 1 order by 2 desc""",
    "Open alerts (the 5 most urgent; all of them: forecourt alerts)": """
        select kind, dealer_id, group_key, severity, units_on_hand, recommended_units,
               stockout_date, count(*) over () as open_alerts
        from ops.low_stock_alerts where status = 'open'
        order by severity, recommended_units desc nulls last, stockout_date limit 5""",
    "Stock-out outlook (ml.stockout_outlook)": """
        select any_value(lead_time_days) as lead_time_days,
               count(*) filter (where status = 'stockout_before_delivery')
                   as likely_stockouts_before_delivery,
               min(stockout_date) filter (where status = 'stockout_before_delivery')
                   as soonest
        from ml.stockout_outlook""",
    "Customer segments (ml.segment_profiles)": """
        select segment, lifecycle_stage, customers, round(share, 3) as share,
               round(avg_monetary) as avg_vehicle_spend, round(avg_frequency, 2) as avg_vehicles,
               round(avg_service_visits, 1) as avg_visits, round(repeat_share, 2) as came_back,
               round(repeat_buyer_share, 2) as bought_twice
        from ml.segment_profiles""",
    "Segment notes": "select distinct note from ml.segment_profiles where note <> ''",
    "Lifetime value holdout, each method against zero and the naive average (ml.ltv_holdout)": """
        select method, round(mae) as mae, round(rmse) as rmse, round(bias) as total_bias,
               round(bias_share, 2) as bias_share, mae_beats_zero, mae_beats_naive,
               rmse_beats_zero, rmse_beats_naive, published
        from ml.ltv_holdout""",
    "Lifetime value verdict (ml.ltv_verdict)": """
        select status, published, metric, repeat_customers, reason from ml.ltv_verdict""",
}


def _table(conn: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame | None:
    try:
        return conn.execute(sql).df()
    except duckdb.CatalogException:  # that step has not run (or the source cannot supply it)
        return None


def print_sections(
    home: ForecourtHome, sections: dict[str, str] = SECTIONS, path: Path | None = None
) -> None:
    """The sections, read from the warehouse (or `path`: the serving copy, on Spark)."""
    path = path or home.warehouse
    if not path.exists():
        return
    with duckdb.connect(str(path), read_only=True) as conn:
        for title, sql in sections.items():
            frame = _table(conn, sql)
            print(f"\n{title}:")
            if frame is None:
                print("  (not built)")
            elif frame.empty:
                print("  (none)")
            else:
                print(frame.to_string(index=False))


def run_summary(path: Path) -> dict:
    """What a demo built, the same on every engine: rows per marts/ml/ops table, revenue
    (marts.fct_sales), the stocking plan by status, and the forecasts' units in total. Read
    from a DuckDB file: the warehouse, or the serving copy built from Spark's tables."""
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            # views too: the serving copy read on Spark holds them as tables
            "where table_type in ('BASE TABLE', 'VIEW') and table_schema in ? order by 1",
            [list(SUMMARY_SCHEMAS)],
        ).fetchall()
        rows = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for (t,) in tables}
        revenue = conn.execute("select sum(sale_price) from marts.fct_sales").fetchone()[0]
        stocking = conn.execute(
            "select status, count(*), sum(recommended_units) from ml.stocking_plan "
            "group by 1 order by 1"
        ).fetchall()
        forecast_units = {
            t: conn.execute(f"select sum(units_forecast) from {t}").fetchone()[0]
            for t in FORECASTS if t in rows
        }
    return {
        "rows": rows,
        "revenue": revenue,
        "stocking": {status: (groups, float(units or 0)) for status, groups, units in stocking},
        "forecast_units": forecast_units,
    }


def print_summary(path: Path, engine: str) -> None:
    """The run's summary in a few lines (compare a DuckDB and a Spark run by these)."""
    if not path.exists():
        return
    summary = run_summary(path)
    rows = summary["rows"]
    print(f"\nSummary ({engine}): {len(rows)} marts/ml/ops tables, {sum(rows.values()):,} rows; "
          f"revenue {summary['revenue']:,}")
    statuses = ", ".join(f"{s} {g} ({u:g} units)" for s, (g, u) in summary["stocking"].items())
    print(f"  stocking plan: {statuses}")
    for table, units in summary["forecast_units"].items():
        print(f"  {table}: {rows[table]:,} rows, {units or 0:,.6f} units forecast")
