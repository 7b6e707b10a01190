{#
    Competitor supply and asking prices per week (Monday), region, make and model. A listing
    seen twice in one week counts once, at its latest snapshot.
#}
with listings as (
    select * from {{ ref('stg_dms__market_listings') }}
),

weekly as (
    select
        {{ forecourt.week_start('snapshot_date') }} as week_start,
        listing_id,
        snapshot_date,
        region,
        competitor,
        make,
        model,
        model_year,
        mileage,
        asking_price,
        days_on_market,
        row_number() over (
            partition by listing_id, {{ forecourt.week_start('snapshot_date') }}
            order by snapshot_date desc
        ) as snapshot_rank
    from listings
),

latest_in_week as (
    select * from weekly
    where snapshot_rank = 1
),

final as (
    select
        week_start,
        region,
        make,
        model,
        cast(count(*) as integer) as listings,
        cast(count(distinct competitor) as integer) as competitors,
        cast({{ forecourt.median('asking_price') }} as decimal(12, 2)) as median_asking_price,
        cast(avg(asking_price) as decimal(12, 2)) as avg_asking_price,
        min(asking_price) as min_asking_price,
        max(asking_price) as max_asking_price,
        {{ forecourt.median('mileage') }} as median_mileage,
        {{ forecourt.median('days_on_market') }} as median_days_on_market,
        avg(cast(model_year as {{ forecourt.type_double() }})) as avg_model_year
    from latest_in_week
    group by week_start, region, make, model
)

select * from final
