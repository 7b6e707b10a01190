with dealers as (
    select * from {{ ref('stg_dms__dealers') }}
),

final as (
    select
        dealer_id,
        dealer_name,
        city,
        region,
        country,
        opened_date,
        is_in_pricing_experiment
    from dealers
)

select * from final
