{#
    Mint Classics' one stock count (products.quantityInStock) in the platform's stocking grain:
    one row per rooftop and stocking group. A warehouse is a rooftop (D01, D02, ... in
    warehouse-code order, as the importer lands it), a product a group (make = product line,
    model = product name, trim = scale). The export gives no date for the count; it is taken as
    the last order day. The stocking plan reads it when no unit is in stock in dim_vehicles.
#}
with products as (
    select * from {{ ref('stg_mintclassics__products') }}
),

orders as (
    select * from {{ ref('stg_mintclassics__orders') }}
),

warehouses as (
    select
        warehouse_code,
        row_number() over (order by warehouse_code) as warehouse_number
    from {{ ref('stg_mintclassics__warehouses') }}
),

final as (
    select
        cast('mintclassics' as {{ dbt.type_string() }}) as source,
        cast(
            {{ dbt.concat(["'D'", "lpad(cast(warehouses.warehouse_number as " ~ dbt.type_string() ~ "), 2, '0')"]) }}
            as {{ dbt.type_string() }}
        ) as dealer_id,
        cast(products.product_line as {{ dbt.type_string() }}) as make,
        cast(products.product_name as {{ dbt.type_string() }}) as model,
        cast(products.product_scale as {{ dbt.type_string() }}) as trim,
        cast(products.product_code as {{ dbt.type_string() }}) as product_code,
        cast(products.quantity_in_stock as integer) as units_on_hand,
        cast(products.buy_price as decimal(12, 2)) as unit_cost,
        cast(products.msrp as decimal(12, 2)) as unit_list_price,
        cast((select max(orders.order_date) from orders) as date) as as_of_date
    from products
    left join warehouses
        on products.warehouse_code = warehouses.warehouse_code
)

select * from final
