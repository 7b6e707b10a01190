{#
    The sale days fct_sales must rebuild: a select of `source_partition_date` over the load
    log (`load_log`, a CTE of stg_ingestion__load_log) and a one-row CTE `watermark` holding
    `last_loaded_at`, the newest input load the table was built from. It reads a few rows per
    loaded file, never the feeds' history, so a daily run costs the same at any history.

    A sale day's rows depend on its own sales file and on the units, price changes, customers
    and dealers they join to. Since each daily feed's rows sit in the file of their own day (the
    loader rejects a row dated off its file's day), a re-delivered vehicles, price_changes or
    customers file of day P can only change sales on P or later: a unit is sold after it is
    acquired and marked down, a customer is created by their first purchase or service.
    The dealers feed is reloaded whole by every run, so it counts only when the load log saw a
    dealer added, removed or changed; then every day is rebuilt.
#}
{% macro changed_sale_days(load_log='load_log', watermark='watermark') -%}
    with loads_since as (
        select
            {{ load_log }}.feed,
            {{ load_log }}.partition_date,
            coalesce({{ load_log }}.rows_added, 1) + coalesce({{ load_log }}.rows_removed, 1)
                + coalesce({{ load_log }}.rows_changed, 1) as rows_touched
        from {{ load_log }}
        cross join {{ watermark }}
        where {{ watermark }}.last_loaded_at is null
            or {{ load_log }}.loaded_at > {{ watermark }}.last_loaded_at
    ),

    sale_days as (
        select distinct partition_date
        from {{ load_log }}
        where feed = 'sales' and partition_date is not null
    ),

    rebuild_from as (
        select min(partition_date) as first_day
        from loads_since
        where feed in ('vehicles', 'price_changes', 'customers')
    ),

    dealers_changed as (
        select count(*) > 0 as any_change
        from loads_since
        where feed = 'dealers' and rows_touched > 0
    )

    select partition_date as source_partition_date
    from loads_since
    where feed = 'sales' and partition_date is not null
    union
    select sale_days.partition_date as source_partition_date
    from sale_days
    cross join rebuild_from
    cross join dealers_changed
    where sale_days.partition_date >= rebuild_from.first_day
        or dealers_changed.any_change
{%- endmacro %}

{#
    The sale days a model built from fct_sales' days must rebuild, as sorted ISO strings:
    changed_sale_days against the newest source_loaded_at of {{ this }}'s rows that match
    `rows` (a condition; all rows by default).
#}
{% macro sale_days_to_rebuild(rows='1 = 1') -%}
    {%- set query -%}
        with load_log as (
            select * from {{ ref('stg_ingestion__load_log') }}
        ),

        watermark as (
            select max(source_loaded_at) as last_loaded_at
            from {{ this }}
            where {{ rows }}
        ),

        changed_days as (
            {{ forecourt.changed_sale_days('load_log', 'watermark') }}
        )

        select distinct cast(source_partition_date as {{ dbt.type_string() }}) as day
        from changed_days
        where source_partition_date is not null
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | sort) }}
{%- endmacro %}
