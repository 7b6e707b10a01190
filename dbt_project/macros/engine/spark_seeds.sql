{#
    Seeds on Spark with the values written into the INSERT as escaped literals. dbt-spark's own
    spark__load_csv_rows passes them as bindings, which its session method pastes into the SQL
    quoted but not escaped: "New Year's Day" breaks the statement and an empty cell becomes
    the string 'None'. Overrides dbt-spark's macro (the root project's wins); same statements
    on the other Spark methods.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(
                        col_name, adapter.convert_type(agate_table, loop.index0)
                    ) -%}
                    cast({{ forecourt.spark_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}

{# A CSV cell as a Spark SQL literal: null, true/false, a number, or a quoted, escaped string. #}
{% macro spark_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
