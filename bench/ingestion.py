"""Ingestion: our partition load of the sales feed against three common ways to load CSV files.

- ours: `landing.ingestion.load_feed(conn, "sales", landing, days)`: DuckDB's CSV reader,
  every row checked against the contract in SQL (types, required values, ranges, the date
  matching the file's day, duplicate deal ids within the load and against other days, and
  references to raw.dealers, raw.vehicles and raw.customers), then one transaction that
  replaces the days and writes raw.load_log. Its upstream feeds are loaded first, untimed.
- pandas_to_sql_duckdb: `pandas.read_csv` per daily file and `DataFrame.to_sql(if_exists=
  "append")` through SQLAlchemy into a DuckDB file (duckdb-engine), in one transaction: what a
  pandas user loading this warehouse would write. No checks. The ≥ 20x target is judged against
  this side, because it loads the same database. Its result sits in `extra_baselines`, beside
  the `sides` (ours, pandas_to_sql, pyarrow_duckdb) that the report's tables are built from.
- pandas_to_sql: the same into SQLite through SQLAlchemy, as first measured. No checks.
- pyarrow_duckdb: `pandas.read_csv(engine="pyarrow")` per file, one concatenated frame
  registered in DuckDB, `INSERT INTO sales SELECT * FROM frame`. No checks.
- engine: the engine's own limit, `CREATE TABLE sales AS SELECT * FROM read_csv([files],
  columns = the contract's types)` in one statement, same limits. No checks, no lineage
  columns, no load log: the floor any DuckDB loader of these files sits on.

Each side starts from an empty target table, in its own process, over the same daily files.
"""

from __future__ import annotations

import datetime as dt
import time
from functools import partial
from pathlib import Path

from bench.harness import best_of, ratio, run_task

SALES_UPSTREAM = ("dealers", "customers", "vehicles")


def _days(days: list[str]) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in days]


def _files(landing: str, days: list[str]) -> list[Path]:
    return [Path(landing) / "sales" / f"{d}.csv" for d in days]


def _connect(path: str, memory_limit: str, threads: int):
    """A DuckDB connection with explicit limits, as WarehouseResource.connect opens it (without
    importing Dagster into a process that times a loader)."""
    import duckdb

    conn = duckdb.connect(path)
    conn.execute(f"set memory_limit = '{memory_limit}'")
    conn.execute(f"set threads = {int(threads)}")
    conn.execute("set enable_progress_bar = false")
    return conn


def prepare(landing: str, warehouse: str, days: list[str], memory_limit: str, threads: int):
    """Harness task (untimed setup): load the feeds the sales checks look up."""
    from landing.ingestion import load_feed

    started = time.perf_counter()
    Path(warehouse).unlink(missing_ok=True)
    with _connect(warehouse, memory_limit, threads) as conn:
        rows = {feed: load_feed(conn, feed, Path(landing), None if feed == "dealers"
                                else _days(days)).rows_loaded for feed in SALES_UPSTREAM}
    return {"rows": rows, "seconds": round(time.perf_counter() - started, 3)}


def ours(landing: str, warehouse: str, days: list[str], memory_limit: str, threads: int):
    """Harness task: load the sales days into a prepared warehouse's empty raw.sales."""
    from landing.ingestion import load_feed

    with _connect(warehouse, memory_limit, threads) as conn:
        conn.execute("delete from raw.sales")
        conn.execute("delete from raw.rejects where feed = 'sales'")
        conn.execute("delete from raw.load_log where feed = 'sales'")
        conn.execute("checkpoint")
        started, cpu = time.perf_counter(), time.process_time()
        report = load_feed(conn, "sales", Path(landing), _days(days))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not report.balanced:
        raise AssertionError(f"rows read {report.rows_read} != loaded + rejected")
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "rows": report.rows_read,
            "rows_loaded": report.rows_loaded, "rows_rejected": report.rows_rejected}


