"""Small builders for stocking inputs, so each test states only the numbers it is about."""

from __future__ import annotations

import pandas as pd

AS_OF = pd.Timestamp("2024-07-01")  # a Monday
DEALERS = pd.DataFrame({"dealer_id": ["D01", "D02", "D03"], "region": ["North", "South", "East"]})


def weekly_sales(
    dealer: str, make: str, model: str, counts: list[int], trim: str = "EX", model_year: int = 2021
) -> pd.DataFrame:
    """Sales with ``counts[w]`` units in week w before AS_OF (week 0 = the last seven days)."""
    rows = [
        {
            "dealer_id": dealer,
            "sale_date": AS_OF - pd.Timedelta(days=7 * week + 1 + i % 7),
            "make": make,
            "model": model,
            "trim": trim,
            "model_year": model_year,
            "sale_price": 20_000.0,
        }
        for week, n in enumerate(counts)
        for i in range(n)
    ]
    return pd.DataFrame(
        rows,
        columns=["dealer_id", "sale_date", "make", "model", "trim", "model_year", "sale_price"],
    )


def stock(
    dealer: str,
    make: str,
    model: str,
    units: int,
    days: list[int] | None = None,
    trim: str = "EX",
    model_year: int = 2021,
) -> pd.DataFrame:
    """``units`` units of one model at one dealer, aged ``days`` (default 10 days each)."""
    days = days if days is not None else [10] * units
    return pd.DataFrame(
        {
            "dealer_id": dealer,
            "stock_number": [f"{dealer}-{model}-{i}" for i in range(units)],
            "make": make,
            "model": model,
            "trim": trim,
            "model_year": model_year,
            "days_in_stock": days,
            "list_price": 21_000.0,
            "total_cost": 17_000.0,
        }
    )


def forecast(make: str, model: str, yhat: list[float], start: str = "2024-07-01") -> pd.DataFrame:
    """A weekly group forecast starting at ``start``."""
    ds = pd.date_range(start, periods=len(yhat), freq="7D")
    return pd.DataFrame(
        {
            "make": make,
            "model": model,
            "ds": ds,
            "yhat": yhat,
            "yhat_upper": [y * 1.3 for y in yhat],
        }
    )
