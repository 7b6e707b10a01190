with source as (
    select * from {{ source('mintclassics', 'orders') }}
),

final as (
    select
        orderNumber as order_number,
        customerNumber as customer_number,
        orderDate as order_date,
        requiredDate as required_date,
        shippedDate as shipped_date,
        {{ clean_text('status') }} as status,
        {{ clean_text('status', 'lower') }} = 'cancelled' as is_cancelled,
        {{ clean_text('comments') }} as comments,
        _loaded_at as loaded_at
    from source
)

select * from final
