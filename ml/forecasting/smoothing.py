"""Exponential smoothing, Theta and ADIDA in numpy, vectorised over series (no statsforecast).

Same conventions as `baselines`: `values` is (series, time), right-aligned and NaN-padded on the
left; `steps` is (series, horizon), periods from each series' last observation to each target.
Every method returns `(yhat, sd)` of shape `steps.shape`, with `sd` the standard deviation of
the forecast error from the method's in-sample one-step residuals (NaN if too short to tell).

Parameters are not optimised numerically: each method runs a small grid of smoothing constants
side by side (one extra axis in the arrays) and keeps, per series, the one with the smallest
in-sample one-step squared error. A grid is deterministic, needs no optimiser per series and
costs one pass over the time axis for all series at once.

- `ses`: simple exponential smoothing (ETS(A,N,N)); level initialised with the first value.
- `holt`: damped-trend Holt (ETS(A,Ad,N)), phi = 0.9, trend initialised at 0, so a short or
  noisy history gives a flat forecast rather than an extrapolated slope.
- `theta`: the standard Theta method (Assimakopoulos & Nikolopoulos 2000) in the SES-with-drift
  form of Hyndman & Billah (2003): the SES forecast plus half the slope of a straight line
  fitted to the whole history.
- `adida`: aggregate-disaggregate intermittent demand approach (Nikolopoulos et al. 2011):
  sum the history into non-overlapping buckets of about one average inter-demand interval,
  forecast the buckets with SES and spread the bucket forecast evenly over its periods.
"""

from __future__ import annotations

import numpy as np

ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9])
HOLT_GRID = np.array([(a, b) for a in (0.1, 0.2, 0.4, 0.7) for b in (0.02, 0.1, 0.3)])
PHI = 0.9


def _pick(sse: np.ndarray, *arrays: np.ndarray) -> list[np.ndarray]:
    """Per series, the entry of each (series, grid) array at the grid point with least SSE."""
    best = np.argmin(np.where(np.isnan(sse), np.inf, sse), axis=1)
    rows = np.arange(sse.shape[0])
    return [a[rows, best] for a in arrays]


def _smooth(values: np.ndarray, alphas: np.ndarray) -> tuple[np.ndarray, ...]:
    """SES run for every alpha at once: final level, one-step SSE and residual count."""
    n, grid = values.shape[0], len(alphas)
    level = np.full((n, grid), np.nan)
    sse, count = np.zeros((n, grid)), np.zeros(n)
    for column in values.T:
        seen = ~np.isnan(column)
        start = seen & np.isnan(level[:, 0])
        going = seen & ~start
        level[start] = column[start, None]
        error = column[going, None] - level[going]
        sse[going] += error**2
        count[going] += 1
        level[going] += alphas[None, :] * error
    return level, sse, count


def ses_fit(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per series: final SES level, chosen alpha and the RMS of one-step residuals."""
    level, sse, count = _smooth(values, ALPHAS)
    alpha = np.broadcast_to(ALPHAS, level.shape)
    best_level, best_alpha, best_sse = _pick(sse, level, alpha, sse)
    rmse = np.where(count > 1, np.sqrt(best_sse / np.maximum(count, 1)), np.nan)
    return np.nan_to_num(best_level), best_alpha, rmse


def ses(values: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Simple exponential smoothing: a flat forecast at the smoothed level."""
    level, alpha, rmse = ses_fit(values)
    sd = rmse[:, None] * np.sqrt(1 + (steps - 1) * alpha[:, None] ** 2)
    return np.broadcast_to(level[:, None], steps.shape).copy(), sd


def holt(values: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Damped-trend Holt: level plus a trend that fades by `PHI` per period ahead."""
    n, grid = values.shape[0], len(HOLT_GRID)
    alpha, beta = HOLT_GRID[:, 0][None, :], HOLT_GRID[:, 1][None, :]
    level, trend = np.full((n, grid), np.nan), np.zeros((n, grid))
    sse, count = np.zeros((n, grid)), np.zeros(n)
    for column in values.T:
        seen = ~np.isnan(column)
        start = seen & np.isnan(level[:, 0])
        going = seen & ~start
        level[start] = column[start, None]
        predicted = level[going] + PHI * trend[going]
        error = column[going, None] - predicted
        sse[going] += error**2
        count[going] += 1
        new_level = predicted + alpha * error
        trend[going] = PHI * trend[going] + beta * (new_level - level[going] - PHI * trend[going])
        level[going] = new_level
    best_level, best_trend, best_sse, best_alpha = _pick(
        sse, level, trend, sse, np.broadcast_to(alpha, sse.shape)
    )
    damp = np.cumsum(PHI ** np.arange(1, int(steps.max(initial=1)) + 1))
    yhat = np.nan_to_num(best_level)[:, None] + best_trend[:, None] * damp[steps - 1]
    rmse = np.where(count > 2, np.sqrt(best_sse / np.maximum(count, 1)), np.nan)
    sd = rmse[:, None] * np.sqrt(1 + (steps - 1) * best_alpha[:, None] ** 2)
    return yhat, sd


def theta(values: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Standard Theta: SES level plus half the linear-trend slope, in the SES-with-drift form."""
    level, alpha, rmse = ses_fit(values)
    seen = ~np.isnan(values)
    n = seen.sum(axis=1)
    t = np.cumsum(seen, axis=1).astype(float)
    t_mean = np.divide((t * seen).sum(axis=1), n, out=np.zeros(len(n)), where=n > 0)
    y_mean = _row_mean(values)
    dt = np.where(seen, t - t_mean[:, None], 0.0)
    dy = np.where(seen, values - y_mean[:, None], 0.0)
    var = (dt * dt).sum(axis=1)
    slope = np.divide((dt * dy).sum(axis=1), var, out=np.zeros(len(n)), where=var > 0)
    a = alpha[:, None]
    drift = 0.5 * slope[:, None] * (steps - 1 + 1 / a - (1 - a) ** n[:, None] / a)
    sd = rmse[:, None] * np.sqrt(1 + (steps - 1) * a**2)
    return level[:, None] + drift, sd


def _row_mean(values: np.ndarray) -> np.ndarray:
    count = np.sum(~np.isnan(values), axis=1)
    return np.divide(np.nansum(values, axis=1), count, out=np.zeros(len(count)), where=count > 0)


def adida(values: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ADIDA: SES on buckets of about one inter-demand interval, spread evenly per period."""
    seen = ~np.isnan(values)
    n = seen.sum(axis=1)
    positive = (np.nan_to_num(values) > 0).sum(axis=1)
    adi = np.divide(n, positive, out=np.ones(len(n)), where=positive > 0)
    size = np.clip(np.round(adi), 1, None).astype(int)
    yhat = np.zeros(steps.shape)
    sd = np.full(steps.shape, np.nan)
    # One pass per distinct bucket size: a handful, whatever the number of series.
    for k in np.unique(size):
        rows = np.flatnonzero(size == k)
        width = values.shape[1] // k * k
        tail = values[rows][:, values.shape[1] - width :]
        buckets = tail.reshape(len(rows), -1, k)
        full = (~np.isnan(buckets)).all(axis=2)
        summed = np.where(full, np.nansum(buckets, axis=2), np.nan)
        level, alpha, rmse = ses_fit(summed)
        yhat[rows] = (level / k)[:, None]
        sd[rows] = (rmse / np.sqrt(k))[:, None] * np.ones(steps.shape[1])
    return yhat, sd
