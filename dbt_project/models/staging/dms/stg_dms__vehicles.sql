with source as (
    select * from {{ source('dms', 'vehicles') }}
),

renamed as (
    select
        {{ clean_text('stock_number', 'upper') }} as stock_number,
        {{ clean_text('vin', 'upper') }} as vin,
        {{ clean_text('dealer_id', 'upper') }} as dealer_id,
        {{ clean_text('stock_type', 'lower') }} as stock_type,
        {{ clean_text('make') }} as make,
        {{ clean_text('model') }} as model,
        {{ clean_text('trim') }} as trim,
        model_year,
        {{ clean_text('body_style') }} as body_style,
        {{ clean_text('engine') }} as engine,
        {{ clean_text('transmission') }} as transmission,
        {{ clean_text('color') }} as color,
        mileage,
        condition_grade,
        {{ clean_text('acquisition_source', 'lower') }} as acquisition_source,
        acquired_date,
        acquisition_cost,
        recon_cost,
        list_price,
        {{ clean_text('pricing_strategy', 'lower') }} as pricing_strategy,
        {{ load_metadata_columns('acquired_date') }}
    from source
),

deduplicated as (
    {{ latest_per_key('renamed', ['stock_number']) }}
),

final as (
    select
        stock_number,
        vin,
        dealer_id,
        stock_type,
        make,
        model,
        trim,
        model_year,
        body_style,
        engine,
        transmission,
        color,
        mileage,
        condition_grade,
        acquisition_source,
        acquired_date,
        acquisition_cost,
        recon_cost,
        list_price,
        pricing_strategy,
        source_file,
        source_line,
        source_partition_date,
        load_id,
        loaded_at
    from deduplicated
)

select * from final
