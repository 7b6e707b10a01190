{#
    The load log as incremental models read it: which feed's day was loaded when. A few rows
    per loaded file, so a model can find what changed since its last build without scanning
    the feeds' history.
#}
with source as (
    select * from {{ source('ingestion', 'load_log') }}
),

final as (
    select
        load_id,
        feed,
        partition_date,
        loaded_at,
        rows_added,
        rows_removed,
        rows_changed,
        coalesce(status, 'loaded') as status
    from source
)

select * from final
