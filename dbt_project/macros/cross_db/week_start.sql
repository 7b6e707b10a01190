{#
    The Monday that starts the (ISO) week of a date, as a date. dbt.date_trunc('week') starts
    weeks on Monday on DuckDB, Postgres, Spark, Databricks and Redshift; BigQuery needs isoweek.
#}
{% macro week_start(date_expr) -%}
    {{ return(adapter.dispatch('week_start', 'forecourt')(date_expr)) }}
{%- endmacro %}

{% macro default__week_start(date_expr) -%}
    cast({{ dbt.date_trunc('week', date_expr) }} as date)
{%- endmacro %}

{% macro bigquery__week_start(date_expr) -%}
    date_trunc({{ date_expr }}, isoweek)
{%- endmacro %}

{% macro snowflake__week_start(date_expr) -%}
    cast(dateadd('day', 1 - dayofweekiso({{ date_expr }}), {{ date_expr }}) as date)
{%- endmacro %}
