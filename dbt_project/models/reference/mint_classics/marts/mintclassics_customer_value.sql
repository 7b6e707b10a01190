{#
    Per customer (every account, with or without orders): orders not cancelled, units, lifetime
    revenue (the historical lifetime value), lifetime margin, payments received, average order
    value, tenure and recency as of the last order day of the data, and an engagement tier
    (engagement_tier() in macros/reference_analyses.sql: the top tenth by lifetime revenue VIP,
    the bottom quarter less engaged). customer_id matches the DMS feed ('MC-<number>'), so
    ml.customer_ltv's predicted value joins on it.
#}
with customers as (
    select * from {{ ref('stg_mintclassics__customers') }}
),

orders as (
    select * from {{ ref('stg_mintclassics__orders') }}
),

order_lines as (
    select * from {{ ref('stg_mintclassics__order_lines') }}
),

products as (
    select * from {{ ref('stg_mintclassics__products') }}
),

payments as (
    select * from {{ ref('stg_mintclassics__payments') }}
),

employees as (
    select * from {{ ref('stg_mintclassics__employees') }}
),

offices as (
    select * from {{ ref('stg_mintclassics__offices') }}
),

as_of as (
    select max(order_date) as as_of_date from orders
),

order_values as (
    select
        orders.customer_number,
        orders.order_number,
        orders.order_date,
        sum(order_lines.quantity_ordered) as units,
        sum(order_lines.line_revenue) as revenue,
        sum(order_lines.line_revenue - order_lines.quantity_ordered * products.buy_price) as margin
    from orders
    inner join order_lines
        on orders.order_number = order_lines.order_number
    left join products
        on order_lines.product_code = products.product_code
    where not orders.is_cancelled
    group by orders.customer_number, orders.order_number, orders.order_date
),

per_customer as (
    select
        customer_number,
        count(*) as orders,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        sum(units) as units,
        sum(revenue) as lifetime_revenue,
        sum(margin) as lifetime_margin
    from order_values
    group by customer_number
),

paid as (
    select
        customer_number,
        sum(amount) as payments_total
    from payments
    group by customer_number
),

joined as (
    select
        customers.customer_id,
        customers.customer_number,
        customers.customer_name,
        customers.country,
        offices.territory as sales_territory,
        offices.city as sales_office,
        customers.credit_limit,
        coalesce(per_customer.orders, 0) as orders,
        per_customer.first_order_date,
        per_customer.last_order_date,
        coalesce(per_customer.units, 0) as units,
        coalesce(per_customer.lifetime_revenue, 0) as lifetime_revenue,
        coalesce(per_customer.lifetime_margin, 0) as lifetime_margin,
        coalesce(paid.payments_total, 0) as payments_total,
        as_of.as_of_date
    from customers
    cross join as_of
    left join per_customer
        on customers.customer_number = per_customer.customer_number
    left join paid
        on customers.customer_number = paid.customer_number
    left join employees
        on customers.sales_rep_employee_number = employees.employee_number
    left join offices
        on employees.office_code = offices.office_code
),

ranked as (
    select
        *,
        case
            when orders > 0 then
                percent_rank() over (
                    partition by case when orders > 0 then 1 else 0 end
                    order by lifetime_revenue
                )
        end as revenue_percent_rank
    from joined
),

final as (
    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(customer_number as integer) as customer_number,
        cast(customer_name as {{ dbt.type_string() }}) as customer_name,
        cast(country as {{ dbt.type_string() }}) as country,
        cast(sales_territory as {{ dbt.type_string() }}) as sales_territory,
        cast(sales_office as {{ dbt.type_string() }}) as sales_office,
        cast(credit_limit as decimal(12, 2)) as credit_limit,
        cast(orders as integer) as orders,
        cast(first_order_date as date) as first_order_date,
        cast(last_order_date as date) as last_order_date,
        cast(units as integer) as units,
        cast(lifetime_revenue as decimal(16, 2)) as lifetime_revenue,
        cast(lifetime_margin as decimal(16, 2)) as lifetime_margin,
        cast(payments_total as decimal(16, 2)) as payments_total,
        {{ forecourt.safe_divide('lifetime_revenue', 'orders') }} as avg_order_value,
        cast({{ dbt.datediff('first_order_date', 'as_of_date', 'day') }} as integer) as tenure_days,
        cast({{ dbt.datediff('last_order_date', 'as_of_date', 'day') }} as integer)
            as days_since_last_order,
        cast(revenue_percent_rank as {{ forecourt.type_double() }}) as revenue_percent_rank,
        cast(
            {{ forecourt.engagement_tier('orders', 'revenue_percent_rank') }}
            as {{ dbt.type_string() }}
        ) as engagement_tier,
        cast(as_of_date as date) as as_of_date
    from ranked
)

select * from final
