"""The soak's moving parts: the two Dagster processes, the GraphQL poller, the analyst loop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from landing.home import REPO_ROOT, ForecourtHome

BIN = Path(sys.executable).parent
WORKSPACE = REPO_ROOT / "workspace.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """dagster-webserver and dagster-daemon, each in its own session, logs under soak/."""

    def __init__(self, folder: Path, port: int = 0):
        self.folder = folder
        self.port = port or free_port()
        self.graphql_url = f"http://127.0.0.1:{self.port}/graphql"
        self.webserver: subprocess.Popen | None = None
        self.daemon: subprocess.Popen | None = None
        self.daemon_restarts = 0

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("a")
        return subprocess.Popen(
            args, cwd=REPO_ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_webserver(self) -> None:
        self.webserver = self._start("webserver", [
            str(BIN / "dagster-webserver"), "-w", str(WORKSPACE), "-h", "127.0.0.1",
            "-p", str(self.port),
        ])

    def start_daemon(self) -> None:
        self.daemon = self._start("daemon", [str(BIN / "dagster-daemon"), "run",
                                             "-w", str(WORKSPACE)])

    def restart_daemon(self) -> None:
        """Kill the daemon without warning (SIGKILL, its process only: runs it launched keep
        going, as they would after a crash) and start a new one."""
        assert self.daemon is not None
        self.daemon.send_signal(signal.SIGKILL)
        self.daemon.wait()
        self.start_daemon()
        self.daemon_restarts += 1

    @staticmethod
    def _stop(process: subprocess.Popen | None) -> None:
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only what it started
            process.wait()

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc) -> None:
        self._stop(self.daemon)
        self._stop(self.webserver)


STATUS_QUERY = """
query SoakStatus {
  runsOrError(limit: 1000) { ... on Runs { results { runId status jobName } } }
  assetsOrError { ... on AssetConnection { nodes {
    key { path } assetHealth { assetHealth } assetMaterializations(limit: 1) { runId } } } }
}
"""
REPOSITORY_QUERY = """
query { repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } } } } }
"""
START_SENSOR = """
mutation($s: SensorSelector!) { startSensor(sensorSelector: $s) {
  __typename ... on PythonError { message } } }
"""
LAUNCH_RUN = """
mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message }
  ... on RunConfigValidationInvalid { errors { message } } } }
"""
START_SCHEDULE = """
mutation($s: ScheduleSelector!) { startSchedule(scheduleSelector: $s) {
  __typename ... on PythonError { message } } }
"""


class GraphqlPoller:
    """Reads the UI's GraphQL as a browser would: runs and asset health, every few seconds."""

    def __init__(self, url: str, every_seconds: float = 5.0):
        self.url = url
        self.every = every_seconds
        self.answered = self.failed = 0
        self.latencies: list[float] = []
        self.last: dict = {}
        self._stop = threading.Event()

    def query(self, query: str, variables: dict | None = None) -> dict:
        response = requests.post(self.url, json={"query": query, "variables": variables or {}},
                                 timeout=60)
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.query(REPOSITORY_QUERY)
                return
            except (requests.RequestException, RuntimeError, KeyError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1.0)

    def _repository(self) -> dict:
        repo = self.query(REPOSITORY_QUERY)["repositoriesOrError"]["nodes"][0]
        return {"repositoryName": repo["name"], "repositoryLocationName": repo["location"]["name"]}

    def launch_job(self, job_name: str) -> str:
        """Launch a job as the UI's Launch button does (through the run queue); its run id."""
        selector = {**self._repository(), "jobName": job_name}
        result = self.query(LAUNCH_RUN, {"p": {"selector": selector}})["launchRun"]
        if result["__typename"] != "LaunchRunSuccess":
            raise RuntimeError(f"{job_name} not launched: {result}")
        return result["run"]["runId"]

    def turn_on(self, schedules: list[str], sensors: list[str]) -> None:
        where = self._repository()
        for name in schedules:
            result = self.query(START_SCHEDULE, {"s": {**where, "scheduleName": name}})
            if result["startSchedule"]["__typename"] == "PythonError":
                raise RuntimeError(f"{name}: {result['startSchedule']['message']}")
        for name in sensors:
            result = self.query(START_SENSOR, {"s": {**where, "sensorName": name}})
            if result["startSensor"]["__typename"] == "PythonError":
                raise RuntimeError(f"{name}: {result['startSensor']['message']}")

    def _poll(self) -> None:
        while not self._stop.wait(self.every):
            began = time.monotonic()
            try:
                data = self.query(STATUS_QUERY)
            except (requests.RequestException, RuntimeError, ValueError):
                self.failed += 1
                continue
            self.latencies.append(time.monotonic() - began)
            self.answered += 1
            runs = data["runsOrError"].get("results", [])
            nodes = data["assetsOrError"].get("nodes", [])
            self.last = {
                "runs_by_status": dict(Counter(r["status"] for r in runs)),
                "assets": len(nodes),
                "assets_materialized": sum(1 for n in nodes if n.get("assetMaterializations")),
                # asset health needs Dagster+ (null in open source): counted where reported
                "asset_health": dict(Counter(
                    (n.get("assetHealth") or {}).get("assetHealth", "NOT_REPORTED") for n in nodes
                )),
            }

    @contextmanager
    def polling(self) -> Iterator[GraphqlPoller]:
        thread = threading.Thread(target=self._poll, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join(timeout=90)

    def figures(self) -> dict:
        latencies = sorted(self.latencies)
        return {
            "polls_answered": self.answered,
            "polls_failed": self.failed,
            "latency_p50_seconds": round(latencies[len(latencies) // 2], 2) if latencies else None,
            "latency_max_seconds": round(latencies[-1], 2) if latencies else None,
            "last": self.last,
        }


ANALYST_SQL = "select count(*), max(sale_date) from marts.fct_sales"


class AnalystLoop:
    """An analyst querying the full serving copy every couple of seconds, as `connect_safe`
    opens it. Before the first publish there is no copy: counted apart, not as refused."""

    def __init__(self, home: ForecourtHome, every_seconds: float = 2.0):
        self.home = home
        self.every = every_seconds
        self.answered = self.refused = self.no_copy_yet = 0
        self.errors: Counter = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        from serving import connect_safe, serving_path

        while not self._stop.wait(self.every):
            path = serving_path(home=self.home)
            if not path.exists():
                self.no_copy_yet += 1
                continue
            try:
                with connect_safe(path) as conn:
                    conn.execute(ANALYST_SQL).fetchone()
                self.answered += 1
            except Exception as exc:  # any refusal is a finding of the soak, not a crash
                self.refused += 1
                self.errors[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1

    def __enter__(self) -> AnalystLoop:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def figures(self) -> dict:
        return {"answered": self.answered, "refused": self.refused,
                "no_copy_yet": self.no_copy_yet, "errors": dict(self.errors.most_common(5))}
