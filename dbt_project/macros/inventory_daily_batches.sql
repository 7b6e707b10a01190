{#
    inventory_daily in dealer batches. Its running sums (one window over every group's days
    with a change) hold all their rows and states in memory at once: at 100 rooftops and five
    years (11.5M units, 16.7M group-days with a change) the full build ran out of DuckDB's 6GB
    where it needed about 10GB, and a window does not spill. Groups (dealer, make, model) never
    span dealers, so the rows of a set of dealers depend on those dealers' units alone: a build
    over more units than `inventory_daily_batch_units` (dbt var, default 2,000,000: about 2GB of
    window state) runs as consecutive statements, one batch of dealers each, every one bounded.
    The post-hook inserts every batch (the model's own statement only creates the table), before
    the inputs are saved, in the same transaction on DuckDB.
#}

{#
    The days this build writes, as two SQL date literals (or 'null'): an incremental run's
    rebuild range (from its plan), a build from scratch's every data day. Asked in the
    post-hook, where is_incremental() still tells the two apart with dbt 1.11 (the new table
    enters dbt's relation cache only once the materialization returns); were it true after a
    build from scratch, that build made no plan and reading it fails loudly.
#}
{% macro inventory_daily_range() -%}
    {%- if is_incremental() -%}
        {{ return(forecourt.inventory_daily_rebuild_range()) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(['null', 'null']) }}
    {%- endif -%}
    {%- set query -%}
        select
            cast(cast(first_data_date as date) as {{ dbt.type_string() }}),
            cast(cast(last_data_date as date) as {{ dbt.type_string() }})
        from {{ ref('int_data_dates') }}
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {%- set row = rows[0] if rows | length > 0 else [none, none] -%}
    {{ return(["'" ~ row[0] ~ "'" if row[0] is not none else 'null',
               "'" ~ row[1] ~ "'" if row[1] is not none else 'null']) }}
{%- endmacro %}

{#
    The batches, as predicates on vehicles.dealer_id: dealers in id order, a new batch whenever
    the next dealer's units on hand in the range would take the batch past the budget (a
    dealer is never split; one over the budget is a batch of its own). Units with no dealer go
    with the first batch. One batch ('1 = 1') when everything fits, as on any single rooftop.
#}
{% macro inventory_daily_dealer_batches(start_date, end_date) -%}
    {%- set everyone = ['1 = 1'] -%}
    {%- if not execute or start_date == 'null' or end_date == 'null' -%}
        {{ return(everyone) }}
    {%- endif -%}
    {%- set budget = var('inventory_daily_batch_units', 2000000) | int -%}
    {%- set query -%}
        select
            cast(dealer_id as {{ dbt.type_string() }}) as dealer_id,
            count(*) as units
        from {{ ref('dim_vehicles') }}
        where acquired_date is not null
            and acquired_date <= cast({{ end_date }} as date)
            and (sold_date is null or sold_date > cast({{ start_date }} as date))
        group by dealer_id
        order by dealer_id nulls first
    {%- endset -%}
    {%- set state = namespace(units=0, last=none, bounds=[]) -%}
    {%- for dealer_id, units in run_query(query).rows -%}
        {%- if state.units > 0 and state.units + units > budget -%}
            {%- do state.bounds.append(state.last) -%}
            {%- set state.units = 0 -%}
        {%- endif -%}
        {%- set state.units = state.units + units -%}
        {%- set state.last = dealer_id -%}
    {%- endfor -%}
    {%- if state.bounds | length == 0 -%}
        {{ return(everyone) }}
    {%- endif -%}
    {#- batch i holds the dealers after bounds[i - 1] up to and including bounds[i] -#}
    {%- set batches = [] -%}
    {%- for i in range(state.bounds | length + 1) -%}
        {%- set lower = state.bounds[i - 1] if i > 0 else none -%}
        {%- set upper = state.bounds[i] if i < state.bounds | length else none -%}
        {%- set terms = [] -%}
        {%- if i == 0 -%}
            {%- do terms.append('vehicles.dealer_id is null' if upper is none
                else '(vehicles.dealer_id is null or vehicles.dealer_id <= '
                    ~ forecourt.string_literal(upper) ~ ')') -%}
        {%- else -%}
            {%- do terms.append('vehicles.dealer_id is not null' if lower is none
                else 'vehicles.dealer_id > ' ~ forecourt.string_literal(lower)) -%}
            {%- if upper is not none -%}
                {%- do terms.append('vehicles.dealer_id <= ' ~ forecourt.string_literal(upper)) -%}
            {%- endif -%}
        {%- endif -%}
        {%- do batches.append(terms | join(' and ')) -%}
    {%- endfor -%}
    {{ return(batches) }}
{%- endmacro %}

{#
    Post-hook: insert the days this build writes, one statement per batch of dealers. Counting
    the units first keeps the common case cheap: with no more units than the budget in the whole
    of dim_vehicles there is one batch whatever the range.
#}
{% macro inventory_daily_insert_rebuilt_days() -%}
    {%- set batches = [] -%}
    {%- if execute -%}
        {%- set start_date, end_date = forecourt.inventory_daily_range() -%}
        {%- set budget = var('inventory_daily_batch_units', 2000000) | int -%}
        {%- set units = run_query('select count(*) from ' ~ ref('dim_vehicles')).rows[0][0] -%}
        {%- if start_date != 'null' and end_date != 'null' -%}
            {%- set batches = forecourt.inventory_daily_dealer_batches(start_date, end_date)
                if units > budget else ['1 = 1'] -%}
        {%- endif -%}
    {%- endif -%}
    {%- if batches -%}
        {#- by name: Spark keeps a partition column last, whatever the select's order -#}
        {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='quoted') | join(', ') -%}
        {%- for dealers in batches -%}
            {%- call statement('inventory_daily_batch_' ~ loop.index) -%}
                insert into {{ this }}
                select {{ columns }}
                from ({{ inventory_daily_rows(start_date, end_date, dealers) }}) as batch_rows
            {%- endcall -%}
        {%- endfor -%}
    {%- endif -%}
    select {{ batches | length }} as dealer_batches
{%- endmacro %}
