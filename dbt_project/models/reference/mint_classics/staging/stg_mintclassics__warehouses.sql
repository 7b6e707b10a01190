with source as (
    select * from {{ source('mintclassics', 'warehouses') }}
),

final as (
    select
        {{ clean_text('warehouseCode', 'lower') }} as warehouse_code,
        {{ clean_text('warehouseName') }} as warehouse_name,
        cast(warehousePctCap as {{ forecourt.type_double() }}) / 100 as share_of_capacity_used,
        _loaded_at as loaded_at
    from source
)

select * from final
