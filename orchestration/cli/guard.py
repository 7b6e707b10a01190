"""What stands between a CLI user and a stack trace: home checks, error lines, the trace log.

Every failure the CLI reports is one or two lines naming the cause and the fix; the full trace
goes to ``FORECOURT_HOME/logs/`` (and, for runs, to the Dagster UI). Exit codes: 2 for bad
input (arguments, a missing or unusable home, a wrong file), 1 for a run or command that failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import sys
import tempfile
import traceback
import uuid
from pathlib import Path

from landing.home import HOME_UMASK, ForecourtHome

MIN_FREE_BYTES = 64 * 2**20  # below this a run would die half-way through a write
LOGS = "logs"
BAD_INPUT, FAILED = 2, 1


class UsageError(Exception):
    """A wrong argument or an unusable home: said plainly, without a stack trace (exit 2)."""


class RunStopped(Exception):
    """A run stopped by Ctrl-C or SIGTERM: one line, and the shell's code (128 + signal)."""

    def __init__(self, line: str, code: int):
        super().__init__(line)
        self.code = code


def home_problem(home: ForecourtHome, creates: bool, writes: bool) -> str | None:
    """Why the home cannot serve this command, with the fix; None when it can."""
    root = home.root
    where = f"FORECOURT_HOME={root}"
    if root.exists() and not root.is_dir():
        return f"{where} is a file, not a folder. Point FORECOURT_HOME at a folder."
    if not root.exists():
        if not creates:
            return (
                f"{where} does not exist. Create a home with 'forecourt demo' or "
                "'forecourt generate', or point FORECOURT_HOME at an existing one."
            )
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"cannot create {where}: {exc.strerror}. {_fix(exc)}"
    if writes:
        return _writable(root, where)
    return None


def _writable(root: Path, where: str) -> str | None:
    probe = root / f".write-probe-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    try:
        with probe.open("wb") as handle:
            handle.write(b"\0" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        return f"cannot write to {where}: {exc.strerror}. {_fix(exc)}"
    finally:
        with contextlib.suppress(OSError):  # a read-only file system refuses even this
            probe.unlink(missing_ok=True)
    free = shutil.disk_usage(root).free
    if free < MIN_FREE_BYTES:
        return (
            f"the file system of {where} is full ({free / 2**20:.0f} MB free). "
            "Free some space (old landing files, logs/) or move the home."
        )
    return None


def _fix(exc: OSError) -> str:
    return {
        errno.EROFS: "The file system is read-only: point FORECOURT_HOME at a writable folder.",
        errno.ENOSPC: "The disk is full: free some space or move the home.",
        errno.EDQUOT: "The disk quota is used up: free some space or move the home.",
        errno.EACCES: "Fix the folder's permissions, or run as its owner.",
        errno.EPERM: "Fix the folder's permissions, or run as its owner.",
    }.get(exc.errno, "Check the folder and the disk.")


def explain(exc: BaseException) -> tuple[str, int]:
    """One line for an unexpected error, and its exit code."""
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.ENOSPC, errno.EDQUOT):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}. {_fix(exc)}", FAILED
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    if isinstance(exc, ValueError):  # raised for what the user gave: the message says it
        return first or type(exc).__name__, BAD_INPUT
    return f"{type(exc).__name__}: {first}", FAILED


def log_folder(home: ForecourtHome) -> Path:
    """FORECOURT_HOME/logs, or the temporary folder when the home cannot hold it."""
    folder = home.root / LOGS
    if not home.root.is_dir():  # never create a home just to hold a log
        return Path(tempfile.gettempdir())
    try:
        folder.mkdir(exist_ok=True)
        return folder
    except OSError:
        return Path(tempfile.gettempdir())


def log_path(home: ForecourtHome, command: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return log_folder(home) / f"forecourt-{command}-{stamp}-{os.getpid()}.log"


def write_trace(home: ForecourtHome, command: str, exc: BaseException) -> Path | None:
    path = log_path(home, command)
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"forecourt {' '.join(sys.argv[1:]) or command}\n")
            handle.write("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return path


ANSI = re.compile(r"\x1b\[[0-9;]*m")
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")
TRACE_START = ("Stack Trace:", "Traceback (most recent call last)", "The above exception")


class TraceFilter:
    """A stand-in for stderr during a run: every line goes to the run's log file; the terminal
    gets the same lines without stack traces (Dagster prints one per failed step, and again
    for the run), and a pointer to the log file once."""

    def __init__(self, terminal, log: Path):
        self.terminal, self.log_path = terminal, log
        self.log = log.open("a", encoding="utf-8")
        self.pending, self.hiding, self.pointed = "", False, False

    def write(self, text: str) -> int:
        self.log.write(text)
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self._line(line + "\n")
        return len(text)

    def _line(self, line: str) -> None:
        plain = ANSI.sub("", line)
        if self.hiding and not LOG_LINE.match(plain):
            return
        self.hiding = plain.strip().startswith(TRACE_START)
        if self.hiding:
            if not self.pointed:
                self.terminal.write(f"  (stack trace in {self.log_path})\n")
                self.pointed = True
            return
        self.terminal.write(line)

    def flush(self) -> None:
        self.log.flush()
        self.terminal.flush()

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        if self.pending:
            self._line(self.pending)
            self.pending = ""
        self.log.close()


def home_umask() -> None:
    """Whatever the command, what it writes under the home is not for everyone to read."""
    os.umask(HOME_UMASK)
