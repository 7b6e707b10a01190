"""Validate a pandas DataFrame against a Great Expectations 1.x suite stored as JSON.

GX is imported lazily (it takes seconds to import), runs in an ephemeral context on an in-memory
frame (GX through SQLAlchemy on DuckDB is broken upstream), with progress bars and analytics off.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

SUITES_DIR = Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    observed_value: Any = None
    unexpected_count: int | None = None
    unexpected_examples: list = field(default_factory=list)


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    success: bool
    row_count: int
    outcomes: list[ExpectationOutcome]

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def to_markdown(self) -> str:
        lines = ["| expectation | column | ok | observed | unexpected | examples |", "|---|---|---|---|---|---|"]
        for o in self.outcomes:
            examples = ", ".join(str(e) for e in o.unexpected_examples[:5])
            lines.append(
                f"| {o.expectation} | {o.column or ''} | {'✅' if o.success else '❌'} "
                f"| {'' if o.observed_value is None else o.observed_value} "
                f"| {'' if o.unexpected_count is None else o.unexpected_count} | {examples} |"
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
    if hasattr(value, "item"):
        return value.item()
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


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
    outcomes = []
    for result in validation.results:
        config, details = result.expectation_config, result.result or {}
        outcomes.append(
            ExpectationOutcome(
                expectation=config.type,
                column=config.kwargs.get("column"),
                success=bool(result.success),
                observed_value=_json_safe(details.get("observed_value")),
                unexpected_count=details.get("unexpected_count"),
                unexpected_examples=[
                    _json_safe(v) for v in (details.get("partial_unexpected_list") or [])[:5]
                ],
            )
        )
    return SuiteResult(
        suite=spec["name"], success=bool(validation.success), row_count=len(frame), outcomes=outcomes
    )
