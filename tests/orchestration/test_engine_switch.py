"""`forecourt demo --engine`: the switch sets the assets' engine and dbt's target together."""

from __future__ import annotations

import os

import pytest

from orchestration.cli.guard import UsageError
from orchestration.cli.main import main, use_engine
from orchestration.cli.parser import build_parser


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    # setenv first, so that monkeypatch records the variable and removes what use_engine sets
    # (a bare delenv of an absent variable records nothing, and the switch leaked into later
    # tests' subprocesses, which then read the Spark manifest folder)
    for name in ("FORECOURT_ENGINE", "FORECOURT_DBT_TARGET"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


def test_spark_sets_the_engine_and_the_dbt_target(monkeypatch):
    monkeypatch.setattr("landing.warehouse.spark.spark_unavailable", lambda: None)
    assert use_engine("spark") == "spark"
    assert os.environ["FORECOURT_ENGINE"] == "spark"
    assert os.environ["FORECOURT_DBT_TARGET"] == "spark"


def test_a_dbt_target_already_chosen_is_kept(monkeypatch):
    monkeypatch.setattr("landing.warehouse.spark.spark_unavailable", lambda: None)
    monkeypatch.setenv("FORECOURT_DBT_TARGET", "spark_thrift")
    use_engine("spark")
    assert os.environ["FORECOURT_DBT_TARGET"] == "spark_thrift"


def test_without_java_the_switch_says_why(monkeypatch):
    monkeypatch.setattr(
        "landing.warehouse.spark.spark_unavailable", lambda: "Java is absent (no java on PATH)"
    )
    with pytest.raises(UsageError, match="--engine spark: Java is absent"):
        use_engine("spark")


def test_no_switch_keeps_duckdb_and_leaves_dbt_alone():
    assert use_engine(None) == "duckdb"
    assert "FORECOURT_DBT_TARGET" not in os.environ


def test_an_unknown_engine_is_a_usage_error(capsys):
    assert main(["demo", "--engine", "oracle"]) == 2
    assert "invalid choice: 'oracle'" in capsys.readouterr().err
    assert build_parser().parse_args(["demo", "--engine", "spark"]).engine == "spark"


@pytest.mark.parametrize(
    ("engine", "dbt_target_variable", "target", "folder"),
    [
        (None, None, "duckdb", "target"),
        ("spark", None, "spark", "target-spark"),
        ("spark", "databricks", "databricks", "target-databricks"),
        ("duckdb", "spark", "spark", "target-spark"),
    ],
)
def test_each_dbt_target_has_its_own_manifest_folder(
    monkeypatch, engine, dbt_target_variable, target, folder
):
    """The manifest differs per target (tests enabled on one adapter only): a DuckDB home must
    never load the manifest a Spark home parsed into the shared project folder."""
    from orchestration.project import dbt_target, target_dir

    if engine:
        monkeypatch.setenv("FORECOURT_ENGINE", engine)
    if dbt_target_variable:
        monkeypatch.setenv("FORECOURT_DBT_TARGET", dbt_target_variable)
    assert (dbt_target(), str(target_dir())) == (target, folder)
