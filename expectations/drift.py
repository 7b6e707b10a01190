"""Drift of a feed's latest load against its own recent past: volume, prices, rejected share.

These are warnings, not gates: a person should look. Each function returns a small DataFrame (one
row per day of the latest load, in its last ``MAX_DAYS`` days) and a flag column; the checks put
the flagged rows in front of people. Checks that cry wolf teach people to ignore them, so the
monitors know the dealer calendar (``landing.calendar``, the generator's own source) and
compare like with like:

- Volume: robust z-score ``(x - median) / (1.4826 * MAD)`` of the day's rows against the rows
  of the same weekday in the trailing eight weeks, leaving out the calendar's special days
  (holidays, closures, sales events, year-end, the catch-up day after a closure): the threshold
  comes from the history's spread, floored at the square root of the median (the noise of a
  count). Flagged beyond 4 when the change is also material (half the norm, 5 rows at least),
  and always when a due day brought no row at all against a norm of 5 or more, on a weekday
  that had not been empty in the window (bar its latest run of empty days).
- Calendar: a special day is judged only in the direction the calendar does not explain: a
  closure or quiet holiday may be low (flagged only if high: a duplicated file), a sales event,
  year-end or catch-up day may be high (flagged only if low or empty), a federal holiday
  dealers may or may not keep (Columbus Day, Veterans Day...) is not judged.
- Sparse feeds: a weekday that brought no row on a quarter or more of its past days (Mint
  Classics' orders come on some days only, the demo's service lanes shut on Sundays) is not
  judged: a lumpy count is no drift, and freshness still watches the files. For an empty day
  the weekday's latest run of empty days does not count as sparse: a feed gone dead still
  fails for weeks.
- Prices: see ``price_drift``; the trailing prices leave out the special days too.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from typing import TYPE_CHECKING

from landing.calendar import calendar_note, expected_direction, special_days
from landing.contract import FEEDS

if TYPE_CHECKING:  # loaded where used: the Definitions import this module
    import duckdb
    import pandas as pd

MAX_DAYS = 90  # the latest load's last days evaluated (a history backfill: its recent end)
VOLUME_Z = 4.0
VOLUME_MIN_CHANGE = 5  # rows: and the count moved by half its norm, or 5 rows, at least
PRICE_Z = 4.0
PRICE_MIN_SHIFT = 0.2  # and the median moved by a fifth at least
PRICE_MIN_ROWS = 3  # a day's median of fewer prices is too noisy to judge
REJECTED_SHARE = 0.05  # of the whole load
REJECTED_SHARE_PER_FILE = 0.20  # of any one day's file

# Column whose median is followed per feed (feeds without a price have no price check).
PRICE_COLUMNS = {
    "sales": "sale_price",
    "vehicles": "list_price",
    "price_changes": "new_price",
    "market_listings": "asking_price",
}


def window_days(feed: str) -> tuple[int, int]:
    """Trailing window in days and the minimum number of past deliveries to judge against.

    Volumes compare a day with the same weekday only (dealers are quiet on Sundays), so eight
    weeks give eight points; prices pool every day of the last four weeks.
    """
    return (56, 4) if FEEDS[feed].cadence == "weekly" else (28, 14)


VOLUME_WEEKS = 8
VOLUME_MIN_HISTORY = 6
VOLUME_MAX_EMPTY_SHARE = 0.25  # of the same weekday's past days: more, and the feed is lumpy


def robust_z(value: float, history: list[float], floor: float) -> float | None:
    if not history:
        return None
    median = statistics.median(history)
    mad = statistics.median(abs(h - median) for h in history)
    return (value - median) / max(1.4826 * mad, floor)


def _missing(value) -> bool:
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and pd.isna(value))


def latest_load_days(conn: duckdb.DuckDBPyConnection, feed: str) -> tuple[str | None, list]:
    """The feed's latest load and its partition days (most recent MAX_DAYS)."""
    row = conn.execute(
        "select arg_max(load_id, loaded_at) from raw.load_log where feed = ?", [feed]
    ).fetchone()
    if not row or row[0] is None:
        return None, []
    days = conn.execute(
        "select distinct partition_date from raw.load_log where load_id = ? and partition_date "
        "> (select max(partition_date) from raw.load_log where load_id = ?) - ?",
        [row[0], row[0], MAX_DAYS],
    ).fetchall()
    return row[0], sorted(d for (d,) in days)


def empty_share(history: list[float], empty_today: bool) -> float:
    """Share of empty days in a weekday's past. For an empty day, its latest run of empty days
    is left out: a feed gone dead (header-only files for weeks) is an outage to flag, not a
    sparse feed; a day with rows after such a run is judged as sparse, a lump."""
    history = list(history)
    while empty_today and history and history[-1] == 0:
        history.pop()
    return sum(n == 0 for n in history) / len(history) if history else 0.0


