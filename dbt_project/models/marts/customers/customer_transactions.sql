{#
    Every money event of a customer, long format: vehicle deals (with their gross profit) and
    service visits (gross unknown in the DMS feed, so null). The lifetime value model reads it.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

service_visits as (
    select * from {{ ref('stg_dms__service_visits') }}
),

vehicle_transactions as (
    select
        deal_id as transaction_id,
        customer_id,
        dealer_id,
        sale_date as transaction_date,
        sale_price as amount,
        gross_profit as gross,
        'vehicle' as kind
    from sales
    where customer_id is not null
),

service_transactions as (
    select
        visit_id as transaction_id,
        customer_id,
        dealer_id,
        visit_date as transaction_date,
        amount,
        cast(null as decimal(12, 2)) as gross,
        'service' as kind
    from service_visits
    where customer_id is not null
),

unioned as (
    select * from vehicle_transactions
    union all
    select * from service_transactions
),

final as (
    select
        cast(transaction_id as {{ dbt.type_string() }}) as transaction_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(dealer_id as {{ dbt.type_string() }}) as dealer_id,
        cast(transaction_date as date) as date,
        cast(amount as decimal(12, 2)) as amount,
        cast(gross as decimal(12, 2)) as gross,
        cast(kind as {{ dbt.type_string() }}) as kind
    from unioned
)

select * from final
