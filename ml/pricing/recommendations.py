"""Price-to-market for every unit in stock, and the price an age-based policy would ask."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

UNIT_COLUMNS = [
    "stock_number",
    "dealer_id",
    "region",
    "make",
    "model",
    "model_year",
    "days_in_stock",
    "list_price",
    "total_cost",
]


@dataclass(frozen=True)
class PricingPolicy:
    """How far under market a unit is priced as it ages (a vAuto-style price-to-market ladder).

    Attributes:
        bands: (last day of the band, price-to-market) pairs in day order; the last band's
            day is None (open-ended). Default: 0-30 days at 1.00 of market, 31-45 at 0.98,
            46-60 at 0.95, over 60 at 0.92.
        hold_tolerance: keep the current price when the policy price is within this share of
            it (and not under the floor), so prices do not churn by a few dollars. Default 0.01.
        round_to: round policy prices to this many currency units (0 = no rounding). Default 100.
        comp_year_band: competitors' listings within this many model years are comparable.
    """

    bands: tuple[tuple[int | None, float], ...] = ((30, 1.00), (45, 0.98), (60, 0.95), (None, 0.92))
    hold_tolerance: float = 0.01
    round_to: float = 100.0
    comp_year_band: int = 1

    def __post_init__(self) -> None:
        ends = [end for end, _ in self.bands[:-1]]
        if (
            not self.bands
            or self.bands[-1][0] is not None
            or None in ends
            or ends != sorted(set(ends))
        ):
            raise ValueError(
                f"PricingPolicy.bands must be increasing day limits ending in an open band "
                f"(None), e.g. ((30, 1.0), (60, 0.95), (None, 0.9)); got {self.bands!r}."
            )
        if any(ratio <= 0 for _, ratio in self.bands):
            raise ValueError(f"PricingPolicy.bands ratios must be positive, got {self.bands!r}.")

    @property
    def labels(self) -> list[str]:
        """Age-bucket names: '0-30', '31-45', '46-60', '60+' for the default bands."""
        labels, start = [], 0
        for end, _ in self.bands[:-1]:
            labels.append(f"{start}-{end}")
            start = end + 1
        return [*labels, f"{start - 1}+" if labels else "0+"]

    def age_bucket(self, days_in_stock: pd.Series) -> pd.Series:
        """The band each age falls in; a missing age counts as a fresh unit."""
        edges = [-np.inf, *[end for end, _ in self.bands[:-1]], np.inf]
        days = pd.to_numeric(days_in_stock, errors="coerce").fillna(0)
        return pd.cut(days, bins=edges, labels=self.labels, right=True)

    def ratio(self, days_in_stock: pd.Series) -> pd.Series:
        """Target price-to-market for each age."""
        mapping = dict(zip(self.labels, (r for _, r in self.bands), strict=True))
        return self.age_bucket(days_in_stock).astype(str).map(mapping).astype(float)


def _market_values(units: pd.DataFrame, market_value: object) -> np.ndarray:
    """Market values aligned to ``units``: a frame keyed by stock_number, or one per row."""
    if isinstance(market_value, pd.DataFrame):
        keys = [
            k
            for k in ("dealer_id", "stock_number")
            if k in market_value.columns and k in units.columns
        ]
        if "stock_number" not in keys or "market_value" not in market_value.columns:
            raise ValueError(
                "market_value as a DataFrame needs stock_number and market_value columns; "
                f"got {list(market_value.columns)}."
            )
        table = market_value[[*keys, "market_value"]].drop_duplicates(keys)
        return units[keys].merge(table, on=keys, how="left")["market_value"].to_numpy(float)
    values = np.asarray(market_value, dtype=float).reshape(-1)
    if len(values) != len(units):
        raise ValueError(
            f"market_value has {len(values)} values for {len(units)} units; pass one per unit "
            "in the same order, or a DataFrame with stock_number and market_value."
        )
    return values


def _comp_prices(units: pd.DataFrame, comps: pd.DataFrame | None, band: int) -> pd.DataFrame:
    """Median asking price and count of competitors' listings like each unit."""
    empty = pd.DataFrame({"comp_median_price": np.nan, "comp_count": 0}, index=units.index)
    keys = ["region", "make", "model"]
    if comps is None or comps.empty or not set(keys + ["asking_price"]) <= set(comps.columns):
        return empty
    listing = comps[[*keys, "asking_price", *(["model_year"] if "model_year" in comps else [])]]
    listing = listing.astype({k: str for k in keys})
    pairs = units[keys + ["model_year"]].astype({k: str for k in keys}).rename_axis("_row")
    pairs = pairs.reset_index().merge(listing, on=keys, suffixes=("", "_comp"))
    if "model_year_comp" in pairs.columns:
        gap = (pd.to_numeric(pairs["model_year"]) - pd.to_numeric(pairs["model_year_comp"])).abs()
        pairs = pairs.loc[gap <= band]
    pairs = pairs.dropna(subset=["asking_price"])
    stats = pairs.groupby("_row")["asking_price"].agg(comp_median_price="median", comp_count="size")
    found = empty.drop(columns=list(stats.columns)).join(stats)
    return found.fillna({"comp_count": 0}).astype({"comp_count": int})


