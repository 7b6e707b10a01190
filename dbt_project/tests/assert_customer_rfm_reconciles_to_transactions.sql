-- The RFM frame and the transaction log describe the same history: per customer, purchase
-- and visit counts and revenue agree.
-- reads two models: meta.dagster.ref makes it an asset check on the one it tests
-- A one-day run (FORECOURT_DBT_TESTS_FROM, macros/scoped_tests.sql) checks the customers
-- dim_customers rebuilt in it (summing every customer's transactions took 6.4 s at five years
-- of 100 rooftops); the weekly full pass checks every customer.
{{ config(meta={'dagster': {'ref': {'name': 'customer_rfm'}}}) }}
{%- set one_day = forecourt.one_day_tests() %}

with rebuilt as (  -- noqa: ST03
    {{ forecourt.keys_of_latest_build(ref('dim_customers'), 'customer_id') }}
),

rfm as (
    select * from {{ ref('customer_rfm') }}
    {%- if one_day %}
    where customer_id in (select rebuilt.customer_id from rebuilt)
    {%- endif %}
),

transactions as (
    select
        customer_id,
        sum(case when kind = 'vehicle' then 1 else 0 end) as purchases,
        sum(case when kind = 'service' then 1 else 0 end) as visits,
        sum(case when kind = 'vehicle' then amount else 0 end) as vehicle_revenue,
        sum(case when kind = 'service' then amount else 0 end) as service_revenue
    from {{ ref('customer_transactions') }}
    {%- if one_day %}
    where customer_id in (select rebuilt.customer_id from rebuilt)
    {%- endif %}
    group by customer_id
),

final as (
    select
        coalesce(rfm.customer_id, transactions.customer_id) as customer_id,
        rfm.frequency,
        transactions.purchases,
        rfm.service_visits,
        transactions.visits,
        rfm.monetary,
        transactions.vehicle_revenue
    from rfm
    full outer join transactions
        on rfm.customer_id = transactions.customer_id
    where coalesce(rfm.frequency, 0) <> coalesce(transactions.purchases, 0)
        or coalesce(rfm.service_visits, 0) <> coalesce(transactions.visits, 0)
        or coalesce(rfm.monetary, 0) <> coalesce(transactions.vehicle_revenue, 0)
        or coalesce(rfm.service_revenue, 0) <> coalesce(transactions.service_revenue, 0)
)

select * from final
