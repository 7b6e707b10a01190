{#
    Luxury-make purchases per buyer gender. Luxury makes: the luxury_makes() macro
    (macros/reference_analyses.sql). buyers counts distinct customers, so a masked serving copy
    can hold back a gender with fewer than 5 of them. Missing genders are grouped as '(unknown)'.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

flagged as (
    select
        coalesce(customer_gender, '(unknown)') as gender,
        customer_id,
        sale_price,
        case
            -- the whole list renders on this one line
            when make in ('{{ forecourt.luxury_makes() | join("', '") }}') then 1 else 0  -- noqa: LT05
        end as is_luxury
    from sales
),

grouped as (
    select
        gender,
        count(*) as units,
        count(distinct customer_id) as buyers,
        sum(is_luxury) as luxury_units,
        sum(case when is_luxury = 1 then sale_price else 0 end) as luxury_revenue,
        avg(case when is_luxury = 1 then sale_price end) as avg_luxury_price,
        avg(case when is_luxury = 0 then sale_price end) as avg_other_price
    from flagged
    group by gender
),

totals as (
    select sum(luxury_units) as all_luxury_units from grouped
),

final as (
    select
        cast(grouped.gender as {{ dbt.type_string() }}) as gender,
        cast(grouped.units as integer) as units,
        cast(grouped.buyers as integer) as buyers,
        cast(grouped.luxury_units as integer) as luxury_units,
        {{ forecourt.safe_divide('grouped.luxury_units', 'grouped.units') }} as luxury_share_of_purchases,
        {{ forecourt.safe_divide('grouped.luxury_units', 'totals.all_luxury_units') }}
            as share_of_luxury_units,
        cast(grouped.luxury_revenue as decimal(16, 2)) as luxury_revenue,
        cast(grouped.avg_luxury_price as {{ forecourt.type_double() }}) as avg_luxury_price,
        cast(grouped.avg_other_price as {{ forecourt.type_double() }}) as avg_other_price
    from grouped
    cross join totals
)

select * from final
