{#
    The calendar the data covers: first and last day of any dated feed's landing file.
    "Today" everywhere in the marts is last_data_date (never current_date), so a rebuild on
    the same data gives the same answer.

    Read from the raw tables, not the staging views: the day a row was delivered does not
    depend on which version of its key is the latest, and the staging views' deduplication
    of every dated feed's whole history is what made this model grow with history (a full
    sort of 98M rows at five years of 100 rooftops spilled until the disk was full). The
    partition date is the staging layer's: the landing file's day, else the row's own date.

    A table, not a view like the rest of this layer: a dozen marts, inventory_daily's change
    detection and the not_in_future tests read it. Every build that loads data rebuilds it
    first, as it is upstream of every mart.
#}
{{ config(materialized='table') }}

{%- set dated_feeds = [
    ('sales', 'sale_date'),
    ('vehicles', 'acquired_date'),
    ('price_changes', 'changed_date'),
    ('customers', 'created_date'),
    ('service_visits', 'visit_date'),
    ('market_listings', 'snapshot_date'),
] %}

with feed_days as (
    {%- for feed, row_date in dated_feeds %}
    select coalesce(_partition_date, {{ row_date }}) as data_date
    from {{ source('dms', feed) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        min(data_date) as first_data_date,
        max(data_date) as last_data_date,
        count(distinct data_date) as data_days
    from feed_days
)

select * from final
