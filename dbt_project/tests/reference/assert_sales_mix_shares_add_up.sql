-- Each dimension of sales_mix covers every sale once: unit shares add up to 1 and units to
-- the number of sales in fct_sales.
{{ config(meta={'dagster': {'ref': {'name': 'sales_mix'}}}) }}

with mix as (
    select
        dimension,
        sum(unit_share) as unit_share,
        sum(units) as units
    from {{ ref('sales_mix') }}
    group by dimension
),

sales as (
    select count(*) as units from {{ ref('fct_sales') }}
)

select mix.*
from mix
cross join sales
where abs(mix.unit_share - 1) > 1e-9
    or mix.units <> sales.units
