"""dbt dies with its run: a child started through the hook dies when its parent is killed -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")

PARENT = """
import subprocess, sys, time, types
from orchestration.platform.child_processes import children_die_with_parent
module = types.SimpleNamespace(subprocess=subprocess)  # as dagster-dbt's module holds it
if sys.argv[1] == "hooked":
    children_die_with_parent(module)
child = module.subprocess.Popen(["sleep", "120"])
print(child.pid, flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in "ZX"  # a zombie is dead, only not yet reaped


def child_after_parent_is_killed(mode: str, patience_s: float = 30) -> int:
    """The child's pid, once it has died or ``patience_s`` has passed since its parent was
    killed."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, mode], stdout=subprocess.PIPE, text=True, env=env
    )
    child = int(parent.stdout.readline())
    assert alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + patience_s  # the signal is immediate, a loaded machine is not
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    return child


def test_a_child_started_through_the_hook_dies_with_its_parent():
    child = child_after_parent_is_killed("hooked")
    assert not alive(child)


def test_the_child_dies_even_when_its_parent_ignores_sigterm(monkeypatch):
    """An ignored SIGTERM is inherited through fork and exec; the hook resets it in the child."""
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        child = child_after_parent_is_killed("hooked")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert not alive(child)


def test_without_the_hook_the_child_outlives_a_killed_parent():
    # The hooked child dies within milliseconds; 3 s without the hook shows it would not.
    child = child_after_parent_is_killed("plain", patience_s=3)
    try:
        assert alive(child)  # the fault the hook is for
    finally:
        os.kill(child, signal.SIGKILL)
