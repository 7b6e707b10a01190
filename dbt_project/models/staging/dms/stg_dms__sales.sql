with source as (
    select * from {{ source('dms', 'sales') }}
),

renamed as (
    select
        {{ clean_text('deal_id', 'upper') }} as deal_id,
        sale_date,
        {{ clean_text('dealer_id', 'upper') }} as dealer_id,
        {{ clean_text('stock_number', 'upper') }} as stock_number,
        {{ clean_text('customer_id', 'upper') }} as customer_id,
        sale_price,
        {{ load_metadata_columns('sale_date') }}
    from source
),

deduplicated as (
    {{ latest_per_key('renamed', ['deal_id']) }}
),

final as (
    select
        deal_id,
        sale_date,
        dealer_id,
        stock_number,
        customer_id,
        sale_price,
        source_file,
        source_line,
        source_partition_date,
        load_id,
        loaded_at
    from deduplicated
)

select * from final
