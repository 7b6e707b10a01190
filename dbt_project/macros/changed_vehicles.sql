{#
    What an incremental dim_vehicles run rebuilds: the units whose row changed since its last
    build, as literals, found from
      - the log of the units the price spells rebuilt (int_list_prices_sequenced__replaced,
        written by the spells' pre-hook, macros/replaced_keys_log.sql): the spells rebuild
        every unit whose stock row or price changes were loaded, re-delivered or dropped, and
        a dropped price change leaves no other trace;
      - the units of the raw sales rows loaded since, and those the dim holds from a sales
        file re-delivered since (the unit's first deal may have been dropped, or given to
        another unit). A deal cannot move to another day's file unless its own day is
        re-delivered too: the loader rejects a key already delivered on another day.
    A dealer added, removed or changed since (its region is in every row of its units; the
    dealers feed is reloaded whole by every run and the load log counts its changes) rebuilds
    every unit, as it rebuilds every sale day of fct_sales.
    Two clocks, each compared with itself: the loader's (loaded_through, the load log's newest
    load when the row was built) and the warehouse's (built_at, replaced_at). loaded_through
    is read when the rows are built, after the units were listed: no load may commit between
    the two, which the warehouse's single writer ensures (a load and a dbt run never overlap).

    A unit's stock row and price changes reach the dim through the spells: a run of the dim
    alone, after a load but before the spells are rebuilt, keeps those units as they were
    until the spells run (where a full refresh of the dim alone would show their new stock
    rows, with the stale spells' prices). Build from the sources (`+dim_vehicles`), as every
    job does.

    none (rebuild every unit) on a table built before it had these columns, when the log does
    not exist, when it holds a null (the spells rebuilt whole), when a raw sales row since has
    no stock number or no file day, after a dealer change, or above max_keys units.
#}
{% macro changed_vehicles(max_keys=100000) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set held = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if 'built_at' not in held or 'loaded_through' not in held
          or 'sale_source_partition_date' not in held -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set log = forecourt.existing_replaced_keys_log('int_list_prices_sequenced__replaced') -%}
    {%- if log is none -%}
        {#- lost or never written: the units of dropped price changes cannot be known -#}
        {{ return(none) }}
    {%- endif -%}
    {%- set watermark = forecourt.held_watermark('loaded_through', built_column='built_at') -%}
    {%- set keys -%}
        select replaced.stock_number as changed_key, replaced.stock_number is null as rebuild_all
        from {{ log }} as replaced
        cross join watermark
        where replaced.replaced_at > watermark.last_built_at
        union all
        {{ forecourt.keys_loaded_since('sales', 'stock_number', this, 'stock_number',
                                       held_day='sale_source_partition_date') }}
        union all
        select cast(null as {{ dbt.type_string() }}) as changed_key, true as rebuild_all
        from {{ ref('stg_ingestion__load_log') }} as load_log
        cross join watermark
        where load_log.feed = 'dealers'
            and load_log.loaded_at > watermark.last_loaded_at
            and coalesce(load_log.rows_added, 1) + coalesce(load_log.rows_removed, 1)
                + coalesce(load_log.rows_changed, 1) > 0
    {%- endset -%}
    {{ return(forecourt.changed_keys(watermark, keys, max_keys)) }}
{%- endmacro %}

{#
    Post-hook of dim_vehicles. The last data day moves every day, and with it as_of_date of
    every unit, and days_in_stock and age_bucket of the units in stock (a sold unit ages to
    its sale day), rebuilt or not: set them in place.
#}
{% macro refresh_vehicles_as_of() -%}
    {%- if not is_incremental() -%}
        select 1 as no_rows_to_refresh
    {%- else -%}
        {%- set days_in_stock -%}
            cast({{ dbt.datediff('acquired_date', 'coalesce(sold_date, data_dates.last_data_date)', 'day') }} as integer)
        {%- endset -%}
        update {{ this }}
        set
            as_of_date = data_dates.last_data_date,
            days_in_stock = {{ days_in_stock }},
            age_bucket = {{ forecourt.age_bucket(days_in_stock) }}
        from {{ ref('int_data_dates') }} as data_dates
        where as_of_date is distinct from data_dates.last_data_date
    {%- endif -%}
{%- endmacro %}

{#
    The deal numbers of the raw sales rows naming these units, in any version: every deal
    whose newest version is of one of them is among them. none (read every deal) when a raw
    row has no deal number, or above max_keys deals.
#}
{% macro deals_of_units(units, max_keys=200000) -%}
    {%- if not execute or units is none -%}
        {{ return(none) }}
    {%- elif units | length == 0 -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select distinct {{ forecourt.clean_text('deal_id', 'upper') }} as deal_id
        from {{ graph.sources['source.forecourt.dms.sales'].relation_name }}
        where {{ forecourt.in_list(forecourt.clean_text('stock_number', 'upper'), units) }}
        limit {{ max_keys + 1 }}
    {%- endset -%}
    {%- set deals = run_query(query).columns[0].values() -%}
    {%- if deals | length > max_keys or none in deals -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(deals | sort) }}
{%- endmacro %}
