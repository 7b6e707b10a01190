"""This project's namespaced macros (macros/), reduced to SQL of the same shape."""


def type_double() -> str:
    return "double"


def safe_divide(numerator, denominator) -> str:
    return f"cast(({numerator}) as double) / nullif(({denominator}), 0)"


def week_start(date_expr) -> str:
    return f"cast(date_trunc('week', {date_expr}) as date)"


def median(expr) -> str:
    return f"median({expr})"


def regexp_full_match(expr, pattern) -> str:
    return f"regexp_full_match({expr}, '{pattern}')"


def date_spine(datepart, start_date, end_date, max_periods_log10=5) -> str:
    return (
        f"select cast(range as date) as date_{datepart} "
        f"from range({start_date}, {end_date}, interval 1 {datepart})"
    )


def _band(expr, *more) -> str:
    return f"cast({expr} as varchar)"


age_bucket = income_band = wide_income_band = restock_status = engagement_tier = _band


def luxury_makes() -> list[str]:
    return ["Audi", "BMW"]


def _hook(*args) -> str:
    return ""


def replace_days_strategy() -> str:
    return "delete+insert"


def replace_days_partition_by(day_column) -> None:
    return None


delete_vanished_partitions = inventory_daily_delete_rebuilt_days = _hook
inventory_daily_remove_rebuilt_days = _hook
inventory_daily_drop_inputs = inventory_daily_save_inputs = _hook
inventory_daily_drop_legacy_inputs = _hook
inventory_daily_insert_rebuilt_days = _hook
inventory_daily_drop_plan = inventory_daily_make_plan = _hook


def series_labels(sales_relation, carried_columns) -> str:
    carried = "".join(f"{column}, " for column in carried_columns)
    return (
        f"select {carried}region, dealer_id, make, make_model, make_model_trim "
        f"from {sales_relation}"
    )


def series_hierarchy(labelled_relation, carried_columns, levels) -> str:
    carried = "".join(f", {column}" for column in carried_columns)
    return " union all ".join(
        f"select '{level}' as level, unique_id, parent_id{carried} from {labelled_relation}"
        for level in levels
    )


def sales_joined(deal_ids=None, stock_numbers=None, customer_ids=None) -> str:
    return "select deal_id, source_partition_date from int_sales_joined"


def fct_sales_day_scope(max_keys=20000) -> dict:
    return {"days": ["2024-01-01"], "deals": ["S1"], "stocks": ["D01-1"], "customers": ["C1"]}


def string_literal(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def date_literals(days) -> str:
    return ", ".join(f"cast('{day}' as date)" for day in days)


def max_by(value_expr, order_expr) -> str:
    return f"arg_max_null({value_expr}, {order_expr})"


def market_listings_changed_weeks() -> list[str]:
    return ["2024-01-01"]


def in_weeks(date_column, weeks) -> str:
    return f"{date_column} between cast('{weeks[0]}' as date) and cast('{weeks[-1]}' as date)"


market_listings_weekly_remove_rebuilt_weeks = _hook


def changed_units(max_keys=100000) -> list[str]:
    return ["D01-1"]


def keyed_materialization() -> str:
    return "incremental"


def where_in(column, values) -> str:
    return f"where {column} in ('{values[0]}')" if values else "where 1 = 0"


delete_keys = _hook


def changed_transactions(max_keys=100000) -> dict:
    return {"vehicle": ["2024-01-01"], "service": ["RO-1"]}


def in_list(column, values, kind="string") -> str:
    if values is None:
        return "1 = 1"
    if not values:
        return "1 = 0"
    quoted = f"cast('{values[0]}' as date)" if kind == "date" else f"'{values[0]}'"
    return f"{column} in ({quoted})"


delete_changed_transactions = _hook


def changed_customers(max_keys=100000) -> list[str]:
    return ["C0000001"]


log_replaced_customers = _hook
refresh_customers_as_of = _hook
create_replaced_keys_log_schema = _hook
create_replaced_keys_log = _hook
log_replaced_keys = _hook
prune_replaced_keys = _hook


def changed_vehicles(max_keys=100000) -> list[str]:
    return ["D01-1"]


def deals_of_units(units, max_keys=200000) -> list[str]:
    return ["S1"]


refresh_vehicles_as_of = _hook


def vehicles_priced(stock_numbers=None) -> str:
    return "select stock_number, dealer_id from int_list_prices_sequenced"


def one_day_tests() -> bool:
    return True


def keys_of_latest_build(relation, key) -> str:
    return f"select {key} from {relation}"
