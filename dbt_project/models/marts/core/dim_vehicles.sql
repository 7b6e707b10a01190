with vehicles as (
    select * from {{ ref('int_vehicles_priced') }}
),

sales as (
    select * from {{ ref('stg_dms__sales') }}
),

dealers as (
    select * from {{ ref('stg_dms__dealers') }}
),

data_dates as (
    select * from {{ ref('int_data_dates') }}
),

-- a unit is sold once; should a second deal slip through, the first one counts
first_sales as (
    select
        stock_number,
        deal_id,
        sale_date,
        sale_price,
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
        data_dates.last_data_date as as_of_date
    from vehicles
    cross join data_dates
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
        cast(as_of_date as date) as as_of_date
    from aged
)

select * from final
