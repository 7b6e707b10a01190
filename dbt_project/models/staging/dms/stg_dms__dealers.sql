with source as (
    select * from {{ source('dms', 'dealers') }}
),

renamed as (
    select
        {{ clean_text('dealer_id', 'upper') }} as dealer_id,
        {{ clean_text('dealer_name') }} as dealer_name,
        {{ clean_text('city') }} as city,
        {{ clean_text('region') }} as region,
        {{ clean_text('country') }} as country,
        opened_date,
        coalesce(in_pricing_experiment, false) as is_in_pricing_experiment,
        {{ load_metadata_columns() }}
    from source
),

deduplicated as (
    {{ latest_per_key('renamed', ['dealer_id'], order_by=['loaded_at', 'source_line']) }}
),

final as (
    select
        dealer_id,
        dealer_name,
        city,
        region,
        country,
        opened_date,
        is_in_pricing_experiment,
        source_file,
        source_line,
        source_partition_date,
        load_id,
        loaded_at
    from deduplicated
)

select * from final
