{#
    Incremental models that replace whole days (fct_sales: by landing-file day), per adapter:
    DuckDB (and any adapter with transactions and DELETE) uses delete+insert on the day column;
    Spark overwrites the day partitions it writes (insert_overwrite, table partitioned by the
    day) and drops, in the pre-hook, the partitions of days gone from the source.
    Use in the config block:
        incremental_strategy=forecourt.replace_days_strategy(),
        partition_by=forecourt.replace_days_partition_by('day_column'),
        unique_key='day_column',
#}
{% macro replace_days_strategy() -%}
    {{ return(adapter.dispatch('replace_days_strategy', 'forecourt')()) }}
{%- endmacro %}

{% macro default__replace_days_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__replace_days_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{% macro replace_days_partition_by(day_column) -%}
    {{ return(adapter.dispatch('replace_days_partition_by', 'forecourt')(day_column)) }}
{%- endmacro %}

{% macro default__replace_days_partition_by(day_column) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__replace_days_partition_by(day_column) -%}
    {{ return([day_column]) }}
{%- endmacro %}

{#
    Pre-hook for partition-replacing incremental models: remove target rows whose partition no
    longer has any row in the source (a day re-delivered empty), which the replacing insert
    alone cannot see. Does nothing on a first build or a full refresh.
#}
{% macro delete_vanished_partitions(source_relation, partition_column) -%}
    {{ return(adapter.dispatch('delete_vanished_partitions', 'forecourt')(source_relation, partition_column)) }}
{%- endmacro %}

{% macro default__delete_vanished_partitions(source_relation, partition_column) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ partition_column }} not in (
            select {{ partition_column }}
            from {{ source_relation }}
            where {{ partition_column }} is not null
        )
    {%- else -%}
        select 1 as no_vanished_partitions_to_delete
    {%- endif -%}
{%- endmacro %}

{#- Spark has no DELETE on Parquet tables: drop the vanished days' partitions instead. -#}
{% macro spark__delete_vanished_partitions(source_relation, partition_column) -%}
    {%- set vanished = [] -%}
    {%- if is_incremental() and execute -%}
        {%- set query -%}
            select distinct cast({{ partition_column }} as string) as day
            from {{ this }}
            where {{ partition_column }} not in (
                select {{ partition_column }}
                from {{ source_relation }}
                where {{ partition_column }} is not null
            )
            order by day
        {%- endset -%}
        {%- set vanished = run_query(query).columns[0].values() -%}
    {%- endif -%}
    {{ forecourt.spark_drop_day_partitions(partition_column, vanished) }}
{%- endmacro %}

{#
    One statement that drops the partitions of `days` (ISO date strings) of {{ this }}, or a
    no-op select when there are none (a hook must still be one statement).
#}
{% macro spark_drop_day_partitions(partition_column, days) -%}
    {%- if days | length > 0 -%}
        alter table {{ this }} drop if exists
        {%- for day in days %}
            partition ({{ partition_column }} = date'{{ day }}'){{ ',' if not loop.last }}
        {%- endfor %}
    {%- else -%}
        select 1 as no_partitions_to_drop
    {%- endif -%}
{%- endmacro %}

{#
    Pre-hook for models that rebuild a list of partitions known before the run
    (market_listings_weekly: the weeks whose files were loaded since its last build): remove
    those partitions first, so one rebuilt with no row left (a week re-delivered empty) is gone
    too, which the replacing insert alone cannot see. `days`: ISO date strings.
#}
{% macro delete_partitions(partition_column, days) -%}
    {{ return(adapter.dispatch('delete_partitions', 'forecourt')(partition_column, days)) }}
{%- endmacro %}

{% macro default__delete_partitions(partition_column, days) -%}
    {%- if days | length > 0 -%}
        delete from {{ this }}
        where {{ partition_column }} in ({{ forecourt.date_literals(days) }})
    {%- else -%}
        select 1 as no_partitions_to_delete
    {%- endif -%}
{%- endmacro %}

{% macro spark__delete_partitions(partition_column, days) -%}
    {{ forecourt.spark_drop_day_partitions(partition_column, days) }}
{%- endmacro %}
