"""Service lane: buyers come back every few months with some probability, plus walk-in customers.

Future visits sit in buckets by day, so each day only touches the customers due that day.
"""

from __future__ import annotations

import numpy as np

from .customers import CustomerPool
from .dealers import Dealers
from .seasons import Calendar
from .stock import stock_numbers

SERVICE_TYPES = np.array(["maintenance", "repair", "warranty", "recall", "tires"], dtype=object)
_TYPE_CDF = np.cumsum([0.55, 0.20, 0.10, 0.05, 0.10])
_MEDIAN = np.array([140.0, 620.0, 450.0, 90.0, 760.0])  # dollars per repair order, by type
_SPREAD = np.array([0.45, 0.80, 0.70, 0.50, 0.25])
# (probability of coming back, mean days until then)
FIRST_VISIT = {"retail": (0.75, 110.0), "fleet": (0.90, 75.0)}
NEXT_VISIT = {"retail": (0.80, 150.0), "fleet": (0.92, 90.0)}
WALK_IN_RETURN = (0.45, 170.0)


class ServiceBook:
    """Visits booked for future days, by day number."""

    def __init__(self, calendar: Calendar) -> None:
        self._due: dict[int, list[np.ndarray]] = {}
        self._next_open = calendar.next_open_day
        self._days = calendar.days

    def book(
        self, customers: np.ndarray, day: int, plan: tuple[float, float], rng: np.random.Generator
    ) -> None:
        """Book each customer's next visit with probability plan[0], plan[1] days away on average
        (rolled to the next open day); visits after the last simulated day are dropped."""
        back = customers[rng.random(len(customers)) < plan[0]]
        gap = np.ceil(rng.gamma(4.0, plan[1] / 4.0, len(back))).astype(np.int64)
        when = day + np.maximum(gap, 7)
        inside = when < self._days
        back = back[inside]
        when = self._next_open[when[inside]]
        for due in np.unique(when).tolist():
            self._due.setdefault(due, []).append(back[when == due])

    def book_by_type(
        self,
        customers: np.ndarray,
        fleet: np.ndarray,
        day: int,
        plans: dict[str, tuple[float, float]],
        rng: np.random.Generator,
    ) -> None:
        """Book retail and fleet customers by their own plans (fleets service more often)."""
        self.book(customers[~fleet], day, plans["retail"], rng)
        self.book(customers[fleet], day, plans["fleet"], rng)

    def due(self, day: int) -> np.ndarray:
        parts = self._due.pop(day, [])
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def visit_rows(
    customers: np.ndarray,
    first_id: int,
    pool: CustomerPool,
    dealers: Dealers,
    day: str,
    rng: np.random.Generator,
) -> dict[str, object]:
    """Rows of the service_visits feed: one repair order per customer visit."""
    n = len(customers)
    kind = np.minimum(np.searchsorted(_TYPE_CDF, rng.random(n) * _TYPE_CDF[-1]), 4)
    amount = np.round(_MEDIAN[kind] * rng.lognormal(0.0, _SPREAD[kind]), 2)
    unit = pool.last_unit[customers]
    numbers = np.array(stock_numbers(np.maximum(unit, 0), dealers.ids), dtype=object)
    return {
        "visit_id": [f"R{first_id + k:08d}" for k in range(n)],
        "visit_date": day,
        "dealer_id": dealers.ids[pool.dealer[customers]],
        "customer_id": [f"C{c + 1:07d}" for c in customers.tolist()],
        "stock_number": np.where(unit >= 0, numbers, None),
        "service_type": SERVICE_TYPES[kind],
        "amount": np.maximum(amount, 9.95),
    }
