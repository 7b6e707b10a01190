{# Definitions used by the reference analyses (models/reference/<data set>/marts). #}

{#
    Makes counted as luxury in luxury_purchases_by_gender: the premium brands of the US market
    in the Car Sales data's years. Change the list here, and only here.
#}
{% macro luxury_makes() -%}
    {{ return([
        'Acura', 'Audi', 'BMW', 'Cadillac', 'Infiniti', 'Jaguar', 'Lexus', 'Lincoln',
        'Mercedes-Benz', 'Porsche'
    ]) }}
{%- endmacro %}

{#
    Annual income bands wide enough for real customer files, where incomes run from ten
    thousand to millions (income_band in business_rules.sql stops at 150k+).
    Lower bounds inclusive; 'unknown' where the income is missing.
#}
{% macro wide_income_band(income_expr) -%}
    case
        when {{ income_expr }} is null then 'unknown'
        when {{ income_expr }} < 100000 then '1: <100k'
        when {{ income_expr }} < 250000 then '2: 100k-250k'
        when {{ income_expr }} < 500000 then '3: 250k-500k'
        when {{ income_expr }} < 1000000 then '4: 500k-1M'
        when {{ income_expr }} < 2000000 then '5: 1M-2M'
        else '6: 2M+'
    end
{%- endmacro %}

{#
    Restock status of a product from its weeks of cover (units in stock / average weekly units
    ordered): under a quarter's demand 'restock now', under a year's 'restock soon', over five
    years' 'overstocked'; no orders at all 'no demand'.
#}
{% macro restock_status(weeks_of_cover_expr, units_ordered_expr) -%}
    case
        when {{ units_ordered_expr }} = 0 then 'no demand'
        when {{ weeks_of_cover_expr }} < 13 then 'restock now'
        when {{ weeks_of_cover_expr }} < 52 then 'restock soon'
        when {{ weeks_of_cover_expr }} > 260 then 'overstocked'
        else 'ok'
    end
{%- endmacro %}

{#
    Engagement tier of a customer from the percent rank of their lifetime revenue among
    customers who ordered ((rank - 1) / (n - 1), ties share the lower rank): the top tenth
    'VIP', the bottom quarter 'less engaged', the rest 'regular'; no order 'no orders'.
#}
{% macro engagement_tier(orders_expr, revenue_rank_expr) -%}
    case
        when {{ orders_expr }} = 0 then 'no orders'
        when {{ revenue_rank_expr }} >= 0.9 then 'VIP'
        when {{ revenue_rank_expr }} < 0.25 then 'less engaged'
        else 'regular'
    end
{%- endmacro %}
