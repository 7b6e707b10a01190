"""Ctrl-C and SIGTERM stop an in-process run that waits for a pool slot.

While Dagster executes a run it captures SIGINT, and SIGTERM mapped to it, into a flag
(``dagster._utils.interrupts.capture_interrupts``); a step's own code gets the signal as an
exception, but between steps only the next step's start looks at the flag. The in-process
executor waits for a pool slot in ``ActiveExecution.sleep_til_ready`` without starting a step,
so a CLI run queued behind a daemon run on the `warehouse` pool ignored Ctrl-C until the slot
freed, possibly hours later. While ``stop_waiting_on_signals`` is active, that one method
waits on the signal wakeup fd (so a signal wakes it at once) and, once the flag is up, raises
Dagster's own ``DagsterExecutionInterruptedError``: the run then ends the way an interrupted
run does (its queued slot claims freed, resources torn down, the run's end event written).
``tests/orchestration/platform/test_private_hooks.py`` checks the private names it relies on.
"""

from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from dagster import DagsterExecutionInterruptedError
from dagster._core.execution.plan.active import ActiveExecution
from dagster._utils.interrupts import check_captured_interrupt, pop_captured_interrupt

# The longest nap between two looks for a slot. Dagster's own interval is 0 while a claim is
# pending (it polls the storage flat out, a core's worth of CPU on a busy 2-core box).
MAX_NAP_SECONDS = 0.5
MIN_NAP_SECONDS = 0.1


@dataclass
class Signals:
    """The signals received while the hook was active, in order."""

    received: list[int] = field(default_factory=list)
    stopped_waiting: bool = False  # True when one of them stopped the wait for a slot

    @property
    def last(self) -> int | None:
        return self.received[-1] if self.received else None


def _drain(fd: int, signals: Signals) -> None:
    while True:
        try:
            data = os.read(fd, 64)
        except BlockingIOError:
            return
        if not data:
            return
        signals.received.extend(n for n in data if n in (signal.SIGINT, signal.SIGTERM))


@contextmanager
def stop_waiting_on_signals(on_stop: Callable[[], None]) -> Iterator[Signals]:
    """Within the block, a SIGINT or SIGTERM received while the run waits for a slot calls
    ``on_stop`` (e.g. to mark the run canceling and say who holds the slot) and ends the run.
    The yielded ``Signals`` tells afterwards which signals came, also during a step."""
    signals = Signals()
    if threading.current_thread() is not threading.main_thread():
        yield signals  # signals reach only the main thread; nothing to watch from here
        return
    read_fd, write_fd = os.pipe()
    for fd in (read_fd, write_fd):
        os.set_blocking(fd, False)
    stock = ActiveExecution.sleep_til_ready

    def sleep_til_ready(self: ActiveExecution) -> None:
        if not check_captured_interrupt():
            nap = min(max(self.sleep_interval(), MIN_NAP_SECONDS), MAX_NAP_SECONDS)
            select.select([read_fd], [], [], nap)
        _drain(read_fd, signals)
        if check_captured_interrupt():
            pop_captured_interrupt()
            self.mark_interrupted()
            signals.stopped_waiting = True
            on_stop()
            raise DagsterExecutionInterruptedError("Stopped by a signal while waiting for a slot.")

    previous = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    ActiveExecution.sleep_til_ready = sleep_til_ready
    try:
        yield signals
    finally:
        ActiveExecution.sleep_til_ready = stock
        signal.set_wakeup_fd(previous)
        _drain(read_fd, signals)
        os.close(read_fd)
        os.close(write_fd)
