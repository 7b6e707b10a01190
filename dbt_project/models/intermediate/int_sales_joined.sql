{# The deals joined to their unit, dealer, customer and price: macros/sales_joined.sql. #}
{{ forecourt.sales_joined() }}
