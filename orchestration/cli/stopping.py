"""Stopping a CLI run with Ctrl-C or SIGTERM, also while it waits for the warehouse's slot.

The run ends the way Dagster ends an interrupted run (``orchestration/platform/interrupts.py``
makes the wait for a pool slot end too); here the run is marked canceling first, so Dagster
records it CANCELED rather than failed, and the user gets one line naming the run that holds
the warehouse, and the shell's exit code: 130 for Ctrl-C, 143 for SIGTERM."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from orchestration.cli.guard import RunStopped
from orchestration.platform.interrupts import Signals, stop_waiting_on_signals
from orchestration.resources import WAREHOUSE_POOL


class StopWatch:
    """What a signal stopped: the run's id, and the runs holding the warehouse at the time."""

    def __init__(self, instance: dg.DagsterInstance, run_id: str):
        self.instance, self.run_id = instance, run_id
        self.holders: list[str] = []
        self.signals = Signals()

    def on_stop(self) -> None:
        storage = self.instance.event_log_storage
        if storage.supports_global_concurrency_limits:
            info = storage.get_concurrency_info(WAREHOUSE_POOL)
            self.holders = sorted({s.run_id for s in info.claimed_slots} - {self.run_id})
        run = self.instance.get_run_by_id(self.run_id)
        if run is not None and not run.is_finished:
            name = signal.Signals(self.signals.last or signal.SIGINT).name
            self.instance.report_run_canceling(
                run, message=f"Stopped by {name} while waiting for the warehouse pool's slot."
            )

    def check(self, result: dg.ExecuteInProcessResult) -> None:
        """Raise ``RunStopped`` if a signal came during the run (the run has ended by now)."""
        signum = self.signals.last
        if signum is None:
            return
        name = signal.Signals(signum).name
        run = self.instance.get_run_by_id(self.run_id)
        words = {"CANCELED": "canceled", "FAILURE": "failed", "SUCCESS": "succeeded"}
        status = words.get(run.status.value, run.status.value.lower()) if run else "not recorded"
        if result.success:  # the signal came after the last step: nothing was stopped
            where = f"{name} received as the run finished"
        elif self.signals.stopped_waiting:
            held = ", ".join(h[:8] for h in self.holders) or "a run that has just ended"
            where = f"Stopped while waiting for the warehouse, held by run {held} ({name})"
        else:  # Dagster raised it in the step, which stopped dbt if it ran (see dagster-dbt)
            steps = [event.step_key for event in result.get_step_failure_events()]
            where = f"Stopped by {name} while step {', '.join(steps) or '?'} ran"
        raise RunStopped(f"{where}; run {self.run_id[:8]} {status}.", 128 + signum)


@contextmanager
def stoppable(instance: dg.DagsterInstance, run_id: str) -> Iterator[StopWatch]:
    """Run ``run_id`` in the block; a signal during it ends it (see the module docstring)."""
    watch = StopWatch(instance, run_id)
    with stop_waiting_on_signals(watch.on_stop) as signals:
        watch.signals = signals
        yield watch
