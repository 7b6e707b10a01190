-- A unit cannot be sold before it was taken into stock.
with sales as (
    select * from {{ ref('fct_sales') }}
),

final as (
    select deal_id, stock_number, acquired_date, sale_date
    from sales
    where sale_date < acquired_date
)

select * from final
