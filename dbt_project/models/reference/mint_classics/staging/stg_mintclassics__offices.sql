with source as (
    select * from {{ source('mintclassics', 'offices') }}
),

final as (
    select
        {{ clean_text('officeCode') }} as office_code,
        {{ clean_text('city') }} as city,
        {{ clean_text('state') }} as state,
        {{ clean_text('country') }} as country,
        {{ clean_text('territory') }} as territory,
        _loaded_at as loaded_at
    from source
)

select * from final
