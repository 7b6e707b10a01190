"""Calibration knobs of the simulation, in one place so tuning never means hunting through code."""

from __future__ import annotations

# Demand and stock
BASE_DEMAND = 11.0  # shoppers ready to buy at an average rooftop on an average day
CAPTURE = 0.65  # rough share of them a rooftop converts at planned stock; sizes the opening stock
DAYS_SUPPLY = (45.0, 65.0)  # range of rooftops' stock targets, in days of recent sales
ORDER_SMOOTHING = 0.3  # share of a stock gap a buyer closes per auction day
MODEL_LOYALTY = 0.7  # shoppers set on a model; the rest take any unit of the body style
OUTSIDE_OPTION = 0.5  # competitors' pull, relative to a rooftop's planned stock of a model
MIN_OUTSIDE = 0.3  # ... with a floor, so one unit of a rare model does not take all its demand
PRICE_ELASTICITY = 9.0  # log drop of a unit's pull per unit of price-to-market above 1
FRESH_DAYS, FRESH_BONUS = 14, 1.3  # new arrivals top the online listings for two weeks
TRADE_IN_RATE = (0.45, 0.15)  # deals with a trade-in: retail, fleet

# Pricing
LIST_MARKUP = (1.035, 0.99)  # first list price over market value: used, new
AGGRESSIVE_DISCOUNT = 0.05  # the aggressive arm lists this much lower
MARKET_TARGET = 1.02  # price-to-market a market adjustment aims for (standard arm)
PRICE_FLOOR = 0.80  # markdowns stop at this price-to-market

# Customers and service
FLEET_SHARE = 0.07  # deals with a fleet account
REPEAT_SHARE = 0.12  # retail deals with someone who bought from the rooftop before
NEW_FLEET_ACCOUNT = 0.12  # fleet deals that open a new account
MIN_REPEAT_GAP = 90  # days before a retail buyer can buy again
WALK_IN_RATE = 0.35  # service-only customers a day at an average rooftop

# Market
LISTINGS_BASE, LISTINGS_PER_DEALER = 600, 300  # competitor listings per region
LISTING_DAYS = 40.0  # typical days a fairly priced competitor listing stays up
