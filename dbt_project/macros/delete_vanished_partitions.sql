{#
    Pre-hook for partition-replacing incremental models: delete target rows whose partition no
    longer has any row in the source (a day re-delivered empty), which delete+insert alone
    cannot see. Does nothing on a first build or a full refresh.
#}
{% macro delete_vanished_partitions(source_relation, partition_column) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ partition_column }} not in (
            select {{ partition_column }}
            from {{ source_relation }}
            where {{ partition_column }} is not null
        )
    {%- else -%}
        select 1 as no_vanished_partitions_to_delete
    {%- endif -%}
{%- endmacro %}
