"""Turn a long table of unit sales into the aligned arrays every forecasting method shares.

Input is long format (`unique_id`, `ds`, `y`, optionally `level` and `parent_id`). Cleaning:
dates are snapped to the start of their period on the `freq` grid; rows of one series that fall
in the same period are summed; negative `y` (returns booked as sales) is clipped to 0; `NaN` in
`y` is a missing value. Inside a series' own span (first to last non-missing observation) a
missing period means nothing sold and becomes 0; outside it nothing is assumed.

`Panel.values` holds each series right-aligned on its own last observation (column -1) and
left-padded with NaN, so vectorised methods read "the last k points" as `values[:, -k:]`.
`lags` says how many periods each series' last observation lies before the panel's end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LEVEL_ORDER = ("total", "region", "dealer", "make", "model", "trim")
REQUIRED_COLUMNS = ("unique_id", "ds", "y")


@dataclass(frozen=True)
class Calendar:
    """What a frequency means for the methods: its grid and its seasonal cycle."""

    freq: str
    season_length: int
    step: pd.Timedelta


def calendar_for(freq: str) -> Calendar:
    """The calendar of a supported frequency: weekly ('W-MON', any anchor) or daily ('D')."""
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except ValueError:
        offset = None
    if isinstance(offset, pd.offsets.Week) and offset.n == 1 and offset.weekday is not None:
        return Calendar(freq=freq, season_length=52, step=pd.Timedelta(days=7))
    if isinstance(offset, pd.offsets.Day) and offset.n == 1:
        return Calendar(freq=freq, season_length=7, step=pd.Timedelta(days=1))
    raise ValueError(
        f"freq={freq!r} is not supported: use an anchored weekly frequency such as 'W-MON' "
        "(weeks starting Monday) or 'D' for daily grain."
    )


@dataclass
class Panel:
    """Cleaned series aligned for vectorised forecasting (see the module docstring)."""

    ids: np.ndarray
    levels: np.ndarray
    parents: np.ndarray
    values: np.ndarray
    lengths: np.ndarray
    lags: np.ndarray
    end: pd.Timestamp
    calendar: Calendar

    def history(self, i: int) -> np.ndarray:
        """The observed values of series `i`, oldest first."""
        n = int(self.lengths[i])
        return self.values[i, self.values.shape[1] - n :] if n else self.values[i, :0]

    def dates(self, i: int) -> pd.DatetimeIndex:
        """The dates of `history(i)`."""
        back = np.arange(int(self.lengths[i]) - 1 + int(self.lags[i]), int(self.lags[i]) - 1, -1)
        return pd.DatetimeIndex(self.end - back * self.calendar.step)

    def future(self, horizon: int) -> pd.DatetimeIndex:
        """The `horizon` periods after the panel's end, shared by all series."""
        first = self.end + self.calendar.step
        return pd.date_range(first, periods=horizon, freq=self.calendar.freq)

    def steps_ahead(self, horizon: int) -> np.ndarray:
        """(series, horizon) periods from each series' own last observation to each target."""
        return self.lags[:, None] + np.arange(1, horizon + 1)[None, :]

    def to_frame(self) -> pd.DataFrame:
        """The cleaned observations in long format (unique_id, level, parent_id, ds, y)."""
        parts = [
            pd.DataFrame(
                {"unique_id": self.ids[i], "level": self.levels[i], "parent_id": self.parents[i],
                 "ds": self.dates(i), "y": self.history(i)}
            )
            for i in range(len(self.ids))
            if self.lengths[i]
        ]
        columns = ["unique_id", "level", "parent_id", "ds", "y"]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _snap(ds: pd.Series, calendar: Calendar) -> pd.Series:
    ds = ds.dt.tz_localize(None) if ds.dt.tz is not None else ds
    ds = ds.dt.normalize().astype("datetime64[ns]")
    offset = pd.tseries.frequencies.to_offset(calendar.freq)
    if isinstance(offset, pd.offsets.Week):
        ds = ds - pd.to_timedelta((ds.dt.day_of_week - offset.weekday) % 7, unit="D")
    return ds


def check_columns(series: pd.DataFrame) -> None:
    """Fail early, saying which columns are missing and what the input should look like."""
    missing = [c for c in REQUIRED_COLUMNS if c not in series.columns]
    if missing:
        raise ValueError(
            f"series is missing column(s) {missing}; got {list(series.columns)}. Pass a long "
            "DataFrame with unique_id, ds (period start) and y (units), plus optional level "
            "and parent_id."
        )


def prepare_panel(
    series: pd.DataFrame, freq: str = "W-MON", end: pd.Timestamp | None = None
) -> Panel:
    """Clean a long sales table into a `Panel`; `end` extends the grid (e.g. a backtest cutoff)."""
    check_columns(series)
    calendar = calendar_for(freq)
    df = pd.DataFrame({"unique_id": series["unique_id"].astype(str)})
    try:
        df["ds"] = _snap(pd.to_datetime(series["ds"]), calendar)
    except (ValueError, TypeError) as err:
        raise ValueError(f"column ds holds values that are not dates: {err}") from err
    df["y"] = pd.to_numeric(series["y"], errors="coerce").clip(lower=0).astype(float)
    df["level"] = series["level"].astype(str) if "level" in series else "series"
    parents = series["parent_id"] if "parent_id" in series else pd.Series(None, index=df.index)
    df["parent_id"] = [p if isinstance(p, str) and p else None for p in parents]

    meta = df.drop_duplicates("unique_id").set_index("unique_id")
    ids = np.array(sorted(meta.index), dtype=object)
    obs = df[df["y"].notna() & np.isfinite(df["y"])]
    obs = obs.groupby(["unique_id", "ds"], sort=True)["y"].sum().reset_index()
    if end is None:
        end = obs["ds"].max() if len(obs) else df["ds"].max()
    if pd.isna(end):
        end = pd.Timestamp("1970-01-05")
    end = _snap(pd.Series([pd.Timestamp(end)]), calendar).iloc[0]
    obs = obs[obs["ds"] <= end]

    start = obs["ds"].min() if len(obs) else end
    grid = pd.date_range(start, end, freq=freq)
    width = max(len(grid), 1)
    values = np.full((len(ids), width), np.nan)
    lengths = np.zeros(len(ids), dtype=int)
    lags = np.zeros(len(ids), dtype=int)
    row_of = {uid: i for i, uid in enumerate(ids)}
    for uid, group in obs.groupby("unique_id", sort=False):
        pos = grid.get_indexer(group["ds"])
        dense = np.zeros(pos.max() - pos.min() + 1)
        dense[pos - pos.min()] = group["y"].to_numpy()
        i = row_of[uid]
        values[i, width - len(dense) :] = dense
        lengths[i], lags[i] = len(dense), width - 1 - pos.max()
    return Panel(
        ids=ids,
        levels=meta.loc[ids, "level"].to_numpy(dtype=object),
        parents=np.array([p if isinstance(p, str) else None for p in meta.loc[ids, "parent_id"]],
                         dtype=object),
        values=values,
        lengths=lengths,
        lags=lags,
        end=end,
        calendar=calendar,
    )
