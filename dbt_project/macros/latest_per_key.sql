{#
    The newest version of each key of a staging feed, as a select over `relation` (a CTE):
    the row loaded last wins; within one load, the later landing-file day, then the later line.
    A feed re-delivers a key on a later day (a correction) or twice in one file. Reference
    feeds have no file day: they pass order_by without source_partition_date.
    Columns: those of `relation` plus row_rank (always 1); select the ones you keep.
#}
{% macro latest_per_key(relation, key_columns, order_by=['loaded_at', 'source_partition_date', 'source_line']) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by {{ order_by | join(' desc, ') }} desc
            ) as row_rank
        from {{ relation }}
    ) as ranked
    where row_rank = 1
{%- endmacro %}
