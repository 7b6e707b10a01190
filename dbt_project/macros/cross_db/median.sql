{# Median of a numeric expression as an aggregate; no cross-database macro ships with dbt. #}
{% macro median(expr) -%}
    {{ return(adapter.dispatch('median', 'forecourt')(expr)) }}
{%- endmacro %}

{% macro default__median(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__median(expr) -%}
    quantile_cont({{ expr }}, 0.5)
{%- endmacro %}

{% macro spark__median(expr) -%}
    percentile({{ expr }}, 0.5)
{%- endmacro %}

{% macro bigquery__median(expr) -%}
    {#- BigQuery has no ordered-set median aggregate; approximate with 100 quantiles. -#}
    approx_quantiles({{ expr }}, 100)[offset(50)]
{%- endmacro %}
