{#
    The recency / frequency / monetary frame the customer models read, one row per customer.
    "Today" is the last data day (int_data_dates via dim_customers.as_of_date), so a rebuild
    on the same data gives the same recency and tenure. A customer's tenure starts at their
    first purchase or service visit, or at their creation in the DMS when they have neither.
#}
with customers as (
    select * from {{ ref('dim_customers') }}
),

first_activity as (
    select
        *,
        case
            when first_purchase_date is null and first_service_date is null then created_date
            when first_purchase_date is null then first_service_date
            when first_service_date is null then first_purchase_date
            when first_purchase_date < first_service_date then first_purchase_date
            else first_service_date
        end as first_activity_date
    from customers
),

final as (
    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(customer_type as {{ dbt.type_string() }}) as customer_type,
        cast(gender as {{ dbt.type_string() }}) as gender,
        cast(annual_income as decimal(12, 2)) as annual_income,
        cast(first_purchase_date as date) as first_purchase_date,
        cast(last_activity_date as date) as last_activity_date,
        cast({{ dbt.datediff('last_activity_date', 'as_of_date', 'day') }} as integer) as recency_days,
        cast(purchase_count as integer) as frequency,
        cast(service_visit_count as integer) as service_visits,
        cast(vehicle_revenue as decimal(14, 2)) as monetary,
        cast(service_revenue as decimal(14, 2)) as service_revenue,
        cast(vehicle_gross_profit as decimal(14, 2)) as gross_profit,
        cast({{ dbt.datediff('first_activity_date', 'as_of_date', 'day') }} as integer) as tenure_days,
        cast(as_of_date as date) as as_of_date
    from first_activity
)

select * from final
