-- List prices change only while a unit is in stock: not before acquisition nor after its sale.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_dms__price_changes'}}}) }}

with price_changes as (
    select * from {{ ref('stg_dms__price_changes') }}
),

vehicles as (
    select * from {{ ref('dim_vehicles') }}
),

final as (
    select
        price_changes.price_change_id,
        price_changes.changed_date,
        vehicles.acquired_date,
        vehicles.sold_date
    from price_changes
    inner join vehicles
        on price_changes.stock_number = vehicles.stock_number
    where price_changes.changed_date < vehicles.acquired_date
        or price_changes.changed_date > vehicles.sold_date
)

select * from final
