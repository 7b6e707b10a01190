"""One CLI run per home at a time: a lock file under FORECOURT_HOME naming who holds it.

DuckDB takes one writer process per file, so a second ``forecourt materialize`` on the same
home used to fail deep inside dbt on the warehouse lock. Now it waits its turn, saying for
whom, or gives up at once with ``--no-wait``. The lock is an ``flock`` on
``FORECOURT_HOME/.forecourt.lock``: the kernel releases it when the holder dies, however it
dies (kill -9 included), so a lock left by a dead process is simply taken; the file's
JSON (pid, command, start time) is only there to tell the waiting user who they wait for.

A CLI command holds it exclusively. Runs launched by the Dagster daemon or the UI hold it
shared (``WarehouseResource``): they may overlap one another, their writing steps taking
turns through the ``warehouse`` pool, but never a CLI command, which waits for all of them,
as they wait for it. A shared holder writes no JSON (there may be several); a CLI command
waiting on them says so. Dagster-free, so the resources and the CLI use the same module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_FILE = ".forecourt.lock"
POLL_SECONDS = 1.0
_held: dict[Path, int] = {}  # lock path -> depth, so a command calling another does not wait


class HomeBusy(Exception):
    """Another run holds the home; the message names it (pid, command, start time)."""


def holder(path: Path) -> dict:
    """What the lock file says about its holder (empty when unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def describe(info: dict) -> str:
    if not info:
        return "runs launched by the Dagster daemon or UI (see the Runs page)"
    return (
        f"run '{info.get('command', '?')}' (pid {info.get('pid', '?')}, "
        f"started at {info.get('started_at', '?')})"
    )


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError, TypeError):
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


@contextlib.contextmanager
def home_lock(
    root: Path,
    command: str,
    wait_seconds: float | None = 3600.0,
    say: Callable[[str], None] = print,
    shared: bool = False,
) -> Iterator[None]:
    """Hold the home's lock for the block: wait up to ``wait_seconds`` (0: not at all).
    ``shared``: alongside other shared holders (Dagster runs), never alongside a CLI command.
    A process that holds it already (the CLI running its job in-process) does not wait."""
    path = Path(root) / LOCK_FILE
    if _held.get(path):
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        _acquire(fd, path, wait_seconds, say, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        if shared:
            _held[path] = 1
            try:
                yield
            finally:
                _held.pop(path, None)
            return
        stale = holder(path)
        if stale.get("pid") and not _alive(stale["pid"]):
            say(f"Taking over the lock of {describe(stale)}: that process is gone.")
        info = {
            "pid": os.getpid(),
            "command": command,
            "started_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        _held[path] = 1
        try:
            yield
        finally:
            _held.pop(path, None)
            os.ftruncate(fd, 0)  # a reader between runs sees no holder
    finally:
        os.close(fd)  # releases the flock


def _acquire(fd: int, path: Path, wait_seconds: float | None, say, mode: int) -> None:
    ends = None if wait_seconds is None else time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        who = describe(holder(path))
        if ends is not None and time.monotonic() >= ends:
            if not wait_seconds:
                raise HomeBusy(
                    f"{path.parent} is busy with {who}. Wait for it to finish, or leave out "
                    "--no-wait to queue behind it."
                )
            raise HomeBusy(
                f"gave up after {wait_seconds:g} s waiting for {who} on {path.parent}. "
                "Try again later, or raise --wait-timeout."
            )
        if not announced:
            limit = "" if wait_seconds is None else f" (up to {wait_seconds:g} s)"
            say(f"Waiting for {who} to finish{limit} ...")
            announced = True
        time.sleep(POLL_SECONDS)
