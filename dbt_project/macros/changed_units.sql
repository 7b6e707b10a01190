{#
    The units (stock numbers) an incremental int_list_prices_sequenced run rebuilds, whole:
    those in a raw vehicles or price_changes row loaded after the newest row the table holds
    (a new unit, a new price change, a re-delivered row), and those whose spells came from a
    vehicles or price_changes file re-delivered since (the load log says which), since a row a
    re-delivery dropped has left the raw table and only the table still names its unit.
    A unit's spells depend on its own rows only, so rebuilding these units gives a full
    build's rows.

    none (rebuild every unit) on a table built before it had source_partition_date, when a raw
    row since has no stock number or no file day, or above max_keys units (a history
    backfilled again; a first build into an empty table, where every raw row is newer). A day
    of 100 rooftops brings about 8,000 units and 15,000 price changes. The list is inlined as
    literals so DuckDB reads those units' rows of the staging views below their
    deduplication, as it does not for a subquery.
#}
{% macro changed_units(max_keys=100000) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if 'source_partition_date' not in columns -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set watermark = forecourt.held_watermark('loaded_at') -%}
    {%- set keys -%}
        {{ forecourt.keys_loaded_since('vehicles', 'stock_number', this, 'stock_number',
                                       held_rows='not held.is_price_change') }}
        union all
        {{ forecourt.keys_loaded_since('price_changes', 'stock_number', this, 'stock_number',
                                       held_rows='held.is_price_change') }}
    {%- endset -%}
    {{ return(forecourt.changed_keys(watermark, keys, max_keys)) }}
{%- endmacro %}

{#
    Pre-hook of a model rebuilt by key: delete the rows of the keys it is about to insert
    (`keys` none: every row), so a key whose rows all vanished from the source goes too, which
    an insert alone cannot see. Does nothing on a first build or a full refresh.
#}
{% macro delete_keys(key_column, keys) -%}
    {%- if not is_incremental() -%}
        select 1 as no_keys_to_delete
    {%- elif keys is none -%}
        delete from {{ this }}
    {%- elif keys | length == 0 -%}
        select 1 as no_keys_to_delete
    {%- else -%}
        delete from {{ this }} {{ forecourt.where_in(key_column, keys) }}
    {%- endif -%}
{%- endmacro %}

{#
    Materialization of a model rebuilt by key: incremental where the engine deletes rows
    (DuckDB), a table rebuilt whole on Spark (Parquet tables have no DELETE).
#}
{% macro keyed_materialization() -%}
    {{ return(adapter.dispatch('keyed_materialization', 'forecourt')()) }}
{%- endmacro %}

{% macro default__keyed_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__keyed_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
