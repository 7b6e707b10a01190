-- The two paths of a Mint Classics import agree: the orders landed as DMS sales (one row per
-- unit, ids 'MC-...') carry the units, revenue and margin of the export's order lines.
-- Runs only where the Mint Classics marts are built (homes that imported it).
{{ config(meta={'dagster': {'ref': {'name': 'mintclassics_product_performance'}}}) }}

with from_export as (
    select
        coalesce(sum(units_sold), 0) as units,
        coalesce(sum(revenue), 0) as revenue,
        coalesce(sum(margin), 0) as margin
    from {{ ref('mintclassics_product_performance') }}
),

from_dms as (
    select
        count(*) as units,
        coalesce(sum(sale_price), 0) as revenue,
        coalesce(sum(gross_profit), 0) as margin
    from {{ ref('fct_sales') }}
    where deal_id like 'MC-%'
)

select
    from_export.*,
    from_dms.*
from from_export
cross join from_dms
where from_export.units <> from_dms.units
    or abs(from_export.revenue - from_dms.revenue) > 0.01
    or abs(from_export.margin - from_dms.margin) > 0.01
