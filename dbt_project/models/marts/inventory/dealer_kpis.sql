{#
    One row per dealer, as of the last data day. "_90d" measures cover the last 90 days of
    data (fewer when the data is shorter: see window_days); "_total" ones all the data.
#}
{%- set window = 90 -%}

with dealers as (
    select * from {{ ref('dim_dealers') }}
),

sales as (
    select * from {{ ref('fct_sales') }}
),

vehicles as (
    select * from {{ ref('dim_vehicles') }}
),

inventory as (
    select * from {{ ref('inventory_daily') }}
),

data_dates as (
    select * from {{ ref('int_data_dates') }}
),

calendar as (
    select
        first_data_date,
        last_data_date,
        case
            when cast({{ dbt.dateadd('day', -(window - 1), 'last_data_date') }} as date) < first_data_date
                then first_data_date
            else cast({{ dbt.dateadd('day', -(window - 1), 'last_data_date') }} as date)
        end as window_start_date,
        {{ dbt.datediff('first_data_date', 'last_data_date', 'day') }} + 1 as data_days_total
    from data_dates
),

windowed_calendar as (
    select
        *,
        {{ dbt.datediff('window_start_date', 'last_data_date', 'day') }} + 1 as window_days
    from calendar
),

sales_kpis as (
    select
        sales.dealer_id,
        sum(case when sales.sale_date >= cal.window_start_date then 1 else 0 end) as units_sold_90d,
        sum(case when sales.sale_date >= cal.window_start_date then sales.sale_price else 0 end) as revenue_90d,
        sum(case when sales.sale_date >= cal.window_start_date then sales.gross_profit else 0 end)
            as gross_profit_90d,
        sum(case when sales.sale_date >= cal.window_start_date then sales.total_cost else 0 end)
            as cost_of_sales_90d,
        avg(case when sales.sale_date >= cal.window_start_date then sales.days_on_lot end) as avg_days_on_lot_90d,
        count(*) as units_sold_total,
        sum(sales.sale_price) as revenue_total,
        sum(sales.gross_profit) as gross_profit_total
    from sales
    cross join windowed_calendar as cal
    group by sales.dealer_id
),

inventory_kpis as (
    select
        inventory.dealer_id,
        sum(case when inventory.date_day >= cal.window_start_date then inventory.cost_value else 0 end)
            as cost_value_day_sum_90d
    from inventory
    cross join windowed_calendar as cal
    group by inventory.dealer_id
),

stock_kpis as (
    select
        dealer_id,
        count(*) as units_in_stock,
        sum(total_cost) as stock_cost_value,
        sum(current_list_price) as stock_list_value,
        sum(case when age_bucket = '0-30' then 1 else 0 end) as units_aged_0_30,
        sum(case when age_bucket = '31-45' then 1 else 0 end) as units_aged_31_45,
        sum(case when age_bucket = '46-60' then 1 else 0 end) as units_aged_46_60,
        sum(case when age_bucket = '60+' then 1 else 0 end) as units_aged_60_plus
    from vehicles
    where status = 'in_stock'
    group by dealer_id
),

joined as (
    select
        dealers.dealer_id,
        dealers.dealer_name,
        dealers.region,
        cal.last_data_date as as_of_date,
        cal.window_start_date,
        cal.window_days,
        cal.data_days_total,
        coalesce(sales_kpis.units_sold_90d, 0) as units_sold_90d,
        coalesce(sales_kpis.revenue_90d, 0) as revenue_90d,
        coalesce(sales_kpis.gross_profit_90d, 0) as gross_profit_90d,
        coalesce(sales_kpis.cost_of_sales_90d, 0) as cost_of_sales_90d,
        sales_kpis.avg_days_on_lot_90d,
        coalesce(sales_kpis.units_sold_total, 0) as units_sold_total,
        coalesce(sales_kpis.revenue_total, 0) as revenue_total,
        coalesce(sales_kpis.gross_profit_total, 0) as gross_profit_total,
        coalesce(inventory_kpis.cost_value_day_sum_90d, 0) as cost_value_day_sum_90d,
        coalesce(stock_kpis.units_in_stock, 0) as units_in_stock,
        coalesce(stock_kpis.stock_cost_value, 0) as stock_cost_value,
        coalesce(stock_kpis.stock_list_value, 0) as stock_list_value,
        coalesce(stock_kpis.units_aged_0_30, 0) as units_aged_0_30,
        coalesce(stock_kpis.units_aged_31_45, 0) as units_aged_31_45,
        coalesce(stock_kpis.units_aged_46_60, 0) as units_aged_46_60,
        coalesce(stock_kpis.units_aged_60_plus, 0) as units_aged_60_plus
    from dealers
    cross join windowed_calendar as cal
    left join sales_kpis
        on dealers.dealer_id = sales_kpis.dealer_id
    left join inventory_kpis
        on dealers.dealer_id = inventory_kpis.dealer_id
    left join stock_kpis
        on dealers.dealer_id = stock_kpis.dealer_id
),

measured as (
    select
        *,
        {{ forecourt.safe_divide('units_sold_90d', 'window_days') }} as sales_velocity_90d,
        {{ forecourt.safe_divide('units_sold_total', 'data_days_total') }} as sales_velocity_total,
        {{ forecourt.safe_divide('cost_value_day_sum_90d', 'window_days') }} as avg_inventory_cost_90d
    from joined
),

final as (
    select
        cast(dealer_id as {{ dbt.type_string() }}) as dealer_id,
        cast(dealer_name as {{ dbt.type_string() }}) as dealer_name,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(as_of_date as date) as as_of_date,
        cast(window_start_date as date) as window_start_date,
        cast(window_days as integer) as window_days,
        cast(units_sold_90d as integer) as units_sold_90d,
        cast(revenue_90d as decimal(14, 2)) as revenue_90d,
        cast(gross_profit_90d as decimal(14, 2)) as gross_profit_90d,
        cast(units_sold_total as integer) as units_sold_total,
        cast(revenue_total as decimal(14, 2)) as revenue_total,
        cast(gross_profit_total as decimal(14, 2)) as gross_profit_total,
        cast(sales_velocity_90d as {{ forecourt.type_double() }}) as sales_velocity_90d,
        cast(sales_velocity_total as {{ forecourt.type_double() }}) as sales_velocity_total,
        cast({{ forecourt.safe_divide('gross_profit_90d', 'revenue_90d') }} as {{ forecourt.type_double() }})
            as gross_margin_90d,
        cast({{ forecourt.safe_divide('gross_profit_total', 'revenue_total') }} as {{ forecourt.type_double() }})
            as gross_margin_total,
        cast({{ forecourt.safe_divide('gross_profit_90d', 'units_sold_90d') }} as {{ forecourt.type_double() }})
            as gross_per_unit_90d,
        cast({{ forecourt.safe_divide('gross_profit_total', 'units_sold_total') }} as {{ forecourt.type_double() }})
            as gross_per_unit_total,
        cast(avg_days_on_lot_90d as {{ forecourt.type_double() }}) as avg_days_on_lot_90d,
        cast(units_in_stock as integer) as units_in_stock,
        cast(stock_cost_value as decimal(14, 2)) as stock_cost_value,
        cast(stock_list_value as decimal(14, 2)) as stock_list_value,
        cast(cost_of_sales_90d as decimal(14, 2)) as cost_of_sales_90d,
        cast(avg_inventory_cost_90d as {{ forecourt.type_double() }}) as avg_inventory_cost_90d,
        cast(
            {{ forecourt.safe_divide('cost_of_sales_90d * 365.0', 'avg_inventory_cost_90d * window_days') }}
            as {{ forecourt.type_double() }}
        ) as inventory_turnover_annualized,
        cast({{ forecourt.safe_divide('units_in_stock', 'sales_velocity_90d') }} as {{ forecourt.type_double() }})
            as days_supply,
        cast({{ forecourt.safe_divide('units_aged_0_30', 'units_in_stock') }} as {{ forecourt.type_double() }})
            as share_stock_under_30_days,
        cast(units_aged_0_30 as integer) as units_aged_0_30,
        cast(units_aged_31_45 as integer) as units_aged_31_45,
        cast(units_aged_46_60 as integer) as units_aged_46_60,
        cast(units_aged_60_plus as integer) as units_aged_60_plus
    from measured
)

select * from final
