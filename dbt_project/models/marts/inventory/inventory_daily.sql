{#
    Stock on hand at the end of each data day: units acquired on or before the day and not
    sold by then (a unit sold on a day is no longer on hand that evening). Units acquired
    before the first data day count from the first data day. Only combinations with stock
    have rows.
#}
with vehicles as (
    select * from {{ ref('dim_vehicles') }}
),

price_spells as (
    select * from {{ ref('int_list_prices_sequenced') }}
),

data_dates as (
    select * from {{ ref('int_data_dates') }}
),

days as (
    {{ forecourt.date_spine(
        'day',
        '(select first_data_date from data_dates)',
        '(select last_data_date from data_dates)'
    ) }}
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
    inner join vehicles
        on vehicles.acquired_date <= days.date_day
        and (vehicles.sold_date is null or vehicles.sold_date > days.date_day)
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