def _read_csv_to_sql(engine, landing: str, days: list[str], sample_rows: int = 0) -> dict:
    """What a pandas user writes: each day's file read, appended, one transaction.

    With ``sample_rows``, it stops after the first files holding that many rows and the time
    for all files is extrapolated at the marginal rate of the sample's second half (the first
    files also pay for creating the table, so that rate does not flatter our side)."""
    import pandas as pd

    from bench.datasets import data_rows

    files = _files(landing, days)
    started, rows, laps = time.perf_counter(), 0, []
    with engine.begin() as conn:
        for path in files:
            frame = pd.read_csv(path)
            frame.to_sql("sales", conn, if_exists="append", index=False)
            rows += len(frame)
            laps.append((rows, time.perf_counter() - started))
            if sample_rows and rows >= sample_rows and len(laps) < len(files):
                break
    seconds = time.perf_counter() - started
    engine.dispose()
    if len(laps) == len(files):
        return {"seconds": round(seconds, 3), "rows": rows}
    total = rows + sum(data_rows(p) for p in files[len(laps):])
    half_rows, half_seconds = next(lap for lap in laps if lap[0] >= rows / 2)
    if half_rows == rows:  # one file held the whole sample: no second half to take a rate from
        half_rows, half_seconds = 0, 0.0
    rate = (seconds - half_seconds) / (rows - half_rows)
    return {"seconds": round(seconds + rate * (total - rows), 3), "rows": total,
            "extrapolated_from_rows": rows, "measured_seconds": round(seconds, 3),
            "files_measured": len(laps)}


def pandas_to_sql(landing: str, days: list[str], database: str):
    """Harness task: pandas.read_csv + DataFrame.to_sql into SQLite via SQLAlchemy."""
    import sqlalchemy

    Path(database).unlink(missing_ok=True)
    return _read_csv_to_sql(sqlalchemy.create_engine(f"sqlite:///{database}"), landing, days)


def pandas_to_sql_duckdb(landing: str, days: list[str], database: str, memory_limit: str,
                         threads: int, sample_rows: int = 0):
    """Harness task: pandas.read_csv + DataFrame.to_sql into DuckDB via SQLAlchemy (about 1.4 s
    a daily file: measured on the first ``sample_rows`` rows and extrapolated, when given)."""
    import sqlalchemy

    Path(database).unlink(missing_ok=True)
    config = {"memory_limit": memory_limit, "threads": int(threads)}
    engine = sqlalchemy.create_engine(f"duckdb:///{database}", connect_args={"config": config})
    return _read_csv_to_sql(engine, landing, days, sample_rows)


def pyarrow_duckdb(landing: str, days: list[str], database: str, memory_limit: str,
                   threads: int):
    """Harness task: read_csv(engine="pyarrow") + register in DuckDB + INSERT ... SELECT."""
    import pandas as pd

    Path(database).unlink(missing_ok=True)
    conn = _connect(database, memory_limit, threads)
    started, cpu = time.perf_counter(), time.process_time()
    frame = pd.concat([pd.read_csv(p, engine="pyarrow") for p in _files(landing, days)],
                      ignore_index=True)
    conn.register("incoming", frame)
    conn.execute("create table sales as select * from incoming limit 0")
    conn.execute("begin transaction")
    conn.execute("insert into sales select * from incoming")
    conn.execute("commit")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = conn.execute("select count(*) from sales").fetchone()[0]
    conn.close()
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "rows": rows}


def engine(landing: str, days: list[str], database: str, memory_limit: str, threads: int):
    """Harness task: DuckDB's CSV reader straight into a table, typed by the contract."""
    from landing.contract import FEEDS

    Path(database).unlink(missing_ok=True)
    conn = _connect(database, memory_limit, threads)
    files = ", ".join(f"'{p}'" for p in _files(landing, days))
    types = ", ".join(f"'{c.name}': '{c.type}'" for c in FEEDS["sales"].columns)
    started, cpu = time.perf_counter(), time.process_time()
    conn.execute(f"create table sales as select * from read_csv([{files}], header = true, "
                 f"columns = {{{types}}})")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = conn.execute("select count(*) from sales").fetchone()[0]
    conn.close()
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "rows": rows}


