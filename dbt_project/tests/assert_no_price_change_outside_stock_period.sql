-- List prices change only while a unit is in stock: not before acquisition nor after its sale.
-- A one-day run (FORECOURT_DBT_TESTS_FROM, macros/scoped_tests.sql) checks the units dim_vehicles
-- rebuilt in it, their price changes read from the spells by unit (the staging view
-- deduplicates every price change of the history first: 7.5 s at five years of 100
-- rooftops); the weekly full pass checks every unit.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_dms__price_changes'}}}) }}
{%- set one_day = forecourt.one_day_tests() %}
-- read in a one-day run: depends_on: {{ ref('int_list_prices_sequenced') }}

with rebuilt as (  -- noqa: ST03
    {{ forecourt.keys_of_latest_build(ref('dim_vehicles'), 'stock_number') }}
),

vehicles as (
    select * from {{ ref('dim_vehicles') }}
    {%- if one_day %}
    where stock_number in (select rebuilt.stock_number from rebuilt)
    {%- endif %}
),

price_changes as (
    {%- if one_day %}
    select
        cast(null as {{ dbt.type_string() }}) as price_change_id,
        stock_number,
        valid_from as changed_date
    from {{ ref('int_list_prices_sequenced') }}
    where is_price_change
        and stock_number in (select rebuilt.stock_number from rebuilt)
    {%- else %}
    select * from {{ ref('stg_dms__price_changes') }}
    {%- endif %}
),

final as (
    select
        price_changes.price_change_id,
        price_changes.stock_number,
        price_changes.changed_date,
        vehicles.acquired_date,
        vehicles.sold_date
    from price_changes
    inner join vehicles
        on price_changes.stock_number = vehicles.stock_number
    where price_changes.changed_date < vehicles.acquired_date
        or price_changes.changed_date > vehicles.sold_date
)

select * from final
