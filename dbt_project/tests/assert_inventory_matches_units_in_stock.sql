-- On the last data day, stock in inventory_daily equals the in-stock units of dim_vehicles.
{{ config(meta={'dagster': {'ref': {'name': 'inventory_daily'}}}) }}

with inventory as (
    select dealer_id, sum(units_on_hand) as units_on_hand
    from {{ ref('inventory_daily') }}
    where date_day = {{ max_data_date() }}
    group by dealer_id
),

vehicles as (
    select dealer_id, count(*) as units_in_stock
    from {{ ref('dim_vehicles') }}
    where status = 'in_stock'
    group by dealer_id
),

final as (
    select
        coalesce(inventory.dealer_id, vehicles.dealer_id) as dealer_id,
        inventory.units_on_hand,
        vehicles.units_in_stock
    from inventory
    full outer join vehicles
        on inventory.dealer_id = vehicles.dealer_id
    where coalesce(inventory.units_on_hand, 0) <> coalesce(vehicles.units_in_stock, 0)
)

select * from final
