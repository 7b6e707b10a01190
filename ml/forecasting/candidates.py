"""The candidate methods of every series, forecast side by side from one cleaned panel.

`cheap_candidates` runs every vectorised method on all series at once (a few numpy passes over
the time axis, whatever the number of series); Prophet, the one costly candidate, is fitted in
parallel batches by `pipeline` and only for the series `prophet_eligible` admits (enough
history and volume for yearly Fourier terms to mean something). Intermittent methods (Croston,
TSB, ADIDA) are candidates only for intermittent series, where they are defined to help.
"""

from __future__ import annotations

import numpy as np

from ml.forecasting import baselines as bl
from ml.forecasting import smoothing as sm
from ml.forecasting.data import Panel
from ml.forecasting.selection import MethodRule, series_features

# In order of simplicity: ties in the backtest go to the earlier (simpler) method.
CANDIDATES = (
    "zero", "naive", "seasonal_naive", "mean", "ses", "croston", "tsb", "adida", "theta",
    "holt", "prophet",
)
INTERMITTENT = ("croston", "tsb", "adida")
Forecasts = dict[str, tuple[np.ndarray, np.ndarray]]


def cheap_candidates(panel: Panel, horizon: int, rule: MethodRule) -> Forecasts:
    """(yhat, sd) of every vectorised candidate for every series of `panel`."""
    season = panel.calendar.season_length
    window = rule.window(season)
    values, steps = panel.values, panel.steps_ahead(horizon)
    flat = np.ones(steps.shape)
    return {
        "zero": (0 * flat, flat * np.nan),
        "naive": (bl.naive(values, steps), bl.naive_sd(values, steps)),
        "seasonal_naive": (
            bl.seasonal_naive(values, steps, season), bl.seasonal_naive_sd(values, steps, season)
        ),
        "mean": (
            bl.window_mean(values, window)[:, None] * flat, bl.window_sd(values, steps, window)
        ),
        "ses": sm.ses(values, steps),
        "croston": (bl.croston(values)[:, None] * flat, flat * np.nan),
        "tsb": (bl.tsb(values)[:, None] * flat, flat * np.nan),
        "adida": sm.adida(values, steps),
        "theta": sm.theta(values, steps),
        "holt": sm.holt(values, steps),
    }


def prophet_eligible(panel: Panel, rule: MethodRule) -> np.ndarray:
    """Series with the history and volume Prophet is trusted with (see `selection`)."""
    f = series_features(panel)
    season = panel.calendar.season_length
    return (f["n"].to_numpy() >= rule.prophet_history(season)) & (
        f["mean"].to_numpy() >= rule.min_prophet_mean
    )


def allowed(panel: Panel, rule: MethodRule) -> np.ndarray:
    """(series, candidate) mask of the methods each series may be given."""
    f = series_features(panel)
    intermittent = f["adi"].to_numpy() >= rule.intermittent_adi
    sold = f["mean"].to_numpy() > 0
    mask = np.ones((len(panel.ids), len(CANDIDATES)), dtype=bool)
    for j, name in enumerate(CANDIDATES):
        if name in INTERMITTENT:
            mask[:, j] = intermittent
        elif name == "prophet":
            mask[:, j] = prophet_eligible(panel, rule)
        elif name == "zero":
            mask[:, j] = ~sold
    return mask
