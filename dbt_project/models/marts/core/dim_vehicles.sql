{#
    One row per unit ever taken into stock: attributes, costs, list prices, its first sale,
    region and age.

    Incremental by unit: a run rebuilds, whole, the units whose row changed since its last
    build (macros/changed_vehicles.sql: the units the price spells rebuilt, and those of the
    sales loaded, re-delivered or moved since), after deleting their old rows, and sets the
    columns that move with the last data day (as_of_date, and days_in_stock and age_bucket of
    the units in stock) in place for every row; a daily run rebuilds a day's units, not every
    unit of five years of 100 rooftops (74 s rebuilt whole). A full refresh gives the same
    rows. On Spark, a table rebuilt whole. It reads the log the price spells write, which are
    upstream of it through int_vehicles_priced.
#}
{%- set units = forecourt.changed_vehicles() %}
{{
    config(
        materialized=forecourt.keyed_materialization(),
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook="{{ forecourt.delete_keys('stock_number', forecourt.changed_vehicles()) }}",
        post_hook=[
            "{{ forecourt.refresh_vehicles_as_of() }}",
            "{{ forecourt.prune_replaced_keys('int_list_prices_sequenced__replaced') }}",
        ]
    )
}}

-- the units' stock rows and spells, read when the units are known (macros/vehicles_priced.sql):
-- depends_on: {{ ref('stg_dms__vehicles') }} {{ ref('int_list_prices_sequenced') }}
with vehicles as (
    {%- if is_incremental() and units is not none %}
    {{ forecourt.vehicles_priced(units) }}
    {%- else %}
    select * from {{ ref('int_vehicles_priced') }}
    {%- endif %}
),

-- the units' deals: by deal number, which DuckDB pushes below the staging view's
-- deduplication (by deal), where a filter on the unit is applied only after it
sales as (
    select * from {{ ref('stg_dms__sales') }}
    {%- if is_incremental() and units is not none %}
    {{ forecourt.where_in('deal_id', forecourt.deals_of_units(units)) }}
    {%- endif %}
),

dealers as (
    select * from {{ ref('stg_dms__dealers') }}
),

data_dates as (
    select * from {{ ref('int_data_dates') }}
),

load_log as (
    select * from {{ ref('stg_ingestion__load_log') }}
),

-- the newest load the build has seen: the watermark for the sales and dealers loaded since
loads_seen as (
    select max(loaded_at) as loaded_through
    from load_log
),

-- a unit is sold once; should a second deal slip through, the first one counts
first_sales as (
    select
        stock_number,
        deal_id,
        sale_date,
        sale_price,
        source_partition_date,
        row_number() over (partition by stock_number order by sale_date, deal_id) as sale_rank
    from sales
),

joined as (
    select
        vehicles.*,
        dealers.region,
        first_sales.deal_id,
        first_sales.sale_date as sold_date,
        first_sales.sale_price,
        first_sales.source_partition_date as sale_source_partition_date,
        data_dates.last_data_date as as_of_date,
        loads_seen.loaded_through
    from vehicles
    cross join data_dates
    cross join loads_seen
    left join first_sales
        on vehicles.stock_number = first_sales.stock_number
        and first_sales.sale_rank = 1
    left join dealers
        on vehicles.dealer_id = dealers.dealer_id
),

aged as (
    select
        *,
        case when sold_date is null then 'in_stock' else 'sold' end as status,
        {{ dbt.datediff('acquired_date', 'coalesce(sold_date, as_of_date)', 'day') }} as days_in_stock
    from joined
),

final as (
    select
        cast(stock_number as {{ dbt.type_string() }}) as stock_number,
        cast(vin as {{ dbt.type_string() }}) as vin,
        cast(dealer_id as {{ dbt.type_string() }}) as dealer_id,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(stock_type as {{ dbt.type_string() }}) as stock_type,
        cast(make as {{ dbt.type_string() }}) as make,
        cast(model as {{ dbt.type_string() }}) as model,
        cast(trim as {{ dbt.type_string() }}) as trim,
        cast(model_year as integer) as model_year,
        cast(body_style as {{ dbt.type_string() }}) as body_style,
        cast(engine as {{ dbt.type_string() }}) as engine,
        cast(transmission as {{ dbt.type_string() }}) as transmission,
        cast(color as {{ dbt.type_string() }}) as color,
        cast(mileage as integer) as mileage,
        cast(condition_grade as {{ forecourt.type_double() }}) as condition_grade,
        cast(acquisition_source as {{ dbt.type_string() }}) as acquisition_source,
        cast(pricing_strategy as {{ dbt.type_string() }}) as pricing_strategy,
        cast(acquired_date as date) as acquired_date,
        cast(acquisition_cost as decimal(12, 2)) as acquisition_cost,
        cast(recon_cost as decimal(12, 2)) as recon_cost,
        cast(total_cost as decimal(12, 2)) as total_cost,
        cast(initial_list_price as decimal(12, 2)) as initial_list_price,
        cast(current_list_price as decimal(12, 2)) as current_list_price,
        cast(price_change_count as integer) as price_change_count,
        cast(markdown_count as integer) as markdown_count,
        cast(last_price_change_date as date) as last_price_change_date,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(sold_date as date) as sold_date,
        cast(sale_price as decimal(12, 2)) as sale_price,
        cast(days_in_stock as integer) as days_in_stock,
        cast({{ forecourt.age_bucket('days_in_stock') }} as {{ dbt.type_string() }}) as age_bucket,
        cast(as_of_date as date) as as_of_date,
        cast(sale_source_partition_date as date) as sale_source_partition_date,
        cast(loaded_through as {{ dbt.type_timestamp() }}) as loaded_through,
        cast(current_timestamp as {{ dbt.type_timestamp() }}) as built_at
    from aged
)

select * from final
