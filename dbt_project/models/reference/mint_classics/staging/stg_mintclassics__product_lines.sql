with source as (
    select * from {{ source('mintclassics', 'productlines') }}
),

final as (
    select
        {{ clean_text('productLine') }} as product_line,
        {{ clean_text('textDescription') }} as description,
        _loaded_at as loaded_at
    from source
)

select * from final
