with source as (
    select * from {{ source('dms', 'customers') }}
),

renamed as (
    select
        {{ clean_text('customer_id', 'upper') }} as customer_id,
        {{ clean_text('customer_type', 'lower') }} as customer_type,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('company_name') }} as company_name,
        {{ clean_text('gender', 'upper') }} as gender,
        age,
        annual_income,
        {{ clean_text('city') }} as city,
        {{ clean_text('region') }} as region,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('email', 'lower') }} as email,
        created_date,
        {{ load_metadata_columns('created_date') }}
    from source
),

deduplicated as (
    {{ latest_per_key('renamed', ['customer_id']) }}
),

final as (
    select
        customer_id,
        customer_type,
        first_name,
        last_name,
        company_name,
        gender,
        age,
        annual_income,
        city,
        region,
        phone,
        email,
        created_date,
        source_file,
        source_line,
        source_partition_date,
        load_id,
        loaded_at
    from deduplicated
)

select * from final
