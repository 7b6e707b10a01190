{#
    Month-over-month compares with the previous calendar month, year-over-year with the same
    month a year earlier (null where that month is outside the data). The first and last
    months can be partial: see days_with_data.
#}
with daily as (
    select * from {{ ref('sales_daily') }}
),

by_dealer as (
    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        'dealer' as level,
        dealer_id,
        sum(units_sold) as units_sold,
        sum(revenue) as revenue,
        sum(gross_profit) as gross_profit,
        count(distinct date_day) as days_with_data
    from daily
    group by {{ dbt.date_trunc('month', 'date_day') }}, dealer_id
),

by_group as (
    select
        month_start,
        'group' as level,
        cast(null as {{ dbt.type_string() }}) as dealer_id,
        sum(units_sold) as units_sold,
        sum(revenue) as revenue,
        sum(gross_profit) as gross_profit,
        max(days_with_data) as days_with_data
    from by_dealer
    group by month_start
),

unioned as (
    select * from by_dealer
    union all
    select * from by_group
),

keyed as (
    select
        *,
        coalesce(dealer_id, '(group)') as series_key
    from unioned
),

compared as (
    select
        cur.*,
        prev_month.units_sold as prev_month_units_sold,
        prev_month.revenue as prev_month_revenue,
        prev_month.gross_profit as prev_month_gross_profit,
        prev_year.units_sold as prev_year_units_sold,
        prev_year.revenue as prev_year_revenue,
        prev_year.gross_profit as prev_year_gross_profit
    from keyed as cur
    left join keyed as prev_month
        on cur.series_key = prev_month.series_key
        and prev_month.month_start = cast({{ dbt.dateadd('month', -1, 'cur.month_start') }} as date)
    left join keyed as prev_year
        on cur.series_key = prev_year.series_key
        and prev_year.month_start = cast({{ dbt.dateadd('month', -12, 'cur.month_start') }} as date)
),

ranked as (
    select
        *,
        row_number() over (
            partition by series_key, {{ dbt.date_trunc('year', 'month_start') }}
            order by units_sold desc, revenue desc, month_start asc
        ) as rank_in_year
    from compared
),

final as (
    select
        month_start,
        level,
        dealer_id,
        cast(units_sold as integer) as units_sold,
        cast(revenue as decimal(14, 2)) as revenue,
        cast(gross_profit as decimal(14, 2)) as gross_profit,
        cast(days_with_data as integer) as days_with_data,
        cast(units_sold - prev_month_units_sold as integer) as units_sold_mom_change,
        {{ forecourt.safe_divide('units_sold - prev_month_units_sold', 'prev_month_units_sold') }}
            as units_sold_mom_pct,
        {{ forecourt.safe_divide('revenue - prev_month_revenue', 'prev_month_revenue') }}
            as revenue_mom_pct,
        {{ forecourt.safe_divide('gross_profit - prev_month_gross_profit', 'prev_month_gross_profit') }}
            as gross_profit_mom_pct,
        cast(units_sold - prev_year_units_sold as integer) as units_sold_yoy_change,
        {{ forecourt.safe_divide('units_sold - prev_year_units_sold', 'prev_year_units_sold') }}
            as units_sold_yoy_pct,
        {{ forecourt.safe_divide('revenue - prev_year_revenue', 'prev_year_revenue') }}
            as revenue_yoy_pct,
        {{ forecourt.safe_divide('gross_profit - prev_year_gross_profit', 'prev_year_gross_profit') }}
            as gross_profit_yoy_pct,
        rank_in_year = 1 and units_sold > 0 as is_peak_month
    from ranked
)

select * from final
