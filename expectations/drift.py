"""Drift of a feed's latest load against its own recent past: volume, prices, rejected share.

These are warnings, not gates: a quiet bank holiday or a price campaign is real, yet a person
should look. Each function returns a small DataFrame (one row per day of the latest load, in
its last ``MAX_DAYS`` days) and a flag column; the checks put the flagged rows in front of people.

Volume: robust z-score ``(x - median) / (1.4826 * MAD)`` of the day's rows against the rows
of the same weekday in the trailing eight weeks (scale floored at the square root of the
median, the noise of a count), flagged beyond 4 when the change is also material
(half the norm, 5 rows at least), and always when a due day brought no row at all against a
norm of 5 or more. Prices: see ``price_drift``.
"""

from __future__ import annotations

import math
import statistics
from typing import TYPE_CHECKING

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


def _judge(frame: pd.DataFrame, min_history: int, z_limit: float) -> pd.DataFrame:
    frame["history_days"] = frame["history"].map(len)
    frame["trailing_median"] = frame["history"].map(lambda h: statistics.median(h) if h else None)
    enough = frame["history_days"] >= min_history
    # a day without history has no z (None): an object column that abs() refuses
    z = frame["z"].astype(float)
    frame["flagged"] = enough & (z.abs() > z_limit)
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
            from raw.load_log where feed = ? and partition_date is not null group by 1
        )
        select t.day, t.n as rows, list(h.n order by h.day) filter (where h.n is not null)
               as history
        from per_day t
        left join per_day h on h.day between t.day - {window} and t.day - 1
            and dayofweek(h.day) = dayofweek(t.day)
        where t.day between ? and ?
        group by t.day, t.n order by t.day
        """,
        [feed, days[0], days[-1]],
    ).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    frame["history"] = frame["history"].map(lambda h: [] if _missing(h) else list(h))
    frame["z"] = [
        robust_z(n, h, floor=math.sqrt(max(statistics.median(h), 1.0)) if h else 1.0)
        for n, h in zip(frame["rows"], frame["history"], strict=True)
    ]
    frame = _judge(frame, VOLUME_MIN_HISTORY, VOLUME_Z)
    median, rows = frame["trailing_median"].astype(float), frame["rows"]
    material = (rows - median).abs() > (0.5 * median).clip(lower=VOLUME_MIN_CHANGE)
    empty_due_day = (rows == 0) & (median >= VOLUME_MIN_CHANGE)
    frame["flagged"] = frame["judged"] & ((frame["flagged"] & material) | empty_due_day)
    return frame


def price_drift(conn: duckdb.DuckDBPyConnection, feed: str) -> pd.DataFrame:
    """Median price per day of the latest load vs the prices of the trailing window.

    z = (day median - trailing median) / standard error of a median of that day's size, the
    spread taken from the trailing prices (1.4826 * MAD): a quiet day's median may wander
    further than a busy day's before it counts as a shift.
    """
    import pandas as pd

    column = PRICE_COLUMNS[feed]
    _, days = latest_load_days(conn, feed)
    if not days:
        return pd.DataFrame(columns=["day", "median_price", "trailing_median", "z", "flagged"])
    window, min_history = window_days(feed)
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
        ),
        centre as (
            select day, median(price) as trailing_median, count(distinct past_day) as history_days
            from past_prices group by 1
        ),
        spread as (
            select t.day, median(abs(t.price - c.trailing_median)) as mad
            from past_prices t join centre c using (day) group by 1
        )
        select today.day, today.rows, today.median_price, c.trailing_median,
               coalesce(c.history_days, 0) as history_days, s.mad
        from today left join centre c using (day) left join spread s using (day)
        order by today.day
        """,
        [days],
    ).df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    error = 1.2533 * 1.4826 * frame["mad"] / frame["rows"].clip(lower=1) ** 0.5
    error = error.where(error > 0.01 * frame["trailing_median"], 0.01 * frame["trailing_median"])
    frame["z"] = (frame["median_price"] - frame["trailing_median"]) / error
    frame["shift"] = frame["median_price"] / frame["trailing_median"] - 1
    frame["judged"] = (frame["history_days"] >= min_history) & (frame["rows"] >= PRICE_MIN_ROWS)
    frame["flagged"] = (
        frame["judged"] & (frame["z"].abs() > PRICE_Z) & (frame["shift"].abs() > PRICE_MIN_SHIFT)
    ).fillna(False)
    return frame.drop(columns=["mad"])


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
