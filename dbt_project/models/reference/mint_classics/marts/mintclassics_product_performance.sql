{#
    Per product, over orders not cancelled: units, revenue (quantity x priceEach), cost
    (quantity x buyPrice), margin = revenue - cost = sum((priceEach - buyPrice) x quantity),
    and the discount given against MSRP. Products never ordered have zeros.
#}
with products as (
    select * from {{ ref('stg_mintclassics__products') }}
),

sold as (
    select * from {{ ref('int_mintclassics__product_orders') }}
),

measured as (
    select
        products.product_code,
        products.product_name,
        products.product_line,
        products.product_vendor,
        products.buy_price,
        products.msrp,
        coalesce(sold.units_ordered, 0) as units_sold,
        coalesce(sold.orders, 0) as orders,
        coalesce(sold.revenue, 0) as revenue,
        coalesce(sold.units_ordered, 0) * products.buy_price as cost,
        coalesce(sold.revenue, 0) - coalesce(sold.units_ordered, 0) * products.buy_price as margin
    from products
    left join sold
        on products.product_code = sold.product_code
),

final as (
    select
        cast(product_code as {{ dbt.type_string() }}) as product_code,
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(product_line as {{ dbt.type_string() }}) as product_line,
        cast(product_vendor as {{ dbt.type_string() }}) as product_vendor,
        cast(units_sold as integer) as units_sold,
        cast(orders as integer) as orders,
        cast(revenue as decimal(16, 2)) as revenue,
        cast(cost as decimal(16, 2)) as cost,
        cast(margin as decimal(16, 2)) as margin,
        {{ forecourt.safe_divide('margin', 'revenue') }} as margin_pct,
        {{ forecourt.safe_divide('revenue', 'units_sold') }} as avg_price_each,
        cast(buy_price as decimal(12, 2)) as buy_price,
        cast(msrp as decimal(12, 2)) as msrp,
        1 - {{ forecourt.safe_divide('revenue', 'units_sold * msrp') }} as avg_discount_to_msrp,
        {{ forecourt.safe_divide('revenue', 'sum(revenue) over ()') }} as share_of_revenue,
        cast(row_number() over (order by revenue desc, product_code asc) as integer) as revenue_rank,
        cast(row_number() over (order by margin desc, product_code asc) as integer) as margin_rank
    from measured
)

select * from final
