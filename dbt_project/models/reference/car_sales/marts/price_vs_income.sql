{#
    Sale price against the buyer's annual income: one row per income band (wide_income_band)
    with the band's buyers (distinct customers: the count a masked serving copy checks, k >= 5)
    and prices, and, repeated on every row, the Pearson correlation
    between income and price over every sale whose buyer's income is known.
#}
with sales as (
    select * from {{ ref('fct_sales') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

joined as (
    select
        sales.sale_price,
        sales.customer_id,
        customers.annual_income,
        {{ forecourt.wide_income_band('customers.annual_income') }} as income_band
    from sales
    left join customers
        on sales.customer_id = customers.customer_id
),

overall as (
    select
        corr(
            cast(annual_income as {{ forecourt.type_double() }}),
            cast(sale_price as {{ forecourt.type_double() }})
        ) as price_income_correlation,
        count(*) as sales_with_income
    from joined
    where annual_income is not null
        and sale_price is not null
),

bands as (
    select
        income_band,
        count(*) as units,
        count(distinct customer_id) as buyers,
        min(annual_income) as min_income,
        max(annual_income) as max_income,
        avg(annual_income) as avg_income,
        avg(sale_price) as avg_price,
        {{ forecourt.median('sale_price') }} as median_price,
        sum(sale_price) as revenue
    from joined
    group by income_band
),

final as (
    select
        cast(bands.income_band as {{ dbt.type_string() }}) as income_band,
        cast(bands.units as integer) as units,
        cast(bands.buyers as integer) as buyers,
        cast(bands.min_income as decimal(14, 2)) as min_income,
        cast(bands.max_income as decimal(14, 2)) as max_income,
        cast(bands.avg_income as {{ forecourt.type_double() }}) as avg_income,
        cast(bands.avg_price as {{ forecourt.type_double() }}) as avg_price,
        cast(bands.median_price as {{ forecourt.type_double() }}) as median_price,
        cast(bands.revenue as decimal(16, 2)) as revenue,
        cast(overall.price_income_correlation as {{ forecourt.type_double() }})
            as price_income_correlation,
        cast(overall.sales_with_income as integer) as sales_with_income
    from bands
    cross join overall
)

select * from final
