{#
    One row per deal, joined to the unit, dealer, customer and the list price in force on the
    sale day. source_loaded_at is the latest load of any daily input row behind the deal: the
    watermark fct_sales compares the load log with. The dealers feed is reloaded whole every run,
    so its load time would date every deal anew each day; fct_sales reads its changes from the
    load log instead.

    The SQL of int_sales_joined, a macro so that fct_sales' daily run passes the day's deals, their units and
    customers as lists of keys, inlined as literals: DuckDB pushes a literal list into the
    staging views below their deduplication (a subquery it does not), so the join reads a
    day's rows instead of every unit's and customer's history. none: no filter.
#}
{% macro sales_joined(deal_ids=none, stock_numbers=none, customer_ids=none) -%}
    with sales as (
        select * from {{ ref('stg_dms__sales') }}
        {{ forecourt.where_in('deal_id', deal_ids) }}
    ),

    vehicles as (
        {%- if stock_numbers is none %}
        select * from {{ ref('int_vehicles_priced') }}
        {%- else %}
        {{ forecourt.vehicles_priced(stock_numbers) }}
        {%- endif %}
    ),

    price_spells as (
        select * from {{ ref('int_list_prices_sequenced') }}
        {{ forecourt.where_in('stock_number', stock_numbers) }}
    ),

    dealers as (
        select * from {{ ref('stg_dms__dealers') }}
    ),

    customers as (
        select * from {{ ref('stg_dms__customers') }}
        {{ forecourt.where_in('customer_id', customer_ids) }}
    ),

    joined as (
        select
            sales.deal_id,
            sales.sale_date,
            sales.dealer_id,
            dealers.dealer_name,
            dealers.region,
            sales.stock_number,
            vehicles.vin,
            vehicles.make,
            vehicles.model,
            vehicles.trim,
            vehicles.model_year,
            vehicles.body_style,
            vehicles.stock_type,
            vehicles.acquisition_source,
            vehicles.pricing_strategy,
            vehicles.mileage,
            sales.customer_id,
            customers.customer_type,
            customers.gender as customer_gender,
            customers.annual_income as customer_annual_income,
            sales.sale_price,
            vehicles.acquisition_cost,
            vehicles.recon_cost,
            vehicles.total_cost,
            vehicles.acquired_date,
            vehicles.initial_list_price,
            price_spells.list_price as list_price_at_sale,
            price_spells.markdowns_to_date as markdown_count_at_sale,
            sales.source_partition_date,
            greatest(
                sales.loaded_at,
                coalesce(vehicles.loaded_at, sales.loaded_at),
                coalesce(vehicles.price_changes_loaded_at, sales.loaded_at),
                coalesce(customers.loaded_at, sales.loaded_at)
            ) as source_loaded_at
        from sales
        left join vehicles
            on sales.stock_number = vehicles.stock_number
        left join price_spells
            on sales.stock_number = price_spells.stock_number
            and sales.sale_date >= price_spells.valid_from
            and (price_spells.valid_to is null or sales.sale_date < price_spells.valid_to)
        left join dealers
            on sales.dealer_id = dealers.dealer_id
        left join customers
            on sales.customer_id = customers.customer_id
    ),

    final as (
        select
            *,
            sale_price - total_cost as gross_profit,
            {{ dbt.datediff('acquired_date', 'sale_date', 'day') }} as days_on_lot
        from joined
    )

    select * from final
{%- endmacro %}

{# `where <column> in (<literals>)`; '' for none, a false condition for an empty list. #}
{% macro where_in(column, values) -%}
    {%- if values is none -%}
    {%- elif values | length == 0 -%}
        where 1 = 0
    {%- else -%}
        where {{ column }} in ({{ forecourt.string_literals(values) }})
    {%- endif -%}
{%- endmacro %}
