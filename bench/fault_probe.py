"""The hardening probe of issue 13: faults tried the way a new operator would meet them.

Usage: ``python -m bench.fault_probe BASE_HOME [--out DIR] [--only CATEGORY ...]``

``BASE_HOME`` is a materialized home (``forecourt demo --days 90 --dealers 2`` makes one in a
few minutes); it is never written: every fault that changes a home gets its own copy. Each
fault runs the real ``forecourt`` command in a subprocess (or, for the sinks, the alert
resource the sensors use against a misbehaving local server) and is judged:

- **well**: the expected exit code, one or two lines naming the cause, no stack trace;
- **partly**: handled, but the message is longer or vaguer than it should be;
- **not**: a stack trace reached the user, the wrong exit code, a hang, or data lost.

It prints the table and the figures the issue asks for (stack traces reaching a user,
world-readable role files after publish, sink hangs over 30 s, rows lost or duplicated) and
writes them to ``DIR/probe.json``. It takes 10 to 20 minutes on a busy 2-core machine: it is
not a test, and runs only when asked.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.fault_probe_cases import CATEGORIES

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Outcome:
    category: str
    name: str
    verdict: str  # well, partly, not, skipped
    note: str = ""
    seconds: float = 0.0
    traceback: bool = False
    said: str = ""  # what the user saw on stderr (cut short), for the report


@dataclass
class Ran:
    rc: int | None
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.text

    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


@dataclass
class Probe:
    base: Path
    out: Path
    outcomes: list[Outcome] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)  # substrings: only these faults (cli, files)
    _copies: int = 0

    def wants(self, name: str) -> bool:
        return not self.faults or any(f.lower() in name.lower() for f in self.faults)

    def env(self, home: Path | str, **extra) -> dict:
        env = {**os.environ, "FORECOURT_HOME": str(home), "PYTHONPATH": str(REPO)}
        for key in ("FORECOURT_WAREHOUSE", "DAGSTER_HOME"):
            env.pop(key, None)
        env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", GX_ANALYTICS_ENABLED="false",
                   DAGSTER_DISABLE_TELEMETRY="true")  # fmt: skip
        env.update(extra)
        return env

    def cli(self, home, *args: str, timeout: float = 900, **env) -> Ran:
        """``forecourt ARGS`` with FORECOURT_HOME=home; a command past ``timeout`` is killed."""
        started = time.monotonic()
        command = [sys.executable, "-m", "orchestration.cli", *args]
        try:
            done = subprocess.run(command, cwd=REPO, env=self.env(home, **env),
                                  capture_output=True, text=True, timeout=timeout)  # fmt: skip
            return Ran(done.returncode, done.stdout, done.stderr, time.monotonic() - started)
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or b"").decode(errors="replace") if exc.stdout else ""
            return Ran(None, out, f"(killed after {timeout:g} s)", time.monotonic() - started)

    def start(self, home, *args: str, **env) -> subprocess.Popen:
        command = [sys.executable, "-m", "orchestration.cli", *args]
        return subprocess.Popen(command, cwd=REPO, env=self.env(home, **env), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)  # fmt: skip

    def copy(self, name: str) -> Path:
        """A private copy of the base home for one fault."""
        self._copies += 1
        home = self.out / "homes" / f"{self._copies:02d}-{name}"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(self.base, home, symlinks=True)
        return home

    def record(self, category: str, name: str, verdict: str, note: str = "",
               ran: Ran | None = None, seconds: float | None = None) -> None:  # fmt: skip
        outcome = Outcome(
            category, name, verdict, note[:300],
            round(ran.seconds if ran else (seconds or 0.0), 1),
            bool(ran and ran.traceback),
            ran.err[-1500:] if ran else "",
        )  # fmt: skip
        if outcome.traceback and verdict != "skipped":
            outcome.verdict = "not"
        self.outcomes.append(outcome)
        print(f"  {outcome.verdict:7} {category:12} {name}: {outcome.note[:120]}", flush=True)

    def judge(self, category: str, name: str, ran: Ran, rc: int, *words: str) -> None:
        """well: exit ``rc``, a short stderr holding every word (a failed run: its status, a
        line per failed step, where the log is); partly: the right exit code with a longer or
        vaguer message; not: anything else."""
        lines = ran.err_lines()
        first = lines[0] if lines else ran.out.strip().splitlines()[-1:] or ["(nothing)"]
        note = f"rc {ran.rc}: {first if isinstance(first, str) else first[0]}"
        if ran.rc != rc or ran.traceback:
            self.record(category, name, "not", note, ran)
        elif all(w.lower() in ran.text.lower() for w in words) and len(lines) <= 4:
            self.record(category, name, "well", note, ran)
        else:
            self.record(category, name, "partly", f"{note} ({len(lines)} lines)", ran)


def summary(probe: Probe) -> dict:
    counted = [o for o in probe.outcomes if o.verdict != "skipped"]
    verdicts = {v: sum(o.verdict == v for o in counted) for v in ("well", "partly", "not")}
    return {
        "faults_tried": len(counted),
        **verdicts,
        "skipped": [
            f"{o.category}/{o.name}: {o.note}" for o in probe.outcomes if o.verdict == "skipped"
        ],  # fmt: skip
        "stack_traces_reaching_a_user": sum(o.traceback for o in probe.outcomes),
        **probe.figures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="a materialized home (never written)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/forecourt-fault-probe"))
    parser.add_argument("--only", nargs="*", choices=sorted(CATEGORIES), help="categories")
    parser.add_argument("--faults", nargs="*", default=[], help="of cli and files: only these")
    args = parser.parse_args(argv)
    if not (args.base / "warehouse.duckdb").exists():
        parser.error(f"{args.base} has no warehouse.duckdb: materialize a home first")
    args.out.mkdir(parents=True, exist_ok=True)
    probe = Probe(args.base.resolve(), args.out.resolve(), faults=args.faults)
    for name in args.only or list(CATEGORIES):
        print(f"{name}:", flush=True)
        CATEGORIES[name](probe)
    result = summary(probe)
    (args.out / "probe.json").write_text(
        json.dumps({"summary": result, "faults": [asdict(o) for o in probe.outcomes]}, indent=2)
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
