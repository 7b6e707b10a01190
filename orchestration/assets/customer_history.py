"""marts.customer_transactions as the lifetime value model reads it, aggregated in the warehouse.

The model needs per customer a dozen totals (``ml.customers.transactions.customer_totals``), not
every transaction: at 10M customers the transactions (every sale and service visit, 40M rows)
did not fit in memory as a frame, their totals do. The warehouse also joins each customer's
group from marts.customer_rfm and adds the mart's customers without transactions
(``customers_to_fit``), so that the model never looks 10M customers up by id. The SQL here
computes the same columns as the pandas functions, in portable SQL (DuckDB and Spark);
tests/orchestration/assets/test_customer_history.py proves them equal on edge cases (several
rows a day, unknown gross, kinds in any case, rows without a customer or a date, customers
known only to the mart).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from orchestration.resources import WarehouseResource

if TYPE_CHECKING:
    import pandas as pd

    from ml.customers.ltv import HoldoutData

SOURCE = "marts.customer_transactions"
RFM = "marts.customer_rfm"
STREAMS = ("vehicle", "service")  # ml.customers.transactions.STREAMS, without importing pandas

# prepare_transactions in SQL: rows without a customer or a day cannot be placed in anyone's
# history; a missing amount counts as 0; kind in any case and padding.
TRANSACTIONS = f"""
    select
        cast(customer_id as string) as customer_id,
        cast(date as date) as day,
        coalesce(cast(amount as double), 0) as amount,
        cast(gross as double) as gross,
        lower(trim(kind)) as kind
    from {SOURCE}
    where customer_id is not null and date is not null
"""

# a customer has at most one event a day in a stream, so the repeat events are the events but
# the one on the customer's first day, if the stream has one that day
STREAM_TOTALS = """
        sum(case when kind = '{stream}' then 1 else 0 end) as n_{stream},
        sum(case when kind = '{stream}' then 1 else 0 end)
            - case when min(case when kind = '{stream}' then day end) = min(day) then 1 else 0 end
            as x_{stream},
        sum(case when kind = '{stream}' then amount else 0 end) as amount_{stream},
        sum(case when kind = '{stream}' and gross is not null then gross else 0 end)
            as gross_{stream},
        sum(case when kind = '{stream}' and gross is not null then amount else 0 end)
            as gross_base_{stream}"""
NUMBERS = ["gross_known_events", *(f"{measure}_{stream}" for stream in STREAMS
                                   for measure in ("n", "x", "amount", "gross", "gross_base"))]

# customer_totals: an event is a customer's day in a stream; a repeat event is after the
# customer's first day.
TOTALS_CTES = f"""
transactions as (
    {TRANSACTIONS} and cast(date as date) < cast('{{before}}' as date)
),

daily_events as (
    select customer_id, day, kind, sum(amount) as amount, sum(gross) as gross
    from transactions
    group by customer_id, day, kind
),

totals as (
    select
        customer_id,
        min(day) as birth,
        max(day) as last,
        count(gross) as gross_known_events,
        {",".join(STREAM_TOTALS.format(stream=stream) for stream in STREAMS)}
    from daily_events
    group by customer_id
)"""

TOTALS = f"with {TOTALS_CTES}\n\nselect * from totals"

# customers_to_fit: the totals with each customer's group from the customers' mart, and (for
# the fit, not the holdout) the mart's customers without transactions, starting on their first
# purchase (else on the as-of day). The holdout adds each customer's actual value after the
# cutoff, so that every column the model needs comes in one frame, in one order.
CUSTOMERS = f"""
with {TOTALS_CTES},

rfm as ({{rfm}}),

actual as ({{actual}}),

final as (
    select
        coalesce(totals.customer_id, rfm.customer_id) as customer_id,
        coalesce(totals.birth, rfm.start) as birth,
        coalesce(totals.last, rfm.start) as last,
        {", ".join(f"coalesce(totals.{n}, 0) as {n}" for n in NUMBERS)},
        {{group_label}} as customer_group,
        coalesce(actual.actual, 0) as actual
    from totals
    {{join}} join rfm on totals.customer_id = rfm.customer_id
    left join actual on totals.customer_id = actual.customer_id
    where totals.customer_id is not null or rfm.start <= cast('{{as_of}}' as date)
)

select * from final order by customer_id
"""
RFM_CUSTOMERS = f"""
    select
        cast(customer_id as string) as customer_id,
        min({{group}}) as customer_group,
        coalesce(min(cast({{start}} as date)), cast('{{as_of}}' as date)) as start
    from {RFM}
    where customer_id is not null
    group by cast(customer_id as string)
"""
ACTUAL = f"""
    select customer_id, sum({{column}}) as actual
    from ({TRANSACTIONS}) as transactions
    where day >= cast('{{start}}' as date) and day < cast('{{end}}' as date)
    group by customer_id
"""
NO_ACTUAL = "select cast(null as string) as customer_id, cast(0 as double) as actual where 1 = 0"
NO_CUSTOMERS = """
    select cast(null as string) as customer_id, cast(null as string) as customer_group,
        cast(null as date) as start
    where 1 = 0
