{#
    Per product, over orders not cancelled: units ordered, orders and revenue. The demand both
    product marts (performance and restock) start from; ephemeral, so it is no table of its own
    and a home without Mint Classics has nothing more to build. Products never ordered have no
    row: the marts left-join it from the product list.
#}
{{ config(materialized='ephemeral') }}

with order_lines as (
    select * from {{ ref('stg_mintclassics__order_lines') }}
),

orders as (
    select * from {{ ref('stg_mintclassics__orders') }}
),

final as (
    select
        order_lines.product_code,
        sum(order_lines.quantity_ordered) as units_ordered,
        count(distinct order_lines.order_number) as orders,
        sum(order_lines.line_revenue) as revenue
    from order_lines
    inner join orders
        on order_lines.order_number = orders.order_number
    where not orders.is_cancelled
    group by order_lines.product_code
)

select * from final
