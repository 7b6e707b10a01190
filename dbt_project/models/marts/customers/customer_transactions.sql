{#
    Every money event of a customer, long format: vehicle deals (with their gross profit) and
    service visits (gross unknown in the DMS feed, so null). The lifetime value model reads it.

    Incremental: a run copies again, whole, the vehicle rows of the sale days fct_sales may
    have rebuilt since, and the service rows of the repair orders loaded, re-delivered or
    dropped since (macros/changed_transactions.sql), after deleting their old rows; a daily
    run writes a day's events, not the 41M of five years of 100 rooftops (32 s rebuilt whole).
    A full refresh gives the same rows. On Spark, a table rebuilt whole.

    Before deleting, a pre-hook writes the customers of the rows it replaces to a log
    (macros/replaced_keys_log.sql): with built_at, the rows written, it tells dim_customers
    which customers' histories changed.
#}
-- the load log, read for the changed days: depends_on: {{ ref('stg_ingestion__load_log') }}
{%- set scope = forecourt.changed_transactions() %}
{{
    config(
        materialized=forecourt.keyed_materialization(),
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ forecourt.create_replaced_keys_log_schema('customer_transactions__replaced') }}",
            "{{ forecourt.create_replaced_keys_log('customer_transactions__replaced', 'customer_id') }}",
            "{{ forecourt.log_replaced_customers(forecourt.changed_transactions()) }}",
            "{{ forecourt.delete_changed_transactions(forecourt.changed_transactions(), 'vehicle') }}",
            "{{ forecourt.delete_changed_transactions(forecourt.changed_transactions(), 'service') }}",
        ]
    )
}}

with sales as (
    select * from {{ ref('fct_sales') }}
    {%- if scope is not none %}
    where {{ forecourt.in_list('source_partition_date', scope.vehicle, 'date') }}
    {%- endif %}
),

service_visits as (
    select * from {{ ref('stg_dms__service_visits') }}
    {%- if scope is not none %}
    where {{ forecourt.in_list('visit_id', scope.service) }}
    {%- endif %}
),

vehicle_transactions as (
    select
        deal_id as transaction_id,
        customer_id,
        dealer_id,
        sale_date as transaction_date,
        sale_price as amount,
        gross_profit as gross,
        'vehicle' as kind,
        source_partition_date,
        source_loaded_at
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
        'service' as kind,
        source_partition_date,
        loaded_at as source_loaded_at
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
        cast(kind as {{ dbt.type_string() }}) as kind,
        cast(source_partition_date as date) as source_partition_date,
        cast(source_loaded_at as {{ dbt.type_timestamp() }}) as source_loaded_at,
        cast(current_timestamp as {{ dbt.type_timestamp() }}) as built_at
    from unioned
)

select * from final
