"""Stocking plan: demand per rooftop and stocking group, safety stock, buys and buying limits."""

from ml.stocking.params import StockingParams
from ml.stocking.plan import PLAN_COLUMNS, aged_units, stocking_plan
from ml.stocking.status import STATUSES, stock_status

__all__ = [
    "PLAN_COLUMNS",
    "STATUSES",
    "StockingParams",
    "aged_units",
    "stock_status",
    "stocking_plan",
]
