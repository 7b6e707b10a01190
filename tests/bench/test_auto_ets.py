"""The AutoETS reference runs in a side environment; without one it is skipped with a reason."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from bench.auto_ets import PYTHON_VARIABLE, auto_ets


def _weekly(series: int = 2, weeks: int = 60) -> pd.DataFrame:
    ds = pd.date_range("2024-01-01", periods=weeks, freq="W-MON")
    return pd.concat(
        pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": [(w % 7) + i for w in range(weeks)]})
        for i in range(series)
    )


def test_a_missing_side_environment_is_a_reason_not_a_crash(monkeypatch, tmp_path):
    monkeypatch.setenv(PYTHON_VARIABLE, str(tmp_path / "no-such-python"))
    result, reason = auto_ets(_weekly(), horizon=4)
    assert result is None and "does not exist" in reason


def test_a_side_environment_without_statsforecast_reports_the_failure(monkeypatch):
    try:
        import statsforecast  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("statsforecast is importable here: the failure path cannot be shown")
    monkeypatch.setenv(PYTHON_VARIABLE, sys.executable)  # the project's Python: no statsforecast
    result, reason = auto_ets(_weekly(), horizon=4)
    assert result is None and "AutoETS failed" in reason and "statsforecast" in reason
