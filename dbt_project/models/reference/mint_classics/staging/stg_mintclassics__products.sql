with source as (
    select * from {{ source('mintclassics', 'products') }}
),

final as (
    select
        {{ clean_text('productCode', 'upper') }} as product_code,
        {{ clean_text('productName') }} as product_name,
        {{ clean_text('productLine') }} as product_line,
        {{ clean_text('productScale') }} as product_scale,
        {{ clean_text('productVendor') }} as product_vendor,
        quantityInStock as quantity_in_stock,
        {{ clean_text('warehouseCode', 'lower') }} as warehouse_code,
        buyPrice as buy_price,
        -- the export's upper-case name, which sqlfluff reads as a self-alias
        MSRP as msrp,  -- noqa: AL09
        _source_file as source_file,
        _source_line as source_line,
        _loaded_at as loaded_at
    from source
)

select * from final
