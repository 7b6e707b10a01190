{#
    A text value as a SQL string literal. Standard SQL doubles a quote; Spark SQL reads a
    backslash as an escape and joins adjacent literals ('O''Brien' is OBrien there), so it
    escapes both with a backslash.
#}
{% macro string_literal(value) -%}
    {{ return(adapter.dispatch('string_literal', 'forecourt')(value)) }}
{%- endmacro %}

{% macro default__string_literal(value) -%}
    {{- return("'" ~ (value | string).replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro spark__string_literal(value) -%}
    {{- return("'" ~ (value | string).replace("\\", "\\\\").replace("'", "\\'") ~ "'") -}}
{%- endmacro %}
