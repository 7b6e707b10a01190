"""Demand forecasting for Forecourt: per-series method choice, parallel Prophet, reconciliation.

Public API:
- `forecast(series, horizon, freq, interval_levels, n_jobs, random_state, methods=...)`:
  reconciled forecasts with 80% and 95% intervals, each series by the method `methods` names
  for it (from a backtest) or else by the history rule.
- `evaluate(series, horizon, folds, ...)`: the rolling-origin backtest of every candidate
  method; chooses each series' method and scores that choice honestly (`Evaluation.scores`,
  `Evaluation.chosen`). `backtest(...)` returns the scores only; `accuracy_by_level(scores)`
  summarises them against seasonal naive and naive.
- `sequential_default_prophet(series, horizon, freq)`: the default-Prophet reference loop.
- `plot_actual_vs_forecast(history, forecast, unique_id)`: history, forecast and bands.

Where each decision is written down:
- `choice`: how the backtest chooses each series' method, and why the scores stay honest.
- `candidates`: the candidate methods and which series may have which.
- `smoothing`: SES, damped Holt, Theta and ADIDA, vectorised in numpy.
- `selection`: the history rule (zero / mean / Croston / TSB / seasonal naive / Prophet) for
  series without backtest evidence, and its thresholds (`MethodRule`).
- `prophet_batch`: Prophet settings for weekly data, analytic intervals, parallel batching.
- `reconcile`: top-down by forecast proportions in both hierarchies, and why.
- `intervals`: normal bounds from each method's error model, Poisson bounds for counts.
- `data`: how dates, gaps, NaN and negative values are cleaned.
- `synthetic`: generated dealer-network sales for tests and `bench/forecast.py`.
- `daily`: the daily backtest against seasonal naive lag 7 and the weekly split, and the
  per-level choice; `daily_publish`: the published 14-day forecast with intervals;
  `daily_profile`: day-of-week profiles, holiday factors and the split of weeks into days.
"""

from ml.forecasting.backtest import Evaluation, accuracy_by_level, backtest, evaluate
from ml.forecasting.pipeline import forecast
from ml.forecasting.plot import plot_actual_vs_forecast
from ml.forecasting.prophet_batch import sequential_default_prophet
from ml.forecasting.selection import MethodRule

__all__ = [
    "Evaluation",
    "MethodRule",
    "accuracy_by_level",
    "backtest",
    "evaluate",
    "forecast",
    "plot_actual_vs_forecast",
    "sequential_default_prophet",
]
