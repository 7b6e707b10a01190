"""deploy/: what can be checked without Docker or Kubernetes.

The files parse; the Compose services run commands that exist with the options they pass; the
instance's Postgres URL is one `orchestration.instance` accepts; every Helm value is a key of
Dagster's chart (deploy/helm/chart-keys.txt); and the image's entrypoint, run directly, starts
the code location and answers a gRPC health check.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from orchestration.instance import PG_URL_VAR, postgres_url

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
BIN = Path(sys.executable).parent
FORECOURT_SERVICES = ("usercode", "webserver", "daemon")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def helm_values() -> dict:
    return yaml.safe_load((DEPLOY / "helm" / "values-forecourt.yaml").read_text())


def _dockerfile_json(instruction: str) -> list[str]:
    line = next(x for x in (DEPLOY / "Dockerfile").read_text().splitlines()
                if x.startswith(instruction + " "))
    return yaml.safe_load(line[len(instruction) + 1:])


def test_compose_runs_postgres_and_the_three_dagster_services(compose):
    assert set(compose["services"]) == {"postgres", *FORECOURT_SERVICES}
    for name in FORECOURT_SERVICES:
        assert compose["services"][name]["image"] == "forecourt:latest"
    workspace = yaml.safe_load((DEPLOY / "workspace.compose.yaml").read_text())
    (server,) = [entry["grpc_server"] for entry in workspace["load_from"]]
    assert server["host"] == "usercode" and server["port"] == 4000


@pytest.mark.parametrize("service", FORECOURT_SERVICES)
def test_every_compose_command_exists_and_takes_the_options_it_is_given(compose, service):
    command = compose["services"][service]["command"]
    subcommands = [word for word in command[1:3] if not word.startswith("-")]
    executable = BIN / command[0]
    assert executable.exists(), f"{command[0]} is not installed with Forecourt"
    shown = subprocess.run([str(executable), *subcommands, "--help"], capture_output=True,
                           text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    for option in (word for word in command if word.startswith("--")):
        assert option in shown.stdout, f"{service}: {shlex.join(command)} uses unknown {option}"


def test_the_healthcheck_and_the_image_default_command_are_the_code_location(compose):
    usercode = compose["services"]["usercode"]
    assert _dockerfile_json("CMD") == usercode["command"]
    check = usercode["healthcheck"]["test"][1:]
    assert check[:3] == ["dagster", "api", "grpc-health-check"]
    assert "4000" in check and "4000" in usercode["command"]


def test_the_instance_postgres_url_is_psycopg2_and_accepted(compose, monkeypatch):
    url = compose["x-forecourt"]["environment"][PG_URL_VAR]
    assert url.startswith("postgresql+psycopg2://")
    monkeypatch.setenv(PG_URL_VAR, re.sub(r"\$\{[^}]*\}", "secret", url))
    assert postgres_url().endswith("@postgres:5432/dagster")
    assert compose["services"]["postgres"]["environment"]["POSTGRES_DB"] == "dagster"


def test_the_dockerfile_copies_what_exists_and_enters_through_the_entrypoint():
    text = (DEPLOY / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (\S+)", text, flags=re.M):
        assert (REPO / source).exists(), f"Dockerfile copies {source}, which is not in the repo"
    entrypoint = _dockerfile_json("ENTRYPOINT")[0]
    script = DEPLOY / Path(entrypoint).name
    assert entrypoint == f"/opt/forecourt/app/deploy/{script.name}"
    assert os.access(script, os.X_OK)


def _paths(node, prefix: str = "") -> list[str]:
    """Dotted key paths of a values tree; list items are '[]' and keep their keys."""
    if isinstance(node, dict):
        return [p for key, value in node.items()
                for p in _paths(value, f"{prefix}.{key}" if prefix else key)]
    if isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
        return [p for item in node for p in _paths(item, prefix + "[]")]
    return [prefix]


def test_every_helm_value_is_a_key_of_dagsters_chart(helm_values):
    lines = (DEPLOY / "helm" / "chart-keys.txt").read_text().splitlines()
    known = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    unknown = [p for p in _paths(helm_values)
               if not any(p == k or p.startswith(k + ".") or p.startswith(k + "[]")
                          for k in known)]
    assert unknown == [], f"not keys of the Dagster chart (deploy/helm/chart-keys.txt): {unknown}"


def test_helm_launches_runs_on_kubernetes_with_a_psycopg2_postgres(helm_values, compose):
    assert helm_values["runLauncher"]["type"] == "K8sRunLauncher"
    assert helm_values["postgresql"]["postgresqlScheme"] == "postgresql+psycopg2"
    (deployment,) = helm_values["dagster-user-deployments"]["deployments"]
    grpc = compose["services"]["usercode"]["command"]
    assert deployment["dagsterApiGrpcArgs"] == grpc[grpc.index("--module-name"):][:2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.e2e
def test_the_entrypoint_starts_the_code_location_and_it_answers(tmp_path):
    port = _free_port()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "FORECOURT_HOME": str(tmp_path / "home"), "DAGSTER_HOME": str(tmp_path / "home/dagster")}
    env.pop(PG_URL_VAR, None)
    server = subprocess.Popen(
        [str(DEPLOY / "entrypoint.sh"), "dagster", "api", "grpc", "--module-name",
         "orchestration.definitions", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline, answered = time.monotonic() + 240, None
        while time.monotonic() < deadline and server.poll() is None:
            answered = subprocess.run(
                [str(BIN / "dagster"), "api", "grpc-health-check", "--port", str(port)],
                env=env, capture_output=True, text=True, timeout=120,
            )
            if answered.returncode == 0:
                break
            time.sleep(2)
        assert server.poll() is None, f"the code location exited:\n{server.stdout.read()[-3000:]}"
        assert answered is not None and answered.returncode == 0, answered and answered.stderr
        assert (tmp_path / "home" / "dagster" / "dagster.yaml").exists()  # the entrypoint's work
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a loaded machine: stopping is not what is tested
            server.kill()
            server.wait()
