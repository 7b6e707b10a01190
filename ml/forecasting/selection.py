"""The history rule: a method for each series from its own history alone.

The backtest's choice (`choice`) decides the method of every series it has evidence for; this
rule covers the rest (series newer than the oldest backtest origin, a forecast made without a
backtest) and the folds that have no earlier fold to choose on.

The rule, applied in this order to each series' cleaned history (its span from first to last
observation, gaps as zeros; `n` periods, `season` = 52 for weekly and 7 for daily grain):

1. `zero`: nothing was ever sold (this includes series with no observation at all).
2. `mean`: the series is constant, or shorter than `min_intermittent` periods; the
   forecast is the mean of the last `short_window` periods (all of them if fewer).
3. `croston` / `tsb`: intermittent demand, i.e. the average interval between demands
   (ADI = n / periods with demand) is at least 1.32, the Syntetos-Boylan cut-off (about a quarter
   of the periods without sales). TSB when the series' trailing run of zeros is longer than two
   average intervals, a sign of obsolescence (a trim being phased out) that Croston cannot see
   because it only updates when demand occurs; Croston otherwise.
4. `mean` again: shorter than one season (e.g. a model introduced this year), so there is no
   seasonal history to copy and too little to fit a seasonal model.
5. `prophet`: at least `min_prophet_history` periods (one season plus a quarter, so the yearly
   Fourier terms see more than one cycle) and a mean of at least `min_prophet_mean` units.
6. `seasonal_naive`: everything else (a season of history, but not enough signal for Prophet).

`series_features` returns the numbers the rule reads, so a reader can see why a series went
where it did.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecasting.data import Panel

METHODS = ("zero", "mean", "croston", "tsb", "seasonal_naive", "prophet")


@dataclass(frozen=True)
class MethodRule:
    """Thresholds of the method rule (see the module docstring); `None` means 'by frequency'."""

    intermittent_adi: float = 1.32
    obsolescence_intervals: float = 2.0
    min_intermittent: int = 6
    min_prophet_history: int | None = None
    min_prophet_mean: float = 1.0
    short_window: int | None = None

    def prophet_history(self, season: int) -> int:
        """Shortest history Prophet is trusted with."""
        return self.min_prophet_history or season + max(season // 4, 14)

    def window(self, season: int) -> int:
        """Window of the `mean` method: two months of weeks, two weeks of days."""
        return self.short_window or (8 if season >= 52 else 14)


def series_features(panel: Panel) -> pd.DataFrame:
    """Per series: n, mean, share of zero periods, ADI, trailing zeros, whether constant."""
    values = panel.values
    n = panel.lengths
    seen = ~np.isnan(values)
    positive = np.nan_to_num(values) > 0
    n_positive = positive.sum(axis=1)
    total = np.nansum(values, axis=1)
    mean = np.divide(total, n, out=np.zeros(len(n)), where=n > 0)
    # Histories are right-aligned, so the first demand seen from the right ends the zero run.
    trailing = np.where(n_positive > 0, np.argmax(positive[:, ::-1], axis=1), n)
    spread = np.nanmax(np.where(seen, values, -np.inf), axis=1) - np.nanmin(
        np.where(seen, values, np.inf), axis=1
    )
    return pd.DataFrame(
        {
            "unique_id": panel.ids,
            "n": n,
            "mean": mean,
            "zero_share": np.divide(n - n_positive, n, out=np.zeros(len(n)), where=n > 0),
            "adi": np.divide(n, n_positive, out=np.full(len(n), np.inf), where=n_positive > 0),
            "trailing_zeros": trailing,
            "constant": (n > 0) & (spread <= 0),
        }
    )


def choose_methods(panel: Panel, rule: MethodRule | None = None) -> np.ndarray:
    """The method of each series in `panel`, by the rule in the module docstring."""
    rule = rule or MethodRule()
    season = panel.calendar.season_length
    f = series_features(panel)
    n, adi = f["n"].to_numpy(), f["adi"].to_numpy()
    conditions = [
        f["mean"].to_numpy() <= 0,
        f["constant"].to_numpy() | (n < rule.min_intermittent),
        adi >= rule.intermittent_adi,
        n < season,
        (n >= rule.prophet_history(season)) & (f["mean"].to_numpy() >= rule.min_prophet_mean),
    ]
    obsolescent = f["trailing_zeros"].to_numpy() > rule.obsolescence_intervals * adi
    choices = ["zero", "mean", np.where(obsolescent, "tsb", "croston"), "mean", "prophet"]
    return np.select(conditions, choices, default="seasonal_naive").astype(object)
