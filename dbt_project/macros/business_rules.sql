{# Business definitions shared by several models, so every mart buckets and bands the same way. #}

{# Stock age bucket from a number of days in stock: '0-30', '31-45', '46-60', '60+'. #}
{% macro age_bucket(days_expr) -%}
    case
        when {{ days_expr }} is null then null
        when {{ days_expr }} <= 30 then '0-30'
        when {{ days_expr }} <= 45 then '31-45'
        when {{ days_expr }} <= 60 then '46-60'
        else '60+'
    end
{%- endmacro %}

{# Annual income band; 'unknown' where the income is missing (fleet buyers, undisclosed). #}
{% macro income_band(income_expr) -%}
    case
        when {{ income_expr }} is null then 'unknown'
        when {{ income_expr }} < 25000 then '<25k'
        when {{ income_expr }} < 50000 then '25k-50k'
        when {{ income_expr }} < 75000 then '50k-75k'
        when {{ income_expr }} < 100000 then '75k-100k'
        when {{ income_expr }} < 150000 then '100k-150k'
        else '150k+'
    end
{%- endmacro %}

{# numerator / denominator, null (not an error) when the denominator is zero or null. #}
{% macro safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast(({{ numerator }}) as {{ forecourt.type_double() }}) / ({{ denominator }})
    end
{%- endmacro %}

{#
    "Today" for reproducible results: the last day seen in the data (never current_date),
    as a scalar subquery on int_data_dates.
#}
{% macro max_data_date() -%}
    (select last_data_date from {{ ref('int_data_dates') }})
{%- endmacro %}
