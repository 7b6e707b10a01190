{#
    inventory_daily's pre-hook per adapter: remove the days the run rebuilds (from rebuild_from
    on), the days past the new last data day, and everything when there is no data
    (macros/inventory_daily_inputs.sql says why those days). DuckDB deletes them; Spark, whose
    Parquet tables have no DELETE, keeps the mart partitioned by date_day and drops those days'
    partitions. Either way the run then appends the rebuilt days.
#}
{% macro inventory_daily_remove_rebuilt_days() -%}
    {{ return(adapter.dispatch('inventory_daily_remove_rebuilt_days', 'forecourt')()) }}
{%- endmacro %}

{% macro default__inventory_daily_remove_rebuilt_days() -%}
    {{ forecourt.inventory_daily_delete_rebuilt_days() }}
{%- endmacro %}

{% macro spark__inventory_daily_remove_rebuilt_days() -%}
    {%- set days = [] -%}
    {%- if is_incremental() and execute -%}
        {%- set query -%}
            select distinct cast(date_day as string) as day
            from {{ this }}
            where exists (
                select 1
                from {{ forecourt.inventory_daily_plan_relation() }} as rebuild
                where rebuild.last_data_date is null
                    or date_day >= rebuild.rebuild_from
                    or date_day > rebuild.last_data_date
            )
            order by day
        {%- endset -%}
        {%- set days = run_query(query).columns[0].values() -%}
    {%- endif -%}
    {{ forecourt.spark_drop_day_partitions('date_day', days) }}
{%- endmacro %}
