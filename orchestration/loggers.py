"""Loggers: a quiet console for CLI runs, with the full log in a file under the home.

Dagster's default console logger prints every event at DEBUG (a demo printed ~5,200 lines, dbt's
progress mixed in). CLI runs use ``cli_logger`` instead: one line per finished step (n of N,
the step, ok/FAILED, seconds) on the console, and every record, DEBUG included, in
``FORECOURT_HOME/logs/<run id>.log``; ``--verbose`` streams those records to the console too.
The UI shows the same run's events from the event log, as for any run.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import dagster as dg

FILE_FORMAT = "%(asctime)s %(levelname)s %(message)s"
# Where progress lines go: the CLI sets its terminal here while it sends stdout (where dbt's own
# output lands) to the log file; None means sys.stdout.
progress_stream = None
STEP_DONE = {"STEP_SUCCESS": "ok", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}


class StepProgressHandler(logging.Handler):
    """Prints one line per finished step: ``[ 3/41] raw__sales  ok  12.3 s``."""

    def __init__(self, stream=None):
        super().__init__(level=logging.DEBUG)
        self.total: int | None = None  # looked up once, at the first step event
        self.done = 0
        self.started: dict[str, float] = {}
        self.stream = stream or progress_stream or sys.stdout

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event, step = meta.get("dagster_event"), meta.get("step_key")
        if event is None or step is None:
            return
        kind = event.event_type_value
        if self.total is None:
            self.total = _steps_to_execute(meta.get("run_id"))
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
        elif kind in STEP_DONE:
            self.done += 1
            seconds = time.monotonic() - self.started.pop(step, time.monotonic())
            width = len(str(self.total or self.done))
            total = f"/{self.total}" if self.total else ""
            counter = f"[{self.done:>{width}}{total}]"
            self.stream.write(f"  {counter} {step:<44} {STEP_DONE[kind]:<7} {seconds:6.1f} s\n")
            self.stream.flush()


def _steps_to_execute(run_id: str | None) -> int:
    """How many steps the run's plan executes (0 when the instance cannot tell)."""
    try:
        instance = dg.DagsterInstance.get()
        run = instance.get_run_by_id(run_id)
        plan = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
        return len(plan.step_keys_to_execute or plan.steps)
    except Exception:  # a counter is not worth failing a run over
        return 0


@dg.logger(
    config_schema={
        "log_file": dg.Field(str, description="Every record of the run goes here."),
        "verbose": dg.Field(bool, default_value=False, description="Stream every record."),
    },
    description="CLI runs: one console line per step, the full log in FORECOURT_HOME/logs.",
)
def cli_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    logger = logging.Logger("forecourt_cli", level=logging.DEBUG)
    path = Path(config["log_file"])
    path.parent.mkdir(parents=True, exist_ok=True)
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(logging.Formatter(FILE_FORMAT))
    logger.addHandler(to_file)
    if config["verbose"]:
        to_console = logging.StreamHandler(sys.stdout)
        to_console.setFormatter(logging.Formatter(FILE_FORMAT))
        logger.addHandler(to_console)
    else:
        logger.addHandler(StepProgressHandler())
    return logger
