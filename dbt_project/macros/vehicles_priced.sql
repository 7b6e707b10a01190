{#
    One row per unit with its current list price and how often it was marked down: the SQL
    of int_vehicles_priced, a macro so that the runs that rebuild a list of units (fct_sales'
    day, dim_vehicles' changed units) read only those units' stock rows and price spells,
    inlined as literals on both sides. Through the view, a filter on the unit reached the stock
    rows but not the spells: every unit's spells were read and summed (at five years of 100
    rooftops, dim_vehicles' build of a day's 32,000 units took 6.8 s through the view, 3.6 s
    through this macro). none: every unit.

    The spells are summed in one pass (the current spell is the one without valid_to, one
    per unit): read twice, as two CTEs, DuckDB materialized them whole first.
#}
{% macro vehicles_priced(stock_numbers=none) -%}
    with vehicles as (
        select * from {{ ref('stg_dms__vehicles') }}
        {{ forecourt.where_in('stock_number', stock_numbers) }}
    ),

    price_spells as (
        select * from {{ ref('int_list_prices_sequenced') }}
        {{ forecourt.where_in('stock_number', stock_numbers) }}
    ),

    price_summary as (
        select
            stock_number,
            max(case when valid_to is null then list_price end) as current_list_price,
            max(case when valid_to is null then markdowns_to_date end) as markdown_count,
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
            coalesce(price_summary.current_list_price, vehicles.list_price) as current_list_price,
            coalesce(price_summary.price_change_count, 0) as price_change_count,
            coalesce(price_summary.markdown_count, 0) as markdown_count,
            price_summary.last_price_change_date,
            vehicles.loaded_at,
            price_summary.price_changes_loaded_at
        from vehicles
        left join price_summary
            on vehicles.stock_number = price_summary.stock_number
    )

    select * from final
{%- endmacro %}
