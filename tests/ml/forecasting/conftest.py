"""Small generated sales shared by the forecasting tests (kept small: Prophet fits cost time)."""

from __future__ import annotations

import pandas as pd
import pytest

from ml.forecasting import forecast
from ml.forecasting.synthetic import make_hierarchy


@pytest.fixture(scope="session")
def hierarchy() -> pd.DataFrame:
    """About 30 series in the geography and product trees, two years of weeks."""
    return make_hierarchy(n_series=30, weeks=104, random_state=7)


@pytest.fixture(scope="session")
def hierarchy_forecast(hierarchy: pd.DataFrame) -> pd.DataFrame:
    """Our forecast of `hierarchy`, computed once."""
    return forecast(hierarchy, horizon=8, n_jobs=2, random_state=0)


def weekly(uid: str, values, start: str = "2023-01-02", **extra) -> pd.DataFrame:
    """A one-series long frame of weekly values starting on a Monday."""
    ds = pd.date_range(start, periods=len(values), freq="W-MON")
    frame = pd.DataFrame({"unique_id": uid, "ds": ds, "y": list(values), "level": "trim"})
    return frame.assign(parent_id=None, **extra)
