{#
    Returning against first-time buyers over the whole history, by the customer identity the
    source supports (a DMS customer number; for Car Sales the importer's rule: first name +
    phone + gender + annual income). For comparison, the same count by first name alone,
    which is what an analysis of a first-name-only file gets if it takes names for people.
    One row.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

per_customer as (
    select
        customer_id,
        count(*) as purchases
    from sales
    where customer_id is not null
    group by customer_id
),

per_first_name as (
    select
        lower(customers.first_name) as first_name,
        count(*) as purchases
    from sales
    inner join customers
        on sales.customer_id = customers.customer_id
    where customers.first_name is not null
    group by lower(customers.first_name)
),

by_customer as (
    select
        count(*) as buying_customers,
        sum(case when purchases = 1 then 1 else 0 end) as first_time_only_customers,
        sum(case when purchases > 1 then 1 else 0 end) as returning_customers,
        sum(purchases) as purchases,
        sum(case when purchases > 1 then purchases - 1 else 0 end) as repeat_purchases
    from per_customer
),

by_first_name as (
    select
        count(*) as distinct_first_names,
        sum(case when purchases > 1 then 1 else 0 end) as first_names_on_several_purchases
    from per_first_name
),

final as (
    select
        cast(by_customer.buying_customers as integer) as buying_customers,
        cast(by_customer.first_time_only_customers as integer) as first_time_only_customers,
        cast(by_customer.returning_customers as integer) as returning_customers,
        {{ forecourt.safe_divide('by_customer.returning_customers', 'by_customer.buying_customers') }}
            as share_returning_customers,
        cast(by_customer.purchases as integer) as purchases,
        cast(by_customer.repeat_purchases as integer) as repeat_purchases,
        cast(by_first_name.distinct_first_names as integer) as distinct_first_names,
        cast(by_first_name.first_names_on_several_purchases as integer)
            as first_names_on_several_purchases
    from by_customer
    cross join by_first_name
)

select * from final