def price_recommendations(
    units: pd.DataFrame,
    market_value: object,
    comps: pd.DataFrame | None = None,
    policy: PricingPolicy | None = None,
    min_gross: float = 500.0,
) -> pd.DataFrame:
    """Where each unit sits against the market, and the price the age policy recommends.

    Args:
        units: one row per unit in stock with ``UNIT_COLUMNS``.
        market_value: per unit, in ``units`` order (array or Series), or a DataFrame with
            stock_number (and dealer_id) and market_value, e.g. from ``MarketValueModel``.
        comps: competitors' listings: region, make, model, model_year, asking_price. Comps of a
            unit are listings in its region of the same make and model within
            ``policy.comp_year_band`` model years. May be None.
        policy: the age ladder; default :class:`PricingPolicy`.
        min_gross: the least gross a recommended price must leave over total cost.

    The policy price is market value (else the comps median, else the list price, see
    price_basis) x the age band's ratio, rounded; it is raised to total_cost + min_gross when
    below it (floor_applied). When it is within ``hold_tolerance`` of the list price and the
    list price clears the floor, the list price is kept. action is 'markdown' (recommended
    under list), 'raise' (over list) or 'hold'; markdown = list_price - recommended_price.

    Returns ``units`` (fresh index) plus market_value, comp_median_price, comp_count,
    price_to_market, price_to_comps, cost_to_market, age_bucket, target_ratio, price_basis,
    floor_price, floor_applied, recommended_price, markdown, action.
    """
    policy = policy or PricingPolicy()
    missing = [c for c in UNIT_COLUMNS if c not in units.columns]
    if missing:
        raise ValueError(f"units is missing columns {missing}; expected {UNIT_COLUMNS}.")
    # A fresh index: comps are matched back by row, and concatenated stock repeats labels.
    out = units.reset_index(drop=True)
    out["market_value"] = _market_values(out, market_value)
    out = out.join(_comp_prices(out, comps, policy.comp_year_band))
    list_price, cost = out["list_price"].astype(float), out["total_cost"].astype(float)
    mv = out["market_value"].where(out["market_value"] > 0)
    out["price_to_market"] = list_price / mv
    out["price_to_comps"] = list_price / out["comp_median_price"].where(
        out["comp_median_price"] > 0
    )
    out["cost_to_market"] = cost / mv
    out["age_bucket"] = policy.age_bucket(out["days_in_stock"])
    out["target_ratio"] = policy.ratio(out["days_in_stock"])

    reference = mv.fillna(out["comp_median_price"])
    out["price_basis"] = np.select(
        [mv.notna(), reference.notna()], ["market_value", "comps"], default="list_price"
    )
    policy_price = reference * out["target_ratio"]
    if policy.round_to:
        policy_price = (policy_price / policy.round_to).round() * policy.round_to
    policy_price = policy_price.fillna(list_price)
    out["floor_price"] = cost + min_gross
    out["floor_applied"] = policy_price < out["floor_price"]
    candidate = policy_price.where(~out["floor_applied"], out["floor_price"])
    hold = ((candidate - list_price).abs() <= policy.hold_tolerance * list_price) & ~(
        list_price < out["floor_price"]
    )
    out["recommended_price"] = candidate.where(~hold, list_price)
    out["markdown"] = list_price - out["recommended_price"]
    out["action"] = np.select(
        [out["markdown"] > 0, out["markdown"] < 0], ["markdown", "raise"], default="hold"
    )
    return out
