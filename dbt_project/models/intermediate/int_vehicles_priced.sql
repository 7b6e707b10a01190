{#
    One row per unit in stock history with its current list price and how often it was marked
    down (macros/vehicles_priced.sql: the models that rebuild a list of units read the macro
    with the list instead of this view).
#}
{{ forecourt.vehicles_priced() }}
