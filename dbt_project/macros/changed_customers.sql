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
    {%- set log = forecourt.existing_replaced_keys_log('customer_transactions__replaced') -%}
    {%- if log is none -%}
        {#- lost or never written: the deleted transactions cannot be known -#}
        {{ return(none) }}
    {%- endif -%}
    {%- set watermark = forecourt.held_watermark('source_loaded_at', built_column='built_at') -%}
    {%- set keys -%}
        {{ forecourt.keys_loaded_since('customers', 'customer_id', this, 'customer_id') }}
        union all
        select written.customer_id as changed_key, false as rebuild_all
        from {{ transactions }} as written
        cross join watermark
        where written.built_at > watermark.last_built_at
        union all
        select replaced.customer_id as changed_key, replaced.customer_id is null as rebuild_all
        from {{ log }} as replaced
        cross join watermark
        where replaced.replaced_at > watermark.last_built_at
    {%- endset -%}
    {{ return(forecourt.changed_keys(watermark, keys, max_keys)) }}
{%- endmacro %}

{#
    Pre-hook of customer_transactions, after it created its log (macros/replaced_keys_log.sql):
    write to the log the customers of the rows about to be deleted. A build that replaces
    every row of a kind (scope none), or the whole table, writes a null: every customer.
#}
{% macro log_replaced_customers(scope) -%}
    {%- if forecourt.keyed_materialization() != 'incremental' -%}
        select 1 as no_customers_to_log
    {%- else -%}
        insert into {{ forecourt.replaced_keys_log('customer_transactions__replaced') }} (customer_id, replaced_at)
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
    Post-hook of dim_customers. The last data day moves every day, and with it as_of_date and
    days_since_last_activity of every customer, rebuilt or not: set them in place.
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
