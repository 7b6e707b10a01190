{#
    New against returning customers per calendar month, by orders not cancelled: a customer is
    new in the month of their first order and returning in any later month they order.
    Months without orders have zeros; cumulative_customers counts customers acquired so far.
#}
with orders as (
    select * from {{ ref('stg_mintclassics__orders') }}
),

order_lines as (
    select * from {{ ref('stg_mintclassics__order_lines') }}
),

valid_orders as (
    select
        orders.order_number,
        orders.customer_number,
        cast({{ dbt.date_trunc('month', 'orders.order_date') }} as date) as order_month,
        sum(order_lines.line_revenue) as revenue
    from orders
    inner join order_lines
        on orders.order_number = order_lines.order_number
    where not orders.is_cancelled
    group by
        orders.order_number,
        orders.customer_number,
        cast({{ dbt.date_trunc('month', 'orders.order_date') }} as date)
),

first_orders as (
    select
        customer_number,
        min(order_month) as first_order_month
    from valid_orders
    group by customer_number
),

classified as (
    select
        valid_orders.*,
        case
            when valid_orders.order_month = first_orders.first_order_month then 'new'
            else 'returning'
        end as customer_kind
    from valid_orders
    inner join first_orders
        on valid_orders.customer_number = first_orders.customer_number
),

months as (
    {{ forecourt.date_spine(
        'month',
        '(select min(order_month) from valid_orders)',
        '(select max(order_month) from valid_orders)'
    ) }}
),

monthly as (
    select
        order_month,
        count(*) as orders,
        count(distinct case when customer_kind = 'new' then customer_number end) as new_customers,
        count(distinct case when customer_kind = 'returning' then customer_number end)
            as returning_customers,
        sum(case when customer_kind = 'new' then revenue else 0 end) as new_customer_revenue,
        sum(case when customer_kind = 'returning' then revenue else 0 end)
            as returning_customer_revenue
    from classified
    group by order_month
),

spined as (
    select
        months.date_month as month_start,
        coalesce(monthly.orders, 0) as orders,
        coalesce(monthly.new_customers, 0) as new_customers,
        coalesce(monthly.returning_customers, 0) as returning_customers,
        coalesce(monthly.new_customer_revenue, 0) as new_customer_revenue,
        coalesce(monthly.returning_customer_revenue, 0) as returning_customer_revenue
    from months
    left join monthly
        on months.date_month = monthly.order_month
),

final as (
    select
        cast(month_start as date) as month_start,
        cast(orders as integer) as orders,
        cast(new_customers as integer) as new_customers,
        cast(returning_customers as integer) as returning_customers,
        {{ forecourt.safe_divide('returning_customers', 'new_customers + returning_customers') }}
            as share_returning,
        cast(new_customer_revenue as decimal(16, 2)) as new_customer_revenue,
        cast(returning_customer_revenue as decimal(16, 2)) as returning_customer_revenue,
        cast(sum(new_customers) over (
            order by month_start rows between unbounded preceding and current row
        ) as integer) as cumulative_customers
    from spined
)

select * from final
