{#
    What an incremental fct_sales run rebuilds, as literals: the changed sale days
    (changed_sale_days over the load log), the deals in the raw sales rows of those days, and
    those deals' units and customers. Inlined into the model's SQL (macros/sales_joined.sql),
    they let DuckDB read those keys' rows of the staging views instead of deduplicating and
    joining every feed's whole history, as it does for a subquery.

    none (the model then filters the whole join by the changed days, as a full build reads it)
    when the lists would be long (a re-delivered stock file of an old day, a dealer change:
    more than max_keys deals) or when a raw sales row of those days has no deal number (the
    key filter could not find it).
#}
{% macro fct_sales_day_scope(max_keys=20000) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set days = forecourt.sale_days_to_rebuild() -%}
    {%- if not days -%}
        {{ return({'days': [], 'deals': [], 'stocks': [], 'customers': []}) }}
    {%- endif -%}
    {%- set day_list = forecourt.date_literals(days) -%}
    {#- the raw rows, not the staging view: the raw table is read by day, not deduplicated -#}
    {%- set sales = graph.sources['source.forecourt.dms.sales'].relation_name -%}
    {%- set deals_query -%}
        select distinct {{ forecourt.clean_text('deal_id', 'upper') }} as deal_id
        from {{ sales }}
        where coalesce(_partition_date, sale_date) in ({{ day_list }})
        limit {{ max_keys + 1 }}
    {%- endset -%}
    {%- set deals = run_query(deals_query).columns[0].values() -%}
    {%- if deals | length > max_keys or none in deals -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set keys_query -%}
        select distinct stock_number, customer_id
        from {{ ref('stg_dms__sales') }}
        {{ forecourt.where_in('deal_id', deals) }}
    {%- endset -%}
    {%- set keys = run_query(keys_query) -%}
    {{ return({
        'days': days,
        'deals': deals | list,
        'stocks': keys.columns[0].values() | reject('none') | unique | list,
        'customers': keys.columns[1].values() | reject('none') | unique | list,
    }) }}
{%- endmacro %}

{# ISO date strings as a list of SQL date literals. #}
{% macro date_literals(days) -%}
    {%- for day in days -%}
        cast('{{ day }}' as date){{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
