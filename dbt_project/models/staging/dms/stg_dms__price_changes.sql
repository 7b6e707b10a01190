with source as (
    select * from {{ source('dms', 'price_changes') }}
),

renamed as (
    select
        {{ clean_text('stock_number', 'upper') }} as stock_number,
        {{ clean_text('dealer_id', 'upper') }} as dealer_id,
        changed_date,
        old_price,
        new_price,
        {{ clean_text('reason', 'lower') }} as change_reason,
        {{ load_metadata_columns('changed_date') }}
    from source
),

deduplicated as (
    {{ latest_per_key('renamed', ['stock_number', 'changed_date']) }}
),

final as (
    select
        {{ dbt.concat(["stock_number", "'@'", dbt.safe_cast("changed_date", dbt.type_string())]) }}
            as price_change_id,
        stock_number,
        dealer_id,
        changed_date,
        old_price,
        new_price,
        change_reason,
        source_file,
        source_line,
        source_partition_date,
        load_id,
        loaded_at
    from deduplicated
)

select * from final
