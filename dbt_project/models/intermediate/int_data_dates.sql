{#
    The calendar the data covers: first and last day of any dated feed's landing file.
    "Today" everywhere in the marts is last_data_date (never current_date), so a rebuild on
    the same data gives the same answer.

    A table, not a view like the rest of this layer: a dozen marts, inventory_daily's change
    detection and the not_in_future tests read it, and as a view each read re-ran the
    deduplication of every dated feed's whole history (1.5 s at a year of 25 rooftops, per
    read). Every build that loads data rebuilds it first, as it is upstream of every mart.
#}
{{ config(materialized='table') }}

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
