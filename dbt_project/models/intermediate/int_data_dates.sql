{#
    The calendar the data covers: first and last day of any dated feed's landing file.
    "Today" everywhere in the marts is last_data_date (never current_date), so a rebuild on
    the same data gives the same answer.
#}
with feed_days as (
    select source_partition_date as data_date from {{ ref('stg_dms__sales') }}
    union all
    select source_partition_date from {{ ref('stg_dms__vehicles') }}
    union all
    select source_partition_date from {{ ref('stg_dms__price_changes') }}
    union all
    select source_partition_date from {{ ref('stg_dms__customers') }}
    union all
    select source_partition_date from {{ ref('stg_dms__service_visits') }}
    union all
    select source_partition_date from {{ ref('stg_dms__market_listings') }}
),

final as (
    select
        min(data_date) as first_data_date,
        max(data_date) as last_data_date,
        count(distinct data_date) as data_days
    from feed_days
)

select * from final
