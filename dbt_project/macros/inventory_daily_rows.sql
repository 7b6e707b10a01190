{#
    inventory_daily's rows for the days start_date..end_date (SQL date literals) and the units
    of the dealers that `dealers` (a predicate on vehicles.dealer_id) selects. The method is in
    models/marts/inventory/inventory_daily.sql's header. A macro, not the model's own body,
    because the post-hook builds the rows, one statement per batch of dealers.
#}
{% macro inventory_daily_rows(start_date, end_date, dealers='1 = 1') -%}

{#- a balance at the end of the day: every change up to and including it -#}
{%- set running = 'over (partition by group_key order by date_day '
    ~ 'rows between unbounded preceding and current row)' %}

with vehicles as (
    select * from {{ ref('dim_vehicles') }}
),

price_spells as (
    select * from {{ ref('int_list_prices_sequenced') }}
),

rebuild as (
    select
        cast({{ start_date }} as date) as start_date,
        cast({{ end_date }} as date) as end_date
),

days as (
    {{ forecourt.date_spine(
        'day',
        '(select start_date from rebuild)',
        '(select end_date from rebuild)'
    ) }}
),

-- Each unit that can be on hand on a rebuilt day, with the first day it counts: its
-- acquisition, or the first rebuilt day if earlier. Day numbers count from that first day.
units as (
    select
        vehicles.stock_number,
        vehicles.dealer_id,
        vehicles.make,
        vehicles.model,
        vehicles.stock_type,
        vehicles.total_cost,
        vehicles.sold_date,
        rebuild.end_date,
        {{ dbt.datediff('rebuild.start_date', 'vehicles.acquired_date', 'day') }} as acquired_day,
        case
            when vehicles.acquired_date > rebuild.start_date then vehicles.acquired_date
            else rebuild.start_date
        end as on_hand_from,
        -- the first day with days_in_stock > 60
        case
            when {{ dbt.dateadd('day', 61, 'vehicles.acquired_date') }} > rebuild.start_date
                then cast({{ dbt.dateadd('day', 61, 'vehicles.acquired_date') }} as date)
            else rebuild.start_date
        end as aged_from
    from vehicles
    cross join rebuild
    where rebuild.start_date is not null
        and rebuild.end_date is not null
        -- a unit with no acquisition day is on hand on no day
        and vehicles.acquired_date is not null
        and (vehicles.sold_date is null or vehicles.sold_date > rebuild.start_date)
        and {{ dealers }}
),

-- The units on hand on some rebuilt day. group_key numbers the dealer, make and model
-- combinations, so that the sums and windows below sort and hash one integer, not three
-- strings (and a null make or model still forms its own group, as in a group by).
on_hand as (
    select
        *,
        dense_rank() over (order by dealer_id, make, model) as group_key
    from units
    where on_hand_from <= end_date
        and (sold_date is null or sold_date > on_hand_from)
),

stock_groups as (
    select distinct group_key, dealer_id, make, model
    from on_hand
),

-- each price spell with a price, cut to the days its unit is on hand
priced_spans as (
    select
        on_hand.group_key,
        on_hand.end_date,
        price_spells.list_price,
        case
            when price_spells.valid_from > on_hand.on_hand_from then price_spells.valid_from
            else on_hand.on_hand_from
        end as priced_from,
        case
            when price_spells.valid_to is null then on_hand.sold_date
            when on_hand.sold_date is null then price_spells.valid_to
            when price_spells.valid_to < on_hand.sold_date then price_spells.valid_to
            else on_hand.sold_date
        end as priced_until
    from on_hand
    inner join price_spells
        on on_hand.stock_number = price_spells.stock_number
    where price_spells.list_price is not null
),

-- What changes each evening, one row per change: a unit comes into stock (+) or is sold (-),
-- reaches its 61st day in stock, a price comes into force (+) or ends (-).
events as (
    select
        group_key,
        on_hand_from as date_day,
        1 as units,
        case when stock_type = 'new' then 1 else 0 end as new_units,
        case when stock_type = 'used' then 1 else 0 end as used_units,
        case when total_cost is null then 0 else 1 end as costed_units,
        total_cost as cost_value,
        acquired_day as acquired_days,
        0 as aged_units,
        0 as priced_units,
        cast(0 as decimal(12, 2)) as list_value
    from on_hand
    union all
    select
        group_key,
        sold_date as date_day,
        -1 as units,
        case when stock_type = 'new' then -1 else 0 end as new_units,
        case when stock_type = 'used' then -1 else 0 end as used_units,
        case when total_cost is null then 0 else -1 end as costed_units,
        -total_cost as cost_value,
        -acquired_day as acquired_days,
        -- counted among the aged from aged_from if it was still on hand then
        case when sold_date > aged_from then -1 else 0 end as aged_units,
        0 as priced_units,
        cast(0 as decimal(12, 2)) as list_value
    from on_hand
    where sold_date <= end_date
    union all
    select
        group_key,
        aged_from as date_day,
        0 as units,
        0 as new_units,
        0 as used_units,
        0 as costed_units,
        cast(0 as decimal(12, 2)) as cost_value,
        0 as acquired_days,
        1 as aged_units,
        0 as priced_units,
        cast(0 as decimal(12, 2)) as list_value
    from on_hand
    where aged_from <= end_date
        and (sold_date is null or sold_date > aged_from)
    union all
    select
        group_key,
        priced_from as date_day,
        0 as units,
        0 as new_units,
        0 as used_units,
        0 as costed_units,
        cast(0 as decimal(12, 2)) as cost_value,
        0 as acquired_days,
        0 as aged_units,
        1 as priced_units,
        list_price as list_value
    from priced_spans
    where priced_from <= end_date
        and (priced_until is null or priced_until > priced_from)
    union all
    select
        group_key,
        priced_until as date_day,
        0 as units,
        0 as new_units,
        0 as used_units,
        0 as costed_units,
        cast(0 as decimal(12, 2)) as cost_value,
        0 as acquired_days,
        0 as aged_units,
        -1 as priced_units,
        -list_price as list_value
    from priced_spans
    where priced_until <= end_date
        and priced_until > priced_from
),

-- One row per group and day with a change: its net change. Narrow types (a day's change
-- fits): the running sums below are much slower over 128-bit sums.
daily_changes as (
    select
        group_key,
        date_day,
        cast(sum(units) as bigint) as units,
        cast(sum(new_units) as bigint) as new_units,
        cast(sum(used_units) as bigint) as used_units,
        cast(sum(costed_units) as bigint) as costed_units,
        cast(sum(cost_value) as decimal(18, 2)) as cost_value,
        cast(sum(acquired_days) as bigint) as acquired_days,
        cast(sum(aged_units) as bigint) as aged_units,
        cast(sum(priced_units) as bigint) as priced_units,
        cast(sum(list_value) as decimal(18, 2)) as list_value
    from events
    group by group_key, date_day
),

-- The stock from the evening of a change until the next change (or past the last rebuilt
-- day): every change up to and including its day. Spans with no stock have no rows.
spans as (
    select
        group_key,
        date_day as span_from,
        {{ dbt.datediff('(select rebuild.start_date from rebuild)', 'date_day', 'day') }}
            as span_day_number,
        {{ dbt.datediff(
            'date_day',
            'coalesce(lead(date_day) over (partition by group_key order by date_day), '
                ~ dbt.dateadd('day', 1, '(select rebuild.end_date from rebuild)') ~ ')',
            'day'
        ) }} as span_days,
        sum(units) {{ running }} as units,
        sum(new_units) {{ running }} as new_units,
        sum(used_units) {{ running }} as used_units,
        sum(costed_units) {{ running }} as costed_units,
        sum(cost_value) {{ running }} as cost_value,
        sum(acquired_days) {{ running }} as acquired_days,
        sum(aged_units) {{ running }} as aged_units,
        sum(priced_units) {{ running }} as priced_units,
        sum(list_value) {{ running }} as list_value
    from daily_changes
),

-- A span's days as offsets from its first day. Joined on this one inequality, a span meets
-- exactly its own days; joined on two (span_from <= day < next change), the engines compared
-- every span with every later day.
day_offsets as (
    select
        {{ dbt.datediff('(select rebuild.start_date from rebuild)', 'date_day', 'day') }}
            as day_offset
    from days
),

-- a sum over units with no value (no cost, no price in force) is null, as sum() gives
final as (
    select
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'spans.span_from') }} as date)
            as date_day,
        stock_groups.dealer_id,
        stock_groups.make,
        stock_groups.model,
        cast(spans.units as integer) as units_on_hand,
        cast(spans.new_units as integer) as new_units,
        cast(spans.used_units as integer) as used_units,
        cast(case when spans.costed_units > 0 then spans.cost_value end as decimal(14, 2))
            as cost_value,
        cast(case when spans.priced_units > 0 then spans.list_value end as decimal(14, 2))
            as list_value,
        -- days in stock summed over the units: units x day number - their acquisition days
        cast(
            spans.units * (spans.span_day_number + day_offsets.day_offset) - spans.acquired_days
            as {{ forecourt.type_double() }}
        ) / cast(spans.units as {{ forecourt.type_double() }}) as avg_days_in_stock,
        cast(spans.aged_units as integer) as units_aged_60_plus
    from spans
    inner join day_offsets
        on spans.span_days > day_offsets.day_offset
    inner join stock_groups
        on spans.group_key = stock_groups.group_key
    where spans.units > 0
)

select * from final

{%- endmacro %}
