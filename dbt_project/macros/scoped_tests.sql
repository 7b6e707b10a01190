{#
    Tests of an incremental mart scoped to the days a daily run rebuilt.

    A daily run rebuilds a day or two of fct_sales and inventory_daily; testing their whole
    history again each morning costs more than building them. When the run sets
    FORECOURT_DBT_TESTS_FROM (a day; orchestration/assets/dbt.py does for a one-day run), a
    generic test of a model whose meta names `tests_scoped_by` (its partition column) reads only
    the rows from that day on. Every other test, and every run without the variable (a backfill,
    the demo, Sunday's run, dbt by hand), reads whole tables, so the full pass still happens
    weekly. dbt's own `where` config still applies, and-ed with the scope.
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set clauses = [config.get('where', ''), forecourt.test_scope_clause()] | select | list -%}
    {%- if clauses -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ clauses | join(' and ')
                      ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{% macro test_scope_clause() -%}
    {#- read at run time only: a variable read while parsing would force a re-parse per day -#}
    {%- if not execute or not model.attached_node -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set since = env_var('FORECOURT_DBT_TESTS_FROM', '') -%}
    {%- set node = graph.nodes.get(model.attached_node) -%}
    {%- set column = ((node or {}).get('config', {}).get('meta') or {}).get('tests_scoped_by') -%}
    {%- if not since or not column -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- do return(column ~ " >= cast('" ~ since ~ "' as date)") -%}
{%- endmacro %}
