{#
    The forecasting series hierarchy, shared by demand_weekly and demand_daily: one row per
    sale and level, with the series id and its parent's id. The levels and their parents:
    total; region (of total); dealer (of region); make (of total); model (of make); trim (of
    model). A missing label reads '(unknown)' ('(none)' for a trim), so every sale counts at
    every level and the levels add up to the total.

    labelled_relation must come from series_labels(); carried_columns are passed through.
#}
{% macro series_labels(sales_relation, carried_columns) %}
    select
        {% for column in carried_columns %}{{ column }},
        {% endfor %}
        coalesce(region, '(unknown)') as region,
        coalesce(dealer_id, '(unknown)') as dealer_id,
        coalesce(make, '(unknown)') as make,
        {{ dbt.concat(["coalesce(make, '(unknown)')", "' '", "coalesce(model, '(unknown)')"]) }}
            as make_model,
        {{ dbt.concat([
            "coalesce(make, '(unknown)')", "' '", "coalesce(model, '(unknown)')",
            "' '", "coalesce(trim, '(none)')"
        ]) }} as make_model_trim
    from {{ sales_relation }}
{% endmacro %}

{% macro series_hierarchy(labelled_relation, carried_columns, levels) %}
    {%- set hierarchy = {
        'total': ("'total'", "cast(null as " ~ dbt.type_string() ~ ")"),
        'region': (dbt.concat(["'region='", "region"]), "'total'"),
        'dealer': (dbt.concat(["'dealer='", "dealer_id"]), dbt.concat(["'region='", "region"])),
        'make': (dbt.concat(["'make='", "make"]), "'total'"),
        'model': (dbt.concat(["'model='", "make_model"]), dbt.concat(["'make='", "make"])),
        'trim': (dbt.concat(["'trim='", "make_model_trim"]), dbt.concat(["'model='", "make_model"])),
    } -%}
    {%- for level in levels %}
    {%- set unique_id, parent_id = hierarchy[level] %}
    select
        '{{ level }}' as level,
        {{ unique_id }} as unique_id,
        {{ parent_id }} as parent_id{% for column in carried_columns %},
        {{ column }}{% endfor %}
    from {{ labelled_relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
