{#
    The trend per body style: units and revenue per calendar month and body style, with the
    body style's share of the month's units and its change against the previous month.
    Only months and body styles with sales have rows; missing body styles are '(unknown)'.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

monthly as (
    select
        sale_month,
        coalesce(body_style, '(unknown)') as body_style,
        count(*) as units_sold,
        sum(sale_price) as revenue,
        avg(sale_price) as avg_price
    from sales
    group by sale_month, coalesce(body_style, '(unknown)')
),

with_totals as (
    select
        *,
        sum(units_sold) over (partition by sale_month) as month_units,
        lag(units_sold) over (partition by body_style order by sale_month) as prev_units_sold,
        lag(sale_month) over (partition by body_style order by sale_month) as prev_month
    from monthly
),

final as (
    select
        cast(sale_month as date) as month_start,
        cast(body_style as {{ dbt.type_string() }}) as body_style,
        cast(units_sold as integer) as units_sold,
        cast(revenue as decimal(16, 2)) as revenue,
        cast(avg_price as {{ forecourt.type_double() }}) as avg_price,
        {{ forecourt.safe_divide('units_sold', 'month_units') }} as share_of_month_units,
        case
            when prev_month = cast({{ dbt.dateadd('month', -1, 'sale_month') }} as date)
                then cast(units_sold - prev_units_sold as integer)
        end as units_sold_mom_change
    from with_totals
)

select * from final
