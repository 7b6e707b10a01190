-- Every buyer is new exactly once, and every sale is a new- or returning-customer unit.
-- reads two models: meta.dagster.ref makes it an asset check on the one it tests
{{ config(meta={'dagster': {'ref': {'name': 'customer_acquisition'}}}) }}

with acquisition as (
    select
        sum(new_customers) as new_customers,
        sum(new_customer_units + returning_customer_units) as units
    from {{ ref('customer_acquisition') }}
),

facts as (
    select
        count(distinct customer_id) as buyers,
        count(*) as units
    from {{ ref('fct_sales') }}
    where customer_id is not null
),

final as (
    select
        acquisition.new_customers,
        facts.buyers,
        acquisition.units as acquisition_units,
        facts.units as fact_units
    from acquisition
    cross join facts
    where coalesce(acquisition.new_customers, 0) <> facts.buyers
        or coalesce(acquisition.units, 0) <> facts.units
)

select * from final
