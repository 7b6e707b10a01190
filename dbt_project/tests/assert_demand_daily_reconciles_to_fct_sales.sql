-- Every level of the daily series neither loses nor invents sales: per level, units and
-- revenue add up to fct_sales.
{{ config(meta={'dagster': {'ref': {'name': 'demand_daily'}}}) }}

with daily as (
    select
        level,
        sum(y) as units_sold,
        sum(revenue) as revenue
    from {{ ref('demand_daily') }}
    group by level
),

facts as (
    select
        count(*) as units_sold,
        coalesce(sum(sale_price), 0) as revenue
    from {{ ref('fct_sales') }}
),

final as (
    select
        daily.level,
        daily.units_sold as daily_units,
        facts.units_sold as fact_units,
        daily.revenue as daily_revenue,
        facts.revenue as fact_revenue
    from daily
    cross join facts
    where daily.units_sold <> facts.units_sold
        or daily.revenue <> facts.revenue
)

select * from final
