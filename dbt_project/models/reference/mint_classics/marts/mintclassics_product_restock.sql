{#
    Per product: the one stock snapshot against the units ordered (orders not cancelled) over
    the order history. low_stock_rate = units ordered / units in stock (the published
    analysis's measure: above 1, the history's demand alone would empty the stock);
    weeks_of_cover = units in stock / average weekly units ordered. restock_priority ranks
    products by low_stock_rate, highest first (products without orders last);
    restock_status: see restock_status() in macros/reference_analyses.sql.
#}
with products as (
    select * from {{ ref('stg_mintclassics__products') }}
),

orders as (
    select * from {{ ref('stg_mintclassics__orders') }}
),

warehouses as (
    select * from {{ ref('stg_mintclassics__warehouses') }}
),

history as (
    select
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        {{ dbt.datediff('min(order_date)', 'max(order_date)', 'day') }} + 1 as history_days
    from orders
),

demand as (
    select * from {{ ref('int_mintclassics__product_orders') }}
),

measured as (
    select
        products.product_code,
        products.product_name,
        products.product_line,
        products.warehouse_code,
        warehouses.warehouse_name,
        products.quantity_in_stock,
        coalesce(demand.units_ordered, 0) as units_ordered,
        coalesce(demand.orders, 0) as orders,
        history.history_days,
        history.last_order_date as as_of_date,
        {{ forecourt.safe_divide('coalesce(demand.units_ordered, 0)', 'products.quantity_in_stock') }}
            as low_stock_rate,
        {{ forecourt.safe_divide('coalesce(demand.units_ordered, 0) * 7', 'history.history_days') }}
            as weekly_units_ordered
    from products
    cross join history
    left join demand
        on products.product_code = demand.product_code
    left join warehouses
        on products.warehouse_code = warehouses.warehouse_code
),

covered as (
    select
        *,
        {{ forecourt.safe_divide('quantity_in_stock', 'weekly_units_ordered') }} as weeks_of_cover
    from measured
),

final as (
    select
        cast(product_code as {{ dbt.type_string() }}) as product_code,
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(product_line as {{ dbt.type_string() }}) as product_line,
        cast(warehouse_code as {{ dbt.type_string() }}) as warehouse_code,
        cast(warehouse_name as {{ dbt.type_string() }}) as warehouse_name,
        cast(quantity_in_stock as integer) as quantity_in_stock,
        cast(units_ordered as integer) as units_ordered,
        cast(orders as integer) as orders,
        cast(low_stock_rate as {{ forecourt.type_double() }}) as low_stock_rate,
        cast(weekly_units_ordered as {{ forecourt.type_double() }}) as weekly_units_ordered,
        cast(weeks_of_cover as {{ forecourt.type_double() }}) as weeks_of_cover,
        cast(row_number() over (
            order by
                case when units_ordered = 0 then 1 else 0 end asc,
                low_stock_rate desc,
                product_code asc
        ) as integer) as restock_priority,
        cast(
            {{ forecourt.restock_status('weeks_of_cover', 'units_ordered') }}
            as {{ dbt.type_string() }}
        ) as restock_status,
        cast(as_of_date as date) as as_of_date
    from covered
)

select * from final
