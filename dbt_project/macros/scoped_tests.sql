{#
    Tests scoped to what a daily run changed.

    A daily run rebuilds a day or two of fct_sales and inventory_daily and loads one day of raw
    rows; testing every table and view's whole history again each morning cost more than the
    builds (at two years of 25 rooftops, the staging views' tests alone took 40% of the run).
    When the run sets FORECOURT_DBT_TESTS_FROM (a day; orchestration/assets/dbt.py does for a
    one-day run), a generic test reads, per its model's meta:
      tests_scoped_by: <column>      (tables) the rows whose <column> is on or after that day;
      tests_scoped_by_key: <column>  (views that deduplicate raw rows by <column>) the rows
                                     whose key occurs in a raw row of that day or later. The
                                     keys are inlined as literals: DuckDB pushes a literal list
                                     into the view below its deduplication (a subquery, or an
                                     `or key is null`, it does not), so the test reads a day's
                                     keys, not the history. Above max_keys keys (100,000; a
                                     Monday of 100 rooftops closes 51,000 repair orders), or
                                     when a raw row of the day has no key, the whole view.
      tests_covered_by: <mart>       (views whose rows a mart holds one to one, tested there)
                                     no rows: the mart's tests check the same rows in the run.
    The two singular tests over whole tables check the keys the run rebuilt (one_day_tests,
    below). Every other test, and every run without the variable (a backfill, the demo,
    Sunday's run, dbt by hand), reads whole tables and views, so the full pass still happens
    weekly. dbt's own
    `where` config still applies, and-ed with the scope.
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set saved = forecourt.saved_test_scope() -%}
    {%- set scope = '' if saved else forecourt.test_scope_clause() -%}
    {%- set clauses = [config.get('where', ''), scope] | select | list -%}
    {%- if clauses -%}
        {%- do return('(select * from ' ~ (saved or relation) ~ ' where ' ~ clauses | join(' and ')
                      ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(saved or relation) -%}
    {%- endif -%}
{%- endmacro %}

{#
    The scope of a view's tests in a one-day run, saved once: each test of a staging view read
    the day's keys through the view, a scan of the whole raw feed (5-15 s at 100 rooftops and
    five years; the 79 staging tests took 355 s of a 711 s daily run). The view's post-hook
    (dbt_project.yml) now writes its rows for the day's keys to the table
    <view>__tests_from_<day>_<invocation> beside it once, and its tests read that table. (In
    the view's own schema, which dbt creates before the run: a schema created by the post-hooks
    conflicted in DuckDB's catalog when two views built at once.) The post-hook drops the view's other saved days, and a
    run without the variable (the weekly full pass, a backfill) drops them all. Views only: on
    Spark staging models are tables, whose tests filter them directly (and DuckDB's
    information_schema lists the saved days). Without a saved table
    (too many keys, a day's row without a key, `dbt test` alone) the tests filter the view.
#}
{% macro save_test_scope() -%}
    {%- set key = (config.get('meta') or {}).get('tests_scoped_by_key') -%}
    {%- if not execute or not key or config.get('materialized') != 'view' -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set since = env_var('FORECOURT_DBT_TESTS_FROM', '') -%}
    {%- set saved_days -%}
        select table_name from information_schema.tables
        where table_schema = '{{ this.schema }}'
            and starts_with(table_name, '{{ this.identifier }}__tests_from_')
    {%- endset -%}
    {%- for name in run_query(saved_days).columns[0].values() -%}
        {%- do adapter.drop_relation(api.Relation.create(
            database=this.database, schema=this.schema, identifier=name, type='table')) -%}
    {%- endfor -%}
    {%- if since -%}
        {%- set clause = forecourt.test_scope_by_keys(graph.nodes[model.unique_id], key, since) -%}
        {%- if clause -%}
            {%- set saved = forecourt.test_scope_relation(this.database, this.schema,
                                                          this.identifier, since) -%}
            {%- do run_query('create table ' ~ saved ~ ' as select * from ' ~ this
                             ~ ' where ' ~ clause) -%}
            {%- do adapter.cache_added(saved) -%}
        {%- endif -%}
    {%- endif -%}
    {%- do return('') -%}
{%- endmacro %}

{#
    Named by the day and by this dbt invocation: a later invocation that runs the tests without
    rebuilding the view (`dbt test`, a re-execution from failure) must not read an earlier
    run's rows, which may predate a re-delivery; it filters the view instead.
#}
{% macro test_scope_relation(database, schema, view, since) -%}
    {%- do return(api.Relation.create(database=database, schema=schema, identifier=view
        ~ '__tests_from_' ~ since | replace('-', '') ~ '_' ~ invocation_id[:8], type='table')) -%}
{%- endmacro %}

{# The table save_test_scope wrote for this test's view and this run's day, if any. #}
{% macro saved_test_scope() -%}
    {%- set since = env_var('FORECOURT_DBT_TESTS_FROM', '') -%}
    {%- if not execute or not since or not model.attached_node -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set node = graph.nodes.get(model.attached_node) or {} -%}
    {%- if not (node.get('config', {}).get('meta') or {}).get('tests_scoped_by_key') -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set saved = forecourt.test_scope_relation(node.database, node.schema, node.alias, since) -%}
    {%- do return(adapter.get_relation(saved.database, saved.schema, saved.identifier)) -%}
{%- endmacro %}

{% macro test_scope_clause() -%}
    {#- read at run time only: a variable read while parsing would force a re-parse per day -#}
    {%- if not execute or not model.attached_node -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set since = env_var('FORECOURT_DBT_TESTS_FROM', '') -%}
    {%- set node = graph.nodes.get(model.attached_node) or {} -%}
    {%- set meta = node.get('config', {}).get('meta') or {} -%}
    {%- if not since -%}
        {%- do return('') -%}
    {%- elif meta.get('tests_scoped_by') -%}
        {%- do return(meta['tests_scoped_by'] ~ " >= cast('" ~ since ~ "' as date)") -%}
    {%- elif meta.get('tests_scoped_by_key') -%}
        {%- do return(forecourt.test_scope_by_keys(node, meta['tests_scoped_by_key'], since)) -%}
    {%- elif meta.get('tests_covered_by') -%}
        {%- do return('1 = 0') -%}
    {%- endif -%}
    {%- do return('') -%}
{%- endmacro %}

{#
    `key in (<literals>)` for the keys of the raw rows loaded for `since` or later in every
    source upstream of `node` (through the views between them); '' (no scope) when there are
    more than max_keys of them or one is null (the not_null test must see that row). The raw
    key is cleaned as the staging models clean keys (clean_text, upper case), so they match.
#}
{% macro test_scope_by_keys(node, key, since, max_keys=100000) -%}
    {%- set sources = forecourt.upstream_sources(node) -%}
    {%- if not sources -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set selects = [] -%}
    {%- for relation in sources | sort -%}
        {%- do selects.append('select ' ~ forecourt.clean_text(key, 'upper') ~ ' as scoped_key from '
            ~ relation ~ " where _partition_date >= cast('" ~ since ~ "' as date)") -%}
    {%- endfor -%}
    {%- set query -%}
        select distinct scoped_key from ({{ selects | join(' union all ') }}) as day_keys
        limit {{ max_keys + 1 }}
    {%- endset -%}
    {%- set keys = run_query(query).columns[0].values() -%}
    {%- if keys | length > max_keys or none in keys -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- do return(forecourt.in_literals(key, keys)) -%}
{%- endmacro %}

{#
    The relations of the DMS feeds `node` reads, directly or through the models it reads: the
    raw tables whose rows carry their file's day (_partition_date). Ingestion's own load log,
    which incremental models read to find what changed, is not one.
#}
{% macro upstream_sources(node) -%}
    {%- set found = [] -%}
    {%- set pending = [] -%}
    {%- do pending.extend(node.get('depends_on', {}).get('nodes', [])) -%}
    {%- set seen = [] -%}
    {%- for _ in range(50) if pending -%}
        {%- set unique_id = pending.pop() -%}
        {%- if unique_id not in seen -%}
            {%- do seen.append(unique_id) -%}
            {%- if unique_id.startswith('source.forecourt.dms.') -%}
                {%- do found.append(graph.sources[unique_id].relation_name) -%}
            {%- elif unique_id in graph.nodes -%}
                {%- do pending.extend(graph.nodes[unique_id].get('depends_on', {}).get('nodes', [])) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(found | unique | list) -%}
{%- endmacro %}

{#
    dbt's relationships test, with its parent scoped too in a one-day run: the child's rows are
    the day's (above), and a parent view that deduplicates by `field` (meta tests_scoped_by_key)
    is read for the child's values only, inlined as literals that DuckDB pushes below the
    deduplication, instead of deduplicating the whole parent per test (40-57 s each at 100
    rooftops and five years). Above max_keys values, and in every other run, the whole parent.
#}
{% macro default__test_relationships(model, column_name, to, field) %}
{%- set parent_scope = forecourt.relationship_parent_scope(model, column_name, field) -%}
with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),

parent as (
    select {{ field }} as to_field
    from {{ to }}
    {%- if parent_scope %}
    where {{ parent_scope }}
    {%- endif %}
)

select from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
{% endmacro %}

{% macro relationship_parent_scope(child, column_name, field, max_keys=100000) -%}
    {%- if not execute or not model.attached_node or not env_var('FORECOURT_DBT_TESTS_FROM', '') -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set parents = model.depends_on.nodes | reject('equalto', model.attached_node) | list -%}
    {%- set parent = graph.nodes.get(parents[0]) if parents | length == 1 else none -%}
    {%- set meta = (parent or {}).get('config', {}).get('meta') or {} -%}
    {%- if meta.get('tests_scoped_by_key') != field -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set query -%}
        select distinct {{ column_name }} from {{ child }}
        where {{ column_name }} is not null
        limit {{ max_keys + 1 }}
    {%- endset -%}
    {%- set values = run_query(query).columns[0].values() -%}
    {%- if values | length > max_keys -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- do return(forecourt.in_literals(field, values)) -%}
{%- endmacro %}

{# `column in (<the values as string literals>)`; `1 = 0` (no rows) for no values. #}
{% macro in_literals(column, values) -%}
    {%- if not values -%}
        {%- do return('1 = 0') -%}
    {%- endif -%}
    {%- do return(column ~ ' in (' ~ forecourt.string_literals(values | sort) ~ ')') -%}
{%- endmacro %}

{#
    Whether this is a one-day run's test pass (FORECOURT_DBT_TESTS_FROM set): the singular
    tests over whole tables then check the keys the run rebuilt (the weekly pass, all).
#}
{% macro one_day_tests() -%}
    {{ return(env_var('FORECOURT_DBT_TESTS_FROM', '') != '') }}
{%- endmacro %}

{#
    The keys of the rows a model rebuilt by key wrote in its latest build (its newest
    built_at): what a one-day run's singular tests check.
#}
{% macro keys_of_latest_build(relation, key) -%}
    select rows_built.{{ key }}
    from {{ relation }} as rows_built
    where rows_built.built_at = (select max(latest.built_at) from {{ relation }} as latest)
{%- endmacro %}
