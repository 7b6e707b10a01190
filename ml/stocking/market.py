"""Market value and market days supply per region and model, with a national fallback."""

from __future__ import annotations

import numpy as np
import pandas as pd

MARKET_COLUMNS = ["region", "make", "model", "listings", "median_asking_price"]
KEYS = ["make", "model"]


def _numeric(frame: pd.DataFrame, col: str) -> pd.Series:
    """A column as floats; all missing when the frame lacks it (the optional market fields)."""
    if col not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[col], errors="coerce")


def _sold_per_day(market: pd.DataFrame) -> pd.Series:
    """Listings leaving the market per day: reported, else listings / average days on market.

    The fallback is Little's law: in a steady market, supply = exit rate x time on market.
    """
    dom = _numeric(market, "avg_days_on_market")
    rate = _numeric(market, "sold_rate_per_day")
    return rate.where(rate > 0, _numeric(market, "listings") / dom.where(dom > 0))


def market_table(market: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Regional and national market value and market days supply, per make and model.

    Regional: ``market_value`` = the region's median asking price; ``market_days_supply`` =
    listings / listings sold per day. National: the listings-weighted mean of regional
    medians (each region weighs 1 when listings are unknown), and total listings / total sold
    per day. If several weeks are given (a ``week`` or ``snapshot_date`` column), only the
    latest is read.
    """
    regional_cols = ["region", *KEYS, "market_value", "market_days_supply"]
    if market is None or market.empty:
        return pd.DataFrame(columns=regional_cols), pd.DataFrame(columns=regional_cols[1:])
    missing = [c for c in MARKET_COLUMNS if c not in market.columns]
    if missing:
        raise ValueError(f"market is missing columns {missing}; expected {MARKET_COLUMNS}.")
    m = market.copy()
    for col in ("week", "snapshot_date"):
        if col in m.columns:
            m = m.loc[pd.to_datetime(m[col]) == pd.to_datetime(m[col]).max()]
    m["sold_per_day"] = _sold_per_day(m)
    m["listings"] = _numeric(m, "listings")
    m["market_value"] = _numeric(m, "median_asking_price")
    m["market_days_supply"] = m["listings"] / m["sold_per_day"].where(m["sold_per_day"] > 0)
    regional = m.groupby(["region", *KEYS], as_index=False)[
        ["market_value", "market_days_supply"]
    ].mean()

    m["weight"] = m["listings"].where(m["listings"] > 0, 1.0).where(m["market_value"].notna(), 0)
    m["weighted_value"] = m["market_value"].fillna(0.0) * m["weight"]
    ok = m["sold_per_day"].notna() & m["listings"].notna()
    m["supply"], m["exits"] = m["listings"].where(ok, 0.0), m["sold_per_day"].where(ok, 0.0)
    sums = m.groupby(KEYS)[["weighted_value", "weight", "supply", "exits"]].sum()
    national = pd.DataFrame(
        {
            "market_value": sums["weighted_value"] / sums["weight"].where(sums["weight"] > 0),
            "market_days_supply": sums["supply"] / sums["exits"].where(sums["exits"] > 0),
        }
    ).reset_index()
    return regional, national


def attach_market(plan: pd.DataFrame, market: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``market_value`` and ``market_days_supply``: the dealer's region, else national."""
    regional, national = market_table(market)
    # One text dtype on both sides: an all-missing region would otherwise be float and not merge.
    as_text = {c: "string" for c in ("region", *KEYS)}
    out = plan.astype(as_text).merge(regional.astype(as_text), on=["region", *KEYS], how="left")
    national = national.astype({k: "string" for k in KEYS})
    out = out.merge(national, on=KEYS, how="left", suffixes=("", "_national"))
    for col in ("market_value", "market_days_supply"):
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(
            pd.to_numeric(out[f"{col}_national"], errors="coerce")
        )
    return out.drop(columns=["market_value_national", "market_days_supply_national"])
