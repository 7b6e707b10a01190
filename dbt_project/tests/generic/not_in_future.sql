{#-
    Fails on rows whose date lies after a reference date. The reference is a SQL expression:
    by default the last day seen in the data (see the max_data_date macro), or for example
    another column of the same row such as the day of the file the row arrived in.
    Nulls pass.
-#}
{% test not_in_future(model, column_name, reference_date=none) %}

{%- set reference = reference_date if reference_date is not none else forecourt.max_data_date() -%}

select *
from {{ model }}
where {{ column_name }} > {{ reference }}

{% endtest %}
