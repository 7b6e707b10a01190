{#
    A 64-bit hash of a row's values, for fingerprints that are summed over many rows (see
    macros/inventory_daily_inputs.sql). The values are joined into one text first, each null
    spelt out: Spark's hash functions skip a null argument, so (null, 'x') and ('x', null)
    would hash alike. Returned as decimal(38, 0), so a sum over millions of rows cannot
    overflow on either engine. Stable within an engine and its version; a hash that changes
    with an upgrade only makes the next comparison see every day as changed.
#}
{% macro row_hash(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string()
            ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('row_hash', 'forecourt')("concat_ws('|', " ~ parts | join(', ') ~ ")")) }}
{%- endmacro %}

{#- Spark and Databricks: xxhash64 gives a signed 64-bit integer. -#}
{% macro default__row_hash(text) -%}
    cast(xxhash64({{ text }}) as decimal(38, 0))
{%- endmacro %}

{#- DuckDB: hash gives an unsigned 64-bit integer. -#}
{% macro duckdb__row_hash(text) -%}
    cast(hash({{ text }}) as decimal(38, 0))
{%- endmacro %}
