{#
    Per warehouse: its stock and the share of capacity it uses (warehousePctCap), the capacity
    that implies (units in stock / share used, assuming capacity is counted in units, which the
    export does not say), the free capacity, and whether its whole stock would fit in the free
    capacity of the other warehouses together. The consolidation candidate is the warehouse
    with the smallest stock among those that fit: the one that could be closed.
#}
with warehouses as (
    select * from {{ ref('stg_mintclassics__warehouses') }}
),

products as (
    select * from {{ ref('mintclassics_product_restock') }}
),

stock as (
    select
        warehouse_code,
        count(*) as products,
        sum(quantity_in_stock) as units_in_stock,
        sum(units_ordered) as units_ordered
    from products
    group by warehouse_code
),

capacity as (
    select
        warehouses.warehouse_code,
        warehouses.warehouse_name,
        warehouses.share_of_capacity_used,
        coalesce(stock.products, 0) as products,
        coalesce(stock.units_in_stock, 0) as units_in_stock,
        coalesce(stock.units_ordered, 0) as units_ordered,
        {{ forecourt.safe_divide('coalesce(stock.units_in_stock, 0)', 'warehouses.share_of_capacity_used') }}
            as estimated_capacity_units
    from warehouses
    left join stock
        on warehouses.warehouse_code = stock.warehouse_code
),

freed as (
    select
        *,
        estimated_capacity_units - units_in_stock as free_capacity_units
    from capacity
),

compared as (
    select
        *,
        sum(free_capacity_units) over () - free_capacity_units as free_capacity_elsewhere_units,
        sum(units_in_stock) over () as network_units_in_stock
    from freed
),

fitted as (
    select
        *,
        units_in_stock <= free_capacity_elsewhere_units as fits_in_other_warehouses
    from compared
),

ranked as (
    select
        *,
        row_number() over (
            order by
                case when fits_in_other_warehouses then 0 else 1 end,
                units_in_stock,
                warehouse_code
        ) as fit_rank
    from fitted
),

final as (
    select
        cast(warehouse_code as {{ dbt.type_string() }}) as warehouse_code,
        cast(warehouse_name as {{ dbt.type_string() }}) as warehouse_name,
        cast(products as integer) as products,
        cast(units_in_stock as integer) as units_in_stock,
        {{ forecourt.safe_divide('units_in_stock', 'network_units_in_stock') }} as share_of_network_stock,
        cast(units_ordered as integer) as units_ordered,
        cast(share_of_capacity_used as {{ forecourt.type_double() }}) as share_of_capacity_used,
        cast(estimated_capacity_units as {{ forecourt.type_double() }}) as estimated_capacity_units,
        cast(free_capacity_units as {{ forecourt.type_double() }}) as free_capacity_units,
        cast(free_capacity_elsewhere_units as {{ forecourt.type_double() }})
            as free_capacity_elsewhere_units,
        fits_in_other_warehouses,
        fits_in_other_warehouses and fit_rank = 1 as is_consolidation_candidate
    from ranked
)

select * from final
