{#
    List price spells per unit: the first list price from the stock feed from acquired_date,
    then one spell per price change. A spell is valid on days valid_from <= day < valid_to
    (valid_to null = still current).

    Stored, not a view like the rest of this layer: inventory_daily reads it four times a run
    (its change detection, delete, build and saved state), int_vehicles_priced and
    int_sales_joined once each, and as a view every read re-ran the windows over every unit's
    price history (3.6 s per read at two years of 25 rooftops).

    Incremental by unit: a run rebuilds, whole, the spells of the units whose stock or price
    rows were loaded, re-delivered or dropped since the last build (macros/changed_units.sql),
    after deleting their old spells, so a daily run reads a day's units, not every unit's
    history (48 s at five years of 100 rooftops rebuilt whole). A full refresh gives the same
    rows. On Spark, a table rebuilt whole.

    Before deleting, a pre-hook logs the units it rebuilds (macros/replaced_keys_log.sql): a
    price change dropped by a re-delivery leaves no other trace, and dim_vehicles rebuilds the
    units logged since its last build.
#}
-- the load log, read for the re-delivered files: depends_on: {{ ref('stg_ingestion__load_log') }}
{%- set units = forecourt.changed_units() %}
{{
    config(
        materialized=forecourt.keyed_materialization(),
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ forecourt.create_replaced_keys_log_schema('int_list_prices_sequenced__replaced') }}",
            "{{ forecourt.create_replaced_keys_log('int_list_prices_sequenced__replaced', 'stock_number') }}",
            "{{ forecourt.log_replaced_keys('int_list_prices_sequenced__replaced', 'stock_number', forecourt.changed_units()) }}",
            "{{ forecourt.delete_keys('stock_number', forecourt.changed_units()) }}",
        ]
    )
}}

with vehicles as (
    select * from {{ ref('stg_dms__vehicles') }}
    {%- if is_incremental() %}
    {{ forecourt.where_in('stock_number', units) }}
    {%- endif %}
),

price_changes as (
    select * from {{ ref('stg_dms__price_changes') }}
    {%- if is_incremental() %}
    {{ forecourt.where_in('stock_number', units) }}
    {%- endif %}
),

initial_prices as (
    select
        stock_number,
        dealer_id,
        acquired_date as valid_from,
        list_price,
        cast(null as {{ dbt.type_string() }}) as change_reason,
        0 as is_price_change,
        source_partition_date,
        loaded_at
    from vehicles
),

changed_prices as (
    select
        stock_number,
        dealer_id,
        changed_date as valid_from,
        new_price as list_price,
        change_reason,
        1 as is_price_change,
        source_partition_date,
        loaded_at
    from price_changes
),

unioned as (
    select * from initial_prices
    union all
    select * from changed_prices
),

sequenced as (
    select
        stock_number,
        dealer_id,
        valid_from,
        lead(valid_from) over (
            partition by stock_number order by valid_from, is_price_change
        ) as valid_to,
        list_price,
        lag(list_price) over (
            partition by stock_number order by valid_from, is_price_change
        ) as previous_list_price,
        change_reason,
        is_price_change,
        row_number() over (
            partition by stock_number order by valid_from, is_price_change
        ) - 1 as price_seq,
        source_partition_date,
        loaded_at
    from unioned
),

flagged as (
    select
        *,
        case when list_price < previous_list_price then 1 else 0 end as is_markdown
    from sequenced
),

final as (
    select
        stock_number,
        dealer_id,
        price_seq,
        valid_from,
        valid_to,
        list_price,
        previous_list_price,
        change_reason,
        is_price_change = 1 as is_price_change,
        is_markdown = 1 as is_markdown,
        sum(is_markdown) over (
            partition by stock_number
            order by price_seq
            rows between unbounded preceding and current row
        ) as markdowns_to_date,
        source_partition_date,
        loaded_at
    from flagged
)

select * from final
