{#
    New against returning vehicle buyers per calendar month. A customer is new in the month of
    their first purchase (all their purchases that month count as new-customer units) and
    returning in any later month they buy. History starts with the data: in the first months
    almost every buyer looks new, because earlier purchases are not in the warehouse.
    Months without sales have zero rows; the first and last months may be partial.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

data_dates as (
    select * from {{ ref('int_data_dates') }}
),

months as (
    {{ forecourt.date_spine(
        'month',
        '(select ' ~ dbt.date_trunc('month', 'first_data_date') ~ ' from data_dates)',
        '(select ' ~ dbt.date_trunc('month', 'last_data_date') ~ ' from data_dates)'
    ) }}
),

first_purchases as (
    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'min(sale_date)') }} as date) as first_purchase_month
    from sales
    where customer_id is not null
    group by customer_id
),

classified as (
    select
        sales.sale_month,
        sales.customer_id,
        sales.sale_price,
        case
            when sales.sale_month = first_purchases.first_purchase_month then 'new'
            else 'returning'
        end as buyer_kind
    from sales
    inner join first_purchases
        on sales.customer_id = first_purchases.customer_id
),

monthly as (
    select
        sale_month,
        count(distinct case when buyer_kind = 'new' then customer_id end) as new_customers,
        count(distinct case when buyer_kind = 'returning' then customer_id end)
            as returning_customers,
        sum(case when buyer_kind = 'new' then 1 else 0 end) as new_customer_units,
        sum(case when buyer_kind = 'returning' then 1 else 0 end) as returning_customer_units,
        sum(case when buyer_kind = 'new' then sale_price else 0 end) as new_customer_revenue,
        sum(case when buyer_kind = 'returning' then sale_price else 0 end)
            as returning_customer_revenue
    from classified
    group by sale_month
),

spined as (
    select
        months.date_month as month_start,
        coalesce(monthly.new_customers, 0) as new_customers,
        coalesce(monthly.returning_customers, 0) as returning_customers,
        coalesce(monthly.new_customer_units, 0) as new_customer_units,
        coalesce(monthly.returning_customer_units, 0) as returning_customer_units,
        coalesce(monthly.new_customer_revenue, 0) as new_customer_revenue,
        coalesce(monthly.returning_customer_revenue, 0) as returning_customer_revenue
    from months
    left join monthly
        on months.date_month = monthly.sale_month
),

final as (
    select
        cast(month_start as date) as month_start,
        cast(new_customers as integer) as new_customers,
        cast(returning_customers as integer) as returning_customers,
        cast(new_customers + returning_customers as integer) as buying_customers,
        cast(new_customer_units as integer) as new_customer_units,
        cast(returning_customer_units as integer) as returning_customer_units,
        cast(new_customer_revenue as decimal(14, 2)) as new_customer_revenue,
        cast(returning_customer_revenue as decimal(14, 2)) as returning_customer_revenue,
        {{ forecourt.safe_divide('returning_customers', '(new_customers + returning_customers)') }}
            as share_returning,
        {{ forecourt.safe_divide(
            'returning_customer_revenue', '(new_customer_revenue + returning_customer_revenue)'
        ) }} as returning_revenue_share
    from spined
)

select * from final