def explained(day: dt.date, z: float) -> bool:
    """True when the calendar explains a day's deviation (its sign), so it is no drift."""
    direction = expected_direction(day)
    if direction is None or _missing(z):
        return False
    return direction == "either" or (direction == "low") == (z < 0)


def _judge(frame: pd.DataFrame, min_history: int, z_limit: float) -> pd.DataFrame:
    import pandas as pd

    frame["history_days"] = frame["history"].map(len)
    frame["trailing_median"] = pd.to_numeric(
        frame["history"].map(lambda h: statistics.median(h) if h else None), errors="coerce"
    )
    # No history gives no z (NaN, never None): a new home's first days are not judged.
    frame["z"] = pd.to_numeric(frame["z"], errors="coerce")
    enough = frame["history_days"] >= min_history
    frame["flagged"] = enough & (frame["z"].abs() > z_limit).fillna(False)
    frame["judged"] = enough
    return frame.drop(columns=["history"])


def volume_drift(conn: duckdb.DuckDBPyConnection, feed: str) -> pd.DataFrame:
    """Rows delivered per day of the latest load vs the trailing window's deliveries."""
    import pandas as pd

    _, days = latest_load_days(conn, feed)
    if not days:
        return pd.DataFrame(columns=["day", "rows", "trailing_median", "z", "flagged"])
    window = 7 * VOLUME_WEEKS
    frame = conn.execute(
        f"""
        with per_day as (
            select partition_date as day, arg_max(rows_read, loaded_at) as n
            from raw.load_log where feed = ? and partition_date is not null
              and coalesce(status, 'loaded') <> 'skipped'
            group by 1
        )
        select t.day, t.n as rows, list(h.n order by h.day) filter (where h.n is not null)
               as history
        from per_day t
        left join per_day h on h.day between t.day - {window} and t.day - 1
            and dayofweek(h.day) = dayofweek(t.day)
            and h.day not in (select unnest(?::date[]))
        where t.day between ? and ?
        group by t.day, t.n order by t.day
        """,
        [feed, special_days(days[0] - dt.timedelta(days=window), days[-1]), days[0], days[-1]],
    ).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    frame["history"] = frame["history"].map(lambda h: [] if _missing(h) else list(h))
    frame["z"] = [
        robust_z(n, h, floor=math.sqrt(max(statistics.median(h), 1.0)) if h else 1.0)
        for n, h in zip(frame["rows"], frame["history"], strict=True)
    ]
    frame["empty_share"] = [
        empty_share(h, n == 0) for n, h in zip(frame["rows"], frame["history"], strict=True)
    ]
    frame = _judge(frame, VOLUME_MIN_HISTORY, VOLUME_Z)
    frame["judged"] &= frame["empty_share"] < VOLUME_MAX_EMPTY_SHARE
    median, rows = frame["trailing_median"].astype(float), frame["rows"]
    material = (rows - median).abs() > (0.5 * median).clip(lower=VOLUME_MIN_CHANGE)
    empty_due_day = (rows == 0) & (median >= VOLUME_MIN_CHANGE) & (frame["empty_share"] == 0)
    unusual = (frame["flagged"] & material) | empty_due_day
    calendar = [
        explained(d, -1.0 if empty else z)
        for d, z, empty in zip(frame["day"], frame["z"], empty_due_day, strict=True)
    ]
    frame["calendar"] = frame["day"].map(calendar_note)
    frame["flagged"] = (
        frame["judged"] & unusual & ~pd.Series(calendar, index=frame.index, dtype=bool)
    )
    return frame


def not_enough_history(feed: str, kind: str, days: pd.DataFrame) -> str | None:
    """Why none of the latest load's days could be judged, or None if some were.

    A new home (its first week for volumes, its first weeks for prices) has no past to compare
    with: that is no drift and no failure, and the check says so."""
    if not days.empty and bool(days["judged"].any()):
        return None
    if "empty_share" in days and bool((days["empty_share"] >= VOLUME_MAX_EMPTY_SHARE).any()):
        return (
            f"intermittent deliveries: the same weekday brought no row on "
            f"{VOLUME_MAX_EMPTY_SHARE:.0%} or more of its past days (orders on some days only), "
            f"so a single day's count is no sign of drift; freshness still watches the files"
        )
    needed = (
        f"{VOLUME_MIN_HISTORY} earlier deliveries on the same weekday"
        if kind == "volume_drift"
        else f"{window_days(feed)[1]} earlier days with prices and {PRICE_MIN_ROWS} prices a day"
    )
    most = int(days["history_days"].max()) if "history_days" in days and len(days) else 0
    return (
        f"not enough history: a day is judged against {needed}; the latest load's days have "
        f"{most} at most"
    )


