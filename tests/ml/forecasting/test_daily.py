"""The daily forecast: the split of weekly forecasts into days, the backtest's choice and its
baseline fallback (ml.forecasting.daily, ml.forecasting.daily_profile)."""

import numpy as np
import pandas as pd
import pytest

from ml.forecasting.daily import daily_by_level, evaluate_daily
from ml.forecasting.daily_profile import holiday_factors, split_weekly
from ml.forecasting.daily_publish import forecast_daily, week_gaps

SHAPE = np.array([1.0, 1.0, 1.2, 1.2, 1.6, 2.4, 0.0])  # Monday .. Sunday, closed on Sunday
START = pd.Timestamp("2024-01-01")  # a Monday


def _daily(days: int = 364, seed: int = 0, dealers: int = 3, rate: float = 2.0) -> pd.DataFrame:
    """Total, one region and `dealers` dealers, Poisson around a weekday shape; ends a Sunday."""
    rng = np.random.default_rng(seed)
    ds = pd.date_range(START, periods=days, freq="D")
    frames = []
    for d in range(dealers):
        y = rng.poisson(rate * SHAPE[ds.dayofweek])
        frames.append(pd.DataFrame({"unique_id": f"dealer=D{d}", "ds": ds, "y": y,
                                    "level": "dealer", "parent_id": "region=West"}))
    dealers_frame = pd.concat(frames)
    sums = dealers_frame.groupby("ds")["y"].sum().reset_index()
    region = sums.assign(unique_id="region=West", level="region", parent_id="total")
    total = sums.assign(unique_id="total", level="total", parent_id=None)
    return pd.concat([total, region, dealers_frame], ignore_index=True)


def _weekly_truth(daily: pd.DataFrame, scale: float = 1.0):
    """A weekly forecaster that knows each week's true sum (times `scale`)."""
    weeks = daily.assign(week_start=daily["ds"] - pd.to_timedelta(daily["ds"].dt.dayofweek, "D"))
    truth = weeks.groupby(["unique_id", "week_start"])["y"].sum().reset_index(name="yhat")
    truth["yhat"] *= scale
    return lambda origin: truth[truth["week_start"] > origin]


NO_HOLIDAYS = pd.DataFrame({"ds": pd.to_datetime([]), "holiday_name": [], "is_closed": []})


def test_full_weeks_of_the_split_sum_to_the_weekly_forecast():
    days = pd.date_range("2024-03-04", periods=14, freq="D")  # two Monday-to-Sunday weeks
    profiles = np.array([SHAPE / SHAPE.sum(), np.full(7, 1 / 7)])
    weekly = np.repeat([[70.0] * 7 + [35.0] * 7], 2, axis=0)
    daily = split_weekly(weekly, profiles, days)
    assert daily[:, :7].sum(axis=1) == pytest.approx([70.0, 70.0])
    assert daily[:, 7:].sum(axis=1) == pytest.approx([35.0, 35.0])
    assert daily[0, 6] == 0.0  # the closed Sunday gets nothing
    assert daily[0, 5] == pytest.approx(70 * 2.4 / SHAPE.sum())


def test_a_holiday_moves_its_share_to_the_other_days_of_the_week():
    days = pd.date_range("2024-03-04", periods=7, freq="D")
    profiles = np.array([np.full(7, 1 / 7)])
    factor = np.array([1, 1, 0.0, 1, 1, 1, 1])  # a closure on Wednesday
    daily = split_weekly(np.full((1, 7), 60.0), profiles, days, factor)
    assert daily[0, 2] == 0.0
    assert daily.sum() == pytest.approx(60.0)
    assert daily[0, 0] == pytest.approx(10.0)


def test_a_horizon_starting_mid_week_gets_the_remaining_days_share():
    days = pd.date_range("2024-03-07", periods=4, freq="D")  # Thursday .. Sunday
    profiles = np.array([np.full(7, 1 / 7)])
    daily = split_weekly(np.full((1, 4), 70.0), profiles, days)
    assert daily.sum() == pytest.approx(40.0)


def test_a_closed_holiday_without_sales_gets_a_factor_near_zero():
    ds = pd.date_range(START, periods=364, freq="D")
    total = pd.Series(10.0, index=ds)
    closed = [pd.Timestamp("2024-07-04"), pd.Timestamp("2024-11-28")]
    total[closed] = 0.0
    holidays = pd.DataFrame({"ds": closed + [pd.Timestamp("2024-09-02")],
                             "holiday_name": ["Independence Day", "Thanksgiving", "Labor Day"],
                             "is_closed": [True, True, False]})
    total[pd.Timestamp("2024-09-02")] = 15.0
    factors = holiday_factors(total, holidays)
    assert factors["Thanksgiving"] == 0.0
    assert factors["Labor Day"] == pytest.approx((15 + 10) / (10 + 10))


def test_published_forecast_reconciles_to_the_weekly_forecast():
    daily = _daily()
    weekly = pd.DataFrame({"unique_id": ["total", "total"], "yhat": [100.0, 50.0],
                           "week_start": pd.to_datetime(["2024-12-30", "2025-01-06"])})
    out = forecast_daily(daily, NO_HOLIDAYS, weekly, chosen={"total": "daily_profile"})
    gaps = week_gaps(out, weekly)
    assert len(gaps) == 2
    assert gaps["gap"].abs().max() < 1e-9
    total = out[out["unique_id"] == "total"]
    assert total["reconciled"].all()
    assert (total["yhat_lower"] <= total["yhat"]).all()
    assert (total["yhat_upper_95"] >= total["yhat_upper"]).all()
    # the dealers have no weekly forecast here: their level is their own daily rate
    assert set(out.loc[out["unique_id"] != "total", "level_source"]) == {"daily_ses"}


def test_the_daily_model_beats_seasonal_naive_when_the_weekly_level_is_right():
    daily = _daily()
    evaluation = evaluate_daily(daily, NO_HOLIDAYS, _weekly_truth(daily))
    table = daily_by_level(evaluation.scores).set_index("level")
    assert table.loc["total", "chosen_method"] in ("weekly_split", "daily_profile")
    assert table["published_beats_seasonal_naive"].all()
    assert (table["mase_published"] <= table["mase_seasonal_naive_7"]).all()


def test_a_series_where_the_baseline_wins_publishes_the_baseline():
    # an exact weekly cycle: seasonal naive is perfect, while the weekly forecast is twice the
    # truth, so both weekly-based methods are far off
    ds = pd.date_range(START, periods=182, freq="D")
    daily = pd.DataFrame({"unique_id": "total", "ds": ds, "y": 3 * SHAPE[ds.dayofweek],
                          "level": "total", "parent_id": None})
    evaluation = evaluate_daily(daily, NO_HOLIDAYS, _weekly_truth(daily, scale=2.0))
    assert evaluation.chosen == {"total": "seasonal_naive_7"}
    table = daily_by_level(evaluation.scores)
    assert table.loc[0, "mase_published"] == table.loc[0, "mase_seasonal_naive_7"]
    weekly = _weekly_truth(daily, 2.0)(pd.Timestamp("2024-06-01"))
    out = forecast_daily(daily, NO_HOLIDAYS, weekly, chosen=evaluation.chosen)
    assert set(out["method"]) == {"seasonal_naive_7"}
    assert not out["reconciled"].any()
    assert out["yhat"].to_numpy()[:7] == pytest.approx(3 * SHAPE)
