"""Gamma-Poisson customer lifetime value with recency-based survival, fitted without an optimiser.

Why this model: dealer data mixes rare vehicle purchases with frequent service visits, a heavy
tail of fleet buyers, and many one-time buyers. BG/NBD and Pareto/NBD fit that shape but need
a numerical optimiser that is fragile on small or repeat-free data. This model keeps their
structure and estimates every piece in closed form or by a short fixed-point iteration:

1. **Purchase rates** (per stream: vehicle, service). Each customer buys at a Poisson rate
   lambda while alive; rates vary across customers as Gamma(r, alpha) within a group
   (customer_type by default; groups under ``min_group_size`` customers share the pooled
   prior). r and alpha come from the method of moments on repeat events (events after the
   first day) over the months each customer was alive. The customer's rate is the posterior
   mean (r + repeats) / (alpha + months alive): empirical-Bayes shrinkage to the group mean,
   strongest for new customers and for groups whose members all behave alike.
2. **Survival**. Customers leave at an exponential time with rate mu, shared by all. Given the
   total rate lambda, P(alive) = 1 / (1 + mu / (lambda + mu) * (exp((lambda + mu) * recency) - 1))
   (the individual-level Pareto/NBD result): a long silence from a frequent customer means
   they have likely gone. mu is the maximum a posteriori estimate by EM over the latent
   death times, with a weak prior of one pseudo-customer living ``prior_lifetime_months``.
   Rates and mu are iterated together, the expected months alive feeding the rates, since
   using the whole tenure would understate the rate of customers who left and so make
   their silence look normal.
   An event is a customer's day in a stream: lines of one order (several vehicles for a
   fleet, or one row per unit as some exports give) are one purchase, as BG/NBD-type models
   count, so a rate is not inflated by how finely a source itemises an order.
3. **Value per event**: the customer's average amount shrunk to the group's with
   ``spend_shrinkage`` pseudo-events, times the group's gross margin rate (sum of known gross /
   revenue of the same rows; ``default_margins`` when no gross is known at all).
4. **Projection**: expected events in month m = P(alive) * lambda * integral of the survival
   over that month; cash is discounted at month end at the monthly equivalent of the annual
   rate. Undiscounted counts are reported as expected_purchases / expected_service_visits.

Limits: rates are assumed steady (no seasonality, no vehicle replacement cycle), one dropout
rate for everyone, and the rates plug in expected months alive rather than integrating over
them (an approximate EM, not full likelihood).
With no repeat behaviour at all (every customer bought once) the expected future purchases
are zero, which is what the data supports.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd

from ml.customers.ltv_math import (
    DEFAULT_MARGINS,
    POOLED,
    alive_probability,
    dropout_step,
    gamma_prior,
    value_params,
)
from ml.customers.transactions import (
    STREAMS,
    customer_summary,
    customer_totals,
    customers_to_fit,
    prepare_transactions,
)


class GammaPoissonLtv:
    """Predict each customer's revenue and gross over a horizon (see the module docstring)."""

    def __init__(
        self,
        group_col: str | None = "customer_type",
        prior_lifetime_months: float = 60.0,
        spend_shrinkage: float = 3.0,
        min_group_size: int = 20,
        default_margins: dict[str, float] | None = None,
        max_iter: int = 200,
    ) -> None:
        self.group_col = group_col
        self.prior_lifetime_months = prior_lifetime_months
        self.spend_shrinkage = spend_shrinkage
        self.min_group_size = min_group_size
        self.default_margins = default_margins
        self.max_iter = max_iter

    def fit(self, transactions: pd.DataFrame, rfm: pd.DataFrame | None = None,
            as_of: object = None) -> Self:
        """Estimate rates, survival and value per event from history up to ``as_of``."""
        tx = prepare_transactions(transactions)
        if as_of is None and rfm is not None and "as_of_date" in rfm.columns:
            as_of = pd.to_datetime(rfm["as_of_date"], errors="coerce").max()
        if as_of is None or pd.isna(as_of):
            as_of = tx["date"].max() if len(tx) else pd.Timestamp("1970-01-01")
        tx = tx[tx["date"] <= pd.Timestamp(as_of)]
        return self.fit_totals(customer_totals(tx), rfm, as_of)

    def fit_totals(self, totals: pd.DataFrame, rfm: pd.DataFrame | None, as_of: object) -> Self:
        """``fit`` from each customer's totals of the transactions up to ``as_of``
        (``ml.customers.transactions.customer_totals``, or the same columns computed where the
        transactions live): memory grows with the customers, not with their history."""
        return self.fit_customers(customers_to_fit(totals, as_of, rfm, self.group_col), as_of)

    def fit_customers(self, customers: pd.DataFrame, as_of: object) -> Self:
        """``fit`` from ``ml.customers.transactions.customers_to_fit``' frame (every customer
        to fit, with their totals and group, computed here or in the warehouse). The frame's
        ``group`` column is the grouping: ``group_col`` was applied when it was made."""
        self.as_of_ = pd.Timestamp(as_of)
        c = customer_summary(customers, self.as_of_)
        # each group's rows as a mask (positions, not labels: 10M customer ids); groups under
        # min_group_size share the pooled prior
        codes, names = pd.factorize(c["group"], use_na_sentinel=False)
        sizes = np.bincount(codes, minlength=len(names))
        groups: dict[str, np.ndarray] = {}  # in order of first appearance
        for i, name in enumerate(names):
            group = str(name) if sizes[i] >= self.min_group_size else POOLED
            groups[group] = (groups[group] | (codes == i)) if group in groups else codes == i
        group_of = np.zeros(len(c), dtype=np.int64)  # each customer's prior group, numbered
        for number, mask in enumerate(groups.values()):
            group_of[mask] = number
        margins = {**DEFAULT_MARGINS, **(self.default_margins or {})}
        rows = []
        for stream in STREAMS:
            spend, margin = np.zeros(len(c)), np.zeros(len(c))
            pooled = value_params(c, stream, margins[stream], None)
            columns = [f"{measure}_{stream}" for measure in ("n", "amount", "gross", "gross_base")]
            for group in sorted(groups):
                mask = groups[group]
                part = c.loc[mask, columns]
                p = pooled if group == POOLED else value_params(part, stream, margins[stream],
                                                                pooled)
                k = self.spend_shrinkage
                spend[mask] = ((part[f"amount_{stream}"] + k * p["spend"])
                               / (part[f"n_{stream}"] + k)).to_numpy()
                margin[mask] = p["margin"]
                rows.append({"group": group, "stream": stream, **p})
            c[f"spend_{stream}"], c[f"margin_{stream}"] = spend, margin
        self.values_ = pd.DataFrame(rows)
        # Rates and dropout read a customer's group, repeats, tenure and recency only, so
        # customers alike in those get the same estimates: the loop runs over each kind of
        # customer once, weighted by how many it stands for (a third of the rows at 10M).
        kinds = pd.DataFrame({"group": group_of, "x_vehicle": c["x_vehicle"].to_numpy(),
                              "x_service": c["x_service"].to_numpy(),
                              "tenure": c["tenure_months"].to_numpy(),
                              "recency": c["recency_months"].to_numpy()})
        kind = kinds.groupby(list(kinds.columns), sort=False, dropna=False).ngroup().to_numpy()
        _, first = np.unique(kind, return_index=True)  # each kind's first customer
        self.kinds_ = len(first)
        rates, alive = self._estimate(
            kinds.iloc[first], {group: mask[first] for group, mask in groups.items()},
            np.bincount(kind, minlength=len(first)),
        )
        for stream in STREAMS:
            c[f"rate_{stream}"] = rates[stream][kind]
        c["p_alive"] = alive[kind]
        self.customers_ = c
        return self

    def _estimate(self, kinds: pd.DataFrame, groups: dict[str, np.ndarray], weights: np.ndarray
                  ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Rates per stream and P(alive) of each kind of customer (``kinds``: x_vehicle,
        x_service, tenure, recency, one row per kind; ``groups``: a mask of each prior group's
        kinds; ``weights``: customers per kind). Sets mu_, iterations_ and priors_."""
        # Rates and dropout are estimated together: a customer who has probably left was
        # exposed for less time than their tenure, so their rate is higher than x / tenure.
        tenure, recency = kinds["tenure"].to_numpy(), kinds["recency"].to_numpy()
        repeats = {stream: kinds[f"x_{stream}"].to_numpy() for stream in STREAMS}
        weights = weights.astype(float)
        exposure, mu = tenure.copy(), 1.0 / self.prior_lifetime_months
        self.iterations_ = 0
        for _ in range(self.max_iter if len(kinds) else 0):
            rates = self._rates(repeats, groups, exposure, weights)
            new_mu, exposure = dropout_step(sum(rates.values()), tenure, recency, mu,
                                            self.prior_lifetime_months, weights)
            self.iterations_ += 1
            converged = abs(new_mu - mu) <= 1e-9 * mu
            mu = new_mu
            if converged:
                break
        rates = self._rates(repeats, groups, exposure, weights)
        self.mu_ = mu
        return rates, alive_probability(sum(rates.values()), recency, mu)

    def _rates(self, repeats: dict[str, np.ndarray], groups: dict[str, np.ndarray],
               exposure: np.ndarray, weights: np.ndarray) -> dict[str, np.ndarray]:
        """Posterior mean rates per stream, each shrunk to its group's prior."""
        rows, rates = [], {}
        for stream in STREAMS:
            x = repeats[stream]
            pooled = gamma_prior(x, exposure, weights)
            rate = np.zeros(len(x))
            for group, mask in groups.items():
                r, alpha = (pooled if group == POOLED
                            else gamma_prior(x[mask], exposure[mask], weights[mask]))
                rate[mask] = (r + x[mask]) / (alpha + exposure[mask])
                rows.append({"group": group, "stream": stream, "r": r, "alpha": alpha,
                             "mean_rate": r / alpha, "customers": int(weights[mask].sum())})
            rates[stream] = rate
        self.priors_ = pd.DataFrame(rows)
        return rates

    def predict(self, horizon_months: int = 24, discount_rate_annual: float = 0.10) -> pd.DataFrame:
        """Expected events and discounted revenue and gross per customer over the horizon."""
        if int(horizon_months) != horizon_months or not 1 <= horizon_months <= 120:
            raise ValueError(f"horizon_months must be a whole number of months from 1 to 120 "
                             f"(12 to 36 is the intended use), got {horizon_months!r}.")
        if not discount_rate_annual > -1:
            raise ValueError(f"discount_rate_annual must be above -1 (0.10 means 10% a year), "
                             f"got {discount_rate_annual!r}.")
        c, mu = self.customers_, self.mu_
        months = np.arange(1, int(horizon_months) + 1)
        alive_months = (np.exp(-mu * (months - 1)) - np.exp(-mu * months)) / mu
        monthly_rate = (1.0 + discount_rate_annual) ** (1.0 / 12.0) - 1.0
        exposure = float(alive_months.sum())
        present_exposure = float((alive_months / (1.0 + monthly_rate) ** months).sum())
        revenue = sum(c[f"rate_{s}"] * c[f"spend_{s}"] for s in STREAMS)
        gross = sum(c[f"rate_{s}"] * c[f"spend_{s}"] * c[f"margin_{s}"] for s in STREAMS)
        out = pd.DataFrame(
            {
                "customer_id": c["customer_id"],
                "ltv_group": c["group"],
                "historical_revenue": sum(c[f"amount_{s}"] for s in STREAMS),
                # null where no transaction of the customer has a known gross
                "historical_gross": sum(c[f"gross_{s}"] for s in STREAMS).where(
                    c["gross_known_events"] > 0),
                "n_purchases": c["n_vehicle"],
                "n_service_visits": c["n_service"],
                "tenure_months": c["tenure_months"],
                "recency_months": c["recency_months"],
                "purchase_rate_month": c["rate_vehicle"],
                "service_rate_month": c["rate_service"],
                "p_alive": c["p_alive"],
                "expected_purchases": c["p_alive"] * c["rate_vehicle"] * exposure,
                "expected_service_visits": c["p_alive"] * c["rate_service"] * exposure,
                "predicted_revenue": c["p_alive"] * revenue * present_exposure,
                "predicted_ltv": c["p_alive"] * gross * present_exposure,
            },
        )
        return out

    def predict_naive(self, horizon_months: int = 24, discount_rate_annual: float = 0.10
                      ) -> pd.DataFrame:
        """The naive baseline: each customer keeps their historical value per month of tenure.

        Tenure is floored at one month; gross uses the fitted margin of each stream; cash is
        discounted as in ``predict``. Columns: customer_id, naive_revenue, naive_ltv.
        """
        c = self.customers_
        months = np.arange(1, int(horizon_months) + 1)
        monthly_rate = (1.0 + discount_rate_annual) ** (1.0 / 12.0) - 1.0
        factor = float((1.0 / (1.0 + monthly_rate) ** months).sum())
        tenure = c["tenure_months"].clip(lower=1.0)
        revenue = sum(c[f"amount_{s}"] for s in STREAMS) / tenure
        gross = sum(c[f"amount_{s}"] * c[f"margin_{s}"] for s in STREAMS) / tenure
        return pd.DataFrame({"customer_id": c["customer_id"], "naive_revenue": revenue * factor,
                             "naive_ltv": gross * factor})
