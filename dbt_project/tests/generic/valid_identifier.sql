{#-
    Fails on rows whose value does not match the whole of a regular expression, e.g.
    pattern 'D[0-9]{2}' for dealer codes. Nulls pass (pair with not_null where required).
-#}
{% test valid_identifier(model, column_name, pattern) %}

select *
from {{ model }}
where {{ column_name }} is not null
    and not {{ forecourt.regexp_full_match(column_name, pattern) }}

{% endtest %}
