{#
    State for the incremental mart inventory_daily: fingerprints of the inputs its rows were
    last built from, kept in a side table (intermediate.inventory_daily__fingerprints) that the
    mart's post-hook replaces in the same transaction as the mart's own insert, so the state
    always describes the mart as committed (a state model of its own could run, fail or be
    skipped apart from the mart, and then the difference below would be taken against the
    wrong past).

    The rows inventory_daily reads are grouped by the day a change to them would rebuild from
    (the model's header says why each day is safe), and each group is kept as a row count and
    a sum of row hashes (forecourt.row_hash). One row per kind and day:
      unit      dim_vehicles rows by acquired_date: stock_number, dealer_id, make, model,
                stock_type, total_cost. A unit new, removed or changed changes the group of its
                acquisition day; one whose acquisition moved changes both days' groups.
      sale      dim_vehicles rows by sold_date: stock_number. A sale added, removed or moved
                changes the groups of its old and new sale days.
      price     list price spells that cover at least one day, by valid_from: stock_number,
                list_price.
      calendar_first, calendar_last
                one row each: the date spine's first and last data day.
    Rows without a day (a unit never acquired or never sold) are on hand on no day or stay on
    hand, and are left out as the day-by-day comparison left them out.

    Comparing these few thousand rows replaces comparing every unit and price spell (38.5M rows
    at 11.5M units: 147-441 s, measured, bench/results_issue16_full_1824.json); the current
    side is one pass over the inputs. A group whose rows changed but whose count and hash sum
    did not would be missed: a 64-bit hash sum makes that a chance of about 1 in 2^64.
#}

{# A side table of inventory_daily's, in the schema of its calendar (intermediate). #}
{% macro inventory_daily_side_table(identifier) -%}
    {%- set calendar = ref('int_data_dates') -%}
    {{ return(api.Relation.create(
        database=calendar.database,
        schema=calendar.schema,
        identifier=identifier,
        type='table'
    )) }}
{%- endmacro %}

{% macro inventory_daily_inputs_relation() -%}
    {{ return(forecourt.inventory_daily_side_table('inventory_daily__fingerprints')) }}
{%- endmacro %}

{% macro inventory_daily_inputs_sql() -%}
    select
        'unit' as input_kind,
        cast(acquired_date as date) as input_day,
        count(*) as input_rows,
        sum({{ forecourt.row_hash(
            ['stock_number', 'dealer_id', 'make', 'model', 'stock_type',
             'cast(total_cost as decimal(12, 2))']
        ) }}) as input_hash
    from {{ ref('dim_vehicles') }}
    where acquired_date is not null
    group by cast(acquired_date as date)
    union all
    select
        'sale',
        cast(sold_date as date),
        count(*),
        sum({{ forecourt.row_hash(['stock_number']) }})
    from {{ ref('dim_vehicles') }}
    where sold_date is not null
    group by cast(sold_date as date)
    union all
    select
        'price',
        cast(valid_from as date),
        count(*),
        sum({{ forecourt.row_hash(['stock_number', 'list_price']) }})
    from {{ ref('int_list_prices_sequenced') }}
    where (valid_to is null or valid_to > valid_from)
        and valid_from is not null
    group by cast(valid_from as date)
    union all
    select
        'calendar_first',
        cast(first_data_date as date),
        1,
        cast(0 as decimal(38, 0))
    from {{ ref('int_data_dates') }}
    union all
    select
        'calendar_last',
        cast(last_data_date as date),
        1,
        cast(0 as decimal(38, 0))
    from {{ ref('int_data_dates') }}
{%- endmacro %}

{#
    One row: the first day inventory_daily must rebuild (null: none), and the new first and
    last data days. Why each candidate day is safe is in inventory_daily.sql's header.
#}
{% macro inventory_daily_rebuild_sql() -%}
    {%- set previous_relation = forecourt.inventory_daily_inputs_relation() -%}
    {%- set state = adapter.get_relation(
        database=previous_relation.database,
        schema=previous_relation.schema,
        identifier=previous_relation.identifier
    ) if execute else none -%}
    {%- if state is none -%}
    {#- no state (first incremental run after a table build without it): rebuild everything -#}
    select
        cast('1900-01-01' as date) as rebuild_from,
        first_data_date,
        last_data_date
    from {{ ref('int_data_dates') }}
    {%- else -%}
    with previous as (
        select * from {{ state }}
    ),

    current_inputs as (
        {{ forecourt.inventory_daily_inputs_sql() }}
    ),

    -- a day whose units, sales or price spells differ in either direction
    changed_days as (
        select coalesce(current_inputs.input_day, previous.input_day) as candidate_day
        from current_inputs
        full outer join previous
            on current_inputs.input_kind = previous.input_kind
            and current_inputs.input_day = previous.input_day
        where coalesce(current_inputs.input_kind, previous.input_kind) in ('unit', 'sale', 'price')
            and (
                current_inputs.input_kind is null
                or previous.input_kind is null
                or current_inputs.input_rows <> previous.input_rows
                or current_inputs.input_hash <> previous.input_hash
            )
    ),

    calendar_pair as (
        select
            (select max(input_day) from previous where input_kind = 'calendar_first')
                as previous_first,
            (select max(input_day) from previous where input_kind = 'calendar_last')
                as previous_last,
            (select max(input_day) from current_inputs where input_kind = 'calendar_first')
                as current_first,
            (select max(input_day) from current_inputs where input_kind = 'calendar_last')
                as current_last
    ),

    candidate_days as (
        select candidate_day from changed_days
        union all
        -- the spine's first day moved (or there was none): everything
        select coalesce(previous_first, current_first)
        from calendar_pair
        where previous_first is null
            or current_first is null
            or previous_first <> current_first
        union all
        select current_first
        from calendar_pair
        where previous_first is null
            or current_first is null
            or previous_first <> current_first
        union all
        -- the spine grew: its new days
        select {{ dbt.dateadd('day', 1, 'previous_last') }}
        from calendar_pair
        where previous_last < current_last
    ),

    final as (
        select
            (select min(candidate_day) from candidate_days) as rebuild_from,
            (select current_first from calendar_pair) as first_data_date,
            (select current_last from calendar_pair) as last_data_date
    )

    select * from final
    {%- endif -%}
{%- endmacro %}

{#
    The days an incremental run rebuilds, as two SQL date literals (or null): from the later of
    rebuild_from and the first data day (null: nothing changed) to the last data day, as the
    run's plan (below) has them.
#}
{% macro inventory_daily_rebuild_range() -%}
    {%- if not execute -%}
        {{ return(['null', 'null']) }}
    {%- endif -%}
    {%- set query -%}
        select
            cast(cast(case
                when rebuild_from is null then null
                when rebuild_from > first_data_date then rebuild_from
                else first_data_date
            end as date) as {{ dbt.type_string() }}) as start_date,
            cast(cast(last_data_date as date) as {{ dbt.type_string() }}) as end_date
        from {{ forecourt.inventory_daily_plan_relation() }}
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {{ return(["'" ~ row[0] ~ "'" if row[0] is not none else 'null',
               "'" ~ row[1] ~ "'" if row[1] is not none else 'null']) }}
{%- endmacro %}

{#
    The plan of an incremental run: rebuild_sql's one row, worked out once by a pre-hook into a
    side table that the pre-hook deleting the rebuilt days and the post-hook inserting them
    (macros/inventory_daily_batches.sql) both read; dropped at the start and end of every run,
    so no run reads another's. The change detection compares every unit and price spell with
    the saved fingerprints: worth doing once, not once per reader (comparing every unit, as
    it once did, took 150 s at 11.5M units).
#}
{% macro inventory_daily_plan_relation() -%}
    {{ return(forecourt.inventory_daily_side_table('inventory_daily__plan')) }}
{%- endmacro %}

{% macro inventory_daily_drop_plan() -%}
    drop table if exists {{ forecourt.inventory_daily_plan_relation() }}
{%- endmacro %}

{% macro inventory_daily_make_plan() -%}
    {%- if is_incremental() -%}
        create table {{ forecourt.inventory_daily_plan_relation() }} as
        {{ forecourt.inventory_daily_rebuild_sql() }}
    {%- else -%}
        select 1 as built_from_scratch
    {%- endif -%}
{%- endmacro %}

{# Pre-hook: delete the days to rebuild, days past the new last data day, all if no data. #}
{% macro inventory_daily_delete_rebuilt_days() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where exists (
            select 1
            from {{ forecourt.inventory_daily_plan_relation() }} as rebuild
            where rebuild.last_data_date is null
                or date_day >= rebuild.rebuild_from
                or date_day > rebuild.last_data_date
        )
    {%- else -%}
        select 1 as no_days_to_delete
    {%- endif -%}
{%- endmacro %}

{#
    Post-hooks: replace the state with the inputs the mart now reflects. The state before
    fingerprints (every unit and price spell, intermediate.inventory_daily__inputs) goes too:
    without fingerprints the next run rebuilds every day once.
#}
{% macro inventory_daily_drop_inputs() -%}
    drop table if exists {{ forecourt.inventory_daily_inputs_relation() }}
{%- endmacro %}

{#- the state before fingerprints; a hook of its own: Spark runs one statement per hook -#}
{% macro inventory_daily_drop_legacy_inputs() -%}
    drop table if exists {{ forecourt.inventory_daily_side_table('inventory_daily__inputs') }}
{%- endmacro %}

{% macro inventory_daily_save_inputs() -%}
    create table {{ forecourt.inventory_daily_inputs_relation() }} as
    {{ forecourt.inventory_daily_inputs_sql() }}
{%- endmacro %}