def run(landing: Path, sizes: dict[int, list[dt.date]], workdir: Path, repeats: int,
        memory_limit: str, threads: int, log=print, pandas_sample_rows: int = 0) -> list[dict]:
    """One row per size: each side's best time and peak memory, and the ratios."""
    out = []
    for target_rows, days in sizes.items():
        day_list = [d.isoformat() for d in days]
        folder = workdir / f"ingestion_{target_rows}"
        folder.mkdir(parents=True, exist_ok=True)
        warehouse = str(folder / "warehouse.duckdb")
        limits = {"memory_limit": memory_limit, "threads": threads}
        setup = run_task("bench.ingestion:prepare", landing=str(landing), warehouse=warehouse,
                         days=day_list, **limits)
        common = {"landing": str(landing), "days": day_list}
        sides = {
            "pandas_to_sql_duckdb": partial(run_task, "bench.ingestion:pandas_to_sql_duckdb",
                                            **common, database=str(folder / "pandas.duckdb"),
                                            sample_rows=pandas_sample_rows, **limits),
            "pandas_to_sql": partial(run_task, "bench.ingestion:pandas_to_sql", **common,
                                     database=str(folder / "pandas.sqlite")),
            "pyarrow_duckdb": partial(run_task, "bench.ingestion:pyarrow_duckdb", **common,
                                      database=str(folder / "pyarrow.duckdb"), **limits),
            "engine": partial(run_task, "bench.ingestion:engine", **common,
                              database=str(folder / "engine.duckdb"), **limits),
            "ours": partial(run_task, "bench.ingestion:ours", **common, warehouse=warehouse,
                            **limits),
        }
        best = best_of(sides, repeats)
        rows = best["ours"]["rows"]
        if any(best[name]["rows"] != rows for name in best):
            raise AssertionError(f"sides loaded different row counts: {best}")
        extra = {"pandas_to_sql_duckdb": best.pop("pandas_to_sql_duckdb"),
                 "engine": best.pop("engine")}
        row = {
            "rows": rows,
            "files": len(days),
            "upstream_rows": setup["rows"],
            "sides": best,
            "extra_baselines": extra,
            "speedup_vs_pandas_to_sql_duckdb": ratio(extra["pandas_to_sql_duckdb"]["seconds"],
                                                     best["ours"]["seconds"]),
            "target_20x_judged_against": "pandas_to_sql_duckdb",
            "speedup_vs_pandas_to_sql": ratio(best["pandas_to_sql"]["seconds"],
                                              best["ours"]["seconds"]),
            "speedup_vs_pyarrow_duckdb": ratio(best["pyarrow_duckdb"]["seconds"],
                                               best["ours"]["seconds"]),
            # ours as a share of the engine's speed: 1.0 would be a validated load for free
            "speed_vs_engine": ratio(extra["engine"]["seconds"], best["ours"]["seconds"]),
            "rows_rejected": best["ours"]["rows_rejected"],
            # The same ratios in CPU seconds of each side's fastest run (all threads): at a
            # load average of 8-12 on 2 cores the wall times swing 2x between rounds.
            "cpu_speedup_vs_pyarrow_duckdb": ratio(best["pyarrow_duckdb"]["cpu_seconds"],
                                                   best["ours"]["cpu_seconds"]),
            "cpu_speed_vs_engine": ratio(extra["engine"]["cpu_seconds"],
                                         best["ours"]["cpu_seconds"]),
        }
        sampled = (" (extrapolated)" if "extrapolated_from_rows" in extra["pandas_to_sql_duckdb"]
                   else "")
        log(f"  {rows:>11,} rows: pandas+to_sql (DuckDB) "
            f"{extra['pandas_to_sql_duckdb']['seconds']:.2f} s{sampled}, pandas+to_sql (SQLite) "
            f"{best['pandas_to_sql']['seconds']:.2f} s, "
            f"pyarrow+duckdb {best['pyarrow_duckdb']['seconds']:.2f} s, engine "
            f"{extra['engine']['seconds']:.2f} s, ours "
            f"{best['ours']['seconds']:.2f} s -> {row['speedup_vs_pandas_to_sql_duckdb']}x / "
            f"{row['speedup_vs_pandas_to_sql']}x / {row['speedup_vs_pyarrow_duckdb']}x / "
            f"{row['speed_vs_engine']}x of the engine (CPU: "
            f"{row['cpu_speedup_vs_pyarrow_duckdb']}x pyarrow, {row['cpu_speed_vs_engine']}x "
            "engine)")
        out.append(row)
    return out
