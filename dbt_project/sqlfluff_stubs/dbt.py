"""dbt's cross-database macros as DuckDB renders them (types and date functions)."""


def type_string() -> str:
    return "varchar"


def type_float() -> str:
    return "double"


def type_timestamp() -> str:
    return "timestamp"


def concat(fields) -> str:
    return f"concat({', '.join(fields)})"


def safe_cast(field, type_) -> str:
    return f"try_cast({field} as {type_})"


def date_trunc(datepart, date) -> str:
    return f"date_trunc('{datepart}', {date})"


def dateadd(datepart, interval, from_date_or_timestamp) -> str:
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def datediff(first_date, second_date, datepart) -> str:
    return f"date_diff('{datepart}', {first_date}, {second_date})"
