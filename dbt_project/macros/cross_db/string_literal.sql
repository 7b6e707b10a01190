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

{#
    Many text values as SQL string literals, comma separated: one dispatch and one filter
    chain for the whole list. A macro call per value (string_literal) took 5-7 s for the
    50,000 repair orders of a Monday at 100 rooftops, every time a list was rendered.
#}
{% macro string_literals(values) -%}
    {{ return(adapter.dispatch('string_literals', 'forecourt')(values)) }}
{%- endmacro %}

{% macro default__string_literals(values) -%}
    {{- return("'" ~ (values | map('string') | map('replace', "'", "''") | join("', '")) ~ "'") -}}
{%- endmacro %}

{% macro spark__string_literals(values) -%}
    {%- set escaped = values | map('string') | map('replace', "\\", "\\\\") | map('replace', "'", "\\'") -%}
    {{- return("'" ~ (escaped | join("', '")) ~ "'") -}}
{%- endmacro %}
