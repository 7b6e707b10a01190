{#
    Units, revenue and price per value of one sales dimension, long format: one row per
    (dimension, dimension_value), with the distinct buyers behind it (the count a masked
    serving copy checks before it shows a group of people: k >= 5). Shares are of all sales (units, revenue) in that dimension,
    so each dimension's shares add up to 1. Missing values are grouped as '(unknown)'.
#}
{%- set dimensions = {
    'region': 'sales.region',
    'gender': 'sales.customer_gender',
    'body_style': 'sales.body_style',
    'make': 'sales.make',
    'engine': 'vehicles.engine',
    'transmission': 'vehicles.transmission',
    'color': 'vehicles.color',
} -%}

with sales as (
    select * from {{ ref('fct_sales') }}
),

vehicles as (
    select * from {{ ref('dim_vehicles') }}
),

labelled as (
    select
        sales.sale_price,
        sales.customer_id,
        -- sqlfluff misplaces the indent of a Jinja loop in a select list
        -- noqa: disable=LT02
        {% for name, expr in dimensions.items() -%}
        {{ expr }} as {{ name }}{{ ',' if not loop.last }}
        {% endfor %}
    -- noqa: enable=LT02
    from sales
    left join vehicles
        on sales.stock_number = vehicles.stock_number
),

long_format as (
    {% for name in dimensions -%}
    select
        '{{ name }}' as dimension,
        coalesce(cast({{ name }} as {{ dbt.type_string() }}), '(unknown)') as dimension_value,
        sale_price,
        customer_id
    from labelled
    {{ 'union all' if not loop.last }}
    {% endfor %}
),

grouped as (
    select
        dimension,
        dimension_value,
        count(*) as units,
        count(distinct customer_id) as buyers,
        sum(sale_price) as revenue,
        avg(sale_price) as avg_price,
        {{ forecourt.median('sale_price') }} as median_price,
        min(sale_price) as min_price,
        max(sale_price) as max_price
    from long_format
    group by dimension, dimension_value
),

totals as (
    select
        dimension,
        sum(units) as dimension_units,
        sum(revenue) as dimension_revenue
    from grouped
    group by dimension
),

final as (
    select
        cast(grouped.dimension as {{ dbt.type_string() }}) as dimension,
        cast(grouped.dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(grouped.units as integer) as units,
        cast(grouped.buyers as integer) as buyers,
        cast(grouped.revenue as decimal(16, 2)) as revenue,
        {{ forecourt.safe_divide('grouped.units', 'totals.dimension_units') }} as unit_share,
        {{ forecourt.safe_divide('grouped.revenue', 'totals.dimension_revenue') }} as revenue_share,
        cast(grouped.avg_price as {{ forecourt.type_double() }}) as avg_price,
        cast(grouped.median_price as {{ forecourt.type_double() }}) as median_price,
        cast(grouped.min_price as decimal(12, 2)) as min_price,
        cast(grouped.max_price as decimal(12, 2)) as max_price,
        cast(row_number() over (
            partition by grouped.dimension order by grouped.revenue desc, grouped.dimension_value asc
        ) as integer) as revenue_rank
    from grouped
    inner join totals
        on grouped.dimension = totals.dimension
)

select * from final