def price_drift(conn: duckdb.DuckDBPyConnection, feed: str) -> pd.DataFrame:
    """Median price per day of the latest load vs the prices of the trailing window.

    z = (day median - trailing median) / the error a day's median makes on an ordinary day,
    taken from the history's spread: the larger of the standard error of a median of that
    day's size (from the trailing prices' 1.4826 * MAD) and the spread of the trailing days'
    own medians (1.4826 * MAD, scaled by sqrt(usual rows / day's rows)). Daily medians wander
    more than independent prices would (a truck of pickups, a Sunday of cheap trade-ins), and a
    quiet day's median further than a busy day's. Special days stay out of the trailing window.
    """
    import pandas as pd

    column = PRICE_COLUMNS[feed]
    _, days = latest_load_days(conn, feed)
    if not days:
        return pd.DataFrame(columns=["day", "median_price", "trailing_median", "z", "flagged"])
    window, min_history = window_days(feed)
    special = special_days(days[0] - dt.timedelta(days=window), days[-1])
    price = f'r."{column}"::double'
    frame = conn.execute(
        f"""
        with days as (select unnest(?::date[]) as day),
        today as (
            select r._partition_date as day, count(*) as rows, median({price}) as median_price
            from raw.{feed} r where r._partition_date in (select day from days)
              and {price} is not null
            group by 1
        ),
        past_prices as (
            select d.day, {price} as price, r._partition_date as past_day
            from days d join raw.{feed} r
              on r._partition_date between d.day - {window} and d.day - 1
            where {price} is not null
              and r._partition_date not in (select unnest(?::date[]))
        ),
        centre as (
            select day, median(price) as trailing_median, count(distinct past_day) as history_days
            from past_prices group by 1
        ),
        spread as (
            select t.day, median(abs(t.price - c.trailing_median)) as mad
            from past_prices t join centre c using (day) group by 1
        ),
        past_days as (
            select day, past_day, median(price) as day_median, count(*) as day_rows
            from past_prices group by 1, 2 having count(*) >= {PRICE_MIN_ROWS}
        ),
        past_days_centre as (
            select day, median(day_median) as centre, median(day_rows) as usual_rows
            from past_days group by 1
        ),
        day_spread as (
            select p.day, median(abs(p.day_median - c.centre)) as day_mad,
                   any_value(c.usual_rows) as usual_rows
            from past_days p join past_days_centre c using (day) group by 1
        )
        select today.day, today.rows, today.median_price, c.trailing_median,
               coalesce(c.history_days, 0) as history_days, s.mad, ds.day_mad, ds.usual_rows
        from today left join centre c using (day) left join spread s using (day)
            left join day_spread ds using (day)
        order by today.day
        """,
        [days, special],
    ).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    for name in ("median_price", "trailing_median", "mad", "day_mad", "usual_rows"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce")  # all NULL in a new home
    rows = frame["rows"].clip(lower=1)
    error = pd.concat(
        [
            1.2533 * 1.4826 * frame["mad"] / rows**0.5,
            1.4826 * frame["day_mad"] * (frame["usual_rows"] / rows) ** 0.5,
            0.01 * frame["trailing_median"],
        ],
        axis=1,
    ).max(axis=1, skipna=True)
    frame["z"] = (frame["median_price"] - frame["trailing_median"]) / error
    frame["shift"] = frame["median_price"] / frame["trailing_median"] - 1
    frame["judged"] = (frame["history_days"] >= min_history) & (frame["rows"] >= PRICE_MIN_ROWS)
    frame["flagged"] = (
        frame["judged"] & (frame["z"].abs() > PRICE_Z) & (frame["shift"].abs() > PRICE_MIN_SHIFT)
    ).fillna(False)
    frame["calendar"] = frame["day"].map(calendar_note)
    return frame.drop(columns=["mad", "day_mad", "usual_rows"])


def rejected_share(conn: duckdb.DuckDBPyConnection, feed: str) -> tuple[dict, pd.DataFrame]:
    """Share of rejected rows in the latest load, overall and per file, and the top reasons."""
    load_id, _ = latest_load_days(conn, feed)
    files = conn.execute(
        """
        select partition_date as day, source_file, rows_read, rows_rejected,
               rows_rejected / greatest(rows_read, 1) as share
        from raw.load_log where load_id = ? order by share desc, day
        """,
        [load_id],
    ).df()
    read, rejected = int(files["rows_read"].sum()), int(files["rows_rejected"].sum())
    share = rejected / read if read else 0.0
    files["flagged"] = files["share"] > REJECTED_SHARE_PER_FILE
    reasons = conn.execute(
        """
        select regexp_replace(reason, '[0-9]{4}-[0-9]{2}-[0-9]{2}|line [0-9]+', '…', 'g')
                   as reason, count(*) as n
        from raw.rejects where load_id = ? group by 1 order by 2 desc limit 5
        """,
        [load_id],
    ).fetchall()
    summary = {
        "load_id": load_id,
        "rows_read": read,
        "rows_rejected": rejected,
        "share": share,
        "flagged": share > REJECTED_SHARE or bool(files["flagged"].any()),
        "top_reasons": reasons,
    }
    return summary, files
