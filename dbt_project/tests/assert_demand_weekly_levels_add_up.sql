-- Every hierarchy level sums to the total series in every week.
with demand as (
    select * from {{ ref('demand_weekly') }}
),

per_level as (
    select level, ds, sum(y) as units_sold
    from demand
    group by level, ds
),

totals as (
    select ds, units_sold
    from per_level
    where level = 'total'
),

final as (
    select per_level.level, per_level.ds, per_level.units_sold, totals.units_sold as total_units
    from per_level
    left join totals
        on per_level.ds = totals.ds
    where per_level.units_sold <> coalesce(totals.units_sold, -1)
)

select * from final
