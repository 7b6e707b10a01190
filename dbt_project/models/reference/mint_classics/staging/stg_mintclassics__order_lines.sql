with source as (
    select * from {{ source('mintclassics', 'orderdetails') }}
),

final as (
    select
        orderNumber as order_number,
        {{ clean_text('productCode', 'upper') }} as product_code,
        orderLineNumber as order_line_number,
        quantityOrdered as quantity_ordered,
        priceEach as price_each,
        cast(quantityOrdered * priceEach as decimal(14, 2)) as line_revenue,
        _loaded_at as loaded_at
    from source
)

select * from final
