-- One unit, one deal: a stock number appearing on two deals is a double sale.
with sales as (
    select * from {{ ref('stg_dms__sales') }}
),

final as (
    select stock_number, count(*) as deals
    from sales
    group by stock_number
    having count(*) > 1
)

select * from final
