"""A question in plain words -> an Intent: metric, grouping, filters, time window, shape.

The parser only recognises what the vocabulary knows (whitelisted words and values found in
the data); everything else is reported back as not understood and lowers the confidence.
Nothing the user typed is ever used as SQL: the Intent holds canonical names and values.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field

from serving.ask.conditions import apply_conditions, find_thresholds, negation_at, qualifiers
from serving.ask.timewindows import NUMBER_WORDS, Window, find_windows
from serving.ask.vocabulary import Vocabulary, tokenize
from serving.ask.words import MULTI, STOPWORDS, WEAK_UNITS

ORDER_DESC = {"top", "best", "most", "highest", "biggest", "largest", "leading", "greatest"}
ORDER_ASC = {"bottom", "worst", "least", "lowest", "fewest", "smallest", "weakest"}
COMPARE = {"vs", "versus", "against", "compare", "compared", "comparing", "comparison"}
GRAINS = {
    ("trend",): "month",
    ("trends",): "month",
    ("trending",): "month",
    ("over", "time"): "month",
    ("monthly",): "month",
    ("by", "month"): "month",
    ("per", "month"): "month",
    ("each", "month"): "month",
    ("month", "by", "month"): "month",
    ("by", "months"): "month",
    ("weekly",): "week",
    ("by", "week"): "week",
    ("per", "week"): "week",
    ("week", "by", "week"): "week",
    ("quarterly",): "quarter",
    ("by", "quarter"): "quarter",
    ("per", "quarter"): "quarter",
    ("yearly",): "year",
    ("annual",): "year",
    ("by", "year"): "year",
    ("per", "year"): "year",
}
MAX_LIMIT = 100
# the column of marts.fct_sales a metric or grouping reads: empty in some sources (Car Sales)
NEEDS = {
    "revenue": "sale_price",
    "avg_price": "sale_price",
    "gross": "gross_profit",
    "gross_per_unit": "gross_profit",
    "margin": "gross_profit",
    "days_on_lot": "days_on_lot",
    "stock_type": "stock_type",
    "trim": "trim",
    "body_style": "body_style",
    "gender": "customer_gender",
    "customer_type": "customer_type",
}


@dataclass
class Intent:
    kind: str = "total"  # total | breakdown | top | compare | trend
    metrics: list[str] = field(default_factory=lambda: ["units"])
    dimensions: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)  # "not", "excluding"
    ranges: list[tuple[str, str, float]] = field(default_factory=list)  # ("price", ">", 5e4)
    window: Window | None = None
    compare_field: str | None = None  # a filter field, or "period"
    periods: list[Window] = field(default_factory=list)
    grain: str | None = None
    limit: int | None = None
    order: str = "desc"
    notes: list[str] = field(default_factory=list)

    def key(self) -> dict:
        """What determines the answer (notes excluded): the cache key."""
        data = asdict(self)
        data.pop("notes")
        return data


@dataclass
class Parsed:
    intent: Intent
    confidence: float
    understood: list[str]
    unknown: list[str]
    corrections: dict[str, str]


def _match(tokens, taken, i, table: dict, longest: int = 4):
    for n in range(min(longest, len(tokens) - i), 0, -1):
        if any(taken[i : i + n]):
            continue
        phrase = tuple(tokens[i : i + n])
        if phrase in table:
            return n, table[phrase]
        last = phrase[-1]
        for singular in (last[:-2] if last.endswith("es") else None, last[:-1]):
            if last.endswith("s") and singular and phrase[:-1] + (singular,) in table:
                return n, table[phrase[:-1] + (singular,)]
    return None


def _scan(tokens: list[str], vocab: Vocabulary):
    taken: list[str | None] = [None] * len(tokens)
    found: dict[str, list] = {
        "window": [],
        "grain": [],
        "metric": [],
        "dimension": [],
        "value": [],
        "order": [],
        "limit": [],
        "compare": [],
        "weak": [],
        "threshold": [],
        "negation": [],
    }
    # thresholds first: "over 2000 dollars" is no year, "at least" no ranking
    for threshold in find_thresholds(tokens):
        taken[threshold.start : threshold.start + threshold.length] = ["threshold"] * (
            threshold.length
        )
        found["threshold"].append(threshold)
    masked = [t if not taken[i] else "\0" for i, t in enumerate(tokens)]
    for i, n, window in find_windows(masked, vocab.first_day, vocab.last_day):
        taken[i : i + n] = ["time"] * n
        found["window"].append(window)
    for i in range(len(tokens)):
        grain = _match(tokens, taken, i, GRAINS, 3)
        if grain:
            taken[i : i + grain[0]] = ["grain"] * grain[0]
            found["grain"].append(grain[1])
    for i, token in enumerate(tokens):
        if taken[i]:
            continue
        negation = negation_at(tokens, i)
        if negation and not any(taken[i : i + negation]):
            taken[i : i + negation] = ["negation"] * negation
            found["negation"].append((i, negation))
        elif token in ORDER_DESC | ORDER_ASC:
            taken[i] = "order"
            found["order"].append(("asc" if token in ORDER_ASC else "desc", token))
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            number = int(nxt) if nxt.isdigit() and len(nxt) <= 3 else NUMBER_WORDS.get(nxt)
            if number and not taken[i + 1]:
                taken[i + 1] = "limit"
                found["limit"].append(number)
        elif token in COMPARE:
            taken[i] = "compare"
            found["compare"].append(token)
    i = 0
    while i < len(tokens):
        hit = None if taken[i] else _match(tokens, taken, i, vocab.phrases)
        if hit:
            n, (kind, value) = hit
            taken[i : i + n] = [kind] * n
            if kind == "dimension":
                found[kind].append((value, tokens[i + n - 1].endswith("s")))
            else:
                found[kind].append((i, n, value) if kind == "value" else value)
            i += n
            continue
        if not taken[i] and tokens[i] in WEAK_UNITS:
            taken[i] = "weak"
            found["weak"].append(tokens[i])
        i += 1
    return taken, found


def _shape(intent: Intent, found: dict, vocab: Vocabulary, tokens: list[str]) -> float:
    """Fill the Intent from what was found; returns a confidence factor for guesses made."""
    factor = 1.0
    intent.metrics = list(dict.fromkeys(found["metric"])) or ["units"]
    factor *= apply_conditions(intent, found, tokens, vocab.columns)
    negated = {i for i, _, _ in found["value"] if i in found["negated"]}
    for i, _, value in found["value"]:
        for pair in value.split(MULTI):
            name, _, canonical = pair.partition("=")
            target = intent.exclude if i in negated else intent.filters
            if canonical not in target.setdefault(name, []):
                target[name].append(canonical)
    dims = list(dict.fromkeys(d for d, _ in found["dimension"]))
    plural = any(p for _, p in found["dimension"])
    windows = found["window"]
    intent.grain = found["grain"][0] if found["grain"] else None
    if found["compare"] or len(windows) > 1:
        multi = [f for f, values in intent.filters.items() if len(values) > 1]
        if multi:
            intent.kind, intent.compare_field = "compare", multi[0]
        elif len(windows) > 1:
            intent.kind, intent.compare_field, intent.periods = "compare", "period", windows[:4]
            windows = []
        else:
            intent.notes.append("Nothing to compare: name two values, e.g. 'SUV vs Sedan'.")
            factor *= 0.6
    intent.window = windows[0] if windows else None
    if len(windows) > 1 and intent.compare_field != "period":
        intent.notes.append(f"Several periods named; using {windows[0].describe()}.")
        factor *= 0.8
    if intent.kind != "compare":
        if intent.grain:
            intent.kind = "trend"
        elif found["order"] or found["limit"]:
            intent.kind = "top"
            if not dims:
                dims = ["model"]
                intent.notes.append("No grouping named: ranking models.")
                factor *= 0.85
        elif dims:
            intent.kind = "breakdown"
    # "the VIP segment", "Toyota brand": a grouping word naming the one value filtered on
    if len(dims) > 1:
        dims = [d for d in dims if len(intent.filters.get(d, [])) != 1] or dims[:1]
    intent.dimensions = dims
    intent.order = found["order"][0][0] if found["order"] else "desc"
    if intent.kind == "top":
        # "which dealer sold the most" wants one; "top dealers", "best models" five
        default = 5 if plural or any(w in ("top", "bottom") for _, w in found["order"]) else 1
        intent.limit = min(found["limit"][0] if found["limit"] else default, MAX_LIMIT)
    for name, column in [(m, NEEDS.get(m)) for m in intent.metrics] + [
        (d, NEEDS.get(d)) for d in [*intent.dimensions, intent.compare_field or ""]
    ]:
        if column and column not in vocab.columns:
            intent.notes.append(f"This source has no {column.replace('_', ' ')} per sale ({name}).")
            factor = 0.0
    if "fuel" in intent.dimensions and not vocab.values.get("fuel"):
        intent.notes.append("This source names no hybrid or electric engine: no fuel grouping.")
        factor = 0.0
    if "segment" in intent.dimensions and not vocab.has_segments:
        intent.notes.append("This serving copy has no customer segments (ml.customer_segments).")
        factor *= 0.3
    return factor


def parse(question: str, vocab: Vocabulary) -> Parsed:
    tokens = tokenize(question)
    taken, found = _scan(tokens, vocab)
    intent = Intent()
    factor = _shape(intent, found, vocab, tokens)
    understood = [t for t, k in zip(tokens, taken, strict=True) if k]
    unknown = [t for t, k in zip(tokens, taken, strict=True) if not k and t not in STOPWORDS]
    known_words = sorted({" ".join(p) for p in vocab.phrases})
    corrections = {}
    for token in unknown:
        close = difflib.get_close_matches(token, known_words, n=1, cutoff=0.75)
        if close:
            corrections[token] = close[0]
    narrowing = [q for q in qualifiers(tokens, taken) if q not in corrections]
    if narrowing:
        intent.notes.append(
            "Nothing in the data matches "
            + ", ".join(repr(q) for q in narrowing)
            + ", which would narrow the question: not answering a broader one instead."
        )
        factor = 0.0
    meaningful = (
        found["threshold"]
        or found["negation"]
        or found["metric"]
        or found["dimension"]
        or found["value"]
        or found["window"]
        or found["order"]
        or found["grain"]
        or found["weak"]
    )
    # an unknown word may well change the question ("fleet sales"): it weighs more than a known
    # one, and a near miss of a known value ("Austn") more still
    weight = 1.5 * len(unknown) + 2 * len(corrections)
    confidence = 0.0
    if meaningful:
        confidence = factor * len(understood) / (len(understood) + weight)
    return Parsed(intent, round(confidence, 2), understood, unknown, corrections)
