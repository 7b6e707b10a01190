"""Customer lifetime value: predictions, a holdout against two baselines, what to publish."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.customers.ltv_model import GammaPoissonLtv
from ml.customers.ltv_verdict import DEFAULT_METRIC, LtvVerdict, compare_methods, ltv_verdict
from ml.customers.transactions import (
    DAYS_PER_MONTH,
    STREAMS,
    customer_totals,
    customers_to_fit,
    prepare_transactions,
    repeat_customers,
)


def predict_ltv(
    transactions: pd.DataFrame,
    rfm: pd.DataFrame | None = None,
    horizon_months: int = 24,
    as_of: object = None,
    discount_rate_annual: float = 0.10,
    **model_params: object,
) -> pd.DataFrame:
    """Historical and predicted lifetime value of each customer, one row per customer.

    Model: ``GammaPoissonLtv`` (see ``ml.customers.ltv_model``): per-stream Poisson purchase
    rates shrunk to the customer-type mean (gamma-Poisson empirical Bayes), survival from
    recency, value per event times gross margin, discounted monthly. ``rfm`` supplies
    customer_type (the shrinkage groups), customers without transactions, and the default
    ``as_of`` (its as_of_date; else the last transaction date). Transactions after ``as_of``
    are ignored.

    Columns: customer_id, ltv_group, historical_revenue, historical_gross, n_purchases,
    n_service_visits, tenure_months, recency_months, purchase_rate_month,
    service_rate_month, p_alive, expected_purchases, expected_service_visits (undiscounted,
    over the horizon), predicted_revenue and predicted_ltv (discounted revenue and gross).
    """
    model = GammaPoissonLtv(**model_params).fit(transactions, rfm, as_of=as_of)
    return model.predict(horizon_months, discount_rate_annual)


def publish_ltv(
    transactions: pd.DataFrame,
    verdict: LtvVerdict,
    rfm: pd.DataFrame | None = None,
    horizon_months: int = 24,
    as_of: object = None,
    discount_rate_annual: float = 0.10,
    **model_params: object,
) -> pd.DataFrame:
    """``predict_ltv``'s columns, with predicted_revenue / predicted_ltv as the verdict allows.

    The model's own predictions stay in model_predicted_revenue / model_predicted_ltv and the
    naive baseline's (``GammaPoissonLtv.predict_naive``) in naive_predicted_revenue /
    naive_predicted_ltv. predicted_revenue / predicted_ltv hold the published method's values:
    the model's, the naive average's, zero, or empty when the verdict publishes nothing
    ("not estimable", "not measured"). ltv_method names that method ("none" when empty) and
    ltv_status is the verdict's status.
    """
    model = GammaPoissonLtv(**model_params).fit(transactions, rfm, as_of=as_of)
    return publish_fitted_ltv(model, verdict, horizon_months, discount_rate_annual)


def publish_fitted_ltv(
    model: GammaPoissonLtv,
    verdict: LtvVerdict,
    horizon_months: int = 24,
    discount_rate_annual: float = 0.10,
) -> pd.DataFrame:
    """``publish_ltv`` from a fitted model (e.g. ``GammaPoissonLtv.fit_totals``)."""
    out = model.predict(horizon_months, discount_rate_annual)
    naive = model.predict_naive(horizon_months, discount_rate_annual)
    out["model_predicted_revenue"] = out["predicted_revenue"]
    out["model_predicted_ltv"] = out["predicted_ltv"]
    out["naive_predicted_revenue"] = naive["naive_revenue"].to_numpy()
    out["naive_predicted_ltv"] = naive["naive_ltv"].to_numpy()
    source = {"model": "model", "naive_average": "naive"}.get(verdict.published or "")
    for col in ("predicted_revenue", "predicted_ltv"):
        if source:
            out[col] = out[f"{source}_{col}"]
        else:
            out[col] = 0.0 if verdict.published == "zero" else np.nan
    out["ltv_method"] = verdict.published or "none"
    out["ltv_status"] = verdict.status
    return out


@dataclass(frozen=True)
class LtvHoldout:
    """Result of ``ltv_holdout``: a summary per method and the per-customer comparison.

    ``repeat_customers`` counts customers with transactions on two or more days (up to the
    end of the holdout); with none, lifetime value is not estimable.
    """

    summary: pd.DataFrame
    per_customer: pd.DataFrame
    repeat_customers: int = 0

    @property
    def model_beats_naive(self) -> bool:
        """True when the model's mean absolute error is below the naive baseline's."""
        return bool(self.summary.set_index("method").loc["model", "mae_beats_naive"])

    def verdict(self, metric: str = DEFAULT_METRIC) -> LtvVerdict:
        """What to publish (see ``ml.customers.ltv_verdict``)."""
        return ltv_verdict(self.summary, self.repeat_customers, metric)


@dataclass(frozen=True)
class HoldoutData:
    """What a holdout reads of the transactions, so that it can be computed where they live
    (the warehouse, in SQL) as well as from a frame (``holdout_data``).

    ``train``: ``customers_to_fit`` of the transactions before the cutoff (the customers who
    had one, with their group); ``actual``: each of those customers' value (revenue or known
    gross) in [cutoff, cutoff + horizon), in ``train``'s order; ``first_date`` and
    ``last_date``: of all transactions; ``repeat_customers``: customers with transactions on
    two or more days before cutoff + horizon.
    """

    train: pd.DataFrame
    actual: np.ndarray
    first_date: pd.Timestamp | None
    last_date: pd.Timestamp | None
    repeat_customers: int


def holdout_end(cutoff: object, horizon_months: int) -> pd.Timestamp:
    """The first day after a holdout of ``horizon_months`` from ``cutoff``."""
    return pd.Timestamp(cutoff) + pd.Timedelta(days=horizon_months * DAYS_PER_MONTH)


def holdout_data(transactions: pd.DataFrame, cutoff: object, horizon_months: int,
                 value: str = "revenue", rfm: pd.DataFrame | None = None,
                 group_col: str | None = "customer_type") -> HoldoutData:
    """``HoldoutData`` from a transactions frame (``rfm`` and ``group_col``: the groups)."""
    tx = prepare_transactions(transactions)
    cutoff, end = pd.Timestamp(cutoff), holdout_end(cutoff, horizon_months)
    train, test = tx[tx["date"] < cutoff], tx[(tx["date"] >= cutoff) & (tx["date"] < end)]
    customers = customers_to_fit(customer_totals(train), cutoff - pd.Timedelta(days=1), rfm,
                                 group_col, without_transactions=False)
    actual = test.groupby("customer_id")["amount" if value == "revenue" else "gross"].sum()
    return HoldoutData(
        train=customers,
        actual=actual.reindex(customers["customer_id"]).astype(float).fillna(0.0).to_numpy(),
        first_date=tx["date"].min() if len(tx) else None,
        last_date=tx["date"].max() if len(tx) else None,
        repeat_customers=repeat_customers(tx[tx["date"] < end]),
    )


def ltv_holdout(
    transactions: pd.DataFrame,
    cutoff: object,
    horizon_months: int = 12,
    rfm: pd.DataFrame | None = None,
    value: str = "revenue",
    **model_params: object,
) -> LtvHoldout:
    """Fit on transactions before ``cutoff``, predict the next ``horizon_months``, compare.

    Customers scored: those with a transaction before the cutoff. Actual = their revenue (or
    known gross, ``value="gross"``) in [cutoff, cutoff + horizon). Methods, undiscounted:
    ``model`` (GammaPoissonLtv), ``naive_average`` (each customer repeats their historical
    value per month of tenure, tenure floored at one month) and ``zero`` (nobody buys again).
    ``summary`` is ``compare_methods``: per method mae, rmse, total_predicted, total_actual,
    bias, bias_share, customers, and whether it beats each baseline on each measure.
    """
    _check_value(value)
    if value == "gross" and prepare_transactions(transactions)["gross"].isna().all():
        raise ValueError("value='gross' needs known gross on some transactions; all are null.")
    data = holdout_data(transactions, cutoff, horizon_months, value, rfm,
                        model_params.get("group_col", "customer_type"))
    return ltv_holdout_from_data(data, cutoff, horizon_months, value, **model_params)


def ltv_holdout_from_data(
    data: HoldoutData,
    cutoff: object,
    horizon_months: int = 12,
    value: str = "revenue",
    **model_params: object,
) -> LtvHoldout:
    """``ltv_holdout`` from what it reads of the transactions (``HoldoutData``)."""
    _check_value(value)
    cutoff, end = pd.Timestamp(cutoff), holdout_end(cutoff, horizon_months)
    train = data.train
    if len(data.actual) != len(train):
        raise ValueError(f"HoldoutData.actual has {len(data.actual)} values for {len(train)} "
                         "customers: it must hold one per row of train, in train's order.")
    if train.empty:
        raise ValueError(f"No transactions before the cutoff {cutoff.date()}; pick a cutoff "
                         f"after the first transaction ({data.first_date}).")
    last = pd.Timestamp(data.last_date)
    if last < end - pd.Timedelta(days=DAYS_PER_MONTH):
        raise ValueError(
            f"Transactions end on {last.date()}, so a {horizon_months}-month holdout after "
            f"{cutoff.date()} would be judged on incomplete actuals; choose a cutoff on or "
            f"before {(last - pd.Timedelta(days=horizon_months * DAYS_PER_MONTH)).date()} "
            "or a shorter horizon."
        )
    as_of = cutoff - pd.Timedelta(days=1)
    model = GammaPoissonLtv(**model_params).fit_customers(train, as_of=as_of)
    # the model keeps train's rows in order: everything below lines up by position
    pred = model.predict(horizon_months, discount_rate_annual=0.0)
    measure = "amount" if value == "revenue" else "gross"
    history = sum(train[f"{measure}_{s}"].to_numpy(float) for s in STREAMS)
    per_month = history / pred["tenure_months"].clip(lower=1.0).to_numpy()
    per_customer = pd.DataFrame(
        {
            "customer_id": pred["customer_id"],
            "actual": np.asarray(data.actual, dtype=float),
            "model": pred["predicted_revenue" if value == "revenue" else "predicted_ltv"],
            "naive_average": per_month * horizon_months,
            "zero": 0.0,
        }
    )
    return LtvHoldout(summary=compare_methods(per_customer), per_customer=per_customer,
                      repeat_customers=data.repeat_customers)


def _check_value(value: str) -> None:
    if value not in ("revenue", "gross"):
        raise ValueError(f"value must be 'revenue' or 'gross', got {value!r}.")
