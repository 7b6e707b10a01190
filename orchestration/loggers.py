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
STEP_DONE = {"STEP_SUCCESS": "ok", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}


class StepProgressHandler(logging.Handler):
    """Prints one line per finished step: ``[ 3/41] raw__sales  ok  12.3 s``."""

    def __init__(self, total_steps: int, stream=None):
        super().__init__(level=logging.DEBUG)
        self.total, self.done = total_steps, 0
        self.started: dict[str, float] = {}
        self.stream = stream or sys.stdout

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event, step = meta.get("dagster_event"), meta.get("step_key")
        if event is None or step is None:
            return
        kind = event.event_type_value
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


@dg.logger(
    config_schema={
        "log_file": dg.Field(str, description="Every record of the run goes here."),
        "total_steps": dg.Field(int, default_value=0, description="For the n of N counter."),
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
        logger.addHandler(StepProgressHandler(config["total_steps"]))
    return logger
