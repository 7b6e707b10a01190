{#
    What an incremental customer_transactions run rebuilds, as literals, by kind of row, each
    against its own watermark (the newest input load its rows were built from):
      vehicle the sale days whose fct_sales rows may have changed since (changed_sale_days
              over the load log, as fct_sales itself finds them); their vehicle rows are
              copied again, whole.
      service the repair orders in the raw service rows loaded since, and those the table
              holds from a service file re-delivered since (a row the re-delivery dropped has
              left the raw table; only the table still names it). By key, not by day: a
              repair order re-delivered on a later day moves there, and the staging view keeps
              its newest version, wherever it sits.
    The whole scope is none (every row) on a table built before it had source_partition_date
    and source_loaded_at (its first run rebuilds all and adds the columns). service is none
    (every service row) when a raw service row since has no repair order number or no file
    day, or above max_keys repair orders (a history backfilled again); a Monday of 100
    rooftops closes about 51,000. The sale days are never none: a dealer change lists them
    all.

    Separate watermarks, because fct_sales may be stale when this model runs alone: a vehicle
    row's load time only ever comes from a fct_sales build that had seen every load before it.
#}
{% macro changed_transactions(max_keys=100000) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if 'source_partition_date' not in columns or 'source_loaded_at' not in columns -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set days = forecourt.sale_days_to_rebuild("kind = 'vehicle'") -%}
    {%- set watermark = forecourt.held_watermark('source_loaded_at', rows="kind = 'service'") -%}
    {%- set keys = forecourt.keys_loaded_since('service_visits', 'visit_id', this, 'transaction_id',
                                               held_rows="held.kind = 'service'") -%}
    {%- set visits = forecourt.changed_keys(watermark, keys, max_keys) -%}
    {{ return({'vehicle': days, 'service': visits}) }}
{%- endmacro %}

{#
    Pre-hooks of customer_transactions, one per kind: delete the vehicle rows of the days, or
    the service rows of the repair orders, it is about to insert (none: all rows of the kind),
    so a deal or visit that vanished from the source goes too. Nothing on a first build or a
    full refresh. One kind per statement: a long literal list under an `or` is tested against
    every row one literal at a time (minutes over 41M rows), where a list in a conjunction
    becomes a hash lookup.
#}
{% macro delete_changed_transactions(scope, kind) -%}
    {%- if not is_incremental() -%}
        select 1 as no_transactions_to_delete
    {%- elif scope is none or scope[kind] is none -%}
        delete from {{ this }} where kind = '{{ kind }}'
    {%- elif scope[kind] | length == 0 -%}
        select 1 as no_transactions_to_delete
    {%- else -%}
        delete from {{ this }} where {{ forecourt.transactions_of_kind(scope, kind) }}
    {%- endif -%}
{%- endmacro %}

{#- The rows of one kind in a scope: the sale days' deals, or the repair orders. -#}
{% macro transactions_of_kind(scope, kind) -%}
    {%- if kind == 'vehicle' -%}
        kind = 'vehicle' and {{ forecourt.in_list('source_partition_date', scope.vehicle, 'date') }}
    {%- else -%}
        kind = 'service' and {{ forecourt.in_list('transaction_id', scope.service) }}
    {%- endif -%}
{%- endmacro %}

{#
    A predicate `column in (values)`, as literals: true for values none (every row), false for
    an empty list. kind 'date' casts ISO strings to dates.
#}
{% macro in_list(column, values, kind='string') -%}
    {%- if values is none -%}
        1 = 1
    {%- elif values | length == 0 -%}
        1 = 0
    {%- elif kind == 'date' -%}
        {{ column }} in ({{ forecourt.date_literals(values) }})
    {%- else -%}
        {{ column }} in ({{ forecourt.string_literals(values) }})
    {%- endif -%}
{%- endmacro %}
