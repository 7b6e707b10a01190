{#- Fails on rows where the column lies outside [min_value, max_value] (either bound optional, nulls pass). -#}
{% test in_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

{%- set lower_op = '<' if inclusive else '<=' -%}
{%- set upper_op = '>' if inclusive else '>=' -%}
{%- set outside = [] -%}
{%- if min_value is not none -%}
    {%- do outside.append(column_name ~ ' ' ~ lower_op ~ ' ' ~ min_value) -%}
{%- endif -%}
{%- if max_value is not none -%}
    {%- do outside.append(column_name ~ ' ' ~ upper_op ~ ' ' ~ max_value) -%}
{%- endif %}

select *
from {{ model }}
where {{ outside | join(' or ') if outside else '1 = 0' }}

{% endtest %}
