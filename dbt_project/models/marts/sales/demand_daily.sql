{#
    Daily unit sales and revenue per forecasting series (total, region, dealer, make, model),
    long format as demand_weekly, with the calendar as columns: ISO day of week and the dealer
    holidays (seed dealer_holidays, from landing/calendar.py). Each series runs from its first
    sale day to the last data day, with zeros on days without sales: a day without a row would
    read as missing, not as nothing sold.

    Incremental: a run rebuilds, whole, every day from the earliest sale day loaded after the
    newest load already in the table (sales_loaded_at), and any day after the last one built;
    every series has a row on each of those days, so replacing by day (delete+insert on
    DuckDB, a partition overwrite on Spark: macros/engine/replace_days.sql) replaces them all.
    A full refresh gives the same rows.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=forecourt.replace_days_strategy(),
        partition_by=forecourt.replace_days_partition_by('ds'),
        unique_key='ds',
        on_schema_change='append_new_columns'
    )
}}

with sales as (
    select * from {{ ref('fct_sales') }}
),

data_dates as (
    select * from {{ ref('int_data_dates') }}
),

holidays as (
    select * from {{ ref('dealer_holidays') }}
),

loads as (
    select max(source_loaded_at) as sales_loaded_at from sales
),

{% if is_incremental() %}
-- an empty table (built before any sale) rebuilds everything
watermark as (
    select
        max(sales_loaded_at) as last_loaded_at,
        coalesce(
            cast({{ dbt.dateadd('day', 1, 'max(ds)') }} as date), cast('1900-01-01' as date)
        ) as next_day
    from {{ this }}
),

changed as (
    select min(sales.sale_date) as first_changed_day
    from sales
    cross join watermark
    where watermark.last_loaded_at is null
        or sales.source_loaded_at > watermark.last_loaded_at
),

rebuild as (
    select
        least(
            coalesce(changed.first_changed_day, watermark.next_day), watermark.next_day
        ) as first_day
    from watermark
    cross join changed
),
{% endif %}

days as (
    {{ forecourt.date_spine(
        'day',
        '(select first_data_date from data_dates)',
        '(select last_data_date from data_dates)'
    ) }}
),

labelled_sales as (
    {{ forecourt.series_labels('sales', ['sale_date', 'sale_price']) }}
),

-- the weekly hierarchy without trims: a trim's daily sales are mostly zeros
series_sales as (
    {{ forecourt.series_hierarchy(
        'labelled_sales', ['sale_date', 'sale_price'], ['total', 'region', 'dealer', 'make', 'model']
    ) }}
),

daily_sales as (
    select
        unique_id,
        sale_date,
        count(*) as units_sold,
        sum(sale_price) as revenue
    from series_sales
    group by unique_id, sale_date
),

-- a dealer moved to another region keeps its latest parent, so each series has one parent
series as (
    select
        level,
        unique_id,
        max(parent_id) as parent_id,
        min(sale_date) as first_sale_date
    from series_sales
    group by level, unique_id
),

spined as (
    select
        series.unique_id,
        days.date_day as ds,
        coalesce(daily_sales.units_sold, 0) as y,
        coalesce(daily_sales.revenue, 0) as revenue,
        series.level,
        series.parent_id
    from series
    inner join days
        on series.first_sale_date <= days.date_day
    left join daily_sales
        on series.unique_id = daily_sales.unique_id
        and days.date_day = daily_sales.sale_date
    {% if is_incremental() %}
    where days.date_day >= (select rebuild.first_day from rebuild)
    {% endif %}
),

final as (
    select
        cast(spined.unique_id as {{ dbt.type_string() }}) as unique_id,
        cast(spined.ds as date) as ds,
        cast(spined.y as integer) as y,
        cast(spined.revenue as decimal(14, 2)) as revenue,
        cast(spined.level as {{ dbt.type_string() }}) as level,
        cast(spined.parent_id as {{ dbt.type_string() }}) as parent_id,
        -- ISO day of week, 1 = Monday .. 7 = Sunday, counted from a known Monday: adapters
        -- disagree on what date_part('dayofweek') returns
        cast(
            mod({{ dbt.datediff("cast('1970-01-05' as date)", 'spined.ds', 'day') }}, 7) + 1
            as integer
        ) as day_of_week,
        cast(holidays.holiday_date is not null as boolean) as is_holiday,
        cast(holidays.holiday_name as {{ dbt.type_string() }}) as holiday_name,
        cast(coalesce(holidays.is_closed, false) as boolean) as is_closed,
        cast(loads.sales_loaded_at as {{ dbt.type_timestamp() }}) as sales_loaded_at
    from spined
    cross join loads
    left join holidays
        on spined.ds = holidays.holiday_date
)

select * from final
