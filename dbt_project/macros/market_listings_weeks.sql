{#
    The weeks an incremental market_listings_weekly run rebuilds, as ISO strings of their
    Mondays, sorted: the weeks of the market_listings files the load log shows loaded after the
    newest load in the table (its max source_loaded_at). A file holds the snapshots of its own
    day only (the loader rejects a row dated off its file's day), so a (re-)delivered file
    changes its own week and no other. The query reads a few rows per loaded file, never the
    listings' history. Every week the log knows when the table has no watermark yet (empty, or
    built by the model's earlier, non-incremental version without the column).
#}
{% macro market_listings_changed_weeks() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set built = adapter.get_columns_in_relation(this) | map(attribute='name')
                    | map('lower') | list -%}
    {%- set query -%}
        with load_log as (
            select * from {{ ref('stg_ingestion__load_log') }}
        ),

        watermark as (
            select
                {{ 'max(source_loaded_at)' if 'source_loaded_at' in built
                   else 'cast(null as ' ~ dbt.type_timestamp() ~ ')' }} as last_loaded_at
            from {{ this }}
        )

        select distinct
            cast({{ forecourt.week_start('load_log.partition_date') }} as {{ dbt.type_string() }})
                as week
        from load_log
        cross join watermark
        where load_log.feed = 'market_listings'
            and load_log.partition_date is not null
            and (watermark.last_loaded_at is null or load_log.loaded_at > watermark.last_loaded_at)
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | sort) }}
{%- endmacro %}

{#
    A filter: the week of `date_column` is one of `weeks` (Mondays, ISO strings, sorted).
    Literals, and a range around them, let the engine push the filter below the staging view's
    deduplication and skip the row groups outside the weeks (zone maps, Parquet statistics).
#}
{% macro in_weeks(date_column, weeks) -%}
    {%- if weeks | length == 0 -%}
        1 = 0
    {%- else -%}
        {%- set last_day = modules.datetime.date.fromisoformat(weeks[-1])
                           + modules.datetime.timedelta(days=6) -%}
        {{ date_column }} between cast('{{ weeks[0] }}' as date) and cast('{{ last_day }}' as date)
        and {{ forecourt.week_start(date_column) }} in ({{ forecourt.date_literals(weeks) }})
    {%- endif -%}
{%- endmacro %}

{# market_listings_weekly's pre-hook: remove the weeks the run rebuilds (none on a full build). #}
{% macro market_listings_weekly_remove_rebuilt_weeks() -%}
    {{ forecourt.delete_partitions('week_start', forecourt.market_listings_changed_weeks()) }}
{%- endmacro %}
