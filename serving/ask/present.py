"""An Answer as text for the terminal: the table, what was assumed, the SQL, the confidence."""

from __future__ import annotations

from tabulate import tabulate

from serving.ask.engine import THRESHOLD, Answer, money_columns
from serving.ask.query import METRICS

LABELS = {
    "dealer": "dealer",
    "body_style": "body style",
    "gender": "gender (F/M/U)",
    "customer_type": "customer type",
    "stock_type": "new or used",
}


def _filters(filters: dict[str, list[str]]) -> str:
    return "; ".join(f"{LABELS.get(k, k)} = {', '.join(v)}" for k, v in filters.items())


def _cell(column: str, value):
    if value is None:
        return ""
    if column == "gross_margin":
        return f"{100 * value:.1f}%"
    if column in money_columns():
        return f"{'-' if value < 0 else ''}${abs(value):,.0f}"
    if column == "avg_days_on_lot":
        return f"{value:.1f}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return value


def _difference(answer: Answer) -> str | None:
    """For 'A vs B' with one row per side: B against A, in numbers and percent."""
    intent = answer.intent
    if intent.kind != "compare" or len(answer.rows) != 2 or intent.grain or intent.dimensions:
        return None
    name = METRICS[intent.metrics[0]][0]
    metric = answer.columns.index(name)
    (a_label, a), (b_label, b) = ((r[0], r[metric]) for r in answer.rows)
    if not a or b is None:
        return None
    if name == "gross_margin":
        return f"{b_label} vs {a_label}: {100 * (b - a):+.1f} percentage points"
    return f"{b_label} vs {a_label}: {_cell(name, b - a)} ({100 * (b - a) / abs(a):+.1f}%)"


def format_answer(answer: Answer) -> str:
    lines = [f"Q: {answer.question}"]
    if not answer.answered:
        lines.append(
            f"Not sure I understood (confidence {answer.confidence:.2f}, below {THRESHOLD})."
        )
        if answer.unknown:
            lines.append(
                "Words I did not understand: " + ", ".join(repr(w) for w in answer.unknown)
            )
        lines += [f"Note: {note}" for note in answer.intent.notes]
        lines.append("Close questions I can answer:")
        lines += [f'  forecourt ask "{s}"' for s in answer.suggestions]
        return "\n".join(lines)
    intent = answer.intent
    first, last = answer.data_range
    if intent.compare_field == "period":
        when = "; ".join(p.describe() for p in intent.periods)
    else:
        when = intent.window.describe() if intent.window else f"all data: {first} to {last}"
    lines.append(f"Period: {when} (data ends {last})")
    if intent.filters:
        lines.append("Filters: " + _filters(intent.filters))
    if intent.exclude:
        lines.append("Excluding: " + _filters(intent.exclude))
    lines += [f"Note: {note}" for note in intent.notes]
    if answer.unknown:  # said before the table, not after the SQL: it may change the answer
        lines.append(
            "Not used in this answer: "
            + ", ".join(repr(w) for w in answer.unknown)
            + f" (confidence lowered to {answer.confidence:.2f})"
        )
    lines.append("")
    if answer.rows:
        rows = [
            [_cell(c, v) for c, v in zip(answer.columns, row, strict=True)] for row in answer.rows
        ]
        lines.append(
            tabulate(rows, headers=answer.columns, tablefmt="github", disable_numparse=True)
        )
    else:
        lines.append("(no sales match this question)")
    difference = _difference(answer)
    if difference:
        lines.append(difference)
    lines += [
        "",
        "SQL:",
        *("  " + line for line in answer.sql.splitlines()),
        f"Parameters: {answer.params}",
        f"Confidence: {answer.confidence:.2f} (understood: {' '.join(answer.understood)})",
    ]
    if answer.cached:
        lines.append("(answer from the cache for this data version)")
    return "\n".join(lines)
