"""The pandas + to_sql (DuckDB) side may run on a sample of the files: it then reports the
full row count, how much it measured, and a time extrapolated from the sample."""

from __future__ import annotations

import datetime as dt

from bench import ingestion
from bench.datasets import data_rows
from landing.generator import generate


def test_a_sampled_pandas_side_extrapolates_to_every_file(tmp_path):
    landing = tmp_path / "landing"
    generate(landing, start=dt.date(2024, 1, 1), days=20, dealers=2, seed=3)
    days = [(dt.date(2024, 1, 1) + dt.timedelta(days=i)).isoformat() for i in range(20)]
    total = sum(data_rows(landing / "sales" / f"{d}.csv") for d in days)
    busy = [d for d in days if data_rows(landing / "sales" / f"{d}.csv")]
    first_rows = data_rows(landing / "sales" / f"{busy[0]}.csv")

    whole = ingestion.pandas_to_sql_duckdb(str(landing), days, str(tmp_path / "a.duckdb"),
                                           "1GB", 1)
    sampled = ingestion.pandas_to_sql_duckdb(str(landing), days, str(tmp_path / "b.duckdb"),
                                             "1GB", 1, sample_rows=first_rows + 1)

    assert whole["rows"] == sampled["rows"] == total > 0
    assert "extrapolated_from_rows" not in whole
    assert first_rows < sampled["extrapolated_from_rows"] < total
    assert sampled["files_measured"] < len(days)
    assert sampled["seconds"] > sampled["measured_seconds"] > 0
