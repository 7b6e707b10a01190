{#
    Staging clean-up of a text column: trim, empty string to null, and optionally
    case = 'lower' (enums, emails) or 'upper' (codes, VINs).
#}
{% macro clean_text(column_name, case=none) -%}
    {%- set trimmed = "nullif(trim(" ~ column_name ~ "), '')" -%}
    {%- if case == 'lower' -%}
        lower({{ trimmed }})
    {%- elif case == 'upper' -%}
        upper({{ trimmed }})
    {%- else -%}
        {{ trimmed }}
    {%- endif -%}
{%- endmacro %}

{# The load metadata every staging model carries, renamed without the leading underscore. #}
{% macro load_metadata_columns(partition_fallback='null') -%}
        _source_file as source_file,
        _source_line as source_line,
        coalesce(_partition_date, {{ partition_fallback }}) as source_partition_date,
        _load_id as load_id,
        _loaded_at as loaded_at
{%- endmacro %}
