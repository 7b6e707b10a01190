with source as (
    select * from {{ source('dms', 'service_visits') }}
),

renamed as (
    select
        {{ clean_text('visit_id', 'upper') }} as visit_id,
        visit_date,
        {{ clean_text('dealer_id', 'upper') }} as dealer_id,
        {{ clean_text('customer_id', 'upper') }} as customer_id,
        {{ clean_text('stock_number', 'upper') }} as stock_number,
        {{ clean_text('service_type', 'lower') }} as service_type,
        amount,
        {{ load_metadata_columns('visit_date') }}
    from source
),

deduplicated as (
    {{ latest_per_key('renamed', ['visit_id']) }}
),

final as (
    select
        visit_id,
        visit_date,
        dealer_id,
        customer_id,
        stock_number,
        service_type,
        amount,
        source_file,
        source_line,
        source_partition_date,
        load_id,
        loaded_at
    from deduplicated
)

select * from final
