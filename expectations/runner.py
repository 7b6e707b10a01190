"""Validate a pandas DataFrame against a Great Expectations 1.x suite stored as JSON.

GX is imported lazily (it takes seconds to import), runs in an ephemeral context on an in-memory
frame (GX through SQLAlchemy on DuckDB is broken upstream), with progress bars and analytics off.
Suites live in ``suites/<name>.json`` in GX 1.x form: ``{"name", "expectations": [{"type",
"kwargs", "meta"}], "meta"}``; the suite's ``meta`` says which asset it checks, whether a failure
blocks what is downstream, and which rows to validate (see ``expectations.scope``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the caller brings the frame: importing the runner should not load pandas
    import pandas as pd

SUITES_DIR = Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    observed_value: Any = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    unexpected_examples: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    error: str | None = None

    def sentence(self) -> str:
        """One line a person can act on: what was expected, what was found."""
        rule = ", ".join(
            f"{k}={v}"
            for k, v in self.kwargs.items()
            if k not in ("column", "column_list", "column_A", "column_B", "batch_id")
        )
        found = []
        if self.error:
            found.append(f"error: {self.error}")
        if self.unexpected_count:
            share = f" ({self.unexpected_percent:.1f}%)" if self.unexpected_percent else ""
            found.append(f"{self.unexpected_count} unexpected{share}")
        if self.unexpected_examples:
            found.append("e.g. " + ", ".join(str(v) for v in self.unexpected_examples[:3]))
        if self.observed_value is not None:
            found.append(f"observed {self.observed_value}")
        where = f"{self.column}: " if self.column else ""
        return f"{where}{self.expectation}({rule}): " + ("; ".join(found) or "failed")


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    success: bool
    row_count: int
    outcomes: list[ExpectationOutcome]

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def summary(self) -> str:
        if self.success:
            return f"All {len(self.outcomes)} expectations of suite '{self.suite}' passed."
        head = f"{len(self.failed)} of {len(self.outcomes)} expectations of '{self.suite}' failed:"
        return "\n".join([head] + [f"- {o.sentence()}" for o in self.failed])

    def to_markdown(self) -> str:
        lines = [
            "| expectation | column | ok | observed | unexpected | examples |",
            "|---|---|---|---|---|---|",
        ]
        for o in self.outcomes:
            examples = ", ".join(str(e) for e in o.unexpected_examples[:5])
            observed = o.error or ("" if o.observed_value is None else o.observed_value)
            unexpected = "" if o.unexpected_count is None else o.unexpected_count
            lines.append(
                f"| {o.expectation} | {o.column or ''} | {'✅' if o.success else '❌'} "
                f"| {observed} | {unexpected} | {examples} |".replace("\n", " ")
            )
        return "\n".join(lines)


def suite_names() -> list[str]:
    return sorted(p.stem for p in SUITES_DIR.glob("*.json"))


def load_suite(name: str) -> dict:
    """The suite's JSON (GX 1.x format: name, expectations[type, kwargs, meta], meta)."""
    path = SUITES_DIR / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"No expectation suite {path}; known suites: {suite_names()}")
    return json.loads(path.read_text())


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (list, tuple)):
        shown = [_json_safe(v) for v in value[:10]]
        return shown if len(value) <= 10 else [*shown, "..."]
    if hasattr(value, "item"):
        return value.item()
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


def _error_message(exception_info: Any) -> str | None:
    """GX nests exception details per metric, or not; the first message is enough."""
    if not isinstance(exception_info, dict):
        return None
    if exception_info.get("raised_exception"):
        return str(exception_info.get("exception_message"))
    for nested in exception_info.values():
        message = _error_message(nested)
        if message:
            return message
    return None


def _outcome(result) -> ExpectationOutcome:
    config, details = result.expectation_config, result.result or {}
    kwargs = {k: v for k, v in dict(config.kwargs).items() if k != "batch_id"}
    percent = details.get("unexpected_percent")
    return ExpectationOutcome(
        expectation=config.type,
        column=kwargs.get("column")
        or ", ".join(kwargs.get("column_list") or [])
        or ", ".join(c for c in (kwargs.get("column_A"), kwargs.get("column_B")) if c)
        or None,
        success=bool(result.success),
        observed_value=_json_safe(details.get("observed_value")),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=None if percent is None else round(float(percent), 3),
        unexpected_examples=[
            _json_safe(v) for v in (details.get("partial_unexpected_list") or [])[:5]
        ],
        kwargs=kwargs,
        error=_error_message(result.exception_info),
    )


def _domain(expectation_type: str, kwargs: dict) -> tuple:
    columns = [kwargs.get(k) for k in ("column", "column_A", "column_B")]
    return (expectation_type, *columns, tuple(kwargs.get("column_list", [])))


def _in_suite_order(outcomes: list[ExpectationOutcome], spec: dict) -> list[ExpectationOutcome]:
    """GX reports by domain; people read the suite top to bottom."""
    order = [_domain(e["type"], e.get("kwargs", {})) for e in spec["expectations"]]

    def position(outcome: ExpectationOutcome) -> int:
        key = _domain(outcome.expectation, outcome.kwargs)
        return order.index(key) if key in order else len(order)

    return sorted(outcomes, key=position)


def validate_frame(frame: pd.DataFrame, suite: str | dict) -> SuiteResult:
    """Run every expectation of the suite on the frame and collect per-expectation results."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.data_context.types.base import ProgressBarsConfig

    spec = load_suite(suite) if isinstance(suite, str) else suite
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    gx_suite = ExpectationSuite(name=spec["name"], expectations=spec["expectations"])
    asset = context.data_sources.add_pandas("forecourt").add_dataframe_asset(spec["name"])
    batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(
        batch_parameters={"dataframe": frame}
    )
    validation = batch.validate(gx_suite, result_format="SUMMARY")
    outcomes = _in_suite_order([_outcome(r) for r in validation.results], spec)
    return SuiteResult(
        suite=spec["name"],
        success=bool(validation.success),
        row_count=len(frame),
        outcomes=outcomes,
    )
