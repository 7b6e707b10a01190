{#
    Stock on hand at the end of each data day: units acquired on or before the day and not
    sold by then (a unit sold on a day is no longer on hand that evening). Units acquired
    before the first data day count from the first data day. Only combinations with stock
    have rows.

    Incremental: a run deletes and rebuilds the days from `rebuild_from` on (and deletes days
    past the last data day). A day's rows are a function of the day and of the units on hand
    that day (dealer_id, make, model, stock_type, total_cost, acquired_date) with the list price
    in force. The post-hook saves these inputs (macros/inventory_daily_inputs.sql) in the same
    transaction as the insert, so the next run compares the inputs now against exactly those
    the table was built from, and rebuild_from is the earliest of:
      - a unit new, removed, or changed in anything but its sale: its acquired_date, old and new.
        It is on hand on no day before its acquisition in either version, so earlier days keep
        the same units with the same attributes.
      - a unit whose sold_date changed (null = unsold): the sold dates, old and new. With the
        same acquisition and attributes, it is on hand in one version and not the other only
        on days from the earlier sold date to the later.
      - a price spell (stock_number, valid_from, list_price) present in one version only: its
        valid_from. Spells covering a day are contiguous, so the price in force on a day is
        that of the spell with the latest valid_from on or before it; on days before every
        differing valid_from both versions pick the same spell.
      - the spine: the first data day moved (or the state is missing): everything; the last
        data day grew: the day after the old last one.
    Every day before rebuild_from therefore has the same rows in a full build, and every day
    from it on is rebuilt whole (days that lose all stock are deleted, not left behind).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        partition_by=forecourt.replace_days_partition_by('date_day'),
        on_schema_change='fail',
        pre_hook="{{ forecourt.inventory_daily_remove_rebuilt_days() }}",
        post_hook=[
            "{{ forecourt.inventory_daily_drop_inputs() }}",
            "{{ forecourt.inventory_daily_save_inputs() }}"
        ]
    )
}}

with vehicles as (
    select * from {{ ref('dim_vehicles') }}
),

price_spells as (
    select * from {{ ref('int_list_prices_sequenced') }}
),

-- read by the full build's branch of `rebuild` (sqlfluff renders the incremental one)
data_dates as (  -- noqa: ST03
    select * from {{ ref('int_data_dates') }}
),

rebuild as (
    {% if is_incremental() %}
    {#- found once, as literals: as a CTE the change detection ran again inside this query -#}
    {%- set start_date, end_date = forecourt.inventory_daily_rebuild_range() %}
    select
        cast({{ start_date }} as date) as start_date,
        cast({{ end_date }} as date) as end_date
    {% else %}
    select first_data_date as start_date, last_data_date as end_date from data_dates
    {% endif %}
),

days as (
    {{ forecourt.date_spine(
        'day',
        '(select start_date from rebuild)',
        '(select end_date from rebuild)'
    ) }}
),

-- units sold before the first rebuilt day are on hand on none of its days
vehicles_on_hand as (
    select vehicles.*
    from vehicles
    where vehicles.sold_date is null
        or vehicles.sold_date > (select rebuild.start_date from rebuild)
),

unit_days as (
    select
        days.date_day,
        vehicles.stock_number,
        vehicles.dealer_id,
        vehicles.make,
        vehicles.model,
        vehicles.stock_type,
        vehicles.total_cost,
        {{ dbt.datediff('vehicles.acquired_date', 'days.date_day', 'day') }} as days_in_stock
    from days
    inner join vehicles_on_hand as vehicles
        on days.date_day >= vehicles.acquired_date
        and (vehicles.sold_date is null or days.date_day < vehicles.sold_date)
),

priced as (
    select
        unit_days.*,
        price_spells.list_price
    from unit_days
    left join price_spells
        on unit_days.stock_number = price_spells.stock_number
        and unit_days.date_day >= price_spells.valid_from
        and (price_spells.valid_to is null or unit_days.date_day < price_spells.valid_to)
),

final as (
    select
        cast(date_day as date) as date_day,
        dealer_id,
        make,
        model,
        cast(count(*) as integer) as units_on_hand,
        cast(sum(case when stock_type = 'new' then 1 else 0 end) as integer) as new_units,
        cast(sum(case when stock_type = 'used' then 1 else 0 end) as integer) as used_units,
        cast(sum(total_cost) as decimal(14, 2)) as cost_value,
        cast(sum(list_price) as decimal(14, 2)) as list_value,
        avg(cast(days_in_stock as {{ forecourt.type_double() }})) as avg_days_in_stock,
        cast(sum(case when days_in_stock > 60 then 1 else 0 end) as integer) as units_aged_60_plus
    from priced
    group by date_day, dealer_id, make, model
)

select * from final
