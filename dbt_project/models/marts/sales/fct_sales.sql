{#
    Incremental by landing-file day: each run replaces, whole, every sale day whose inputs were
    loaded after the newest load already in the table, found in the load log
    (macros/changed_sale_days.sql) rather than by joining the whole history, and joins only
    those days' deals, units and customers, as key literals (macros/fct_sales_day_scope.sql);
    rows dropped by a re-delivery vanish with their day, and the pre-hook deletes days that no
    longer exist in the source at all. A full refresh gives the same rows.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=forecourt.replace_days_strategy(),
        partition_by=forecourt.replace_days_partition_by('source_partition_date'),
        unique_key='source_partition_date',
        on_schema_change='append_new_columns',
        pre_hook="{{ forecourt.delete_vanished_partitions(ref('stg_dms__sales'), 'source_partition_date') }}"
    )
}}

-- the inputs of the day's join (macros/sales_joined.sql), read when the scope is known:
-- depends_on: {{ ref('stg_dms__sales') }} {{ ref('int_vehicles_priced') }}
-- depends_on: {{ ref('int_list_prices_sequenced') }} {{ ref('stg_dms__dealers') }}
-- depends_on: {{ ref('stg_dms__customers') }} {{ ref('stg_dms__vehicles') }}
{%- set scope = forecourt.fct_sales_day_scope() if is_incremental() else none %}

with sales_joined as (
    {%- if scope is not none %}
    {{ forecourt.sales_joined(scope.deals, scope.stocks, scope.customers) }}
    {%- else %}
    select * from {{ ref('int_sales_joined') }}
    {%- endif %}
),

-- the changed days, when the scope's lists would be too long (otherwise read as literals)
load_log as (  -- noqa: ST03
    select * from {{ ref('stg_ingestion__load_log') }}
),

{% if is_incremental() and scope is none %}
watermark as (
    select max(source_loaded_at) as last_loaded_at
    from {{ this }}
),

changed_days as (  -- noqa: ST03
    {{ changed_sale_days('load_log', 'watermark') }}
),
{% endif %}

to_load as (
    select sales_joined.*
    from sales_joined
    {% if scope is not none %}
    where {{ 'sales_joined.source_partition_date in (' ~ forecourt.date_literals(scope.days) ~ ')'
              if scope.days else '1 = 0' }}
    {% elif is_incremental() %}
    where sales_joined.source_partition_date in (select changed_days.source_partition_date from changed_days)
    {% endif %}
),

final as (
    select
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(sale_date as date) as sale_date,
        {{ forecourt.week_start('sale_date') }} as sale_week,
        cast({{ dbt.date_trunc('month', 'sale_date') }} as date) as sale_month,
        cast(dealer_id as {{ dbt.type_string() }}) as dealer_id,
        cast(dealer_name as {{ dbt.type_string() }}) as dealer_name,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(stock_number as {{ dbt.type_string() }}) as stock_number,
        cast(vin as {{ dbt.type_string() }}) as vin,
        cast(make as {{ dbt.type_string() }}) as make,
        cast(model as {{ dbt.type_string() }}) as model,
        cast(trim as {{ dbt.type_string() }}) as trim,
        cast(model_year as integer) as model_year,
        cast(body_style as {{ dbt.type_string() }}) as body_style,
        cast(stock_type as {{ dbt.type_string() }}) as stock_type,
        cast(acquisition_source as {{ dbt.type_string() }}) as acquisition_source,
        cast(pricing_strategy as {{ dbt.type_string() }}) as pricing_strategy,
        cast(mileage as integer) as mileage,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(customer_type as {{ dbt.type_string() }}) as customer_type,
        cast(customer_gender as {{ dbt.type_string() }}) as customer_gender,
        cast({{ forecourt.income_band('customer_annual_income') }} as {{ dbt.type_string() }})
            as customer_income_band,
        cast(acquired_date as date) as acquired_date,
        cast(days_on_lot as integer) as days_on_lot,
        cast({{ forecourt.age_bucket('days_on_lot') }} as {{ dbt.type_string() }}) as age_bucket_at_sale,
        cast(sale_price as decimal(12, 2)) as sale_price,
        cast(acquisition_cost as decimal(12, 2)) as acquisition_cost,
        cast(recon_cost as decimal(12, 2)) as recon_cost,
        cast(total_cost as decimal(12, 2)) as total_cost,
        cast(gross_profit as decimal(12, 2)) as gross_profit,
        cast(initial_list_price as decimal(12, 2)) as initial_list_price,
        cast(list_price_at_sale as decimal(12, 2)) as list_price_at_sale,
        cast(markdown_count_at_sale as integer) as markdown_count_at_sale,
        cast({{ forecourt.safe_divide('sale_price', 'list_price_at_sale') }} as {{ forecourt.type_double() }})
            as price_to_list,
        cast(source_partition_date as date) as source_partition_date,
        cast(source_loaded_at as {{ dbt.type_timestamp() }}) as source_loaded_at
    from to_load
)

select * from final
