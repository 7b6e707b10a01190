"""The day loop: one call to step() moves the dealer group a day on and returns that day's rows.

Only live state is kept (units on the lots, orders in transit, the customer pool, booked
service visits, competitors' live listings); each day's rows are handed out and forgotten.
Per day the work is a few dozen numpy operations over the units in stock.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .acquisition import TRADE_IN, acquire
from .customers import CustomerPool
from .dealers import build_dealers
from .demand import sale_prices, sale_probability
from .market import Market
from .params import BASE_DEMAND, CAPTURE, TRADE_IN_RATE, WALK_IN_RATE
from .people import customer_rows
from .pricing import reprice
from .purchasing import Purchasing
from .rows import price_change_rows, sale_rows, vehicle_rows
from .seasons import build_calendar, outlook
from .service import FIRST_VISIT, NEXT_VISIT, WALK_IN_RETURN, ServiceBook, visit_rows
from .stock import Stock, Units
from .vehicles import Catalogue, MarketIndex, draw, years_since_epoch
from .writer import Columns

ROAD_AGE = 3.0  # trade-ins mirror the market of a few years earlier


class Simulation:
    """A dealer group simulated day by day from a seed."""

    def __init__(
        self, start: dt.date, days: int, n_dealers: int, seed: int, demand_scale: float = 1.0
    ) -> None:
        self.rng = rng = np.random.default_rng(seed)
        self.calendar = build_calendar(start, days)
        self.cat = Catalogue()
        self.dealers = build_dealers(n_dealers, start, rng, self.cat.make_names)
        self.index = MarketIndex(self.cat.trend, rng)
        self.stock = Stock(n_dealers)
        self.customers = CustomerPool(n_dealers)
        self.service = ServiceBook(self.calendar)
        # Scale 1.0 multiplies exactly, so the default output stays byte-identical.
        self.shoppers = BASE_DEMAND * demand_scale * self.dealers.size
        self.walk_in_rate = WALK_IN_RATE * demand_scale
        self.purchasing = Purchasing(
            self.dealers, self.cat, self.shoppers * CAPTURE, self.calendar.next_open_day, rng
        )
        self.planned = self.purchasing.target_days * self.shoppers * CAPTURE
        self.market = Market(self.cat, self.dealers, rng)
        self.deals = 0
        self.visits = 0

    def step(self, i: int) -> dict[str, Columns | None]:
        """Simulate day i (0 = start) and return its rows by feed (None: no rows that day)."""
        rng, cat, dealers = self.rng, self.cat, self.dealers
        date = self.calendar.date(i)
        day = date.isoformat()
        years = years_since_epoch(date)
        index = self.index.advance(years)
        regional = cat.shares(years)
        shares = regional[dealers.region]
        first_customer = self.customers.n
        noise = rng.gamma(20.0, 1 / 20.0, len(dealers))  # a busy or slow day per rooftop
        shoppers = self.shoppers * self.calendar.demand[i] * noise
        out: dict[str, Columns | None] = {}

        intake = self._intake(i, date, index, shares)
        sold, buyers, prices = self._sell(i, index, shares, shoppers)
        out["sales"] = sale_rows(sold, buyers, prices, self.deals + 1, dealers, day)
        self.deals += len(sold)
        trade_ins = self._trade_ins(i, date, years, index, regional, sold, buyers)
        arrived = [u for u in (intake, trade_ins) if u is not None and len(u)]
        out["vehicles"] = (
            vehicle_rows(Units.concat(arrived), cat, dealers, day, rng) if arrived else None
        )

        units = self.stock.units
        rows, old, new, reason = reprice(units, i, units.value(i, index), rng)
        order = np.lexsort((units.seq[rows], units.dealer[rows]))
        out["price_changes"] = price_change_rows(
            units.take(rows[order]), old[order], new[order], reason[order], dealers, day
        )
        out["service_visits"] = self._service(i, day)

        created = np.arange(first_customer, self.customers.n)
        first_price = np.full(len(created), np.nan)  # anchors the income of new buyers
        is_new = buyers >= first_customer
        first_price[buyers[is_new] - first_customer] = prices[is_new]
        out["customers"] = customer_rows(self.customers, created, first_price, dealers, day, rng)

        self.purchasing.record(shoppers, sold.dealer, sold.model)
        if self.calendar.auction_open[i]:
            planned = self.shoppers * CAPTURE * outlook(self.calendar, i)
            self.purchasing.order(i, self.stock.counts(), planned, shares, rng)
        if date.weekday() == 0:
            out["market_listings"] = self.market.snapshot(i, date, index, regional)
        return {feed: rows if rows and _length(rows) else None for feed, rows in out.items()}

    def _intake(self, i: int, date: dt.date, index, shares) -> Units | None:
        """Units landing today: the opening stock on day 0, ordered units afterwards."""
        if i == 0:
            dealer, model, source = self.purchasing.opening_stock(shares, self.rng)
        else:
            landed = self.purchasing.arrivals(i)
            if landed is None:
                return None
            dealer, model, source = landed
        units = acquire(
            dealer,
            model,
            source,
            i,
            date,
            index,
            self.cat,
            self.dealers.experiment,
            self.rng,
            front_line_now=i == 0,
        )
        return self.stock.receive(units)

    def _sell(self, i: int, index, shares, shoppers) -> tuple[Units, np.ndarray, np.ndarray]:
        """Draw today's sales, take the units off the lots, find buyers and agree prices."""
        rng = self.rng
        units = self.stock.units
        value = units.value(i, index)
        chance = sale_probability(units, i, value, shoppers, shares, self.planned, self.cat.body)
        rows = np.flatnonzero(rng.random(len(units)) < chance)
        rows = rows[np.lexsort((units.seq[rows], units.dealer[rows]))]
        price_to_market = units.price[rows] / value[rows]
        sold = self.stock.remove(rows)
        buyers = self.customers.choose_buyers(i, sold.dealer, rng)
        fleet = self.customers.fleet[buyers]
        prices = sale_prices(sold.price, price_to_market, fleet, rng)
        self.customers.record(buyers, i, sold.dealer, sold.codes())
        self.service.book_by_type(buyers, fleet, i, FIRST_VISIT, rng)
        return sold, buyers, prices

    def _trade_ins(self, i, date, years, index, regional, sold, buyers) -> Units:
        """Units traded in on today's deals, taken into stock (those the rooftop keeps)."""
        rng, dealers = self.rng, self.dealers
        fleet = self.customers.fleet[buyers]
        traded = rng.random(len(sold)) < np.where(fleet, TRADE_IN_RATE[1], TRADE_IN_RATE[0])
        at = sold.dealer[traded]
        road = self.cat.shares(years - ROAD_AGE)
        region = dealers.region[at]
        model = draw(np.cumsum(road, axis=1), region, rng)
        # Trade-ins of models retail buyers no longer want go straight to auction (wholesale).
        wanted = np.clip(regional[region, model] / road[region, model], 0.25, 1.0)
        keep = rng.random(len(at)) < wanted
        source = np.full(keep.sum(), TRADE_IN)
        units = acquire(
            at[keep], model[keep], source, i, date, index, self.cat, dealers.experiment, rng
        )
        return self.stock.receive(units)

    def _service(self, i: int, day: str) -> Columns:
        """Today's repair orders: booked returns plus walk-ins (who become customers today)."""
        rng, pool = self.rng, self.customers
        due = self.service.due(i)
        self.service.book_by_type(due, pool.fleet[due], i, NEXT_VISIT, rng)
        is_open = self.calendar.next_open_day[i] == i
        walk_ins = rng.poisson(self.walk_in_rate * self.dealers.size * is_open)
        walkers = pool.create(np.repeat(np.arange(len(self.dealers)), walk_ins), fleet=False)
        self.service.book(walkers, i, WALK_IN_RETURN, rng)
        visitors = np.concatenate([due, walkers])
        visitors = visitors[np.lexsort((visitors, pool.dealer[visitors]))]
        rows = visit_rows(visitors, self.visits + 1, pool, self.dealers, day, rng)
        self.visits += len(visitors)
        return rows

    def in_stock(self) -> int:
        return len(self.stock.units)


def _length(columns: Columns) -> int:
    return next(len(v) for v in columns.values() if not isinstance(v, str))
