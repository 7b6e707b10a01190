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

ranked as (
    select
        *,
        row_number() over (
            partition by dealer_id
            order by loaded_at desc, source_line desc
        ) as row_rank
    from renamed
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
    from ranked
    where row_rank = 1
)

select * from final
