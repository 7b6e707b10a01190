"""Customer transaction histories: cleaning, historical value, and per-customer summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd

STREAMS = ("vehicle", "service")
DAYS_PER_MONTH = 365.25 / 12
TRANSACTION_COLUMNS = ["customer_id", "date", "amount", "gross", "kind"]
HISTORY_COLUMNS = ["customer_id", "historical_revenue", "historical_gross",
                   "historical_vehicle_revenue", "historical_service_revenue",
                   "n_purchases", "n_service_visits", "first_date", "last_date"]
TOTALS_COLUMNS = ["customer_id", "birth", "last", "gross_known_events",
                  *(f"{measure}_{stream}" for stream in STREAMS
                    for measure in ("n", "x", "amount", "gross", "gross_base"))]
FIT_COLUMNS = [*TOTALS_COLUMNS, "group"]


def prepare_transactions(transactions: pd.DataFrame) -> pd.DataFrame:
    """Check and type a transactions frame: customer_id, date, amount, gross (nullable), kind.

    kind is 'vehicle' or 'service' (any case); a missing gross column means gross unknown.
    """
    tx = transactions.copy()
    if "gross" not in tx.columns:
        tx["gross"] = np.nan
    missing = [c for c in TRANSACTION_COLUMNS if c not in tx.columns]
    if missing and len(tx):
        raise ValueError(
            f"transactions lack column(s) {missing}; expected {TRANSACTION_COLUMNS} "
            f"(got {list(transactions.columns)})."
        )
    for col in missing:
        tx[col] = pd.Series(dtype=object)
    tx = tx[TRANSACTION_COLUMNS]
    tx["date"] = pd.to_datetime(tx["date"], errors="coerce")
    tx["amount"] = pd.to_numeric(tx["amount"], errors="coerce").fillna(0.0).astype(float)
    tx["gross"] = pd.to_numeric(tx["gross"], errors="coerce").astype(float)
    tx["kind"] = tx["kind"].astype("string").str.strip().str.lower().astype(object)
    bad = ~tx["kind"].isin(STREAMS)
    if bad.any():
        rows = list(tx.index[bad][:5])
        raise ValueError(
            f"transactions.kind must be 'vehicle' or 'service'; found "
            f"{sorted(map(str, tx.loc[bad, 'kind'].unique()))[:5]} at rows {rows}. "
            "Map other kinds upstream (e.g. parts counter sales to 'service')."
        )
    # Rows without a date or customer cannot be placed in anyone's history.
    return tx.dropna(subset=["customer_id", "date"]).reset_index(drop=True)


def historical_ltv(transactions: pd.DataFrame, as_of: object = None) -> pd.DataFrame:
    """Value each customer has brought so far: revenue and (known) gross, by stream.

    historical_gross sums the rows whose gross is known; it is NaN when none is.
    Rows dated after ``as_of`` are left out.
    """
    tx = prepare_transactions(transactions)
    if as_of is not None:
        tx = tx[tx["date"] <= pd.Timestamp(as_of)]
    if tx.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    g = tx.groupby("customer_id", sort=True)
    by_kind = tx.groupby(["customer_id", "kind"])["amount"].agg(["sum", "size"])
    sums = by_kind["sum"].unstack(fill_value=0.0).reindex(columns=list(STREAMS), fill_value=0.0)
    counts = by_kind["size"].unstack(fill_value=0).reindex(columns=list(STREAMS), fill_value=0)
    out = pd.DataFrame(
        {
            "historical_revenue": g["amount"].sum(),
            "historical_gross": g["gross"].sum(min_count=1),
            "historical_vehicle_revenue": sums["vehicle"],
            "historical_service_revenue": sums["service"],
            "n_purchases": counts["vehicle"],
            "n_service_visits": counts["service"],
            "first_date": g["date"].min(),
            "last_date": g["date"].max(),
        }
    )
    return out.rename_axis("customer_id").reset_index()[HISTORY_COLUMNS]


def customer_totals(tx: pd.DataFrame) -> pd.DataFrame:
    """Per customer, what the lifetime value model needs of their transactions (TOTALS_COLUMNS).

    ``tx`` is prepared and already cut. An event is a customer's day in a stream (``daily_events``);
    per stream: events (``n_``), repeat events after the customer's first day (``x_``: the
    first day marks when they became a customer, the way BG/NBD-type models count), revenue
    (``amount_``), known gross (``gross_``) and the revenue of the events whose gross is known
    (``gross_base_``); ``gross_known_events`` counts those events over both streams. The
    warehouse computes the same columns in SQL (orchestration/assets/customer_history.py), so
    that 10M customers' transactions need not be read into memory.
    """
    events = daily_events(tx)
    if events.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in ("birth", "last")
                                          else object if c == "customer_id" else float)
                             for c in TOTALS_COLUMNS})
    g = events.groupby("customer_id")
    first = g["date"].min().rename("birth")
    totals = pd.concat([first, g["date"].max().rename("last")], axis=1)
    events = events.join(first, on="customer_id")
    events["repeat"] = events["date"] > events["birth"]
    events["gross_known"] = events["gross"].notna()
    events["amount_gross_known"] = events["amount"].where(events["gross_known"], 0.0)
    totals["gross_known_events"] = g["gross"].count()
    for stream in STREAMS:
        s = events[events["kind"] == stream].groupby("customer_id")
        totals[f"n_{stream}"] = s.size()
        totals[f"x_{stream}"] = s["repeat"].sum()
        totals[f"amount_{stream}"] = s["amount"].sum()
        totals[f"gross_{stream}"] = s["gross"].sum()
        totals[f"gross_base_{stream}"] = s["amount_gross_known"].sum()
    numbers = [c for c in TOTALS_COLUMNS if c not in ("customer_id", "birth", "last")]
    totals[numbers] = totals[numbers].astype(float).fillna(0.0)
    return totals.rename_axis("customer_id").reset_index()[TOTALS_COLUMNS]


def customers_to_fit(
    totals: pd.DataFrame,
    as_of: object,
    rfm: pd.DataFrame | None,
    group_col: str | None,
    without_transactions: bool = True,
) -> pd.DataFrame:
    """The customers the lifetime value model fits, one row each, ordered by customer_id.

    Columns: ``customer_totals``' and ``group``: the customer's ``group_col`` in ``rfm``,
    lower case ('unknown' for a customer ``rfm`` lacks; 'all' without ``group_col``, or when
    ``rfm`` lacks it). With ``without_transactions``, the customers of ``rfm`` without
    transactions are added with zero totals, starting on their first_purchase_date (else on
    ``as_of``; left out when it is after ``as_of``). ``rfm`` has one row per customer (the
    mart's); of duplicates the first counts here, the smallest value in the warehouse. The
    warehouse computes the same frame (``TransactionHistory.customers_to_fit`` in
    orchestration/assets/customer_history.py).
    """
    as_of = pd.Timestamp(as_of)
    customers = totals.assign(birth=pd.to_datetime(totals["birth"]),
                              last=pd.to_datetime(totals["last"])).set_index("customer_id")
    groups = None
    if rfm is not None and "customer_id" in rfm.columns:
        extra = rfm.drop_duplicates("customer_id").set_index("customer_id")
        if without_transactions:
            new = extra.index.difference(customers.index)
            dates = extra.get("first_purchase_date")
            start = (pd.to_datetime(dates, errors="coerce") if dates is not None
                     else pd.Series(pd.NaT, index=extra.index, dtype="datetime64[ns]"))
            start = start.reindex(new).fillna(as_of)
            start = start[start <= as_of]
            customers = pd.concat([customers, pd.DataFrame({"birth": start, "last": start})])
        if group_col and group_col in extra.columns:
            groups = extra[group_col]
    customers.index.name = "customer_id"
    numbers = [c for c in TOTALS_COLUMNS if c not in ("customer_id", "birth", "last")]
    customers[numbers] = customers[numbers].astype(float).fillna(0.0)
    customers["group"] = (groups.reindex(customers.index).astype(object).fillna("unknown")
                          .astype(str).str.lower() if groups is not None else "all")
    return customers.sort_index().reset_index()[FIT_COLUMNS]


def customer_summary(customers: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """``customers_to_fit``' frame, typed, with tenure and recency in months at ``as_of``.

    Row by row, in the frame's order: nothing here looks a customer up by id, which at 10M
    customers cost minutes.
    """
    summary = customers[FIT_COLUMNS].reset_index(drop=True)
    summary["birth"] = pd.to_datetime(summary["birth"])
    summary["last"] = pd.to_datetime(summary["last"])
    numbers = [c for c in TOTALS_COLUMNS if c not in ("customer_id", "birth", "last")]
    summary[numbers] = summary[numbers].astype(float).fillna(0.0)
    summary["tenure_months"] = (as_of - summary["birth"]).dt.days.clip(lower=0) / DAYS_PER_MONTH
    summary["recency_months"] = (as_of - summary["last"]).dt.days.clip(lower=0) / DAYS_PER_MONTH
    return summary


def repeat_customers(transactions: pd.DataFrame) -> int:
    """How many customers have transactions on two or more different days."""
    tx = prepare_transactions(transactions)
    if tx.empty:
        return 0
    return int((tx.groupby("customer_id")["date"].nunique() >= 2).sum())


def daily_events(tx: pd.DataFrame) -> pd.DataFrame:
    """One row per customer, day and kind of a prepared frame: amounts summed, gross summed
    where known (null when no row of that day had it)."""
    if tx.empty:
        return tx
    g = tx.groupby(["customer_id", "date", "kind"], sort=True)
    out = g["amount"].sum().to_frame()
    out["gross"] = g["gross"].sum(min_count=1)
    return out.reset_index()[TRANSACTION_COLUMNS]
