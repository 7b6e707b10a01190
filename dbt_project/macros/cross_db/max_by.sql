{#
    The value of `value_expr` on the row where `order_expr` is largest, as an aggregate: the
    latest version of each column of a group in one pass, where a row_number() window would
    sort every row of the history. A NULL value on that row is returned as NULL (not the
    value of an older row). Rows with a NULL `order_expr` are skipped. The caller makes
    `order_expr` unique within a group: on a tie the engine picks any of the tied rows.
#}
{% macro max_by(value_expr, order_expr) -%}
    {{ return(adapter.dispatch('max_by', 'forecourt')(value_expr, order_expr)) }}
{%- endmacro %}

{#- Spark and Databricks: max_by keeps a NULL value of the latest row. -#}
{% macro default__max_by(value_expr, order_expr) -%}
    max_by({{ value_expr }}, {{ order_expr }})
{%- endmacro %}

{#- DuckDB's arg_max and max_by skip rows whose value is NULL; arg_max_null does not. -#}
{% macro duckdb__max_by(value_expr, order_expr) -%}
    arg_max_null({{ value_expr }}, {{ order_expr }})
{%- endmacro %}
