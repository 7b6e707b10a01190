with source as (
    select * from {{ source('mintclassics', 'payments') }}
),

final as (
    select
        customerNumber as customer_number,
        {{ clean_text('checkNumber') }} as check_number,
        paymentDate as payment_date,
        amount,
        _loaded_at as loaded_at
    from source
)

select * from final
