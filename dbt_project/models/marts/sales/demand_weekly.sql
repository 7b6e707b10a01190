{#
    Weekly unit sales per forecasting series, long format (unique_id, ds, y, level).
    Only complete Monday-to-Sunday weeks inside the data are kept: a week cut by the first
    or last data day would look like a drop in demand. Each series runs from its first week
    with a sale to the last complete week, with zeros for weeks without sales.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

data_dates as (
    select * from {{ ref('int_data_dates') }}
),

data_weeks as (
    select
        case
            when {{ forecourt.week_start('first_data_date') }} = first_data_date then first_data_date
            else cast({{ dbt.dateadd('day', 7, forecourt.week_start('first_data_date')) }} as date)
        end as first_complete_week,
        case
            when cast({{ dbt.dateadd('day', 6, forecourt.week_start('last_data_date')) }} as date)
                = last_data_date
                then {{ forecourt.week_start('last_data_date') }}
            else cast({{ dbt.dateadd('day', -7, forecourt.week_start('last_data_date')) }} as date)
        end as last_complete_week
    from data_dates
),

weeks as (
    {{ forecourt.date_spine(
        'week',
        '(select first_complete_week from data_weeks)',
        '(select last_complete_week from data_weeks)'
    ) }}
),

labelled_sales as (
    {{ forecourt.series_labels('sales', ['sale_week']) }}
),

series_sales as (
    {{ forecourt.series_hierarchy(
        'labelled_sales', ['sale_week'], ['total', 'region', 'dealer', 'make', 'model', 'trim']
    ) }}
),

weekly_units as (
    select
        level,
        unique_id,
        sale_week,
        count(*) as units_sold
    from series_sales
    group by level, unique_id, sale_week
),

-- a dealer moved to another region keeps its latest parent, so each series has one parent
series as (
    select
        level,
        unique_id,
        max(parent_id) as parent_id,
        min(sale_week) as first_sale_week
    from series_sales
    group by level, unique_id
),

spined as (
    select
        series.unique_id,
        weeks.date_week as ds,
        coalesce(weekly_units.units_sold, 0) as y,
        series.level,
        series.parent_id
    from series
    inner join weeks
        on series.first_sale_week <= weeks.date_week
    left join weekly_units
        on series.unique_id = weekly_units.unique_id
        and weeks.date_week = weekly_units.sale_week
),

final as (
    select
        cast(unique_id as {{ dbt.type_string() }}) as unique_id,
        cast(ds as date) as ds,
        cast(y as integer) as y,
        cast(level as {{ dbt.type_string() }}) as level,
        cast(parent_id as {{ dbt.type_string() }}) as parent_id
    from spined
)

select * from final
