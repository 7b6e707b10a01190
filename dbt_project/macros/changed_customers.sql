{#
    What an incremental dim_customers run rebuilds: the customers whose row or history changed
    since its last build, as literals, found from
      - the raw customers rows loaded after the newest customer row it holds (new customers,
        re-delivered ones), and the customers it holds from a customers file re-delivered
        since (a customer the re-delivery dropped has left the raw table);
      - the customer_transactions rows written after its newest build (built_at): the deals
        and visits that customer_transactions copied again;
      - the replaced-customers log, where customer_transactions' pre-hook writes the customers
        of the rows it is about to delete (a deal removed, or moved to another customer, is
        otherwise gone without a trace).
    Two clocks, each compared with itself: the loader's (loaded_at) and the warehouse's
    (built_at, replaced_at).

    none (rebuild every customer) on a table built before it had these columns, when
    customer_transactions has no built_at, when the log does not exist, when a raw customers
    row since has no customer number or no file day, when the log holds a null
    (customer_transactions rebuilt whole), or above max_keys customers (a history backfilled
    again). A Monday of 100 rooftops touches about 56,000 customers.
#}
{% macro changed_customers(max_keys=100000) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set held = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- set transactions = ref('customer_transactions') -%}
    {%- set written = adapter.get_columns_in_relation(transactions) | map(attribute='name') | list -%}
    {%- if 'built_at' not in held or 'source_partition_date' not in held
          or 'source_loaded_at' not in held or 'built_at' not in written -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set log = forecourt.existing_replaced_customers_log() -%}
    {%- if log is none -%}
        {#- lost or never written: the deleted transactions cannot be known -#}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        with watermark as (
            select
                max(built_at) as last_built_at,
                coalesce(max(source_loaded_at), cast('0001-01-01' as timestamp)) as last_loaded_at
            from {{ this }}
        ),

        reloaded as (
            select load_log.partition_date
            from {{ ref('stg_ingestion__load_log') }} as load_log
            cross join watermark
            where load_log.feed = 'customers'
                and load_log.loaded_at > watermark.last_loaded_at
        ),

        keys as (
            select
                {{ forecourt.clean_text('raw.customer_id', 'upper') }} as customer_id,
                raw._partition_date is null as rebuild_all
            from {{ graph.sources['source.forecourt.dms.customers'].relation_name }} as raw
            cross join watermark
            where raw._loaded_at > watermark.last_loaded_at
            union all
            select held.customer_id, false as rebuild_all
            from {{ this }} as held
            inner join reloaded
                on held.source_partition_date = reloaded.partition_date
            union all
            select written.customer_id, false as rebuild_all
            from {{ transactions }} as written
            cross join watermark
            where written.built_at > watermark.last_built_at
            union all
            select replaced.customer_id, replaced.customer_id is null as rebuild_all
            from {{ log }} as replaced
            cross join watermark
            where replaced.replaced_at > watermark.last_built_at
        )

        select customer_id, bool_or(rebuild_all) as rebuild_all
        from keys
        group by customer_id
        limit {{ max_keys + 1 }}
    {%- endset -%}
    {%- set found = run_query(query) -%}
    {%- set customers = found.columns[0].values() -%}
    {%- if customers | length > max_keys or none in customers or true in found.columns[1].values() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(customers | sort) }}
{%- endmacro %}

{#
    The log of customers whose transactions customer_transactions replaced, in the
    intermediate schema (not published to the serving copies). customer_id null: every
    customer (it replaced every row of a kind).
#}
{% macro replaced_customers_log() -%}
    {{ return(api.Relation.create(database=this.database,
                                  schema=generate_schema_name('intermediate', none) | trim,
                                  identifier='customer_transactions__replaced')) }}
{%- endmacro %}

{#
    The log if it exists, asked of the catalog: dbt's relation cache, filled when the run
    starts, does not know a log that a pre-hook created during the run.
#}
{% macro existing_replaced_customers_log() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set log = forecourt.replaced_customers_log() -%}
    {%- set query -%}
        select count(*) from information_schema.tables
        where table_catalog = '{{ log.database }}'
            and table_schema = '{{ log.schema }}'
            and table_name = '{{ log.identifier }}'
    {%- endset -%}
    {{ return(log if run_query(query).columns[0].values()[0] > 0 else none) }}
{%- endmacro %}

{#
    Pre-hooks of customer_transactions: create the log, then write to it the customers of the
    rows about to be deleted. A build that replaces every row of a kind (scope none), or the
    whole table (a first build, a full refresh: rows may vanish with no pre-hook to see them),
    writes a null: every customer. Nothing on an engine where both models are tables.
#}
{% macro create_replaced_customers_log_schema() -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        select 1 as no_log_to_create
    {%- else -%}
        create schema if not exists {{ forecourt.replaced_customers_log().without_identifier() }}
    {%- endif -%}
{%- endmacro %}

{% macro create_replaced_customers_log() -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        select 1 as no_log_to_create
    {%- else -%}
        create table if not exists {{ forecourt.replaced_customers_log() }} (
            customer_id {{ dbt.type_string() }},
            replaced_at {{ dbt.type_timestamp() }}
        )
    {%- endif -%}
{%- endmacro %}

{% macro log_replaced_customers(scope) -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        select 1 as no_customers_to_log
    {%- else -%}
        insert into {{ forecourt.replaced_customers_log() }} (customer_id, replaced_at)
        {%- if not is_incremental() or scope is none or none in [scope.vehicle, scope.service] %}
        select cast(null as {{ dbt.type_string() }}), cast(current_timestamp as {{ dbt.type_timestamp() }})
        {%- else %}
        select distinct customer_id, cast(current_timestamp as {{ dbt.type_timestamp() }})
        from (
            {%- for kind in ['vehicle', 'service'] %}
            select customer_id from {{ this }}
            where {{ forecourt.transactions_of_kind(scope, kind) }}
            {{- ' union all' if not loop.last }}
            {%- endfor %}
        ) as replaced
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#
    Post-hooks of dim_customers. The last data day moves every day, and with it as_of_date and
    days_since_last_activity of every customer, rebuilt or not: set them in place. Then drop
    the log entries this build has read.
#}
{% macro refresh_customers_as_of() -%}
    {%- if not is_incremental() -%}
        select 1 as no_rows_to_refresh
    {%- else -%}
        update {{ this }}
        set
            as_of_date = data_dates.last_data_date,
            days_since_last_activity = cast(
                {{ dbt.datediff('last_activity_date', 'data_dates.last_data_date', 'day') }} as integer)
        from {{ ref('int_data_dates') }} as data_dates
        where as_of_date is distinct from data_dates.last_data_date
    {%- endif -%}
{%- endmacro %}

{% macro prune_replaced_customers() -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        {#- an engine where both models are tables rebuilt whole keeps no log -#}
        {{ return('select 1 as no_log_to_prune') }}
    {%- endif -%}
    {%- set log = forecourt.existing_replaced_customers_log() -%}
    {%- if log is none -%}
        select 1 as no_log_to_prune
    {%- else -%}
        delete from {{ log }}
        where replaced_at <= (select max(built_at) from {{ this }})
    {%- endif -%}
{%- endmacro %}
