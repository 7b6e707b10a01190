"""The warehouse seam: the same calls give the same tables on DuckDB and on Spark."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from landing.warehouse import engine_from_env, open_warehouse
from landing.warehouse.duck import DuckDBWarehouse
from landing.warehouse.spark import SparkWarehouse
from tests.spark_local import spark  # noqa: F401  (the session fixture)

DOCS = {"table": "Units per day.", "columns": {"day": "The day.", "units": "Units sold."}}
pytestmark = pytest.mark.filterwarnings("ignore:.*pandas >= 3.0.0.*:FutureWarning")


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def warehouse(request, tmp_path):
    if request.param == "duckdb":
        return DuckDBWarehouse(tmp_path / "warehouse.duckdb")
    return SparkWarehouse(tmp_path / "spark-warehouse", spark=request.getfixturevalue("spark"))


def _days(days: list[str], units: list[float], dealer: str = "D1") -> pd.DataFrame:
    return pd.DataFrame(
        {"day": pd.to_datetime(days), "dealer_id": dealer, "units": units}
    )


def test_a_replaced_table_reads_back_whole_and_never_duplicates(warehouse):
    assert not warehouse.table_exists("ml.units")
    frame = _days(["2024-01-01", "2024-01-02"], [1.0, 2.5])
    warehouse.replace_table("ml.units", frame, DOCS)
    warehouse.replace_table("ml.units", frame, DOCS)
    back = warehouse.read_frame("select day, dealer_id, units from ml.units order by day")
    assert warehouse.table_exists("ml.units")
    assert back["units"].tolist() == [1.0, 2.5]
    assert pd.to_datetime(back["day"]).dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-01", "2024-01-02"
    ]
    assert warehouse.read_arrow("ml.units").num_rows == 2


def test_descriptions_are_stored_and_the_undescribed_columns_returned(warehouse):
    missing = warehouse.replace_table("ml.units", _days(["2024-01-01"], [1.0]), DOCS)
    assert missing == ["dealer_id"]
    assert warehouse.comments("ml.units") == {
        "": "Units per day.", "day": "The day.", "dealer_id": "", "units": "Units sold."
    }


def test_replacing_partitions_keeps_the_others_and_reruns_change_nothing(warehouse):
    warehouse.replace_partitions("ops.units", _days(["2024-01-01"], [1.0]), ["day"])
    redelivered = _days(["2024-01-02", "2024-01-02"], [2.0, 3.0])
    warehouse.replace_partitions("ops.units", redelivered, ["day"])
    warehouse.replace_partitions("ops.units", redelivered, ["day"])
    back = warehouse.read_frame("select units from ops.units order by units")
    assert back["units"].tolist() == [1.0, 2.0, 3.0]


def test_an_empty_frame_keeps_its_column_types(warehouse):
    empty = pd.DataFrame({"unique_id": pd.Series([], dtype=object),
                          "mase": pd.Series([], dtype=float)})
    warehouse.replace_table("ml.scores", empty)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        back = warehouse.read_frame("ml.scores")
    assert back.empty and pd.api.types.is_float_dtype(back["mase"])


def test_a_view_reads_its_source_and_carries_its_descriptions(warehouse):
    warehouse.replace_table("ml.units", _days(["2024-01-01", "2024-01-02"], [1.0, 3.0]), DOCS)
    view_docs = {"table": "Busy days.", "columns": {"day": "The day."}}
    missing = warehouse.replace_view(
        "ml.busy_days", "select day, units * 2 as doubled from ml.units where units > 2",
        view_docs,
    )
    assert missing == ["doubled"]
    back = warehouse.read_frame("ml.busy_days")
    assert back["doubled"].tolist() == [6.0] and warehouse.table_exists("ml.busy_days")
    assert warehouse.comments("ml.busy_days") == {"": "Busy days.", "day": "The day.",
                                                  "doubled": ""}
    # Redefined after its source changed (as the segment asset does): the new rows, once.
    warehouse.replace_table("ml.units", _days(["2024-01-03"], [5.0]), DOCS)
    warehouse.replace_view("ml.busy_days", "select day, units * 2 as doubled from ml.units "
                           "where units > 2", view_docs)
    assert warehouse.read_frame("ml.busy_days")["doubled"].tolist() == [10.0]


@pytest.mark.spark
def test_a_second_spark_session_finds_the_tables_already_written(spark, tmp_path):  # noqa: F811
    SparkWarehouse(tmp_path, spark=spark).replace_table("ml.units", _days(["2024-01-01"], [4.0]))
    spark.sql("drop table ml.units")
    assert SparkWarehouse(tmp_path, spark=spark).read_frame("ml.units")["units"].tolist() == [4.0]


def test_the_engine_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("FORECOURT_ENGINE", raising=False)
    assert engine_from_env() == "duckdb"
    assert isinstance(open_warehouse(root=tmp_path), DuckDBWarehouse)
    monkeypatch.setenv("FORECOURT_ENGINE", "spark")
    assert isinstance(open_warehouse(root=tmp_path), SparkWarehouse)
    monkeypatch.setenv("FORECOURT_ENGINE", "postgres")
    with pytest.raises(ValueError, match="FORECOURT_ENGINE='postgres'.*duckdb"):
        engine_from_env()


def test_a_table_name_must_name_its_schema():
    with pytest.raises(ValueError, match="<schema>.<table>"):
        DuckDBWarehouse("unused.duckdb").table_exists("units")


def test_without_java_spark_is_reported_unavailable_with_the_reason(monkeypatch, tmp_path):
    from landing.warehouse.spark import spark_unavailable

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert "Java is absent" in spark_unavailable()


def test_reads_in_a_row_share_one_duckdb_connection_and_refuse_writes(tmp_path):
    warehouse = DuckDBWarehouse(tmp_path / "w.duckdb")
    warehouse.replace_table("ml.units", _days(["2024-01-01"], [1.0]))
    with warehouse.reading() as tables:
        with tables.connect(read_only=True) as first, tables.connect(read_only=True) as second:
            assert first is second
        assert tables.table_exists("ml.units") and not tables.table_exists("ml.other")
        assert tables.read_frame("ml.units")["units"].tolist() == [1.0]
        with pytest.raises(RuntimeError, match="writes need their own connection"):
            tables.replace_table("ml.units", _days(["2024-01-02"], [2.0]))
