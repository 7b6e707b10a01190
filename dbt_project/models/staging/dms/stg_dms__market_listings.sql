with source as (
    select * from {{ source('dms', 'market_listings') }}
),

renamed as (
    select
        {{ clean_text('listing_id', 'upper') }} as listing_id,
        snapshot_date,
        {{ clean_text('region') }} as region,
        {{ clean_text('competitor') }} as competitor,
        {{ clean_text('make') }} as make,
        {{ clean_text('model') }} as model,
        {{ clean_text('trim') }} as trim,
        model_year,
        mileage,
        asking_price,
        days_on_market,
        {{ load_metadata_columns('snapshot_date') }}
    from source
),

deduplicated as (
    {{ latest_per_key('renamed', ['listing_id', 'snapshot_date']) }}
),

final as (
    select
        {{ dbt.concat(["listing_id", "'@'", dbt.safe_cast("snapshot_date", dbt.type_string())]) }}
            as listing_snapshot_id,
        listing_id,
        snapshot_date,
        region,
        competitor,
        make,
        model,
        trim,
        model_year,
        mileage,
        asking_price,
        days_on_market,
        source_file,
        source_line,
        source_partition_date,
        load_id,
        loaded_at
    from deduplicated
)

select * from final
