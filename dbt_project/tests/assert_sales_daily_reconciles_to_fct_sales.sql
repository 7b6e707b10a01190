-- The daily series neither loses nor invents sales: totals per dealer match fct_sales.
{{ config(meta={'dagster': {'ref': {'name': 'sales_daily'}}}) }}

with daily as (
    select dealer_id, sum(units_sold) as units_sold, sum(revenue) as revenue
    from {{ ref('sales_daily') }}
    group by dealer_id
),

facts as (
    select dealer_id, count(*) as units_sold, sum(sale_price) as revenue
    from {{ ref('fct_sales') }}
    group by dealer_id
),

final as (
    select
        coalesce(daily.dealer_id, facts.dealer_id) as dealer_id,
        daily.units_sold as daily_units,
        facts.units_sold as fact_units,
        daily.revenue as daily_revenue,
        facts.revenue as fact_revenue
    from daily
    full outer join facts
        on daily.dealer_id = facts.dealer_id
    where coalesce(daily.units_sold, 0) <> coalesce(facts.units_sold, 0)
        or coalesce(daily.revenue, 0) <> coalesce(facts.revenue, 0)
)

select * from final
