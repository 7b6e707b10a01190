{# VIP against less-engaged customers: one row per engagement tier of mintclassics_customer_value. #}
with customers as (
    select * from {{ ref('mintclassics_customer_value') }}
),

grouped as (
    select
        engagement_tier,
        count(*) as customers,
        sum(orders) as orders,
        sum(lifetime_revenue) as lifetime_revenue,
        sum(lifetime_margin) as lifetime_margin,
        avg(lifetime_revenue) as avg_lifetime_revenue,
        avg(cast(orders as {{ forecourt.type_double() }})) as avg_orders,
        avg(credit_limit) as avg_credit_limit,
        avg(cast(days_since_last_order as {{ forecourt.type_double() }})) as avg_days_since_last_order
    from customers
    group by engagement_tier
),

final as (
    select
        cast(engagement_tier as {{ dbt.type_string() }}) as engagement_tier,
        cast(customers as integer) as customers,
        {{ forecourt.safe_divide('customers', 'sum(customers) over ()') }} as share_of_customers,
        cast(orders as integer) as orders,
        cast(lifetime_revenue as decimal(16, 2)) as lifetime_revenue,
        {{ forecourt.safe_divide('lifetime_revenue', 'sum(lifetime_revenue) over ()') }}
            as share_of_revenue,
        cast(lifetime_margin as decimal(16, 2)) as lifetime_margin,
        cast(avg_lifetime_revenue as {{ forecourt.type_double() }}) as avg_lifetime_revenue,
        avg_orders,
        {{ forecourt.safe_divide('lifetime_revenue', 'orders') }} as avg_order_value,
        cast(avg_credit_limit as {{ forecourt.type_double() }}) as avg_credit_limit,
        avg_days_since_last_order
    from grouped
)

select * from final
