{#
    How every model rebuilt by key finds what changed in a feed since its last build (the
    price spells by unit, customer_transactions' service rows by repair order, dim_customers
    by customer, dim_vehicles' sales by unit): rows of (changed_key, rebuild_all),
      - the keys of the feed's raw rows loaded after the model's watermark (new rows,
        re-delivered rows); rebuild_all for a raw row with no file day, whose re-delivery
        cannot be matched to the rows held;
      - the keys of the rows the model holds from a file of the feed re-delivered since (the
        load log says which): a row the re-delivery dropped has left the raw table, and only
        the model still names its key.
    held: the relation holding the rows; held_key: its key column; held_day: its column naming
    the landing-file day a row came from; held_rows: a condition on the held rows that came
    from this feed. Reads a CTE `watermark` holding `last_loaded_at`.
#}
{% macro keys_loaded_since(feed, raw_key, held, held_key, held_day='source_partition_date',
                           held_rows='1 = 1') -%}
    select
        {{ forecourt.clean_text('raw.' ~ raw_key, 'upper') }} as changed_key,
        raw._partition_date is null as rebuild_all
    from {{ graph.sources['source.forecourt.dms.' ~ feed].relation_name }} as raw
    cross join watermark
    where raw._loaded_at > watermark.last_loaded_at
    union all
    select held.{{ held_key }} as changed_key, false as rebuild_all
    from {{ held }} as held
    inner join {{ ref('stg_ingestion__load_log') }} as load_log
        on held.{{ held_day }} = load_log.partition_date
    cross join watermark
    where load_log.feed = '{{ feed }}'
        and load_log.loaded_at > watermark.last_loaded_at
        and {{ held_rows }}
{%- endmacro %}

{#
    The watermark of a model rebuilt by key (the CTE `watermark`): last_loaded_at, the newest
    load among its rows that match `rows` (the loader's clock), and with built_column,
    last_built_at, its newest build (the warehouse's clock). Each is compared with its own
    clock only. An empty model has the earliest of both: every load and log entry is newer.
#}
{% macro held_watermark(loaded_column, rows='1 = 1', built_column=none) -%}
    select
        {%- if built_column %}
        coalesce(max({{ built_column }}), cast('0001-01-01' as timestamp)) as last_built_at,
        {%- endif %}
        coalesce(max({{ loaded_column }}), cast('0001-01-01' as timestamp)) as last_loaded_at
    from {{ this }}
    where {{ rows }}
{%- endmacro %}

{#
    Run a changed-keys query and return its keys, sorted, or none (rebuild every key) when one
    row asks for it (rebuild_all), a key is null, or there are more than max_keys (a history
    backfilled again: inlined as literals, a list that long costs more than a rebuild).
    watermark: a select of one row (the CTE `watermark`); keys: a select of
    (changed_key, rebuild_all) rows, which may read it.
#}
{% macro changed_keys(watermark, keys, max_keys) -%}
    {%- set query -%}
        with watermark as (
            {{ watermark }}
        ),

        changed as (
            {{ keys }}
        )

        select changed_key, bool_or(rebuild_all) as rebuild_all
        from changed
        group by changed_key
        limit {{ max_keys + 1 }}
    {%- endset -%}
    {%- set found = run_query(query) -%}
    {%- set keys_found = found.columns[0].values() -%}
    {%- if keys_found | length > max_keys or none in keys_found or true in found.columns[1].values() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(keys_found | sort) }}
{%- endmacro %}
