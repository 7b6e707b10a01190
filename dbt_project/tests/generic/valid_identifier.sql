{#-
    Fails on identifiers that break the pattern their source otherwise follows, e.g. pattern
    'D[0-9]+' for dealer codes: a malformed code among well-formed ones is a defect worth a
    warning. When fewer than `min_conforming_share` of the non-null values match, the source
    numbers its records another way (an imported export, whose ids are its own), and flagging
    every row would only paint the check amber for good; the test then selects nothing, and
    the identifiers are still held to unique and not_null. Nulls pass.
-#}
{% test valid_identifier(model, column_name, pattern, min_conforming_share=0.5) %}

with checked as (
    select
        *,
        {{ forecourt.regexp_full_match(column_name, pattern) }} as _conforms
    from {{ model }}
    where {{ column_name }} is not null
),

share as (
    select avg(case when _conforms then 1.0 else 0.0 end) as conforming
    from checked
)

select checked.*
from checked
cross join share
where not checked._conforms
    and share.conforming >= {{ min_conforming_share }}

{% endtest %}
