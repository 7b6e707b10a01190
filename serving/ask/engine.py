"""Answer a question over a serving copy: parse, build SQL, run it read-only, cache, explain."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from serving import connect_safe
from serving.ask.parser import Intent, parse
from serving.ask.query import METRICS, build_query
from serving.ask.vocabulary import Vocabulary, load_vocabulary

THRESHOLD = 0.7
METRIC_WORDS = {
    "units": "units",
    "revenue": "revenue",
    "gross": "gross",
    "gross_per_unit": "gross per unit",
    "days_on_lot": "days on lot",
    "avg_price": "average price",
    "margin": "gross margin",
}


@dataclass
class Answer:
    question: str
    answered: bool
    confidence: float
    intent: Intent
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    sql: str = ""
    params: list = field(default_factory=list)
    understood: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    cached: bool = False
    data_version: str = ""
    data_range: tuple[str, str] = ("", "")


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def data_version(conn, path: Path) -> str:
    """Changes with every publish: the file's identity and the copy's publish id."""
    stat = path.stat()
    try:
        (version,) = conn.execute("select version from meta.publish_info").fetchone()
    except Exception:  # a hand-made copy without meta.publish_info
        version = "unpublished"
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}-{version}"


class AnswerCache:
    """Answers on disk, one folder per data version; a new version clears the old ones."""

    def __init__(self, folder: Path | None, version: str):
        self.folder = folder / hashlib.sha256(version.encode()).hexdigest()[:16] if folder else None

    def _file(self, intent: Intent) -> Path:
        key = json.dumps(intent.key(), sort_keys=True, default=str)
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"

    def get(self, intent: Intent) -> dict | None:
        if self.folder is None or not self._file(intent).exists():
            return None
        try:
            return json.loads(self._file(intent).read_text())
        except (OSError, ValueError):
            return None

    def put(self, intent: Intent, payload: dict) -> None:
        if self.folder is None:
            return
        try:
            for stale in self.folder.parent.glob("*"):
                if stale.is_dir() and stale != self.folder:
                    shutil.rmtree(stale, ignore_errors=True)
            self.folder.mkdir(parents=True, exist_ok=True)
            self._file(intent).write_text(json.dumps(payload, default=str))
        except OSError:  # a read-only home still answers, just without a cache
            pass


def suggestions(vocab: Vocabulary, parsed, question: str) -> list[str]:
    """Questions close to this one that the engine can answer."""
    out = []
    if parsed.corrections:
        fixed = question.lower()
        for wrong, right in parsed.corrections.items():
            fixed = fixed.replace(wrong, right)
        if parse(fixed, vocab).confidence >= THRESHOLD:
            out.append(fixed)
    metric = METRIC_WORDS[parsed.intent.metrics[0]]
    values = vocab.values
    city = (values["city"] or values["region"] or ["Northeast"])[0]
    make = (values["make"] or ["Toyota"])[0]
    bodies = (values["body_style"] + ["SUV", "Sedan"])[:2]
    out += [
        f"top 5 models by {metric} in {city} last quarter",
        f"{metric} by region year to date",
        f"monthly {metric} trend for {make} last year",
        f"{bodies[0]} vs {bodies[1]} {metric} this year",
        f"which dealer had the highest {metric} last month",
    ]
    return out[:5]


def ask(question: str, path: Path, cache_dir: Path | None = None) -> Answer:
    """Answer one question from the serving copy at ``path`` (opened read-only, safe mode)."""
    with connect_safe(path) as conn:
        vocab = load_vocabulary(conn)
        parsed = parse(question, vocab)
        answer = Answer(
            question,
            False,
            parsed.confidence,
            parsed.intent,
            understood=parsed.understood,
            unknown=parsed.unknown,
            data_version=data_version(conn, path),
            data_range=(vocab.first_day.isoformat(), vocab.last_day.isoformat()),
        )
        if parsed.confidence < THRESHOLD:
            answer.suggestions = suggestions(vocab, parsed, question)
            return answer
        query = build_query(parsed.intent, vocab.first_day, vocab.last_day)
        answer.sql, answer.params = query.sql, [_plain(p) for p in query.params]
        answer.answered = True
        cache = AnswerCache(cache_dir, answer.data_version)
        hit = cache.get(parsed.intent)
        if hit is not None:
            answer.columns, answer.rows, answer.cached = hit["columns"], hit["rows"], True
            return answer
        cursor = conn.execute(query.sql, query.params)
        answer.columns = [d[0] for d in cursor.description]
        answer.rows = [[_plain(v) for v in row] for row in cursor.fetchall()]
    cache.put(parsed.intent, {"columns": answer.columns, "rows": answer.rows})
    return answer


def money_columns() -> set[str]:
    return {METRICS[m][0] for m in ("revenue", "gross", "gross_per_unit", "avg_price")}
