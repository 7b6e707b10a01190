"""What `forecourt demo` prints at the end: tables, forecast accuracy, alerts, and more."""

from __future__ import annotations

import duckdb
import pandas as pd

from landing.home import ForecourtHome

SECTIONS = {
    "Forecast accuracy by level (MASE, ours vs seasonal naive)": """
        select level, n_series, round(mase_forecourt, 3) as mase_ours,
               round(mase_seasonal_naive, 3) as mase_seasonal_naive,
               round(mase_ratio, 3) as ratio,
               round(share_beats_seasonal_naive, 2) as share_beating_naive
        from ml.forecast_accuracy_by_level""",
    "Stocking plan status": """
        select status, count(*) as groups, sum(recommended_units) as units_to_buy
        from ml.stocking_plan group by 1 order by 2 desc""",
    "Open low-stock alerts": """
        select dealer_id, group_key, severity, units_on_hand, recommended_units, created_at
        from ops.low_stock_alerts where status = 'open'
        order by severity, recommended_units desc limit 15""",
}


def _table(conn: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame | None:
    try:
        return conn.execute(sql).df()
    except duckdb.CatalogException:  # that step has not run (or the source cannot supply it)
        return None


def print_sections(home: ForecourtHome, sections: dict[str, str] = SECTIONS) -> None:
    if not home.warehouse.exists():
        return
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        for title, sql in sections.items():
            frame = _table(conn, sql)
            print(f"\n{title}:")
            if frame is None:
                print("  (not built)")
            elif frame.empty:
                print("  (none)")
            else:
                print(frame.to_string(index=False))
