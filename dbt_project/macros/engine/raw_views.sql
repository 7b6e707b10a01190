{#
    The raw sources on a Spark target: one view raw.<table> over each table folder of Parquet
    that landing/spark_export.py wrote (the daily feeds partitioned by _partition_date). The
    spark target's catalog is a metastore kept in FORECOURT_HOME/spark, so the views outlive
    this call; a view lists its folder's files on every read, so a re-exported day needs no
    repair. Called by the dbt asset as `dbt run-operation register_raw_views` when the set of
    raw tables changes. Other adapters: nothing (DuckDB reads the raw schema it holds).
#}
{% macro register_raw_views(root, tables) %}
    {{ return(adapter.dispatch('register_raw_views', 'forecourt')(root, tables)) }}
{% endmacro %}

{% macro default__register_raw_views(root, tables) %}
    {{ log("register_raw_views: nothing to do on " ~ target.type, info=True) }}
{% endmacro %}

{% macro spark__register_raw_views(root, tables) %}
    {% do run_query("create database if not exists raw") %}
    {% for table in tables %}
        {% do run_query(
            "create or replace view raw." ~ table
            ~ " as select * from parquet.`" ~ root ~ "/" ~ table ~ "`"
        ) %}
    {% endfor %}
    {{ log("register_raw_views: " ~ tables | length ~ " view(s) over " ~ root, info=True) }}
{% endmacro %}
