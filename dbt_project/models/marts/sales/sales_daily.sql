{#
    Moving averages are trailing windows ending on the day itself. On the first days of the
    data fewer days exist than the window, and the average is taken over the days there are.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

dealers as (
    select * from {{ ref('dim_dealers') }}
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

all_dealers as (
    select dealer_id, region from dealers
    union
    select sales.dealer_id, sales.region from sales
    where sales.dealer_id not in (select dealers.dealer_id from dealers)
),

daily_sales as (
    select
        sale_date,
        dealer_id,
        count(*) as units_sold,
        sum(sale_price) as revenue,
        sum(gross_profit) as gross_profit
    from sales
    group by sale_date, dealer_id
),

spined as (
    select
        days.date_day,
        all_dealers.dealer_id,
        all_dealers.region,
        coalesce(daily_sales.units_sold, 0) as units_sold,
        coalesce(daily_sales.revenue, 0) as revenue,
        coalesce(daily_sales.gross_profit, 0) as gross_profit
    from days
    cross join all_dealers
    left join daily_sales
        on days.date_day = daily_sales.sale_date
        and all_dealers.dealer_id = daily_sales.dealer_id
),

averaged as (
    select
        *,
        -- sqlfluff misplaces the indent of a Jinja loop in a select list
        -- noqa: disable=LT02
        {% for window in [3, 7, 28] -%}
        avg(cast(units_sold as {{ forecourt.type_double() }})) over (
            partition by dealer_id order by date_day
            rows between {{ window - 1 }} preceding and current row
        ) as units_sold_ma_{{ window }}d,
        avg(cast(revenue as {{ forecourt.type_double() }})) over (
            partition by dealer_id order by date_day
            rows between {{ window - 1 }} preceding and current row
        ) as revenue_ma_{{ window }}d{{ ',' if not loop.last }}
        {% endfor %}
    -- noqa: enable=LT02
    from spined
),

final as (
    select
        cast(date_day as date) as date_day,
        dealer_id,
        region,
        cast(units_sold as integer) as units_sold,
        cast(revenue as decimal(14, 2)) as revenue,
        cast(gross_profit as decimal(14, 2)) as gross_profit,
        units_sold_ma_3d,
        units_sold_ma_7d,
        units_sold_ma_28d,
        revenue_ma_3d,
        revenue_ma_7d,
        revenue_ma_28d
    from averaged
)

select * from final
