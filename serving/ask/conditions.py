"""Words that change what a question means: thresholds ("over 30k", "more than 60 days") and
negations ("not", "except", "excluding").

A threshold is a comparison, a number and what the number measures (dollars, days, miles);
when the measure cannot be told, or the number is a total ("more than 100 sales"), the question
is refused with the reason rather than answered as if the words were not there. A negation
binds to the values right after it ("excluding Toyota and Honda"); one that binds to nothing
refuses the question too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from serving.ask.words import COMPARATORS, NEGATIONS, POSTFIX, STOPWORDS, SUBJECTS, UNITS

# what a threshold can be on: a per-sale column each (query.RANGE_COLUMNS)
LABELS = {
    "price": "sale price",
    "gross": "gross profit",
    "days": "days on lot",
    "mileage": "mileage",
}
COLUMNS = {
    "price": "sale_price",
    "gross": "gross_profit",
    "days": "days_on_lot",
    "mileage": "mileage",
}
BEFORE_FIRST = {"the", "to", "in", "from", "for", "a", "an", "any", "with", "of", "at", "by"}
BETWEEN_VALUES = {"and", "or", "nor", "the"}
NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(k|m)?$")
QUALIFIED = {"value", "metric", "dimension", "weak"}  # what an unknown word beside may narrow
MAX_AMOUNT = 1e9  # no sale, gross, age or mileage is near this: a bigger number is a mistake


def _phrases(table: dict[str, list[str]]) -> list[tuple[tuple[str, ...], str]]:
    pairs = [(tuple(p.split()), key) for key, words in table.items() for p in words.split(", ")]
    return sorted(pairs, key=lambda pair: -len(pair[0]))  # longest first


_COMPARATORS, _POSTFIX = _phrases(COMPARATORS), _phrases(POSTFIX)
_SUBJECTS, _UNITS, _NEGATIONS = _phrases(SUBJECTS), _phrases(UNITS), _phrases(NEGATIONS)


def _at(tokens: list[str], i: int, table) -> tuple[int, str] | None:
    for phrase, key in table:
        if tuple(tokens[i : i + len(phrase)]) == phrase:
            return len(phrase), key
    return None


def _before(tokens: list[str], end: int, table) -> tuple[int, str] | None:
    """The longest phrase of the table ending just before index ``end``."""
    for phrase, key in table:
        start = end - len(phrase)
        if start >= 0 and tuple(tokens[start:end]) == phrase:
            return len(phrase), key
    return None


def amount(token: str) -> tuple[float, bool] | None:
    """'30k' -> (30000.0, True): the value, and whether it had a k/m suffix."""
    match = NUMBER.match(token)
    if not match:
        return None
    scale = {"k": 1e3, "m": 1e6}.get(match.group(2) or "", 1.0)
    return float(match.group(1)) * scale, bool(match.group(2))


def _year_like(number: tuple) -> bool:
    _, value, suffix, unit = number
    return not suffix and unit is None and value.is_integer() and 1990 <= value <= 2100


@dataclass
class Threshold:
    start: int
    length: int
    conditions: list[tuple[str, str, float]]  # (measure, operator, value)
    problem: str | None = None


def _measure(subject: str | None, unit: str | None, suffix: bool, words: str) -> tuple:
    """What the number measures, or (None, the reason it cannot be told)."""
    if unit == "total":
        return None, (
            f"'{words}' is a threshold on a total; only per-sale thresholds are "
            "supported (price, gross, days on lot, mileage)."
        )
    if subject and unit and subject != unit and not (subject == "gross" and unit == "price"):
        return None, f"'{words}': the words say both {LABELS[subject]} and {LABELS[unit]}."
    measure = subject or unit or ("price" if suffix else None)
    if measure is None:
        return None, (
            f"'{words}': say what the number measures, e.g. '50000 dollars', "
            "'60 days' or '20000 miles'."
        )
    return measure, None


def _number_at(tokens: list[str], i: int):
    """A number at i, maybe after 'usd', with its unit after: (tokens used, value, suffix, unit)."""
    used, unit = 0, None
    if i < len(tokens) and tokens[i] == "usd":
        used, unit = 1, "price"
    parsed = amount(tokens[i + used]) if i + used < len(tokens) else None
    if parsed is None:
        return None
    used += 1
    after = _at(tokens, i + used, _UNITS)
    if after:
        used, unit = used + after[0], after[1] if unit is None else unit
    return used, parsed[0], parsed[1], unit


def find_thresholds(tokens: list[str]) -> list[Threshold]:
    """Every comparison with a number in the tokens, its subject and unit included."""
    found: list[Threshold] = []
    i = 0
    while i < len(tokens):
        comparator = _at(tokens, i, _COMPARATORS)
        ends = None
        if tokens[i] in ("between", "from"):
            low = _number_at(tokens, i + 1)
            j = i + 1 + low[0] if low else 0
            joined = low and tokens[j : j + 1] in (["and"], ["to"])
            high = _number_at(tokens, j + 1) if joined else None
            said = high and (
                low[3] or high[3] or low[2] or high[2] or _before(tokens, i, _SUBJECTS)
            )
            if said:
                ends = [(">=", low), ("<=", high)], j + 1 + high[0]
        elif comparator:
            number = _number_at(tokens, i + comparator[0])
            if number:
                ends = [(comparator[1], number)], i + comparator[0] + number[0]
        else:
            number = _number_at(tokens, i)
            postfix = number and _at(tokens, i + number[0], _POSTFIX)
            if postfix:
                ends = [(postfix[1], number)], i + number[0] + postfix[0]
        if ends is None:
            i += 1
            continue
        parts, end = ends
        subject = _before(tokens, i, _SUBJECTS)
        if not subject and all(_year_like(number) for _, number in parts):
            i += 1  # "2024 over 2023", "sales since 2019 or more": years, read as time
            continue
        start = i - subject[0] if subject else i
        words = " ".join(tokens[start:end])
        threshold = Threshold(start, end - start, [])
        for operator, (_, value, suffix, unit) in parts:
            unit = unit or next((u for _, _, _, u in (p for _, p in parts) if u), None)
            measure, problem = _measure(subject[1] if subject else None, unit, suffix, words)
            if value >= MAX_AMOUNT:
                problem = f"'{words}': {value:,.0f} is far beyond any sale in the data."
            threshold.problem = threshold.problem or problem
            if measure:
                threshold.conditions.append((measure, operator, value))
        found.append(threshold)
        i = end
    return found


def negation_at(tokens: list[str], i: int) -> int:
    """How many tokens the negation starting at i spans (0: none)."""
    hit = _at(tokens, i, _NEGATIONS)
    return hit[0] if hit else 0


def bind_negation(tokens: list[str], end: int, values: dict[int, int]) -> list[int]:
    """Where the values a negation ending at ``end`` covers start: the first one after a few
    small words ("not in the Midwest"), then each joined by 'and'/'or' ("except Toyota and
    Honda"). ``values`` maps the start of every value phrase to its length."""
    j = end
    while j < len(tokens) and j not in values and tokens[j] in BEFORE_FIRST:
        j += 1
    bound = []
    while j in values:
        bound.append(j)
        j += values[j]
        k = j
        while k < len(tokens) and k not in values and tokens[k] in BETWEEN_VALUES:
            k += 1
        j = k
    return bound


def apply_conditions(intent, found: dict, tokens: list[str], columns: frozenset) -> float:
    """Thresholds and negations into the Intent; 0 (refuse) when one cannot be honoured."""
    factor = 1.0
    for threshold in found["threshold"]:
        intent.ranges += threshold.conditions
        if threshold.problem:
            intent.notes.append(threshold.problem)
            factor = 0.0
    starts = {i: n for i, n, _ in found["value"]}
    found["negated"] = set()
    for i, n in found["negation"]:
        bound = bind_negation(tokens, i + n, starts)
        found["negated"].update(bound)
        if not bound:
            word = " ".join(tokens[i : i + n])
            intent.notes.append(
                f"'{word}': I cannot tell what to leave out; name a value after it, "
                "e.g. 'excluding fleet' or 'not in the Midwest'."
            )
            factor = 0.0
    for measure, operator, value in intent.ranges:
        if COLUMNS[measure] not in columns:
            intent.notes.append(f"This source has no {LABELS[measure]} per sale.")
            factor = 0.0
        unit = " days" if measure == "days" else " miles" if measure == "mileage" else ""
        money = "$" if measure in ("price", "gross") else ""
        intent.notes.append(
            f"Only sales with {LABELS[measure]} {operator} {money}{value:,.0f}{unit}."
        )
    return factor


def qualifiers(tokens: list[str], taken: list) -> list[str]:
    """Unknown words right beside a value, a metric or a grouping ("RAV4 hybrid", "sales in
    red"): they likely narrow the question in a way the data cannot honour, so the question is
    refused instead of answered more broadly. Small words in between do not count."""
    out = []
    for i, token in enumerate(tokens):
        if taken[i] or token in STOPWORDS or not token.isalpha():
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(tokens) and not taken[j] and tokens[j] in STOPWORDS:
                j += step
            if 0 <= j < len(tokens) and taken[j] in QUALIFIED:
                out.append(token)
                break
    return out
