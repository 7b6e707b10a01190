"""Simple vectorised forecasting methods: the fallbacks of the method rule and the yardsticks.

Every function takes `values`, a (series, time) array right-aligned on each series' last
observation and NaN-padded on the left (see `data.Panel`), and handles all series at once.
Flat methods (window mean, Croston, TSB) return one level per series. The naive methods also
take `steps`, the (series, horizon) periods from each series' last observation to each target,
because a series that stopped before the panel's end is forecast further ahead.

Spread functions return the standard deviation of the forecast error per (series, step), from
in-sample residuals of the same method; they are NaN where the history is too short to tell.
"""

from __future__ import annotations

import numpy as np


def _nanmean(a: np.ndarray, axis: int = 1) -> np.ndarray:
    count = np.sum(~np.isnan(a), axis=axis)
    total = np.nansum(a, axis=axis)
    return np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0)


def _rms(a: np.ndarray) -> np.ndarray:
    return np.sqrt(_nanmean(a * a))


def naive(values: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Repeat each series' last observation (0 for a series with none)."""
    last = np.nan_to_num(values[:, -1], nan=0.0)
    return np.broadcast_to(last[:, None], steps.shape).copy()


def seasonal_naive(values: np.ndarray, steps: np.ndarray, season: int) -> np.ndarray:
    """Repeat the value one season (or whole seasons) before each target, as in FPP3.

    Series with less than one season of history fall back to `naive`.
    """
    width = values.shape[1]
    idx = (width - 1) + steps - season * np.ceil(steps / season).astype(int)
    rows = np.arange(values.shape[0])[:, None]
    picked = np.where(idx >= 0, values[rows, np.clip(idx, 0, None)], np.nan)
    return np.where(np.isnan(picked), naive(values, steps), picked)


def window_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of each series' last `window` observations (fewer if the series is shorter)."""
    return np.nan_to_num(_nanmean(values[:, -window:]), nan=0.0)


def croston(values: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """Croston's method: smoothed demand size over smoothed interval between demands.

    Sizes and intervals are updated only in periods with demand, both with `alpha`, each
    initialised with its first value; the first interval counts from the series' start.
    """
    size = np.full(values.shape[0], np.nan)
    interval = np.full(values.shape[0], np.nan)
    since = np.zeros(values.shape[0])
    for column in values.T:
        seen = ~np.isnan(column)
        since += seen
        hit = seen & (np.nan_to_num(column) > 0)
        first = hit & np.isnan(size)
        later = hit & ~first
        size[first], interval[first] = column[first], since[first]
        size[later] += alpha * (column[later] - size[later])
        interval[later] += alpha * (since[later] - interval[later])
        since[hit] = 0
    return np.where(np.isnan(size), 0.0, size / np.where(np.isnan(interval), 1.0, interval))


def tsb(values: np.ndarray, alpha: float = 0.1, beta: float = 0.1) -> np.ndarray:
    """Teunter-Syntetos-Babai: smoothed demand probability times smoothed demand size.

    The probability is updated every period with `beta` (so it decays through long runs of
    zeros, which is what lets TSB follow an obsolescent trim down), the size only in periods
    with demand with `alpha`. Initial values: the share of periods with demand and the mean
    non-zero size over the whole history.
    """
    seen = ~np.isnan(values)
    positive = np.nan_to_num(values) > 0
    n_seen, n_positive = seen.sum(axis=1), positive.sum(axis=1)
    prob = n_positive / np.maximum(n_seen, 1)
    size = np.where(positive, values, 0.0).sum(axis=1) / np.maximum(n_positive, 1)
    for column in values.T:
        obs = ~np.isnan(column)
        hit = obs & (np.nan_to_num(column) > 0)
        prob[obs] += beta * (hit[obs] - prob[obs])
        size[hit] += alpha * (column[hit] - size[hit])
    return prob * size


def naive_sd(values: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Random-walk spread: RMS of one-step changes, growing with the square root of the step."""
    return _rms(np.diff(values, axis=1))[:, None] * np.sqrt(steps)


def seasonal_naive_sd(values: np.ndarray, steps: np.ndarray, season: int) -> np.ndarray:
    """Seasonal random-walk spread: RMS of seasonal changes, growing per season ahead."""
    if values.shape[1] <= season:
        return naive_sd(values, steps)
    sd = _rms(values[:, season:] - values[:, :-season])
    sd = np.where(np.isnan(sd), _rms(np.diff(values, axis=1)), sd)
    return sd[:, None] * np.sqrt(np.ceil(steps / season))


def window_sd(values: np.ndarray, steps: np.ndarray, window: int) -> np.ndarray:
    """Spread of a window mean forecast: the window's deviation, inflated for the mean's error."""
    recent = values[:, -window:]
    count = np.sum(~np.isnan(recent), axis=1)
    centred = recent - _nanmean(recent)[:, None]
    sd = np.sqrt(_nanmean(centred * centred) * count / np.maximum(count - 1, 1))
    sd = np.where(count > 1, sd * np.sqrt(1 + 1 / np.maximum(count, 1)), np.nan)
    return np.broadcast_to(sd[:, None], steps.shape).copy()
