{#
    Logs of replaced keys. A model rebuilt by key deletes the rows of the keys it rebuilds; a
    row dropped by a re-delivery (a price change, a deal) then leaves no trace, and the model
    built from it (dim_vehicles from the price spells, dim_customers from
    customer_transactions) cannot know which of its keys to rebuild. So the upstream model's
    pre-hooks write those keys to a log, with replaced_at, before they delete; the downstream
    model reads the entries newer than its last build (built_at: the warehouse's clock, both
    sides) and prunes them after its build.

    A log is a table `<upstream model>__replaced` (key column, replaced_at) in the
    intermediate schema, not published to the serving copies. A null key: every key (the
    upstream model was rebuilt whole). Nothing on an engine where the models rebuilt by key
    are tables rebuilt whole (Spark).
#}
{% macro replaced_keys_log(identifier) -%}
    {{ return(api.Relation.create(database=this.database,
                                  schema=generate_schema_name('intermediate', none) | trim,
                                  identifier=identifier)) }}
{%- endmacro %}

{#
    The log if it exists, asked of the catalog: dbt's relation cache, filled when the run
    starts, does not know a log that a pre-hook created during the run.
#}
{% macro existing_replaced_keys_log(identifier) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set log = forecourt.replaced_keys_log(identifier) -%}
    {%- set query -%}
        select count(*) from information_schema.tables
        where table_catalog = '{{ log.database }}'
            and table_schema = '{{ log.schema }}'
            and table_name = '{{ log.identifier }}'
    {%- endset -%}
    {{ return(log if run_query(query).columns[0].values()[0] > 0 else none) }}
{%- endmacro %}

{# Pre-hooks of the upstream model: create the log's schema, then the log. #}
{% macro create_replaced_keys_log_schema(identifier) -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        select 1 as no_log_to_create
    {%- else -%}
        create schema if not exists {{ forecourt.replaced_keys_log(identifier).without_identifier() }}
    {%- endif -%}
{%- endmacro %}

{% macro create_replaced_keys_log(identifier, key_column) -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        select 1 as no_log_to_create
    {%- else -%}
        create table if not exists {{ forecourt.replaced_keys_log(identifier) }} (
            {{ key_column }} {{ dbt.type_string() }},
            replaced_at {{ dbt.type_timestamp() }}
        )
    {%- endif -%}
{%- endmacro %}

{#
    Pre-hook of the upstream model: log the keys it is about to rebuild (keys none, or a first
    build or full refresh, where rows may vanish with no pre-hook to see them: a null, every
    key).
#}
{% macro log_replaced_keys(identifier, key_column, keys) -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        select 1 as no_keys_to_log
    {%- elif is_incremental() and keys is not none and keys | length == 0 -%}
        select 1 as no_keys_to_log
    {%- else -%}
        insert into {{ forecourt.replaced_keys_log(identifier) }} ({{ key_column }}, replaced_at)
        {%- if not is_incremental() or keys is none %}
        select cast(null as {{ dbt.type_string() }}), cast(current_timestamp as {{ dbt.type_timestamp() }})
        {%- else %}
        select unnest([{{ forecourt.string_literals(keys) }}]), cast(current_timestamp as {{ dbt.type_timestamp() }})
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{# Post-hook of the downstream model: drop the log entries its build has read. #}
{% macro prune_replaced_keys(identifier) -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        {{ return('select 1 as no_log_to_prune') }}
    {%- endif -%}
    {%- set log = forecourt.existing_replaced_keys_log(identifier) -%}
    {%- if log is none -%}
        select 1 as no_log_to_prune
    {%- else -%}
        delete from {{ log }}
        where replaced_at <= (select max(built_at) from {{ this }})
    {%- endif -%}
{%- endmacro %}
