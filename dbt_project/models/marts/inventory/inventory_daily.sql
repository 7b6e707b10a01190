{#
    Stock on hand at the end of each data day: units acquired on or before the day and not
    sold by then (a unit sold on a day is no longer on hand that evening). Units acquired
    before the first data day count from the first data day. Only combinations with stock
    have rows.

    Built from events, not from unit-days. The plain formulation (every day joined with every
    unit on hand that day, then with its price in force, then grouped) costs units x days: at
    100 rooftops and five years, ~300k units on hand x 1,826 days = ~500M unit-days, and its
    full refresh spilled until the disk was full. Every measure here is a sum over the units
    on hand, so it changes only on the days a unit comes into stock or is sold, reaches its
    61st day in stock, or has a price come into force or end (valid_to, or the sale). Those
    events (a few per unit) are summed per dealer, make, model and day; running sums of them
    give the balance on each day with a change, which holds until the next change; only then
    is a span expanded into its days. The cost is events + output rows:
      units_on_hand, new_units, used_units, cost_value: +1 (+total_cost) on the unit's first
          day on hand, -1 (-total_cost) on its sold_date.
      list_value: +list_price / -list_price where each price spell, cut to the days the unit
          is on hand, starts and ends. A unit-day with no price adds null to sum(list_price):
          a running count of the priced units makes the value null when no unit has a price
          (a sum of nulls), as the sum did; cost_value likewise.
      avg_days_in_stock: the days in stock summed over the units on day d are
          units x day_number(d) - sum of their acquisition day numbers; integers, exact, so the
          double quotient equals avg(days_in_stock).
      units_aged_60_plus: +1 on acquired_date + 61 (days in stock > 60) if still on hand, -1 on
          the sale if later.
    Events before the first rebuilt day are folded into it: a rebuild from day S opens each
    group with the balance of everything before S, summed once, not replayed day by day.

    The rows are inserted by a post-hook, from the run's plan (the days to rebuild, worked out
    once by a pre-hook), and a build over more units than the var inventory_daily_batch_units
    runs in batches of dealers, one statement each, so that the running sums' memory stays
    bounded (macros/inventory_daily_batches.sql says why and how).

    Incremental: a run deletes and rebuilds the days from `rebuild_from` on (and deletes days
    past the last data day). A day's rows are a function of the day and of the units on hand
    that day (dealer_id, make, model, stock_type, total_cost, acquired_date) with the list price
    in force. The post-hook saves a fingerprint of these inputs per day (a row count and a hash
    sum, macros/inventory_daily_inputs.sql) in the same transaction as the insert, so the next
    run compares the inputs now against exactly those the table was built from, and
    rebuild_from is the earliest of:
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
        pre_hook=[
            "{{ forecourt.inventory_daily_drop_plan() }}",
            "{{ forecourt.inventory_daily_make_plan() }}",
            "{{ forecourt.inventory_daily_remove_rebuilt_days() }}"
        ],
        post_hook=[
            "{{ forecourt.inventory_daily_insert_rebuilt_days() }}",
            "{{ forecourt.inventory_daily_drop_plan() }}",
            "{{ forecourt.inventory_daily_drop_inputs() }}",
            "{{ forecourt.inventory_daily_drop_legacy_inputs() }}",
            "{{ forecourt.inventory_daily_save_inputs() }}"
        ]
    )
}}

-- What the rows read (the SQL is in macros/inventory_daily_rows.sql):
-- depends_on: {{ ref('dim_vehicles') }}
-- depends_on: {{ ref('int_list_prices_sequenced') }}
-- depends_on: {{ ref('int_data_dates') }}

-- No rows here: this statement only creates the table (or, incrementally, adds nothing). The
-- post-hook inserts the days to rebuild, in dealer batches, from the run's plan
-- (macros/inventory_daily_batches.sql): the days are known only once the pre-hook has worked
-- them out, and working them out again while the model compiles cost as much (150 s at 11.5M
-- units).
{{ inventory_daily_rows('null', 'null') }}
