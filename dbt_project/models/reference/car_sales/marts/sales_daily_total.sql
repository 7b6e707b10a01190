{#
    Units and revenue of the whole group per calendar day, from the first to the last data day
    (days without sales are zeros), with trailing 3- and 7-day moving averages that end on the
    day itself; over the first days they average the days there are.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

data_dates as (
    select * from {{ ref('int_data_dates') }}
),

days as (
    {{ forecourt.date_spine(
        'day',
        '(select first_data_date from data_dates)',
        '(select last_data_date from data_dates)'
    ) }}
),

daily as (
    select
        sale_date,
        count(*) as units_sold,
        sum(sale_price) as revenue
    from sales
    group by sale_date
),

spined as (
    select
        days.date_day,
        coalesce(daily.units_sold, 0) as units_sold,
        coalesce(daily.revenue, 0) as revenue
    from days
    left join daily
        on days.date_day = daily.sale_date
),

averaged as (
    select
        *,
        -- sqlfluff misplaces the indent of a Jinja loop in a select list
        -- noqa: disable=LT02
        {% for window in [3, 7] -%}
        avg(cast(units_sold as {{ forecourt.type_double() }})) over (
            order by date_day rows between {{ window - 1 }} preceding and current row
        ) as units_sold_ma_{{ window }}d,
        avg(cast(revenue as {{ forecourt.type_double() }})) over (
            order by date_day rows between {{ window - 1 }} preceding and current row
        ) as revenue_ma_{{ window }}d{{ ',' if not loop.last }}
        {% endfor %}
    -- noqa: enable=LT02
    from spined
),

final as (
    select
        cast(date_day as date) as date_day,
        cast(units_sold as integer) as units_sold,
        cast(revenue as decimal(16, 2)) as revenue,
        units_sold_ma_3d,
        revenue_ma_3d,
        units_sold_ma_7d,
        revenue_ma_7d
    from averaged
)

select * from final
