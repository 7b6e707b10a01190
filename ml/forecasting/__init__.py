"""Demand forecasting for Forecourt: per-series method choice, parallel Prophet, reconciliation.

Public API:
- `forecast(series, horizon, freq, interval_levels, n_jobs, random_state)`: reconciled
  forecasts with 80% and 95% intervals and the method chosen for each series.
- `backtest(series, horizon, folds, step, ...)` and `accuracy_by_level(scores)`: rolling-origin
  accuracy of our forecasts against seasonal naive and naive.
- `sequential_default_prophet(series, horizon, freq)`: the default-Prophet reference loop.
- `plot_actual_vs_forecast(history, forecast, unique_id)`: history, forecast and bands.

Where each decision is written down:
- `selection`: the per-series method rule (zero / mean / Croston / TSB / seasonal naive /
  Prophet) and its thresholds (`MethodRule`).
- `prophet_batch`: Prophet settings for weekly data, analytic intervals, parallel batching.
- `reconcile`: top-down by forecast proportions in both hierarchies, and why.
- `intervals`: normal bounds from each method's error model, Poisson bounds for counts.
- `data`: how dates, gaps, NaN and negative values are cleaned.
- `synthetic`: generated dealer-network sales for tests and `bench/forecast.py`.
"""

from ml.forecasting.backtest import accuracy_by_level, backtest
from ml.forecasting.pipeline import forecast
from ml.forecasting.plot import plot_actual_vs_forecast
from ml.forecasting.prophet_batch import sequential_default_prophet
from ml.forecasting.selection import MethodRule

__all__ = [
    "MethodRule",
    "accuracy_by_level",
    "backtest",
    "forecast",
    "plot_actual_vs_forecast",
    "sequential_default_prophet",
]
