{#
    State for the incremental mart inventory_daily: the inputs its rows were last built from,
    kept in a side table (intermediate.inventory_daily__inputs) that the mart's post-hook
    replaces in the same transaction as the mart's own insert, so the state always describes
    the mart as committed (a state model of its own could run, fail or be skipped apart from
    the mart, and then the difference below would be taken against the wrong past).

    One table, three kinds of row, exactly the columns inventory_daily reads:
      unit      one per dim_vehicles row: dealer_id, make, model, stock_type, total_cost,
                acquired_date, sold_date
      price     one per list price spell that covers at least one day (valid_to null or after
                valid_from): the unit's price changes to list_price on valid_from
      calendar  one row: first and last data day (the date spine's ends)
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
    {{ return(forecourt.inventory_daily_side_table('inventory_daily__inputs')) }}
{%- endmacro %}

{% macro inventory_daily_inputs_sql() -%}
    select
        'unit' as input_kind,
        cast(stock_number as {{ dbt.type_string() }}) as stock_number,
        cast(dealer_id as {{ dbt.type_string() }}) as dealer_id,
        cast(make as {{ dbt.type_string() }}) as make,
        cast(model as {{ dbt.type_string() }}) as model,
        cast(stock_type as {{ dbt.type_string() }}) as stock_type,
        cast(total_cost as decimal(12, 2)) as total_cost,
        cast(acquired_date as date) as acquired_date,
        cast(sold_date as date) as sold_date,
        cast(null as date) as valid_from,
        null as list_price,
        cast(null as date) as first_data_date,
        cast(null as date) as last_data_date
    from {{ ref('dim_vehicles') }}
    union all
    select
        'price',
        cast(stock_number as {{ dbt.type_string() }}),
        null, null, null, null, null, null, null,
        cast(valid_from as date),
        list_price,
        null, null
    from {{ ref('int_list_prices_sequenced') }}
    where valid_to is null or valid_to > valid_from
    union all
    select
        'calendar',
        null, null, null, null, null, null, null, null, null, null,
        cast(first_data_date as date),
        cast(last_data_date as date)
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

    previous_units as (
        select * from previous where input_kind = 'unit'
    ),

    current_units as (
        select * from current_inputs where input_kind = 'unit'
    ),

    -- units new, removed, or changed in anything but the sale
    spell_changed as (
        (
            select stock_number, dealer_id, make, model, stock_type, total_cost, acquired_date
            from previous_units
            except
            select stock_number, dealer_id, make, model, stock_type, total_cost, acquired_date
            from current_units
        )
        union
        (
            select stock_number, dealer_id, make, model, stock_type, total_cost, acquired_date
            from current_units
            except
            select stock_number, dealer_id, make, model, stock_type, total_cost, acquired_date
            from previous_units
        )
    ),

    sale_changed as (
        (
            select stock_number, sold_date from previous_units
            except
            select stock_number, sold_date from current_units
        )
        union
        (
            select stock_number, sold_date from current_units
            except
            select stock_number, sold_date from previous_units
        )
    ),

    price_changed as (
        (
            select stock_number, valid_from, list_price from previous where input_kind = 'price'
            except
            select stock_number, valid_from, list_price from current_inputs where input_kind = 'price'
        )
        union
        (
            select stock_number, valid_from, list_price from current_inputs where input_kind = 'price'
            except
            select stock_number, valid_from, list_price from previous where input_kind = 'price'
        )
    ),

    previous_calendar as (
        select first_data_date, last_data_date from previous where input_kind = 'calendar'
    ),

    current_calendar as (
        select first_data_date, last_data_date from current_inputs where input_kind = 'calendar'
    ),

    calendar_pair as (
        select
            previous_calendar.first_data_date as previous_first,
            previous_calendar.last_data_date as previous_last,
            current_calendar.first_data_date as current_first,
            current_calendar.last_data_date as current_last
        from current_calendar
        left join previous_calendar on 1 = 1
    ),

    candidate_days as (
        select units.acquired_date as candidate_day
        from (
            select stock_number, acquired_date from previous_units
            union all
            select stock_number, acquired_date from current_units
        ) as units
        where units.stock_number in (select stock_number from spell_changed)
        union all
        select sold_date from sale_changed
        union all
        select valid_from from price_changed
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
            (select first_data_date from current_calendar) as first_data_date,
            (select last_data_date from current_calendar) as last_data_date
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
    the saved inputs (150 s at 11.5M units): worth doing once, not once per reader.
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

{# Post-hooks: replace the state with the inputs the mart now reflects. #}
{% macro inventory_daily_drop_inputs() -%}
    drop table if exists {{ forecourt.inventory_daily_inputs_relation() }}
{%- endmacro %}

{% macro inventory_daily_save_inputs() -%}
    create table {{ forecourt.inventory_daily_inputs_relation() }} as
    {{ forecourt.inventory_daily_inputs_sql() }}
{%- endmacro %}
