"""The knobs of the stocking plan, with the defaults a used-car manager would start from."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist


@dataclass(frozen=True)
class StockingParams:
    """Policy for :func:`ml.stocking.stocking_plan`.

    Attributes:
        lead_time_weeks: weeks from deciding to buy a unit to having it front-line ready
            (auction or trade, transport, reconditioning). Default 2.
        review_period_weeks: weeks between two stocking reviews; stock must cover demand until
            the next review has had its own lead time. Default 1.
        service_level: probability of not running out during lead time + review period; sets
            the safety factor z. Default 0.95 (z = 1.645).
        target_days_supply: days of sales the plan stocks up to when it buys. Default 45.
        cost_to_market_target: the most a buyer should pay, as a share of market value, so the
            unit can be reconditioned, priced to market and still make gross. Default 0.85.
        overstock_days_supply: days supply above which a group is overstocked. Default 90.
        aged_days: a unit is aged once ``days_in_stock`` is strictly greater. Default 60.
        history_weeks: weeks of the dealer's own sales used for its share of the group forecast,
            its weekly variability, and the fallback demand rate. Default 26.
        share_smoothing: pseudo-sales added to every dealer (and stocking group) before taking
            shares of the group forecast, so a rooftop that sold none of a popular model
            recently still gets a small share. Default 0.5.
        min_weekly_demand: weekly demand below this is immaterial: the group gets no buy
            recommendation and cannot be 'critical' or 'low'. Without it the smoothed shares
            would ask every rooftop to stock one of everything. Default 0.1 (a sale every
            ten weeks).
    """

    lead_time_weeks: float = 2.0
    review_period_weeks: float = 1.0
    service_level: float = 0.95
    target_days_supply: float = 45.0
    cost_to_market_target: float = 0.85
    overstock_days_supply: float = 90.0
    aged_days: int = 60
    history_weeks: int = 26
    share_smoothing: float = 0.5
    min_weekly_demand: float = 0.1

    def __post_init__(self) -> None:
        if not 0.0 < self.service_level < 1.0:
            raise ValueError(
                f"StockingParams.service_level must be strictly between 0 and 1, got "
                f"{self.service_level!r}; use e.g. 0.95."
            )
        non_negative = (
            "lead_time_weeks",
            "review_period_weeks",
            "share_smoothing",
            "target_days_supply",
            "min_weekly_demand",
            "cost_to_market_target",
        )
        for name in non_negative:
            value = getattr(self, name)
            if value < 0:
                raise ValueError(f"StockingParams.{name} must be >= 0, got {value!r}.")
        if self.history_weeks < 2:
            raise ValueError(
                f"StockingParams.history_weeks must be >= 2 to measure variability, got "
                f"{self.history_weeks!r}."
            )

    @property
    def z(self) -> float:
        """Safety factor: the standard normal quantile at ``service_level``."""
        return NormalDist().inv_cdf(self.service_level)

    @property
    def cover_weeks(self) -> float:
        """Weeks of demand a buy decision must cover: lead time plus review period."""
        return self.lead_time_weeks + self.review_period_weeks

    @property
    def horizon_weeks(self) -> int:
        """Whole forecast weeks read to cover lead time plus review period (at least one)."""
        return max(1, math.ceil(self.cover_weeks))
