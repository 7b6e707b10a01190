-- Gross profit = sale price - acquisition cost - recon cost, to the cent.
with sales as (
    select * from {{ ref('fct_sales') }}
),

final as (
    select deal_id, sale_price, acquisition_cost, recon_cost, gross_profit
    from sales
    where gross_profit <> sale_price - acquisition_cost - recon_cost
        or total_cost <> acquisition_cost + recon_cost
        or (gross_profit is null and acquisition_cost is not null)
)

select * from final