"""

SPAN = f"select min(day), max(day) from ({TRANSACTIONS}) as transactions"

UNKNOWN_KINDS = f"""
    select kind, count(*) as row_count, min(transaction_id) as example_transaction_id
    from {SOURCE}
    where customer_id is not null and date is not null
        and (kind is null or lower(trim(kind)) not in ({", ".join(f"'{s}'" for s in STREAMS)}))
    group by kind
    order by row_count desc
    limit 5
"""

REPEAT_CUSTOMERS = f"""
    select count(*) from (
        select customer_id
        from ({TRANSACTIONS}) as transactions
        where day < cast('{{before}}' as date)
        group by customer_id
        having min(day) < max(day)
    ) as repeaters
"""


class TransactionHistory:
    """The customers' transactions, read as totals the warehouse computes."""

    def __init__(self, warehouse: WarehouseResource) -> None:
        self.warehouse = warehouse

    def check_kinds(self) -> None:
        """Every transaction is a 'vehicle' or a 'service' one, as prepare_transactions checks."""
        bad = self.warehouse.read_frame(UNKNOWN_KINDS)
        if len(bad):
            found = "; ".join(f"{row.kind!r} in {row.row_count} row(s), e.g. transaction_id "
                              f"{row.example_transaction_id}" for row in bad.itertuples())
            raise ValueError(
                f"{SOURCE}.kind must be 'vehicle' or 'service'; found {found}. Map other kinds "
                "upstream (e.g. parts counter sales to 'service')."
            )

    def span(self) -> tuple[date | None, date | None]:
        """The first and last day with a transaction (None, None when there is none)."""
        first, last = self.warehouse.read_frame(SPAN).iloc[0]
        return (None, None) if _missing(first) else (_day(first), _day(last))

    def totals(self, through: object) -> pd.DataFrame:
        """``customer_totals`` of the transactions up to and including ``through``."""
        return self._totals(before=_day(through) + timedelta(days=1))

    def repeat_customers(self, before: object | None = None) -> int:
        """Customers with transactions on two or more days (before ``before``, if given)."""
        before = _day(before) if before is not None else date(9999, 12, 31)
        return int(self.warehouse.read_frame(REPEAT_CUSTOMERS.format(before=before)).iloc[0, 0])

    def customers_to_fit(self, through: object, group_col: str | None = "customer_type"
                         ) -> pd.DataFrame:
        """``ml.customers.transactions.customers_to_fit`` of the transactions up to and
        including ``through`` and the customers' mart, computed here."""
        as_of = _day(through)
        customers = self._customers(before=as_of + timedelta(days=1), as_of=as_of,
                                    group_col=group_col, without_transactions=True)
        return customers.drop(columns=["actual"])

    def holdout_data(self, cutoff: object, horizon_months: int, value: str = "revenue",
                     group_col: str | None = "customer_type") -> HoldoutData:
        """``ml.customers.ltv.holdout_data``, computed here."""
        from ml.customers.ltv import HoldoutData, holdout_end

        # the model's bounds are instants (the end falls within a day): a day is before one
        # when it is before the first whole day at or after it
        start, end = _day_at_or_after(cutoff), _day_at_or_after(holdout_end(cutoff, horizon_months))
        first, last = self.span()
        train = self._customers(before=start, as_of=start - timedelta(days=1), group_col=group_col,
                                without_transactions=False,
                                actual="amount" if value == "revenue" else "gross",
                                actual_end=end)
        return HoldoutData(
            train=train.drop(columns=["actual"]),
            actual=train["actual"].to_numpy(float),
            first_date=first,
            last_date=last,
            repeat_customers=self.repeat_customers(before=end),
        )

    def _totals(self, before: date) -> pd.DataFrame:
        return _typed(self.warehouse.read_frame(TOTALS.format(before=before)))

    def _customers(self, before: date, as_of: date, group_col: str | None,
                   without_transactions: bool, actual: str | None = None,
                   actual_end: date | None = None) -> pd.DataFrame:
        rfm_columns = (set(self.warehouse.read_frame(f"select * from {RFM} limit 0").columns)
                       if self.warehouse.table_exists(RFM) else set())
        grouped = bool(group_col) and group_col in rfm_columns
        start = "first_purchase_date" if "first_purchase_date" in rfm_columns else "null"
        sql = CUSTOMERS.format(
            before=before,
            as_of=as_of,
            rfm=RFM_CUSTOMERS.format(group=f"cast({group_col} as string)" if grouped
                                     else "cast(null as string)",
                                     start=start, as_of=as_of)
            if rfm_columns else NO_CUSTOMERS,
            group_label="coalesce(lower(rfm.customer_group), 'unknown')" if grouped else "'all'",
            join="full outer" if without_transactions else "left",
            actual=ACTUAL.format(column=actual, start=before, end=actual_end)
            if actual else NO_ACTUAL,
        )
        customers = _typed(self.warehouse.read_frame(sql))
        return customers.rename(columns={"customer_group": "group"})


def _typed(totals: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    totals["customer_id"] = totals["customer_id"].astype(str)
    for column in ("birth", "last"):
        totals[column] = pd.to_datetime(totals[column])
    return totals


def _day(value: object) -> date:
    import pandas as pd

    return pd.Timestamp(value).date()


def _day_at_or_after(value: object) -> date:
    import pandas as pd

    return pd.Timestamp(value).ceil("D").date()


def _missing(value: object) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))
