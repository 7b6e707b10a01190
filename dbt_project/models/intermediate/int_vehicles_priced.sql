{# One row per unit in stock history with its current list price and how often it was marked down. #}
with vehicles as (
    select * from {{ ref('stg_dms__vehicles') }}
),

price_spells as (
    select * from {{ ref('int_list_prices_sequenced') }}
),

current_prices as (
    select
        stock_number,
        list_price as current_list_price,
        markdowns_to_date as markdown_count
    from price_spells
    where valid_to is null
),

price_change_summary as (
    select
        stock_number,
        sum(case when is_price_change then 1 else 0 end) as price_change_count,
        max(case when is_price_change then valid_from end) as last_price_change_date,
        max(case when is_price_change then loaded_at end) as price_changes_loaded_at
    from price_spells
    group by stock_number
),

final as (
    select
        vehicles.stock_number,
        vehicles.vin,
        vehicles.dealer_id,
        vehicles.stock_type,
        vehicles.make,
        vehicles.model,
        vehicles.trim,
        vehicles.model_year,
        vehicles.body_style,
        vehicles.engine,
        vehicles.transmission,
        vehicles.color,
        vehicles.mileage,
        vehicles.condition_grade,
        vehicles.acquisition_source,
        vehicles.pricing_strategy,
        vehicles.acquired_date,
        vehicles.acquisition_cost,
        coalesce(vehicles.recon_cost, 0) as recon_cost,
        vehicles.acquisition_cost + coalesce(vehicles.recon_cost, 0) as total_cost,
        vehicles.list_price as initial_list_price,
        coalesce(current_prices.current_list_price, vehicles.list_price) as current_list_price,
        coalesce(price_change_summary.price_change_count, 0) as price_change_count,
        coalesce(current_prices.markdown_count, 0) as markdown_count,
        price_change_summary.last_price_change_date,
        vehicles.loaded_at,
        price_change_summary.price_changes_loaded_at
    from vehicles
    left join current_prices
        on vehicles.stock_number = current_prices.stock_number
    left join price_change_summary
        on vehicles.stock_number = price_change_summary.stock_number
)

select * from final
