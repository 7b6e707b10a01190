{#- Fails on rows where the column lies outside [min_value, max_value] (either bound optional, nulls pass). -#}
{% test in_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

{%- set lower_op = '<' if inclusive else '<=' -%}
{%- set upper_op = '>' if inclusive else '>=' -%}

select *
from {{ model }}
where
    {% if min_value is not none -%}
    {{ column_name }} {{ lower_op }} {{ min_value }}
    {%- else -%}
    1 = 0
    {%- endif %}
    {% if max_value is not none -%}
    or {{ column_name }} {{ upper_op }} {{ max_value }}
    {%- endif %}

{% endtest %}
