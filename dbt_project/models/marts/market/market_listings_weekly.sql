{#
    Competitor supply and asking prices per week (Monday), region, make and model. A listing
    seen twice in one week counts once, at its latest snapshot.

    Incremental by week: a run rebuilds, whole, the weeks whose market_listings files the load
    log shows loaded since the table's newest load (macros/market_listings_weeks.sql); the
    pre-hook removes those weeks first, so a week re-delivered empty vanishes. Built whole on
    every run, the mart read and ranked every snapshot of the history each day: at 8.6M
    snapshots the full build spilled until the disk was full, and the daily run grew with the
    history. A full refresh gives the same rows.

    The latest snapshot per listing and week comes from an aggregate (forecourt.max_by: each
    column at the max snapshot_date), not a row_number() window over every snapshot: at 8.6M
    snapshots (4GB, 2 threads) the aggregate builds whole in 31 s without spilling, where the
    window failed after 3GB of spill (bench/results_issue16_market_listings_weekly.json). No
    tie: staging keeps one row per listing_id and snapshot_date (the feed's key, deduplicated by
    latest_per_key and tested unique there).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=forecourt.replace_days_strategy(),
        partition_by=forecourt.replace_days_partition_by('week_start'),
        unique_key='week_start',
        on_schema_change='append_new_columns',
        pre_hook="{{ forecourt.market_listings_weekly_remove_rebuilt_weeks() }}"
    )
}}

-- the load log, read by macros/market_listings_weeks.sql to find the weeks to rebuild:
-- depends_on: {{ ref('stg_ingestion__load_log') }}
{%- set weeks = forecourt.market_listings_changed_weeks() if is_incremental() else none %}

with listings as (
    select * from {{ ref('stg_dms__market_listings') }}
),

to_load as (
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
        loaded_at
    from listings
    {%- if weeks is not none %}
    where {{ forecourt.in_weeks('snapshot_date', weeks) }}
    {%- endif %}
),

latest_in_week as (
    select
        week_start,
        listing_id,
        {{ forecourt.max_by('region', 'snapshot_date') }} as region,
        {{ forecourt.max_by('competitor', 'snapshot_date') }} as competitor,
        {{ forecourt.max_by('make', 'snapshot_date') }} as make,
        {{ forecourt.max_by('model', 'snapshot_date') }} as model,
        {{ forecourt.max_by('model_year', 'snapshot_date') }} as model_year,
        {{ forecourt.max_by('mileage', 'snapshot_date') }} as mileage,
        {{ forecourt.max_by('asking_price', 'snapshot_date') }} as asking_price,
        {{ forecourt.max_by('days_on_market', 'snapshot_date') }} as days_on_market,
        -- every snapshot read, not only the latest: the watermark covers all the week's inputs
        max(loaded_at) as loaded_at
    from to_load
    group by week_start, listing_id
),

-- Competitors per group counted apart: at 8.6M snapshots (DuckDB, 6 GB) an aggregate holding
-- count(distinct) and the medians' value lists for the same groups failed after 7.4 GB of
-- spill, where either alone took 9-18 s (bench/results_issue16_full_1824_probes.json).
competitors as (
    select
        week_start,
        region,
        make,
        model,
        cast(count(*) as integer) as competitors
    from (
        select distinct week_start, region, make, model, competitor
        from latest_in_week
        where competitor is not null
    ) as group_competitors
    group by week_start, region, make, model
),

prices as (
    select
        week_start,
        region,
        make,
        model,
        cast(count(*) as integer) as listings,
        cast({{ forecourt.median('asking_price') }} as decimal(12, 2)) as median_asking_price,
        cast(avg(asking_price) as decimal(12, 2)) as avg_asking_price,
        min(asking_price) as min_asking_price,
        max(asking_price) as max_asking_price,
        {{ forecourt.median('mileage') }} as median_mileage,
        {{ forecourt.median('days_on_market') }} as median_days_on_market,
        avg(cast(model_year as {{ forecourt.type_double() }})) as avg_model_year,
        cast(max(loaded_at) as {{ dbt.type_timestamp() }}) as source_loaded_at
    from latest_in_week
    group by week_start, region, make, model
),

final as (
    select
        prices.week_start,
        prices.region,
        prices.make,
        prices.model,
        prices.listings,
        coalesce(competitors.competitors, 0) as competitors,
        prices.median_asking_price,
        prices.avg_asking_price,
        prices.min_asking_price,
        prices.max_asking_price,
        prices.median_mileage,
        prices.median_days_on_market,
        prices.avg_model_year,
        prices.source_loaded_at
    from prices
    -- region, make and model may be null (a listing's latest snapshot left one out): such a
    -- group joins its own competitors, as group by put them together
    left join competitors
        on prices.week_start = competitors.week_start
        and prices.region is not distinct from competitors.region
        and prices.make is not distinct from competitors.make
        and prices.model is not distinct from competitors.model
)

select * from final
