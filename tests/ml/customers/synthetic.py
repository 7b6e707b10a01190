"""Small generated customer data sets for the customer analytics tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Centres of planted groups: recency days, vehicle purchases, vehicle revenue, service visits,
# service revenue. Far apart on the log scale the segmenter clusters on.
PLANTED_CENTRES = [
    (10, 8, 300_000, 40, 20_000),  # VIP: recent, frequent, big spenders
    (900, 1, 18_000, 0, 0),  # lapsed one-time buyers
    (40, 2, 60_000, 6, 2_500),  # loyal
    (300, 4, 120_000, 1, 300),  # at risk
    (20, 1, 25_000, 0, 0),  # new buyers
]


def planted_rfm(n_groups: int, per_group: int = 40, seed: int = 0) -> pd.DataFrame:
    """RFM rows drawn around the first ``n_groups`` planted centres, with a ``group`` column."""
    rng = np.random.default_rng(seed)
    frames = []
    for g, (rec, freq, mon, visits, srev) in enumerate(PLANTED_CENTRES[:n_groups]):
        jitter = lambda v: np.expm1(np.log1p(v) + rng.normal(0, 0.08, per_group))  # noqa: E731
        frames.append(
            pd.DataFrame(
                {
                    "group": g,
                    "recency_days": jitter(rec),
                    "frequency": np.full(per_group, freq),
                    "monetary": jitter(mon),
                    "service_visits": np.full(per_group, visits),
                    "service_revenue": jitter(srev),
                    "customer_type": np.where(
                        rng.random(per_group) < 0.2 * (freq > 3), "fleet", "retail"
                    ),
                    "gender": rng.choice(["Female", "Male", None], per_group),
                    "annual_income": rng.normal(80_000, 20_000, per_group),
                }
            )
        )
    rfm = pd.concat(frames, ignore_index=True)
    rfm.insert(0, "customer_id", [f"C{i:04d}" for i in range(len(rfm))])
    return rfm


def regular_history(
    customer_id: str,
    start: str,
    months: int,
    kind: str = "service",
    amount: float = 400.0,
    gross: float | None = 200.0,
) -> pd.DataFrame:
    """One event a month (every 30.44 days) from ``start`` for ``months`` months."""
    dates = pd.Timestamp(start) + pd.to_timedelta(np.arange(months) * 30.4375, unit="D")
    return pd.DataFrame(
        {
            "customer_id": customer_id,
            "date": dates.normalize(),
            "amount": amount,
            "gross": gross,
            "kind": kind,
        }
    )


def simulate_dealer(n_customers: int = 400, months: int = 48, seed: int = 0):
    """Transactions of a dealer whose customers buy and service at Poisson rates until they leave.

    Returns (transactions, rfm) with the rfm computed as of the last day, as dbt would.
    """
    rng = np.random.default_rng(seed)
    end = pd.Timestamp("2024-12-31")
    start = end - pd.Timedelta(days=months * 30.4375)
    rows = []
    for i in range(n_customers):
        fleet = rng.random() < 0.1
        birth = rng.uniform(0, months * 0.8)
        death = birth + rng.exponential(40.0)
        vehicle_rate = rng.gamma(2.0, (0.15 if fleet else 0.01) / 2.0)
        service_rate = rng.gamma(2.0, (0.6 if fleet else 0.25) / 2.0)
        events = [(birth, "vehicle")]
        for kind, rate in (("vehicle", vehicle_rate), ("service", service_rate)):
            n = rng.poisson(rate * (min(death, months) - birth))
            events += [(t, kind) for t in rng.uniform(birth, min(death, months), n)]
        for t, kind in events:
            amount = rng.lognormal(10.4, 0.3) if kind == "vehicle" else rng.lognormal(5.8, 0.5)
            margin = 0.09 if kind == "vehicle" else 0.5
            rows.append(
                (
                    f"C{i:04d}",
                    start + pd.Timedelta(days=t * 30.4375),
                    amount,
                    amount * margin,
                    kind,
                    "fleet" if fleet else "retail",
                )
            )
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "gross", "kind", "type"])
    tx["date"] = tx["date"].dt.normalize()
    tx = tx[tx["date"] <= end].sort_values(["customer_id", "date"]).reset_index(drop=True)
    return tx.drop(columns="type"), rfm_from_transactions(tx, end)


def rfm_from_transactions(tx: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The RFM mart the dbt project computes, rebuilt in pandas for tests."""
    veh, svc = tx[tx["kind"] == "vehicle"], tx[tx["kind"] == "service"]
    g = tx.groupby("customer_id")
    rfm = pd.DataFrame(
        {
            "customer_type": g["type"].first() if "type" in tx else "retail",
            "first_purchase_date": g["date"].min(),
            "last_activity_date": g["date"].max(),
            "frequency": veh.groupby("customer_id").size(),
            "service_visits": svc.groupby("customer_id").size(),
            "monetary": veh.groupby("customer_id")["amount"].sum(),
            "service_revenue": svc.groupby("customer_id")["amount"].sum(),
            "gross_profit": veh.groupby("customer_id")["gross"].sum(),
        }
    ).fillna({"frequency": 0, "service_visits": 0, "monetary": 0.0, "service_revenue": 0.0})
    rfm["recency_days"] = (as_of - rfm["last_activity_date"]).dt.days
    rfm["tenure_days"] = (as_of - rfm["first_purchase_date"]).dt.days
    rfm["as_of_date"] = as_of
    rfm["gender"] = "U"
    rfm["annual_income"] = np.nan
    return rfm.rename_axis("customer_id").reset_index()
