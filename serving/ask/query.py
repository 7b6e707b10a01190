"""An Intent -> one SQL statement and its parameters.

Only the fragments in the tables below (whitelisted column expressions) are written into the
SQL text; every value (dates, filter values, labels, the row limit) is a bound parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from serving.ask.parser import Intent

# fuel from the engine of the unit sold: hybrids include plug-ins
FUEL = (
    "case when v.engine is null then 'unknown' when v.engine ilike '%electric%' then 'electric' "
    "when v.engine ilike '%hybrid%' then 'hybrid' else 'other' end"
)
METRICS = {
    "units": ("units", "count(*)"),
    "revenue": ("revenue", "sum(s.sale_price)"),
    "gross": ("gross_profit", "sum(s.gross_profit)"),
    "gross_per_unit": ("gross_per_unit", "avg(s.gross_profit)"),
    "days_on_lot": ("avg_days_on_lot", "avg(s.days_on_lot)"),
    "avg_price": ("avg_sale_price", "avg(s.sale_price)"),
    "margin": ("gross_margin", "sum(s.gross_profit) / nullif(sum(s.sale_price), 0)"),
}
DIMENSIONS = {
    "model": [("make", "s.make"), ("model", "s.model")],
    "make": [("make", "s.make")],
    "dealer": [("dealer_id", "s.dealer_id"), ("dealer_name", "s.dealer_name")],
    "region": [("region", "s.region")],
    "city": [("city", "d.city")],
    "body_style": [("body_style", "s.body_style")],
    "gender": [("gender", "coalesce(s.customer_gender, 'n/a')")],
    "segment": [("segment", "coalesce(g.segment, 'unsegmented')")],
    "customer_type": [("customer_type", "s.customer_type")],
    "stock_type": [("stock_type", "s.stock_type")],
    "fuel": [("fuel", FUEL)],
    "trim": [("make", "s.make"), ("model", "s.model"), ("trim", "s.trim")],
}
FILTERS = {
    "region": "s.region",
    "dealer": "s.dealer_id",
    "city": "d.city",
    "make": "s.make",
    "model": "s.model",
    "body_style": "s.body_style",
    "gender": "s.customer_gender",
    "segment": "g.segment",
    "customer_type": "s.customer_type",
    "stock_type": "s.stock_type",
    "trim": "s.trim",
    "fuel": FUEL,
}
RANGE_COLUMNS = {
    "price": "s.sale_price",
    "gross": "s.gross_profit",
    "days": "s.days_on_lot",
    "mileage": "s.mileage",
}
OPERATORS = {">", ">=", "<", "<="}
GRAINS = {
    "week": "date_trunc('week', s.sale_date)::date",
    "month": "date_trunc('month', s.sale_date)::date",
    "quarter": "date_trunc('quarter', s.sale_date)::date",
    "year": "date_trunc('year', s.sale_date)::date",
}
JOINS = {
    "d.": "left join marts.dim_dealers d on d.dealer_id = s.dealer_id",
    "g.": "left join ml.customer_segments g on g.customer_id = s.customer_id",
    "v.": "left join marts.dim_vehicles v on v.stock_number = s.stock_number",
}


@dataclass
class Query:
    sql: str
    params: list
    group_columns: list[str]
    metric_columns: list[str]


def build_query(intent: Intent, first_day, last_day) -> Query:
    params: list = []
    groups: list[tuple[str, str]] = []
    if intent.grain:
        groups.append((intent.grain, GRAINS[intent.grain]))
    if intent.compare_field == "period":
        cases = []
        for period in intent.periods:
            cases.append("when s.sale_date between ? and ? then ?")
            params += [period.start, period.end, period.label]
        groups.append(("period", f"case {' '.join(cases)} end"))
    elif intent.compare_field:
        groups.append((intent.compare_field, FILTERS[intent.compare_field]))
    for dimension in intent.dimensions:
        for name, expression in DIMENSIONS[dimension]:
            if name not in {g for g, _ in groups}:
                groups.append((name, expression))
    metrics = [METRICS[m] for m in intent.metrics]
    if "units" not in intent.metrics and groups:
        metrics.append(METRICS["units"])
    select = [f"{expr} as {name}" for name, expr in groups]
    select += [f"{expr} as {name}" for name, expr in metrics]

    where, where_params = [], []
    if intent.compare_field == "period":
        where.append("(" + " or ".join("s.sale_date between ? and ?" for _ in intent.periods) + ")")
        for period in intent.periods:
            where_params += [period.start, period.end]
    else:
        window = intent.window
        where.append("s.sale_date between ? and ?")
        where_params += [window.start, window.end] if window else [first_day, last_day]
    for name, values in intent.filters.items():
        where.append(f"{FILTERS[name]} in ({', '.join('?' for _ in values)})")
        where_params += values
    for name, values in intent.exclude.items():
        # a sale with no value ("excluding fleet", customer type unknown) is not excluded
        column = FILTERS[name]
        where.append(f"({column} is null or {column} not in ({', '.join('?' for _ in values)}))")
        where_params += values
    for measure, operator, value in intent.ranges:
        if operator not in OPERATORS:
            raise ValueError(f"unknown comparison {operator!r}")
        where.append(f"{RANGE_COLUMNS[measure]} {operator} ?")
        where_params.append(value)

    text = "select " + ", ".join(select) + "\nfrom marts.fct_sales s"
    used = " ".join(select + where)
    for prefix, join in JOINS.items():
        if prefix in used:
            text += f"\n{join}"
    text += "\nwhere " + "\n  and ".join(where)
    if groups:
        text += "\ngroup by " + ", ".join(str(i + 1) for i in range(len(groups)))
    order_params: list = []
    if intent.kind == "trend":
        text += "\norder by " + ", ".join(str(i + 1) for i in range(len(groups)))
    elif intent.kind == "compare":
        # sides in the order the question named them (after the period, for a trend)
        side = 1 if intent.grain else 0
        text += "\norder by " + ("1, " if intent.grain else "")
        text += f"list_position(?::varchar[], {groups[side][0]}::varchar)"
        order_params.append(
            [p.label for p in intent.periods]
            if intent.compare_field == "period"
            else intent.filters[intent.compare_field]
        )
        text += "".join(f", {i + 1}" for i in range(side + 1, len(groups)))
    elif groups:
        direction = "asc" if intent.order == "asc" else "desc"
        text += f"\norder by {metrics[0][0]} {direction} nulls last, " + ", ".join(
            str(i + 1) for i in range(len(groups))
        )
    if groups:
        text += "\nlimit ?"
        order_params.append(intent.limit or 500)
    return Query(
        text, params + where_params + order_params, [g for g, _ in groups], [m for m, _ in metrics]
    )
