{#
    One row per period (`date_<datepart>`, a date) from start_date to end_date, both included.
    start_date and end_date are SQL expressions (columns of a one-row query, scalar subqueries,
    literals); when either is null the spine is empty. Periods are counted with a pure-SQL
    number generator (cross join of digits), so it runs on any adapter without a compile-time
    query; `max_periods_log10` caps its length (5 = 100,000 periods, 270 years of days).
#}
{% macro number_spine(max_periods_log10=5) -%}
    {{ return(adapter.dispatch('number_spine', 'forecourt')(max_periods_log10)) }}
{%- endmacro %}

{% macro default__number_spine(max_periods_log10) -%}
    {%- set digits -%}
        select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    {%- endset -%}
    select
        {% for i in range(max_periods_log10) -%}
        d{{ i }}.d * {{ 10 ** i }}{{ ' +' if not loop.last }}
        {% endfor -%} as period_index
    from
        {% for i in range(max_periods_log10) -%}
        ({{ digits }}) as d{{ i }}{{ ',' if not loop.last }}
        {% endfor %}
{%- endmacro %}

{% macro date_spine(datepart, start_date, end_date, max_periods_log10=5) -%}
    {{ return(adapter.dispatch('date_spine', 'forecourt')(datepart, start_date, end_date, max_periods_log10)) }}
{%- endmacro %}

{% macro default__date_spine(datepart, start_date, end_date, max_periods_log10) -%}
    select cast({{ dbt.dateadd(datepart, 'numbers.period_index', 'bounds.start_date') }} as date) as date_{{ datepart }}
    from ({{ forecourt.number_spine(max_periods_log10) }}) as numbers
    cross join (
        select
            cast({{ start_date }} as date) as start_date,
            cast({{ end_date }} as date) as end_date
    ) as bounds
    where bounds.start_date is not null
        and bounds.end_date is not null
        {% if datepart == 'week' -%}
        {#- adapters disagree on what a week difference is; count days instead -#}
        and numbers.period_index * 7 <= {{ dbt.datediff('bounds.start_date', 'bounds.end_date', 'day') }}
        {%- else -%}
        and numbers.period_index <= {{ dbt.datediff('bounds.start_date', 'bounds.end_date', datepart) }}
        {%- endif %}
{%- endmacro %}
